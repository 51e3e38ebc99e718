import fc from 'fast-check';
import {
  absorbBooking,
  refreshApplication,
  refreshBooking,
  refreshClaim,
  refreshLab,
  refreshVoucher,
  type ApplicationView,
  type BookingView,
  type ClaimView,
  type ProviderView,
  type VoucherView,
} from '../reads';
import {
  bookingTerminal,
  claimStands,
  type ApplicationModel,
  type BookingModel,
  type LabModel,
  type Model,
  type ProgrammeModel,
  type VoucherModel,
} from '../state';
import { aim, choose, command, finds, judge, said } from './command';

type Decision = 'APPROVE' | 'APPROVE_LESS' | 'REJECT' | 'REQUEST_INFO';

const decisionBody = (decision: Decision, app: ApplicationModel) =>
  decision === 'APPROVE'
    ? { decision }
    : decision === 'APPROVE_LESS'
      ? {
          decision: 'APPROVE',
          amountFen: Math.max(1, Math.floor(app.requestedAmountFen / 2)),
          note: '核减至一半',
        }
      : decision === 'REJECT'
        ? { decision, reason: '检测需求与专项行动方向不符' }
        : { decision, message: '请补充样品数量与检测标准的说明' };

const DECISION_RESULT: Record<Decision, string> = {
  APPROVE: 'APPROVED',
  APPROVE_LESS: 'APPROVED',
  REJECT: 'REJECTED',
  REQUEST_INFO: 'INFO_REQUESTED',
};

const decidable = (decision: Decision) => (a: ApplicationModel) =>
  a.status === 'UNDER_REVIEW' || (decision === 'REJECT' && a.status === 'INFO_REQUESTED');

/** The administrator decides an application: approve (perhaps less), reject, or ask for information. */
const decides = fc
  .record({
    target: aim,
    decision: fc.constantFrom<Decision>('APPROVE', 'APPROVE', 'APPROVE_LESS', 'REJECT', 'REQUEST_INFO'),
  })
  .map(({ target, decision }) =>
    command(
      'administrator decides',
      (m) => finds(m.applications, decidable(decision), target),
      async (m, w) => {
        const open = decidable(decision);
        const { item: app, suits } = choose(m.applications, open, target);
        const before = app.status;
        const res = await w.call<ApplicationView>('POST', `/api/v1/applications/${app.id}/decision`, {
          token: w.adminToken,
          body: decisionBody(decision, app),
        });
        await judge(w, `${decision} of application ${app.id} (${before})`, res, {
          allowed: suits,
          becomes: DECISION_RESULT[decision],
          actual: res?.status === 200 ? res.body.status : null,
          mayMeet: ['BUDGET_EXHAUSTED', 'ANNUAL_CAP_EXCEEDED'],
          stillAllowed: async () => {
            await refreshApplication(w, app.id);
            return open(app);
          },
        });
        await refreshApplication(w, app.id);
        return `administrator ${decision} application ${app.id.slice(0, 8)} (${before}${suits ? '' : ', out of order'}) → ${said(res, res?.status === 200 ? res.body.status : null)}`;
      },
    ),
  );

const pending = (l: LabModel) => l.pending;

/** The administrator verifies a lab's submitted accreditations: list it, or reject them. */
const verifies = fc.record({ target: aim, approve: fc.boolean() }).map(({ target, approve }) =>
  command(
    'administrator verifies a lab',
    (m) => finds(m.labs, pending, target),
    async (m, w) => {
      const { item: lab, suits } = choose(m.labs, pending, target);
      const before = lab.status;
      const res = await w.call<ProviderView>('POST', `/api/v1/providers/${lab.providerId}/verification`, {
        token: w.adminToken,
        body: approve
          ? { decision: 'APPROVE' }
          : { decision: 'REJECT', reason: 'CNAS 证书编号与公示信息不一致' },
      });
      await judge(w, `verification of ${lab.key} (${before})`, res, {
        allowed: suits,
        becomes: approve ? 'LISTED' : null,
        actual: res?.status === 200 ? res.body.status : null,
        mayMeet: ['ACCREDITATION_EXPIRED', 'SUBMISSION_CHANGED'],
        stillAllowed: async () => Boolean((await refreshLab(w, lab.key))?.pendingVerification),
      });
      await refreshLab(w, lab.key);
      return `administrator ${approve ? 'lists' : 'rejects'} ${lab.key} (${before}${suits ? '' : ', nothing pending'}) → ${said(res, res?.status === 200 ? res.body.status : null)}`;
    },
  ),
);

const isDisputed = (b: BookingModel) => b.status === 'DISPUTED';

type Resolution = 'UPHOLD' | 'RETEST' | 'CANCEL_REFUND';
const RESOLUTION_RESULT: Record<Resolution, string> = {
  UPHOLD: 'ACCEPTED',
  RETEST: 'SAMPLE_RECEIVED',
  CANCEL_REFUND: 'CANCELLED',
};

/** The administrator resolves a dispute: uphold the report, order a retest, or cancel and refund. */
const resolves = fc
  .record({ target: aim, resolution: fc.constantFrom<Resolution>('UPHOLD', 'RETEST', 'CANCEL_REFUND') })
  .map(({ target, resolution }) =>
    command(
      'administrator resolves a dispute',
      (m) =>
        finds(
          m.bookings.filter((b) => b.disputeId),
          isDisputed,
          target,
        ),
      async (m, w) => {
        const disputed = m.bookings.filter((b) => b.disputeId);
        const { item: b, suits } = choose(disputed, isDisputed, target);
        const before = b.status;
        const res = await w.call<BookingView>('POST', `/api/v1/disputes/${b.disputeId}/resolution`, {
          token: w.adminToken,
          body: { resolution, note: '复核原始记录后的处理意见' },
        });
        if (res?.status === 200) absorbBooking(w, res.body);
        await judge(w, `${resolution} of the dispute on booking ${b.id} (${before})`, res, {
          allowed: suits,
          becomes: RESOLUTION_RESULT[resolution],
          actual: res?.status === 200 ? res.body.status : null,
          stillAllowed: async () => (await refreshBooking(w, b.id))?.status === 'DISPUTED',
        });
        await refreshBooking(w, b.id);
        await refreshVoucher(w, b.voucherId);
        return `administrator resolves the dispute on booking ${b.id.slice(0, 8)} (${before}) with ${resolution} → ${said(res, res?.status === 200 ? res.body.status : null)}`;
      },
    ),
  );

const underReview = (b: BookingModel) => b.claimStatus === 'PENDING_REVIEW';

/** The administrator decides a claim that needs a person: approve it, or reject it. */
const decidesClaim = fc.record({ target: aim, approve: fc.boolean() }).map(({ target, approve }) =>
  command(
    'administrator decides a claim',
    (m) =>
      finds(
        m.bookings.filter((b) => b.claimId),
        underReview,
        target,
      ),
    async (m, w) => {
      const claimed = m.bookings.filter((b) => b.claimId);
      const { item: b, suits } = choose(claimed, underReview, target);
      const before = b.claimStatus;
      const res = await w.call<ClaimView>('POST', `/api/v1/claims/${b.claimId}/decision`, {
        token: w.adminToken,
        body: approve
          ? { decision: 'APPROVE' }
          : { decision: 'REJECT', reason: '报价高于目录价且未说明理由' },
      });
      await judge(w, `decision on claim ${b.claimId} (${before})`, res, {
        allowed: suits,
        becomes: approve ? 'APPROVED' : 'REJECTED',
        actual: res?.status === 200 ? res.body.status : null,
        stillAllowed: async () => (await refreshClaim(w, b.claimId!))?.status === 'PENDING_REVIEW',
      });
      await refreshBooking(w, b.id);
      await refreshVoucher(w, b.voucherId);
      return `administrator ${approve ? 'approves' : 'rejects'} the claim of booking ${b.id.slice(0, 8)} (${before}) → ${said(res, res?.status === 200 ? res.body.status : null)}`;
    },
  ),
);

const owes = (m: Readonly<Model>) => (p: ProgrammeModel) =>
  m.bookings.some((b) => b.programmeKey === p.key && b.claimStatus === 'APPROVED');

/**
 * The administrator proposes a programme's payout batch now and a second administrator approves it
 * (in order: one that owes an approved claim).
 */
const runsPayout = aim.map((a) =>
  command(
    'administrator runs a payout',
    (m) => finds(m.programmes, owes(m), a),
    async (m, w) => {
      const p = choose(m.programmes, owes(m), a).item;
      const proposed = await w.call<{ id: string }>('POST', `/api/v1/programs/${p.id}/payout-runs`, {
        token: w.adminToken,
      });
      const res =
        proposed && proposed.status < 300
          ? await w.call('POST', `/api/v1/approvals/${proposed.body.id}/decision`, {
              token: w.approverToken,
              body: { decision: 'APPROVE' },
            })
          : proposed;
      await judge(w, `payout run of programme ${p.key}`, res, {
        allowed: true,
        stillAllowed: async () => true,
      });
      return `administrator runs the payout of programme ${p.key} → ${said(res)}`;
    },
  ),
);

/** In order, a revocation meets bookings under way: what the policy has most to say about. */
const revocable = (m: Readonly<Model>) => (v: VoucherModel) =>
  v.status === 'ACTIVE' && m.bookings.some((b) => b.voucherId === v.id && !bookingTerminal(b));

/**
 * The administrator revokes a voucher. The model notes which of its bookings had neither ended nor
 * reached an approved claim: the policy stops each of them.
 */
const revokes = aim.map((a) =>
  command(
    'administrator revokes a voucher',
    (m) => finds(m.vouchers, revocable(m), a),
    async (m, w) => {
      const { item: v, suits } = choose(m.vouchers, revocable(m), a);
      const before = v.status;
      const ofVoucher = m.bookings.filter((b) => b.voucherId === v.id);
      for (const b of ofVoucher) await refreshBooking(w, b.id);
      const open = ofVoucher.filter((b) => !bookingTerminal(b) && !claimStands(b));
      const res = await w.call<VoucherView>('POST', `/api/v1/vouchers/${v.id}/revoke`, {
        token: w.adminToken,
        body: { reason: '企业提交虚假材料' },
      });
      if (res?.status === 200) v.openAtRevocation = open.map((b) => b.id);
      await judge(w, `revocation of voucher ${v.id} (${before})`, res, {
        // any active voucher may be revoked, with bookings or without
        allowed: before === 'ACTIVE',
        becomes: 'REVOKED',
        actual: res?.status === 200 ? res.body.status : null,
        stillAllowed: async () => (await refreshVoucher(w, v.id))?.status === 'ACTIVE',
      });
      await refreshVoucher(w, v.id);
      const states = open.map(
        (b) => `${b.id.slice(0, 8)} ${b.status}${b.claimStatus ? `/claim ${b.claimStatus}` : ''}`,
      );
      return `administrator revokes voucher ${v.id.slice(0, 8)} (${before}${suits ? '' : ', out of order'}; open bookings: ${states.join(', ') || 'none'}) → ${said(res, res?.status === 200 ? res.body.status : null)}`;
    },
  ),
);

export const adminCommands = [
  { weight: 5, arbitrary: decides },
  { weight: 2, arbitrary: verifies },
  { weight: 4, arbitrary: resolves },
  { weight: 4, arbitrary: decidesClaim },
  { weight: 3, arbitrary: runsPayout },
  { weight: 1, arbitrary: revokes },
];
