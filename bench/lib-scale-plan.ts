import { ACCOUNTS, MOVEMENTS, type Account } from '../domain/ledger';
import { createLife, EV, PROGRAMMES, type Life, type LifeEvent } from './lib-scale-life';
import { DAY, END, idOf, providerOf, rand, START, T, type Counts } from './lib-scale-world';

/**
 * The first pass over the seeded country: what later tables need before the rows they depend on are
 * written (budgets, provider counters, payout batches and transfers, disputes, approvals) and every
 * audit event, in compact arrays.
 */

export const ADMINS = 3; // two administrators (four eyes) and one auditor
export const smeUser = (e: number) => 10 + e;
export const providerUser = (counts: Counts, p: number) => 10 + counts.enterprises + p;

export interface Batch {
  index: number;
  programme: number;
  month: string;
  at: number;
  totalFen: number;
  transfers: number[];
}
export interface Transfer {
  index: number;
  batch: number;
  provider: number;
  amountFen: number;
  claims: number;
}

/** Growable typed arrays of events: when, what (EVENTS index) and about which rows. */
export class EventLog {
  at = new Float64Array(1 << 16);
  kind = new Uint8Array(1 << 16);
  a = new Uint32Array(1 << 16);
  b = new Uint32Array(1 << 16);
  length = 0;
  push(at: number, kind: number, a: number, b: number) {
    if (this.length === this.at.length) {
      const grow = <A extends Float64Array | Uint8Array | Uint32Array>(arr: A): A => {
        const next = new (arr.constructor as new (n: number) => A)(arr.length * 2);
        next.set(arr);
        return next;
      };
      this.at = grow(this.at);
      this.kind = grow(this.kind);
      this.a = grow(this.a);
      this.b = grow(this.b);
    }
    this.at[this.length] = at;
    this.kind[this.length] = kind;
    this.a[this.length] = a;
    this.b[this.length] = b;
    this.length += 1;
  }
}

export interface Plan {
  life: Life;
  budgets: number[];
  balances: Record<Account, number>[];
  providerStats: { completed: Uint32Array; onTime: Uint32Array; late: Uint32Array; disputes: Uint32Array };
  batches: Batch[];
  transfers: Transfer[];
  transferOf: Map<string, number>;
  disputes: { booking: string; at: number; resolvedAt: number | null; voucher: number; ordinal: number }[];
  approvals: {
    claim: string;
    programme: number;
    proposedAt: number;
    decidedAt: number | null;
    status: 'PENDING' | 'APPROVED';
  }[];
  events: EventLog;
  tally: {
    applications: Record<string, number>;
    vouchers: Record<string, number>;
    bookings: Record<string, number>;
    claims: Record<string, number>;
    ledgerEntries: number;
    faceValueFen: number;
  };
}

const bump = (record: Record<string, number>, key: string, by = 1) => {
  record[key] = (record[key] ?? 0) + by;
};

export function plan(seed: number, counts: Counts, say: (line: string) => void): Plan {
  const life = createLife(seed, counts);
  const events = new EventLog();
  const pushEvent = (e: LifeEvent) => events.push(e.at, e.kind, e.a, e.b);
  const balances = PROGRAMMES.map(
    () => Object.fromEntries(ACCOUNTS.map((a) => [a, 0])) as Record<Account, number>,
  );
  const tally: Plan['tally'] = {
    applications: {},
    vouchers: {},
    bookings: {},
    claims: {},
    ledgerEntries: 0,
    faceValueFen: 0,
  };
  const providerStats = {
    completed: new Uint32Array(counts.providers),
    onTime: new Uint32Array(counts.providers),
    late: new Uint32Array(counts.providers),
    disputes: new Uint32Array(counts.providers),
  };
  const batches: Batch[] = [];
  const batchOf = new Map<string, number>();
  const transfers: Transfer[] = [];
  const transferOf = new Map<string, number>();
  const disputes: Plan['disputes'] = [];
  const approvals: Plan['approvals'] = [];

  for (const p of PROGRAMMES) events.push(Date.UTC(p.year - 1, 11, 1, 2), EV.PROGRAMME_CREATED, p.index, 0);
  for (let p = 0; p < counts.providers; p += 1) {
    const provider = providerOf(seed, p);
    events.push(provider.createdAt, EV.PROVIDER_REGISTERED, p, 0);
    if (provider.status !== 'PENDING_VERIFICATION' && provider.status !== 'REJECTED')
      events.push(provider.createdAt + 5 * DAY, EV.PROVIDER_LISTED, p, 0);
  }
  for (let e = 0; e < counts.enterprises; e += 1)
    events.push(life.enterpriseCreatedAt(e), EV.ENTERPRISE_REGISTERED, e, 0);
  for (let i = 0; i < counts.applications; i += 1) {
    const app = life.application(i);
    bump(tally.applications, app.status);
    events.push(app.submittedAt, EV.APPLICATION_SUBMITTED, i, 0);
    if (app.status !== 'SUBMITTED') events.push(app.submittedAt + 60_000, EV.APPLICATION_UNDER_REVIEW, i, 0);
    if (app.status === 'INFO_REQUESTED')
      events.push(Math.min(END, app.submittedAt + 3 * DAY), EV.APPLICATION_INFO_REQUESTED, i, 0);
    if (app.decidedAt !== null)
      events.push(
        app.decidedAt,
        app.status === 'APPROVED' ? EV.APPLICATION_APPROVED : EV.APPLICATION_REJECTED,
        i,
        0,
      );
  }
  say(`planned ${counts.applications} applications`);

  for (let v = 0; v < counts.vouchers; v += 1) {
    const voucher = life.voucher(v);
    bump(tally.vouchers, voucher.status);
    tally.faceValueFen += voucher.face;
    voucher.events.forEach(pushEvent);
    const ledger = balances[voucher.programme.index]!;
    for (const move of voucher.moves) {
      const { from, to } = MOVEMENTS[move.movement];
      ledger[from] -= move.amountFen;
      ledger[to] += move.amountFen;
      tally.ledgerEntries += 1;
    }
    for (const b of voucher.bookings) {
      bump(tally.bookings, b.status);
      if (b.dispute) {
        disputes.push({
          booking: b.id,
          at: b.dispute.openedAt,
          resolvedAt: b.dispute.resolvedAt,
          voucher: v,
          ordinal: b.ordinal,
        });
        providerStats.disputes[b.provider]! += 1;
      }
      if (b.status === 'ACCEPTED' || b.status === 'SETTLED') {
        providerStats.completed[b.provider]! += 1;
        if (b.reportAt > b.sampleAt + b.turnaround * DAY) providerStats.late[b.provider]! += 1;
        else providerStats.onTime[b.provider]! += 1;
      }
      const claim = b.claim;
      if (!claim) continue;
      bump(tally.claims, claim.status);
      if (claim.amountFen > voucher.programme.policy.secondApprovalAboveFen && claim.status !== 'REJECTED') {
        const proposedAt = claim.createdAt + DAY / 2;
        if (claim.decidedAt !== null)
          approvals.push({
            claim: claim.id,
            programme: voucher.programme.index,
            proposedAt: Math.min(proposedAt, claim.decidedAt - 60_000),
            decidedAt: claim.decidedAt,
            status: 'APPROVED',
          });
        else if (proposedAt <= END)
          approvals.push({
            claim: claim.id,
            programme: voucher.programme.index,
            proposedAt,
            decidedAt: null,
            status: 'PENDING',
          });
      }
      // a booking whose voucher had nothing left is paid by the enterprise alone: no transfer
      if (claim.status !== 'PAID' || claim.amountFen === 0) continue;
      const batchKey = `${voucher.programme.index}/${claim.payoutMonth}`;
      let batch = batchOf.get(batchKey);
      if (batch === undefined) {
        batch = batches.length;
        batchOf.set(batchKey, batch);
        batches.push({
          index: batch,
          programme: voucher.programme.index,
          month: claim.payoutMonth,
          at: claim.paidAt!,
          totalFen: 0,
          transfers: [],
        });
      }
      const transferKey = `${batch}/${b.provider}`;
      let transfer = transferOf.get(transferKey);
      if (transfer === undefined) {
        transfer = transfers.length;
        transferOf.set(transferKey, transfer);
        transfers.push({ index: transfer, batch, provider: b.provider, amountFen: 0, claims: 0 });
        batches[batch]!.transfers.push(transfer);
      }
      transfers[transfer]!.amountFen += claim.amountFen;
      transfers[transfer]!.claims += 1;
      batches[batch]!.totalFen += claim.amountFen;
    }
    if (v % 100_000 === 99_999) say(`planned ${v + 1} of ${counts.vouchers} vouchers`);
  }
  for (const batch of batches) {
    events.push(batch.at, EV.PAYOUT_BATCH_OPENED, batch.index, 0);
    for (const t of batch.transfers) events.push(batch.at + 600_000, EV.TRANSFER_SENT, t, 0);
    events.push(batch.at + 1_200_000, EV.PAYOUT_BATCH_COMPLETED, batch.index, 0);
  }
  // sign-ins of staff and users fill the log up to its size
  for (let k = 0; events.length < counts.auditEntries; k += 1) {
    const user =
      rand(seed, T.signIn, k) < 0.3
        ? Math.floor(rand(seed, T.signIn, k, 1) * ADMINS)
        : 10 + Math.floor(rand(seed, T.signIn, k, 1) * (counts.enterprises + counts.providers));
    events.push(
      Math.floor((START + rand(seed, T.signIn, k, 2) * (END - START)) / 1000) * 1000,
      EV.SIGNED_IN,
      user,
      0,
    );
  }

  // budgets: what the vouchers took, a reserve on top, in whole millions of yuan
  const budgets = PROGRAMMES.map((p) => {
    const ledger = balances[p.index]!;
    const promised = -ledger.AVAILABLE;
    const budget =
      Math.max(1, Math.ceil((promised * (1.1 + 0.3 * rand(seed, T.programme, p.index))) / 100_000_000)) *
      100_000_000;
    ledger.AVAILABLE += budget;
    return budget;
  });
  return {
    life,
    budgets,
    balances,
    providerStats,
    batches,
    transfers,
    transferOf,
    disputes,
    approvals,
    events,
    tally,
  };
}

export const batchId = (index: number) => idOf(T.batch, index);
export const transferId = (index: number) => idOf(T.transfer, index);
