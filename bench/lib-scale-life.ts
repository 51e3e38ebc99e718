import { PolicySchema, regionWithin, type Policy } from '../domain/policy';
import { voucherCode } from '../domain/voucher';
import type { Movement } from '../domain/ledger';
import {
  between,
  bookableProviders,
  DAY,
  END,
  enterpriseOf,
  idOf,
  PROFILES,
  providerOf,
  rand,
  serviceIndex,
  START,
  T,
  VALIDITY_DAYS,
  type Counts,
} from './lib-scale-world';

/**
 * The life of every application, voucher, booking and claim of the seeded country, computed from the
 * seed and the row's index: what the seeder writes and what the audit log says happened.
 */

const MAINLAND = [
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
];

export interface ProgrammeDef {
  index: number;
  id: string;
  name: string;
  authority: string;
  year: number;
  regionCode: string;
  policy: Policy;
}

function programmeDefs(): ProgrammeDef[] {
  const national = [2022, 2023, 2024, 2025, 2026].map((year) => ({
    name: `${year}年度中小企业质量提升检验检测服务券（国家）`,
    authority: '工业和信息化部',
    year,
    regionCode: '110000',
    policy: {
      subsidyRatioBps: 5_000,
      secondApprovalAboveFen: 1_500_000,
      eligibility: { regions: MAINLAND.map((p) => `${p}0000`) },
    },
  }));
  const regional = [
    ['浙江省', '浙江省经济和信息化厅', 2022, '330000', 6_000],
    ['上海市', '上海市经济和信息化委员会', 2023, '310000', 7_000],
    ['江苏省', '江苏省工业和信息化厅', 2024, '320000', 6_000],
    ['广东省', '广东省工业和信息化厅', 2025, '440000', 6_000],
    ['深圳市', '深圳市工业和信息化局', 2026, '440300', 7_000],
  ] as const;
  return [
    ...national,
    ...regional.map(([place, authority, year, regionCode, bps]) => ({
      name: `${place}${year}年检验检测服务券`,
      authority,
      year,
      regionCode,
      policy: { subsidyRatioBps: bps },
    })),
  ].map((p, index) => ({ ...p, index, id: idOf(T.programme, index), policy: PolicySchema.parse(p.policy) }));
}

export const PROGRAMMES = programmeDefs();

const beijingYear = (ms: number) => new Date(ms + 8 * 3_600_000).getUTCFullYear();
const second = (ms: number) => Math.floor(ms / 1000) * 1000;

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
function modInverse(a: number, n: number): number {
  let [t, newT, r, newR] = [0, 1, n, a % n];
  while (newR !== 0) {
    const q = Math.floor(r / newR);
    [t, newT] = [newT, t - q * newT];
    [r, newR] = [newR, r - q * newR];
  }
  return ((t % n) + n) % n;
}
/** A bijection of [0, n): x → (x·m + add) mod n, with its inverse. */
function permutation(n: number, hint: number) {
  let m = hint % n || 1;
  while (gcd(m, n) !== 1) m = (m + 1) % n || 1;
  const add = Math.floor(n / 3);
  const inv = n === 1 ? 0 : modInverse(m, n);
  const mulmod = (a: number, b: number) => Number((BigInt(a) * BigInt(b)) % BigInt(n));
  return {
    at: (x: number) => (mulmod(x, m) + add) % n,
    back: (y: number) => mulmod((((y - add) % n) + n) % n, inv),
  };
}

export type ApplicationStatusName = 'SUBMITTED' | 'UNDER_REVIEW' | 'INFO_REQUESTED' | 'APPROVED' | 'REJECTED';
export type BookingStatusName =
  | 'REQUESTED'
  | 'CONFIRMED'
  | 'DECLINED'
  | 'CONFIRMATION_EXPIRED'
  | 'CANCELLED'
  | 'LAPSED'
  | 'SAMPLE_RECEIVED'
  | 'REPORTED'
  | 'DISPUTED'
  | 'ACCEPTED'
  | 'SETTLED';
export type ClaimStatusName = 'PENDING_REVIEW' | 'APPROVED' | 'REJECTED' | 'PAID';

export interface LedgerMove {
  movement: Movement;
  amountFen: number;
  key: string;
  memo: string;
  at: number;
  voucherId: string | null;
  bookingId: string | null;
  claimId: string | null;
}

/** An audit event: its instant, its kind (EVENTS) and the indices it is about. */
export interface LifeEvent {
  at: number;
  kind: number;
  a: number;
  b: number;
}

/** What the audit log records, by kind: the action and the entity it is written against. */
export const EVENTS = [
  ['PROGRAMME_CREATED', 'programme'],
  ['PROVIDER_REGISTERED', 'provider'],
  ['PROVIDER_LISTED', 'provider'],
  ['ENTERPRISE_REGISTERED', 'enterprise'],
  ['APPLICATION_SUBMITTED', 'application'],
  ['APPLICATION_UNDER_REVIEW', 'application'],
  ['APPLICATION_APPROVED', 'application'],
  ['APPLICATION_REJECTED', 'application'],
  ['APPLICATION_INFO_REQUESTED', 'application'],
  ['VOUCHER_ISSUED', 'voucher'],
  ['VOUCHER_EXPIRED', 'voucher'],
  ['VOUCHER_REVOKED', 'voucher'],
  ['VOUCHER_USED', 'voucher'],
  ['BOOKING_REQUESTED', 'booking'],
  ['BOOKING_CONFIRMED', 'booking'],
  ['BOOKING_DECLINED', 'booking'],
  ['BOOKING_CONFIRMATION_EXPIRED', 'booking'],
  ['BOOKING_CANCELLED', 'booking'],
  ['BOOKING_LAPSED', 'booking'],
  ['SAMPLE_RECEIVED', 'booking'],
  ['REPORT_UPLOADED', 'booking'],
  ['REPORT_ACCEPTED', 'booking'],
  ['REPORT_AUTO_ACCEPTED', 'booking'],
  ['REPORT_DISPUTED', 'booking'],
  ['DISPUTE_RESOLVED', 'booking'],
  ['CLAIM_CREATED', 'claim'],
  ['CLAIM_APPROVED', 'claim'],
  ['CLAIM_AUTO_APPROVED', 'claim'],
  ['CLAIM_REJECTED', 'claim'],
  ['PAYOUT_BATCH_OPENED', 'payout-batch'],
  ['TRANSFER_SENT', 'payout-transfer'],
  ['PAYOUT_BATCH_COMPLETED', 'payout-batch'],
  ['SIGNED_IN', 'sign-in'],
] as const;
export const EV = Object.fromEntries(EVENTS.map(([action], i) => [action, i])) as Record<
  (typeof EVENTS)[number][0],
  number
>;

/** When the payout that follows an approval runs: the 1st of the next month, 02:00 Beijing time. */
export function payoutRunAfter(ms: number): { at: number; month: string } {
  const beijing = new Date(ms + 8 * 3_600_000);
  const at = Date.UTC(beijing.getUTCFullYear(), beijing.getUTCMonth() + 1, 1, 2) - 8 * 3_600_000;
  const run = new Date(at + 8 * 3_600_000);
  return { at, month: `${run.getUTCFullYear()}-${String(run.getUTCMonth() + 1).padStart(2, '0')}` };
}

export function createLife(seed: number, counts: Counts) {
  const enterprisePerm = permutation(counts.enterprises, 7_919_777);
  const approvalPerm = permutation(counts.applications, 104_729_003);
  const rounds = Math.ceil(counts.applications / counts.enterprises);
  const span = END - START;
  const providers = bookableProviders(seed, counts.providers);
  const providerCache = new Map<number, ReturnType<typeof providerOf>>();
  const provider = (p: number) => {
    let found = providerCache.get(p);
    if (!found) providerCache.set(p, (found = providerOf(seed, p)));
    return found;
  };
  const enterpriseCache = new Map<number, ReturnType<typeof enterpriseOf>>();
  const enterprise = (e: number) => {
    let found = enterpriseCache.get(e);
    if (!found) {
      if (enterpriseCache.size > 50_000) enterpriseCache.clear();
      enterpriseCache.set(e, (found = enterpriseOf(seed, e)));
    }
    return found;
  };

  /** The enterprise's registration: shortly before its first application. */
  function enterpriseCreatedAt(e: number): number {
    const first = enterprisePerm.back(e);
    if (first >= counts.applications) return second(START + rand(seed, T.appTime, e, 9) * span);
    return second(applicationTimes(first).submittedAt - DAY * (1 + 30 * rand(seed, T.appTime, e, 8)));
  }

  function applicationTimes(i: number) {
    const round = Math.floor(i / counts.enterprises);
    const approved = approvalPerm.at(i) < counts.vouchers;
    let submittedAt = START + ((round + rand(seed, T.appTime, i)) / rounds) * span;
    if (approved) submittedAt = Math.min(submittedAt, END - 12 * DAY);
    return { submittedAt: second(submittedAt), approved };
  }

  function application(i: number) {
    const e = enterprisePerm.at(i % counts.enterprises);
    const ent = enterprise(e);
    const { submittedAt, approved } = applicationTimes(i);
    const year = Math.max(2022, Math.min(2026, beijingYear(submittedAt)));
    const regional = PROGRAMMES.find(
      (p) => p.index >= 5 && p.year === year && regionWithin(ent.regionCode, p.regionCode),
    );
    const programme =
      regional && rand(seed, T.regional, i) < 0.6 ? regional : PROGRAMMES.find((p) => p.year === year)!;
    const fate = rand(seed, T.appFate, i);
    const requestedFen = [500_000, 800_000, 1_000_000, 1_500_000, 2_000_000][
      Math.floor(rand(seed, T.face, i) * 5)
    ]!;
    let status: ApplicationStatusName;
    let decidedAt: number | null = null;
    if (approved) {
      status = 'APPROVED';
      decidedAt = second(submittedAt + DAY * (1 + 9 * fate));
    } else if (submittedAt > END - 3_600_000) status = 'SUBMITTED';
    else if (submittedAt > END - 20 * DAY) status = fate < 0.7 ? 'UNDER_REVIEW' : 'INFO_REQUESTED';
    else {
      status = 'REJECTED';
      decidedAt = second(submittedAt + DAY * (1 + 9 * fate));
    }
    const approvedFen = approved ? (fate < 0.15 ? Math.round(requestedFen * 0.8) : requestedFen) : null;
    return {
      index: i,
      id: idOf(T.application, i),
      enterprise: e,
      enterpriseId: ent.id,
      programme,
      requestedFen,
      approvedFen,
      status,
      submittedAt,
      decidedAt,
      voucher: approved ? approvalPerm.at(i) : null,
    };
  }

  const bookingBase = (v: number) => Math.floor((v * counts.bookings) / counts.vouchers);

  /** The provider a booking went to: in the enterprise's province seven times in ten. */
  function bookingProvider(j: number, province: string): number {
    const near = providers.byProvince.get(province);
    const pool = near && rand(seed, T.bookingProvider, j, 1) < 0.7 ? near : providers.all;
    return pool[Math.floor(rand(seed, T.bookingProvider, j) * pool.length)]!;
  }

  /** A voucher, its bookings and claims, its ledger movements and audit events, all up to END. */
  function voucher(v: number) {
    const app = application(approvalPerm.back(v));
    const ent = enterprise(app.enterprise);
    const programme = app.programme;
    const id = idOf(T.voucher, v);
    const issuedAt = app.decidedAt! + 60_000;
    const validUntil = issuedAt + VALIDITY_DAYS * DAY;
    const face = app.approvedFen!;
    const moves: LedgerMove[] = [];
    const events: LifeEvent[] = [];
    const move = (m: Omit<LedgerMove, 'voucherId'> & { voucherId?: string | null }) => {
      if (m.amountFen > 0 && m.at <= END) moves.push({ voucherId: id, ...m });
    };
    move({
      movement: 'RESERVE',
      amountFen: face,
      key: `application/${app.id}/reserve`,
      memo: `voucher for application ${app.id}`,
      at: issuedAt,
      bookingId: null,
      claimId: null,
    });
    events.push({ at: issuedAt, kind: EV.VOUCHER_ISSUED, a: v, b: 0 });

    const base = bookingBase(v);
    const count = bookingBase(v + 1) - base;
    const useUp = rand(seed, T.useUp, v) < 0.35;
    const windowMs = Math.max(DAY, Math.min(150 * DAY, END - issuedAt - 2 * 3_600_000));
    let remaining = face;
    const bookings = [];
    const releases: { at: number; amount: number; key: string; bookingId: string; claimId: string | null }[] =
      [];
    let lastDone = issuedAt;
    let allDone = true;
    for (let n = 0; n < count; n += 1) {
      const j = base + n;
      const r = (draw: number) => rand(seed, T.bookingFate, j, draw);
      const createdAt = second(issuedAt + 3_600_000 + ((n + r(0)) / count) * windowMs);
      const p = bookingProvider(j, ent.province);
      const prov = provider(p);
      const profile = PROFILES[prov.profileIndex]!;
      const lineCount = Math.min(profile.services.length, 1 + Math.floor(r(1) * 3));
      const first = Math.floor(r(2) * profile.services.length);
      const picked = Array.from({ length: lineCount }, (_, k) => (first + k) % profile.services.length);
      const unitSum = picked.reduce((sum, k) => sum + profile.services[k]!.unitPriceFen, 0);
      let sampleCount = 1 + Math.floor(r(3) * 4);
      if (useUp && n === count - 1 && remaining > 0)
        sampleCount = Math.min(60, Math.max(sampleCount, Math.ceil((2 * remaining) / unitSum)));
      const catalog = unitSum * sampleCount;
      const quoted = catalog - Math.floor((catalog * Math.floor(r(4) * 10)) / 100 / 100) * 100;
      const subsidy = Math.min(Math.floor((quoted * programme.policy.subsidyRatioBps) / 10_000), remaining);
      remaining -= subsidy;
      const turnaround = Math.max(...picked.map((k) => profile.services[k]!.turnaroundDays));

      // the stage instants this booking reaches, whether or not END has come yet
      const fate = r(5);
      const confirmedAt = second(createdAt + 3_600_000 * (2 + 34 * r(6)));
      const sampleAt = second(confirmedAt + DAY * (1 + 5 * r(7)));
      const reportAt = second(sampleAt + DAY * (turnaround * (0.6 + 0.6 * r(8))));
      const disputed = fate >= 0.21 && fate < 0.225;
      const autoAccepted = !disputed && r(9) < 0.1;
      const disputeAt = second(reportAt + DAY * (1 + 2 * r(10)));
      const resolvedAt = second(disputeAt + DAY * (3 + 7 * r(11)));
      const acceptedAt = disputed
        ? resolvedAt
        : second(reportAt + (autoAccepted ? 7 * DAY : DAY * (0.2 + 5 * r(10))));
      let failure: { kind: number; at: number; status: BookingStatusName } | null = null;
      if (fate < 0.05)
        failure = {
          kind: EV.BOOKING_DECLINED,
          at: second(createdAt + DAY * (0.3 + 1.5 * r(6))),
          status: 'DECLINED',
        };
      else if (fate < 0.09)
        failure = {
          kind: EV.BOOKING_CONFIRMATION_EXPIRED,
          at: createdAt + 2 * DAY,
          status: 'CONFIRMATION_EXPIRED',
        };
      else if (fate < 0.18)
        failure = {
          kind: EV.BOOKING_CANCELLED,
          at: second(createdAt + DAY * (0.1 + r(6))),
          status: 'CANCELLED',
        };
      else if (fate < 0.21)
        failure = { kind: EV.BOOKING_LAPSED, at: confirmedAt + 14 * DAY, status: 'LAPSED' };

      const stage = (at: number) => at <= END;
      events.push({ at: createdAt, kind: EV.BOOKING_REQUESTED, a: v, b: n });
      let status: BookingStatusName = 'REQUESTED';
      const hit = (at: number, kind: number, next: BookingStatusName) => {
        if (!stage(at)) return false;
        events.push({ at, kind, a: v, b: n });
        status = next;
        return true;
      };
      let claim = null;
      let dispute: { openedAt: number; resolvedAt: number | null } | null = null;
      // a booking that did not go ahead gives its subsidy back to the voucher
      const released = (at: number) => {
        releases.push({
          at,
          amount: subsidy,
          key: `booking/${idOf(T.booking, j)}/release`,
          bookingId: idOf(T.booking, j),
          claimId: null,
        });
        lastDone = Math.max(lastDone, at);
      };
      if (failure && failure.status !== 'LAPSED') {
        if (hit(failure.at, failure.kind, failure.status)) released(failure.at);
        else allDone = false;
      } else if (hit(confirmedAt, EV.BOOKING_CONFIRMED, 'CONFIRMED')) {
        if (failure) {
          if (hit(failure.at, failure.kind, 'LAPSED')) released(failure.at);
          else allDone = false;
        } else if (
          hit(sampleAt, EV.SAMPLE_RECEIVED, 'SAMPLE_RECEIVED') &&
          hit(reportAt, EV.REPORT_UPLOADED, 'REPORTED')
        ) {
          if (disputed && hit(disputeAt, EV.REPORT_DISPUTED, 'DISPUTED')) {
            dispute = { openedAt: disputeAt, resolvedAt: stage(resolvedAt) ? resolvedAt : null };
            if (hit(resolvedAt, EV.DISPUTE_RESOLVED, 'ACCEPTED')) status = 'ACCEPTED';
          } else if (!disputed) {
            hit(acceptedAt, autoAccepted ? EV.REPORT_AUTO_ACCEPTED : EV.REPORT_ACCEPTED, 'ACCEPTED');
          }
          if (status === 'ACCEPTED') {
            lastDone = Math.max(lastDone, acceptedAt);
            claim = claimOf(j, v, acceptedAt, subsidy, programme, events, moves, n);
            if (claim.status === 'PAID') status = 'SETTLED';
            if (claim.status === 'REJECTED' && claim.decidedAt !== null)
              releases.push({
                at: claim.decidedAt,
                amount: subsidy,
                key: `claim/${claim.id}/reject`,
                bookingId: idOf(T.booking, j),
                claimId: claim.id,
              });
          } else allDone = false;
        } else allDone = false;
      } else allDone = false;

      move({
        movement: 'COMMIT',
        amountFen: subsidy,
        key: `booking/${idOf(T.booking, j)}/commit`,
        memo: `booking ${idOf(T.booking, j)}`,
        at: createdAt,
        bookingId: idOf(T.booking, j),
        claimId: null,
      });
      bookings.push({
        index: j,
        ordinal: n,
        id: idOf(T.booking, j),
        provider: p,
        providerId: prov.id,
        picked,
        profile,
        sampleCount,
        catalog,
        quoted,
        subsidy,
        turnaround,
        createdAt,
        confirmedAt,
        sampleAt,
        reportAt,
        acceptedAt,
        status: status as BookingStatusName,
        claim,
        dispute,
        failure,
      });
    }

    // the voucher closes at expiry, when revoked, or when its whole face value went into finished bookings
    const revoked = validUntil <= END && rand(seed, T.revoke, v) < 0.01;
    let closeAt: number | null = null;
    let status: 'ACTIVE' | 'USED' | 'EXPIRED' | 'REVOKED' = 'ACTIVE';
    if (revoked) {
      closeAt = Math.min(validUntil - DAY, second(lastDone + 5 * DAY));
      status = 'REVOKED';
    } else if (validUntil <= END) {
      closeAt = validUntil;
      status = 'EXPIRED';
    }
    let balance = face - bookings.reduce((sum, b) => sum + b.subsidy, 0);
    for (const release of releases) {
      const live = closeAt === null || release.at < closeAt;
      if (live) balance += release.amount;
      move({
        movement: live ? 'UNCOMMIT' : 'UNCOMMIT_TO_AVAILABLE',
        amountFen: release.amount,
        key: release.key,
        memo: `${release.claimId ? 'claim rejected' : 'booking ended'}: subsidy back to the ${live ? 'voucher' : 'programme'}`,
        at: release.at,
        bookingId: release.bookingId,
        claimId: release.claimId,
      });
    }
    if (status !== 'REVOKED' && balance === 0 && allDone && lastDone <= END && count > 0) {
      status = 'USED';
      closeAt = lastDone + 60_000;
    }
    let releasedFen = 0;
    if ((status === 'EXPIRED' || status === 'REVOKED') && closeAt !== null) {
      releasedFen = balance;
      move({
        movement: 'RELEASE',
        amountFen: balance,
        key: `voucher/${id}/release`,
        memo: `${status.toLowerCase()} voucher: unused balance back to the programme`,
        at: closeAt,
        bookingId: null,
        claimId: null,
      });
      balance = 0;
    }
    if (status === 'USED') balance = 0;
    if (closeAt !== null)
      events.push({
        at: closeAt,
        kind:
          status === 'USED'
            ? EV.VOUCHER_USED
            : status === 'REVOKED'
              ? EV.VOUCHER_REVOKED
              : EV.VOUCHER_EXPIRED,
        a: v,
        b: 0,
      });
    return {
      index: v,
      id,
      code: voucherCode(id, programme.year),
      application: app,
      enterprise: ent,
      programme,
      face,
      balance,
      releasedFen,
      status,
      closeAt,
      issuedAt,
      validUntil,
      bookings,
      moves,
      events,
    };
  }

  function claimOf(
    j: number,
    v: number,
    acceptedAt: number,
    amount: number,
    programme: ProgrammeDef,
    events: LifeEvent[],
    moves: LedgerMove[],
    n: number,
  ) {
    const r = (draw: number) => rand(seed, T.claimFate, j, draw);
    const id = idOf(T.claim, j);
    const createdAt = acceptedAt + 120_000;
    events.push({ at: createdAt, kind: EV.CLAIM_CREATED, a: v, b: n });
    const rejected = r(0) < 0.01;
    const automatic = !rejected && r(1) < 0.6 && amount <= programme.policy.secondApprovalAboveFen;
    const decidedAt = second(automatic ? createdAt + 300_000 : createdAt + DAY * (1 + 7 * r(2)));
    const paid = payoutRunAfter(decidedAt);
    let status: ClaimStatusName = 'PENDING_REVIEW';
    const push = (m: Omit<LedgerMove, 'voucherId'>) => {
      if (m.amountFen > 0 && m.at <= END) moves.push({ voucherId: idOf(T.voucher, v), ...m });
    };
    if (decidedAt <= END) {
      if (rejected) {
        status = 'REJECTED';
        events.push({ at: decidedAt, kind: EV.CLAIM_REJECTED, a: v, b: n });
      } else {
        status = 'APPROVED';
        events.push({
          at: decidedAt,
          kind: automatic ? EV.CLAIM_AUTO_APPROVED : EV.CLAIM_APPROVED,
          a: v,
          b: n,
        });
        push({
          movement: 'APPROVE_CLAIM',
          amountFen: amount,
          key: `claim/${id}/approve`,
          memo: `claim ${id} approved`,
          at: decidedAt,
          bookingId: idOf(T.booking, j),
          claimId: id,
        });
        if (paid.at <= END) {
          status = 'PAID';
          push({
            movement: 'PAY',
            amountFen: amount,
            key: `claim/${id}/pay`,
            memo: `claim ${id} paid`,
            at: paid.at,
            bookingId: idOf(T.booking, j),
            claimId: id,
          });
        }
      }
    }
    return {
      id,
      index: j,
      status,
      createdAt,
      automatic,
      amountFen: amount,
      decidedAt: decidedAt <= END ? decidedAt : null,
      paidAt: status === 'PAID' ? paid.at : null,
      payoutMonth: paid.month,
    };
  }

  const voucherApplication = (v: number) => approvalPerm.back(v);

  return {
    application,
    voucher,
    voucherApplication,
    enterpriseCreatedAt,
    bookingBase,
    bookingProvider,
    enterprise,
    provider,
    providers,
    rounds,
  };
}

export type Life = ReturnType<typeof createLife>;
export type VoucherLife = ReturnType<Life['voucher']>;
export type BookingLife = VoucherLife['bookings'][number];

export const serviceIdOf = (p: number, k: number) => idOf(T.service, serviceIndex(p, k));
export { between };
