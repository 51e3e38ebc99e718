/**
 * What every process shares: which step may happen in which status, and what an open item waits
 * for, from whom and by when. The processes' own tables (booking.ts, application.ts, claim.ts) are
 * written with these, and both the workflows' update validators and the activities' checks read
 * them, so that a workflow and an activity can never disagree about a state.
 */

/** Who is expected to act next: a role, or the service itself (a timer or a scheduled run). */
export const PARTIES = ['SME', 'PROVIDER', 'ADMIN', 'SYSTEM'] as const;
export type Party = (typeof PARTIES)[number];

/** What the party is expected to do. */
export const AWAITED_ACTIONS = [
  'CHECK_ELIGIBILITY',
  'DECIDE_APPLICATION',
  'RESUBMIT_APPLICATION',
  'BOOK_WITH_VOUCHER',
  'CONFIRM_BOOKING',
  'SEND_SAMPLES',
  'UPLOAD_REPORT',
  'ACCEPT_OR_DISPUTE_REPORT',
  'RESOLVE_DISPUTE',
  'RECORD_COPAYMENT',
  'CREATE_CLAIM',
  'DECIDE_CLAIM',
  'PAY_OUT_CLAIM',
  'VERIFY_PROVIDER',
  'APPROVE_PROPOSAL',
] as const;
export type AwaitedAction = (typeof AWAITED_ACTIONS)[number];

/** What the process does when the deadline passes and nobody acted. */
export const AFTER_DUE = [
  'SLOT_RELEASED',
  'BOOKING_LAPSES',
  'ESCALATED',
  'ACCEPTED_AUTOMATICALLY',
  'DECIDED_WITHOUT_COPAYMENT',
  'APPLICATION_CLOSES',
  'BALANCE_RELEASED',
  'PROPOSAL_EXPIRES',
] as const;
export type AfterDue = (typeof AFTER_DUE)[number];

/**
 * What an open item waits for. `dueAt` (ISO 8601) is when the process acts on its own if nobody does;
 * `afterDue` is what it then does, null when it only waits. Its schema is in process-schema.ts.
 */
export interface Awaiting {
  party: Party;
  action: AwaitedAction;
  dueAt: string;
  afterDue: AfterDue | null;
}

/** What a status waits for, before its deadline is known. */
export type Wait = Omit<Awaiting, 'dueAt'>;

/** What a status waits for, from the table of a process, with the deadline the read model holds. */
export function awaitingIn<Status extends string>(
  waits: Partial<Record<Status, Wait>>,
  status: Status,
  dueAt: Date | null,
): Awaiting | null {
  const wait = waits[status];
  return wait && dueAt ? { ...wait, dueAt: dueAt.toISOString() } : null;
}

/** Soonest deadline first (a work list's order). */
export const soonestFirst = (a: { awaiting: Awaiting }, b: { awaiting: Awaiting }): number =>
  a.awaiting.dueAt < b.awaiting.dueAt ? -1 : a.awaiting.dueAt > b.awaiting.dueAt ? 1 : 0;

/** One step of a process: the statuses it may start from and the status it leads to. */
export interface Transition<Status extends string> {
  from: readonly Status[];
  /** null: the step records a fact and leaves the status as it is */
  to: Status | null;
}

export type TransitionTable<Step extends string, Status extends string> = Record<Step, Transition<Status>>;

/** Whether `step` may happen in `status`. */
export function may<Step extends string, Status extends string>(
  table: TransitionTable<Step, Status>,
  step: Step,
  status: Status,
): boolean {
  return table[step].from.includes(status);
}

/** A step asked for in a status that does not allow it: a conflict with a stable code. */
export class WrongStatus extends Error {
  constructor(
    readonly code: string,
    readonly status: string,
    readonly allowed: readonly string[],
    what: string,
  ) {
    super(`the ${what} is ${status}; this needs it to be ${allowed.join(' or ')}`);
  }
}

/** Throws `WrongStatus` unless `step` may happen in `status`. */
export function expectTransition<Step extends string, Status extends string>(
  table: TransitionTable<Step, Status>,
  step: Step,
  status: Status,
  refusal: { code: string; what: string },
): void {
  if (!may(table, step, status)) throw new WrongStatus(refusal.code, status, table[step].from, refusal.what);
}
