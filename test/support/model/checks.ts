import { durationMs } from '../../../domain/duration';
import { ledgerProblems } from '../ledger-problems';
import { refreshAll, type ApplicationView, type Awaiting, type BookingView, type ClaimView } from './reads';
import { settle, type ProcessSnapshot } from './settle';
import {
  bookingTerminal,
  claimStands,
  DECIDED_CLAIM_STATUSES,
  programmeOf,
  RELEASED_BOOKING_STATUSES,
  type BookingModel,
} from './state';
import type { World } from './world';

/** How late a deadline's consequence may be seen on a loaded machine before the model calls it missed. */
const SLACK_MS = 15_000;

/**
 * Lets the processes settle, reads every item again and runs every check: after each passing of
 * time and at the end of a sequence.
 */
export async function inspect(w: World): Promise<void> {
  checkProcesses(w, await settle(w));
  await describeFailures(w);
  const views = await refreshAll(w);
  const ids = w.model.programmes.map((p) => p.id);
  for (const p of await ledgerProblems(w.db, ids))
    w.record('ledger-unbalanced', `programme ${p.programme_id}: ${p.problem}`);
  await checkCommitted(w, ids);
  await checkPaidOnce(w, ids);
  checkAwaiting(w, views);
  checkDeadlines(w);
  checkRevocations(w);
}

/** No process failed, was terminated or timed out, and none has an activity retrying. */
function checkProcesses(w: World, processes: ProcessSnapshot[]): void {
  for (const p of processes) {
    if (['FAILED', 'TERMINATED', 'TIMED_OUT'].includes(p.status)) {
      if (!w.failedSeen.has(p.runId)) w.failedSeen.set(p.runId, p.workflowId);
      continue;
    }
    if (p.taskAttempt > 1) {
      w.record(
        'workflow-task-failing',
        `${p.workflowId}: its workflow task failed ${p.taskAttempt - 1} time(s) and is retried`,
      );
    }
    for (const a of p.activities.filter((x) => x.attempt > 1)) {
      w.record(
        'activity-stuck',
        `${p.workflowId}: activity ${a.type} at attempt ${a.attempt}: ${a.lastFailure ?? 'no failure recorded'}`,
      );
    }
  }
}

/** The reason each failed process gives, recorded once per run. */
async function describeFailures(w: World): Promise<void> {
  for (const [runId, workflowId] of w.failedSeen) {
    if (w.failedReported.has(runId)) continue;
    w.failedReported.add(runId);
    const reason = await w.worker.client.workflow
      .getHandle(workflowId, runId)
      .result()
      .then(
        () => 'no failure',
        (error: unknown) => causes(error),
      );
    w.record('workflow-failed', `${workflowId}: ${reason}`);
  }
}

function causes(error: unknown): string {
  const messages: string[] = [];
  for (let e = error; e instanceof Error; e = e.cause) messages.push(e.message);
  return messages.join(' ← ');
}

/**
 * COMMITTED holds exactly the subsidies of bookings whose money is still promised: not released
 * (declined, expired, cancelled, lapsed) and without a decided claim. One statement, one snapshot.
 */
async function checkCommitted(w: World, programmeIds: string[]): Promise<void> {
  const { rows } = await w.db.query<{
    programme_id: string;
    committed: string;
    expected: string;
    counted: string | null;
  }>(
    `SELECT p.id::text AS programme_id, la.balance_fen::text AS committed,
            COALESCE(SUM(b.subsidy_fen) FILTER (WHERE b.id IS NOT NULL), 0)::text AS expected,
            string_agg(b.id::text || ' ' || b.status::text || ' ' || b.subsidy_fen, ', ') AS counted
     FROM programmes p
     JOIN ledger_accounts la ON la.programme_id = p.id AND la.account = 'COMMITTED'
     LEFT JOIN bookings b ON b.programme_id = p.id AND NOT (b.status::text = ANY($2::text[]))
       AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.booking_id = b.id AND c.status::text = ANY($3::text[]))
     WHERE p.id = ANY($1::uuid[])
     GROUP BY p.id, la.balance_fen`,
    [programmeIds, RELEASED_BOOKING_STATUSES, DECIDED_CLAIM_STATUSES],
  );
  for (const r of rows) {
    if (r.committed !== r.expected) {
      w.record(
        'committed-mismatch',
        `programme ${r.programme_id}: COMMITTED holds ${r.committed} fen, the bookings in committed states hold ${r.expected} (${r.counted ?? 'none'})`,
      );
    }
  }
}

/** Each claim is paid once: one PAY entry at most, PAID postings equal to its amount once paid, the bank's transfers equal to PAID. */
async function checkPaidOnce(w: World, programmeIds: string[]): Promise<void> {
  const claims = await w.db.query<{
    id: string;
    status: string;
    amount: string;
    entries: string;
    paid: string;
  }>(
    `SELECT c.id::text, c.status::text, c.amount_fen::text AS amount,
            (SELECT COUNT(*) FROM ledger_entries e WHERE e.claim_id = c.id AND e.movement = 'PAY')::text AS entries,
            (SELECT COALESCE(SUM(p.amount_fen), 0) FROM ledger_entries e JOIN ledger_postings p ON p.entry_id = e.id
              WHERE e.claim_id = c.id AND p.account = 'PAID')::text AS paid
     FROM claims c WHERE c.programme_id = ANY($1::uuid[])`,
    [programmeIds],
  );
  for (const c of claims.rows) {
    const expectedPaid = c.status === 'PAID' ? c.amount : '0';
    if (Number(c.entries) > 1 || c.paid !== expectedPaid) {
      w.record(
        'claim-paid-twice',
        `claim ${c.id} (${c.status}, ${c.amount} fen): ${c.entries} PAY entries, ${c.paid} fen posted to PAID`,
      );
    }
  }
  const banks = await w.db.query<{ programme_id: string; sent: string; paid: string }>(
    `SELECT la.programme_id::text, la.balance_fen::text AS paid,
            COALESCE((SELECT SUM(g.amount_fen) FROM payout_batches pb
                      JOIN payout_transfers t ON t.batch_id = pb.id
                      JOIN gateway_transfers g ON g.idempotency_key = t.idempotency_key
                      WHERE pb.programme_id = la.programme_id), 0)::text AS sent
     FROM ledger_accounts la WHERE la.account = 'PAID' AND la.programme_id = ANY($1::uuid[])`,
    [programmeIds],
  );
  for (const b of banks.rows) {
    if (b.sent !== b.paid) {
      w.record(
        'claim-paid-twice',
        `programme ${b.programme_id}: the gateway sent ${b.sent} fen, PAID holds ${b.paid}`,
      );
    }
  }
}

const PARTIES = ['SME', 'PROVIDER', 'ADMIN', 'SERVICE'];

/** Whom a booking waits for, where the policy leaves no doubt. */
function bookingParty(b: BookingModel): string | undefined {
  const byStatus: Record<string, string> = {
    REQUESTED: 'PROVIDER',
    SAMPLE_RECEIVED: 'PROVIDER',
    REPORTED: 'SME',
    DISPUTED: 'ADMIN',
  };
  if (byStatus[b.status]) return byStatus[b.status];
  if (b.status === 'ACCEPTED' && b.claimStatus === 'PENDING_REVIEW') return 'ADMIN';
  if (b.status === 'ACCEPTED' && b.claimStatus === 'APPROVED') return 'SERVICE';
  return undefined;
}

/**
 * Every item is over, or waits for a named party to do a named thing by a date: `awaiting` is
 * null exactly when the item is terminal.
 */
function checkAwaiting(
  w: World,
  views: { bookings: BookingView[]; applications: ApplicationView[]; claims: ClaimView[] },
) {
  const one = (item: string, view: { awaiting?: Awaiting | null }, terminal: boolean, party?: string) => {
    if (!('awaiting' in view)) return w.record('awaiting-missing', `${item} has no \`awaiting\``);
    const awaiting = view.awaiting;
    if (awaiting === null || awaiting === undefined) {
      if (!terminal) w.record('awaiting-nobody', `${item} is not over but awaits nobody`);
      return;
    }
    if (terminal)
      return w.record('awaiting-when-over', `${item} is over but awaits ${JSON.stringify(awaiting)}`);
    if (!PARTIES.includes(awaiting.party) || !awaiting.action || Number.isNaN(Date.parse(awaiting.dueAt))) {
      return w.record('awaiting-malformed', `${item} awaits ${JSON.stringify(awaiting)}`);
    }
    if (party && awaiting.party !== party) {
      w.record(
        'awaiting-wrong-party',
        `${item} awaits ${awaiting.party} (${awaiting.action}), expected ${party}`,
      );
    }
  };
  for (const view of views.bookings) {
    const b = w.model.bookings.find((x) => x.id === view.id)!;
    one(
      `booking ${b.id} (${b.status}${b.claimStatus ? `, claim ${b.claimStatus}` : ''})`,
      view,
      bookingTerminal(b),
      bookingParty(b),
    );
  }
  for (const view of views.applications) {
    const voucher = w.model.vouchers.find((v) => v.id === view.voucherId);
    // an approved application lives on as its voucher: it is over once the voucher is
    const terminal =
      view.status === 'REJECTED' || (view.status === 'APPROVED' && voucher?.status !== 'ACTIVE');
    const party =
      view.status === 'UNDER_REVIEW' ? 'ADMIN' : view.status === 'INFO_REQUESTED' ? 'SME' : undefined;
    one(
      `application ${view.id} (${view.status}${voucher ? `, voucher ${voucher.status}` : ''})`,
      view,
      terminal,
      party,
    );
  }
  for (const view of views.claims) {
    const party =
      view.status === 'PENDING_REVIEW' ? 'ADMIN' : view.status === 'APPROVED' ? 'SERVICE' : undefined;
    one(
      `claim ${view.id} (${view.status})`,
      view,
      view.status === 'REJECTED' || view.status === 'PAID',
      party,
    );
  }
}

/** What falls due happened: unconfirmed bookings expired, silent SMEs accepted, samples lapsed, vouchers ended, lapsed labs delisted. */
function checkDeadlines(w: World): void {
  const now = Date.now();
  const late = (at: number | null, within: string | undefined) =>
    at !== null && within !== undefined && now > at + durationMs(within) + SLACK_MS;
  for (const b of w.model.bookings) {
    const { policy } = programmeOf(w.model, b.programmeKey);
    if (b.status === 'REQUESTED' && late(b.createdAt, policy.providerConfirmWithin)) {
      w.record(
        'confirmation-not-expired',
        `booking ${b.id} is REQUESTED ${Math.round((now - b.createdAt) / 1000)} s after it was made; the lab had ${policy.providerConfirmWithin}`,
      );
    }
    if (b.status === 'REPORTED' && late(b.reportedAt, policy.acceptanceWithin)) {
      w.record(
        'report-not-auto-accepted',
        `booking ${b.id} is REPORTED ${Math.round((now - b.reportedAt!) / 1000)} s after the report; the SME had ${policy.acceptanceWithin}`,
      );
    }
    if (b.status === 'CONFIRMED' && late(b.confirmedAt, policy.samplesWithin)) {
      w.record(
        'samples-not-lapsed',
        `booking ${b.id} is CONFIRMED ${Math.round((now - b.confirmedAt!) / 1000)} s after confirmation; samples were due within ${policy.samplesWithin}`,
      );
    }
  }
  for (const v of w.model.vouchers) {
    if (v.status === 'ACTIVE' && now > v.validUntil + SLACK_MS) {
      w.record(
        'voucher-not-expired',
        `voucher ${v.id} is ACTIVE ${Math.round((now - v.validUntil) / 1000)} s after its validity ended`,
      );
    }
  }
  for (const l of w.model.labs) {
    if (l.onboarded && l.status === 'LISTED' && now > l.lapseAt + SLACK_MS) {
      w.record(
        'provider-not-delisted',
        `${l.key} (${l.providerId}) is LISTED ${Math.round((now - l.lapseAt) / 1000)} s after its accreditation lapsed`,
      );
    }
  }
}

/**
 * Revocation stopped every booking that had not reached an approved claim, naming the revocation
 * (one that ended by itself as the revocation came, declined or expired, is over too).
 */
function checkRevocations(w: World): void {
  for (const v of w.model.vouchers) {
    for (const id of v.openAtRevocation ?? []) {
      const b = w.model.bookings.find((x) => x.id === id)!;
      if (claimStands(b)) continue;
      if (RELEASED_BOOKING_STATUSES.includes(b.status) && b.status !== 'CANCELLED') continue;
      if (b.status !== 'CANCELLED') {
        w.record(
          'revocation-left-booking-open',
          `booking ${b.id} of revoked voucher ${v.id} is ${b.status}${b.claimStatus ? ` with its claim ${b.claimStatus}` : ''}`,
        );
      } else if (!b.statusReason?.startsWith('voucher revoked')) {
        w.record(
          'revocation-reason',
          `booking ${b.id} of revoked voucher ${v.id} is CANCELLED for "${b.statusReason}"`,
        );
      }
    }
  }
}
