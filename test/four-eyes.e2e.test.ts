import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Problem } from '../api/http/problem';
import { postgresConfig } from '../config/database';
import { startTestApi, type TestApi } from './support/api';
import type { ApprovalBody } from './support/four-eyes';
import { givenApprovedClaim } from './support/journeys';
import { ledgerProblems } from './support/ledger-problems';
import { givenListedProvider } from './support/providers';
import type { ProviderFixture } from './support/providers';
import {
  decide,
  expectLedgerBalanced,
  givenAdmin,
  givenApplication,
  givenApprovedVoucher,
  givenProgramme,
  givenSme,
  until,
  type Caller,
} from './support/scenarios';
import { startTestWorker, uniqueTaskQueue, type TestWorkerHarness } from './support/worker';

interface ClaimBody {
  id: string;
  status: string;
  amountFen: number;
  secondApproval: {
    required: boolean;
    thresholdFen: number;
    firstApproval: {
      approvalId: string;
      by: { id: string; name: string };
      at: string;
      expiresAt: string;
    } | null;
  };
}

let api: TestApi;
let worker: TestWorkerHarness;
let first: Caller;
let second: Caller;
let lab: ProviderFixture;
let pool: pg.Pool;

/** Every claim above 1 fen needs two administrators; the automatic limit would cover them all, but never applies. */
const TWO_ADMINS = {
  secondApprovalAboveFen: 1,
  autoApproveClaimsBelowFen: 100_000_000,
  payoutSchedule: '24h',
  voucherValidity: '30d',
};

beforeAll(async () => {
  const taskQueue = uniqueTaskQueue(import.meta.url);
  [worker, api] = await Promise.all([startTestWorker({ taskQueue }), startTestApi({ taskQueue })]);
  [first, second] = await Promise.all([givenAdmin(api), givenAdmin(api)]);
  lab = await givenListedProvider(api, {
    name: `上海四眼检测所 ${Date.now() % 10000}`,
    services: [{ standards: ['GB/T 2423.1', 'IEC 61000-4-2'], unitPriceFen: 30_000 }],
  });
  pool = new pg.Pool(postgresConfig(inject('services').databaseUrl, { max: 2, allowExitOnIdle: true }));
}, 120_000);

afterAll(async () => {
  await pool?.end();
  await api?.stop();
  await worker?.stop();
});

const claimOf = async (id: string, who: Caller = first) =>
  (await api.call<ClaimBody>('GET', `/api/v1/claims/${id}`, { token: who.token })).body;

const decideClaim = (id: string, who: Caller, body: object) =>
  api.call<ClaimBody>('POST', `/api/v1/claims/${id}/decision`, { token: who.token, body });

const decideApproval = (id: string, who: Caller, body: object = { decision: 'APPROVE' }) =>
  api.call<ApprovalBody>('POST', `/api/v1/approvals/${id}/decision`, { token: who.token, body });

const approval = async (id: string, who: Caller = second) =>
  (await api.call<ApprovalBody>('GET', `/api/v1/approvals/${id}`, { token: who.token })).body;

const auditOf = (entityType: string, entityId: string) =>
  api.db.auditEntry.findMany({ where: { entityType, entityId }, orderBy: { seq: 'asc' } });

const code = (res: { body: unknown }) => (res.body as Problem).code;

describe('a claim above the programme’s threshold', () => {
  it('is approved only by two different administrators, never automatically; both halves are in the audit log', async () => {
    const programme = await givenProgramme(api, first, { policy: TWO_ADMINS });
    const { claimId, amountFen } = await givenApprovedClaim(
      api,
      first,
      programme.id,
      lab,
      {},
      'PENDING_REVIEW',
    );
    const before = await expectLedgerBalanced(api, programme.id);
    expect(before.PAYABLE).toBe(0);

    const once = await decideClaim(claimId, first, { decision: 'APPROVE', note: '合同与报告一致' });
    expect(once.status, once.text).toBe(200);
    expect(once.body.status).toBe('PENDING_REVIEW');
    expect(once.body.secondApproval).toMatchObject({ required: true, thresholdFen: 1 });
    expect(once.body.secondApproval.firstApproval?.by.id).toBe(first.userId);
    expect((await expectLedgerBalanced(api, programme.id)).PAYABLE).toBe(0);

    // the same administrator again: refused, nothing changes
    const auditBefore = await api.db.auditEntry.count();
    const again = await decideClaim(claimId, first, { decision: 'APPROVE' });
    expect(again.status, again.text).toBe(409);
    expect(code(again)).toBe('FOUR_EYES_SAME_ADMIN');
    const viaQueue = await decideApproval(once.body.secondApproval.firstApproval!.approvalId, first);
    expect(code(viaQueue)).toBe('FOUR_EYES_SAME_ADMIN');
    expect(await api.db.auditEntry.count()).toBe(auditBefore);
    expect((await claimOf(claimId)).status).toBe('PENDING_REVIEW');

    // every administrator sees the pending first approval; the one who made it sees it as theirs
    const queue = (who: Caller) =>
      api.call<{ items: ApprovalBody[] }>(
        'GET',
        `/api/v1/approvals?kind=CLAIM_APPROVAL&programmeId=${programme.id}`,
        { token: who.token },
      );
    const seenBySecond = (await queue(second)).body.items;
    expect(seenBySecond).toHaveLength(1);
    expect(seenBySecond[0]).toMatchObject({
      status: 'PENDING',
      yours: false,
      claim: { id: claimId, amountFen },
    });
    expect((await queue(first)).body.items[0]!.yours).toBe(true);

    const twice = await decideClaim(claimId, second, { decision: 'APPROVE' });
    expect(twice.status, twice.text).toBe(200);
    expect(twice.body.status).toBe('APPROVED');
    expect(twice.body.secondApproval.firstApproval).toBeNull();
    expect((await expectLedgerBalanced(api, programme.id)).PAYABLE).toBe(amountFen);
    expect((await approval(seenBySecond[0]!.id)).status).toBe('APPROVED');

    const trail = await auditOf('claim', claimId);
    const firstHalf = trail.find((e) => e.action === 'CLAIM_FIRST_APPROVAL')!;
    const secondHalf = trail.find((e) => e.action === 'CLAIM_APPROVED')!;
    expect(firstHalf).toMatchObject({ actorId: first.userId, actorRole: 'ADMIN' });
    expect(firstHalf.requestId).toBeTruthy();
    expect(firstHalf.before).toMatchObject({ status: 'PENDING_REVIEW' });
    expect(secondHalf).toMatchObject({ actorId: second.userId });
    expect(secondHalf.requestId).toBeTruthy();
    expect(secondHalf.after).toMatchObject({ status: 'APPROVED', firstApprovalBy: first.userId });
    expect(trail.some((e) => e.action === 'CLAIM_AUTO_APPROVED')).toBe(false);
  }, 120_000);

  it('is rejected by one administrator alone, even the one who approved it first', async () => {
    const programme = await givenProgramme(api, first, { policy: TWO_ADMINS });
    const { claimId } = await givenApprovedClaim(api, first, programme.id, lab, {}, 'PENDING_REVIEW');
    const once = await decideClaim(claimId, first, { decision: 'APPROVE' });
    expect(once.body.status).toBe('PENDING_REVIEW');
    const rejected = await decideClaim(claimId, first, { decision: 'REJECT', reason: '报告与合同不符' });
    expect(rejected.status, rejected.text).toBe(200);
    expect(rejected.body.status).toBe('REJECTED');
    const proposal = await approval(once.body.secondApproval.firstApproval!.approvalId);
    expect(proposal).toMatchObject({ status: 'REJECTED', decidedBy: { id: first.userId } });
    const balances = await expectLedgerBalanced(api, programme.id);
    expect(balances.PAYABLE).toBe(0);
  }, 120_000);

  it('lapses when the second administrator does not come in time: the next approval is a first one again', async () => {
    const programme = await givenProgramme(api, first, {
      policy: { ...TWO_ADMINS, approvalsExpireAfter: '3s' },
    });
    const { claimId } = await givenApprovedClaim(api, first, programme.id, lab, {}, 'PENDING_REVIEW');
    const once = await decideClaim(claimId, first, { decision: 'APPROVE' });
    const lapsed = once.body.secondApproval.firstApproval!;
    await until(
      'the first approval expired',
      async () => (await approval(lapsed.approvalId)).status === 'EXPIRED',
    );

    const late = await decideApproval(lapsed.approvalId, second);
    expect(late.status, late.text).toBe(409);
    expect(code(late)).toBe('APPROVAL_EXPIRED');

    const anew = await decideClaim(claimId, second, { decision: 'APPROVE' });
    expect(anew.status, anew.text).toBe(200);
    expect(anew.body.status).toBe('PENDING_REVIEW');
    expect(anew.body.secondApproval.firstApproval?.by.id).toBe(second.userId);
    // the first administrator may now approve as the second
    const done = await decideClaim(claimId, first, { decision: 'APPROVE' });
    expect(done.body.status).toBe('APPROVED');
    expect((await auditOf('claim', claimId)).map((e) => e.action)).toContain('CLAIM_FIRST_APPROVAL_EXPIRED');
  }, 120_000);
});

describe('a claim at or below the threshold', () => {
  it('needs one administrator', async () => {
    const programme = await givenProgramme(api, first, {
      policy: { autoApproveClaimsBelowFen: 0, voucherValidity: '30d' },
    });
    const { claimId } = await givenApprovedClaim(api, first, programme.id, lab, {}, 'PENDING_REVIEW');
    const claim = await claimOf(claimId);
    expect(claim.secondApproval).toMatchObject({
      required: false,
      thresholdFen: 5_000_000,
      firstApproval: null,
    });
    const res = await decideClaim(claimId, first, { decision: 'APPROVE' });
    expect(res.status, res.text).toBe(200);
    expect(res.body.status).toBe('APPROVED');
  }, 120_000);
});

describe('a payout run outside the schedule', () => {
  it('is a proposal one administrator cannot approve alone; a second one starts it', async () => {
    const programme = await givenProgramme(api, first, { policy: TWO_ADMINS });
    const { claimId } = await givenApprovedClaim(api, first, programme.id, lab, {}, 'PENDING_REVIEW');
    await decideClaim(claimId, first, { decision: 'APPROVE' });
    await decideClaim(claimId, second, { decision: 'APPROVE' });

    const proposed = await api.call<ApprovalBody>('POST', `/api/v1/programs/${programme.id}/payout-runs`, {
      token: first.token,
    });
    expect(proposed.status, proposed.text).toBe(202);
    expect(proposed.body).toMatchObject({ kind: 'PAYOUT_RUN', status: 'PENDING', yours: true });
    expect(proposed.body.payoutRun).toMatchObject({ claims: 1, claimIds: [claimId] });

    // it waits in the second administrator's work list, not in the proposer's
    const worklist = async (who: Caller) =>
      (
        await api.call<{ items: { kind: string; id: string; awaiting: { action: string } }[] }>(
          'GET',
          '/api/v1/worklist',
          { token: who.token },
        )
      ).body.items.filter((item) => item.id === proposed.body.id);
    expect(await worklist(second)).toMatchObject([
      { kind: 'APPROVAL', awaiting: { action: 'APPROVE_PROPOSAL' } },
    ]);
    expect(await worklist(first)).toEqual([]);

    const own = await decideApproval(proposed.body.id, first);
    expect(own.status, own.text).toBe(409);
    expect(code(own)).toBe('FOUR_EYES_SAME_ADMIN');
    const twice = await api.call('POST', `/api/v1/programs/${programme.id}/payout-runs`, {
      token: second.token,
    });
    expect(twice.status, twice.text).toBe(409);
    expect(code(twice)).toBe('APPROVAL_ALREADY_PENDING');
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await api.db.payoutBatch.count({ where: { programmeId: programme.id } })).toBe(0);
    expect((await approval(proposed.body.id)).status).toBe('PENDING');

    const approved = await decideApproval(proposed.body.id, second);
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body).toMatchObject({ status: 'APPROVED', decidedBy: { id: second.userId } });
    await until('the claim paid', async () => (await claimOf(claimId)).status === 'PAID', 120_000);

    const trail = await auditOf('approval', proposed.body.id);
    expect(trail.map((e) => [e.action, e.actorId])).toEqual([
      ['APPROVAL_PROPOSED', first.userId],
      ['APPROVAL_APPROVED', second.userId],
    ]);
    expect(trail.every((e) => e.requestId)).toBe(true);
    expect(trail[1]!.before).toMatchObject({ status: 'PENDING' });
    expect(trail[1]!.after).toMatchObject({ status: 'APPROVED' });
  }, 240_000);

  it('is rejected by another administrator with a reason, withdrawn by its proposer only, and expires', async () => {
    const programme = await givenProgramme(api, first, {
      policy: { payoutSchedule: '24h', approvalsExpireAfter: '3s' },
    });
    const path = `/api/v1/programs/${programme.id}/payout-runs`;

    const one = await api.call<ApprovalBody>('POST', path, { token: first.token });
    const rejected = await decideApproval(one.body.id, second, {
      decision: 'REJECT',
      reason: '月底统一支付',
    });
    expect(rejected.body).toMatchObject({ status: 'REJECTED', reason: '月底统一支付' });
    const decided = await decideApproval(one.body.id, second);
    expect(code(decided)).toBe('APPROVAL_ALREADY_DECIDED');
    const noReason = await decideApproval(one.body.id, second, { decision: 'REJECT' });
    expect(noReason.status).toBe(400);

    const two = await api.call<ApprovalBody>('POST', path, { token: first.token });
    const notTheirs = await api.call('POST', `/api/v1/approvals/${two.body.id}/withdrawal`, {
      token: second.token,
    });
    expect(notTheirs.status, notTheirs.text).toBe(403);
    const withdrawn = await api.call<ApprovalBody>('POST', `/api/v1/approvals/${two.body.id}/withdrawal`, {
      token: first.token,
    });
    expect(withdrawn.body.status).toBe('WITHDRAWN');

    const three = await api.call<ApprovalBody>('POST', path, { token: first.token });
    expect(three.status, three.text).toBe(202);
    await until('the proposal expired', async () => (await approval(three.body.id)).status === 'EXPIRED');
    const late = await decideApproval(three.body.id, second);
    expect(late.status).toBe(409);
    expect(code(late)).toBe('APPROVAL_EXPIRED');
    // an expired proposal does not block the next one
    const four = await api.call<ApprovalBody>('POST', path, { token: second.token });
    expect(four.status, four.text).toBe(202);
    expect((await approval(three.body.id)).status).toBe('EXPIRED');
    expect(await api.db.payoutBatch.count({ where: { programmeId: programme.id } })).toBe(0);

    // a page at a time: the pending one first, then the rest newest first
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: ApprovalBody[]; nextCursor: string | null } } = await api.call(
        'GET',
        `/api/v1/approvals?programmeId=${programme.id}&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        { token: second.token },
      );
      seen.push(...page.body.items.map((a) => `${a.id}:${a.status}`));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([
      `${four.body.id}:PENDING`,
      `${three.body.id}:EXPIRED`,
      `${two.body.id}:WITHDRAWN`,
      `${one.body.id}:REJECTED`,
    ]);
  }, 60_000);
});

describe('a change of a programme’s budget', () => {
  const propose = (programmeId: string, who: Caller, newBudgetFen: number) =>
    api.call<ApprovalBody>('POST', `/api/v1/programs/${programmeId}/budget-changes`, {
      token: who.token,
      body: { newBudgetFen, reason: '追加年度预算' },
    });

  it('is applied to AVAILABLE only when a second administrator approves it', async () => {
    const programme = await givenProgramme(api, first, { budgetFen: 1_000_000 });
    const proposed = await propose(programme.id, first, 1_500_000);
    expect(proposed.status, proposed.text).toBe(202);
    expect(proposed.body.budgetChange).toMatchObject({
      budgetBeforeFen: 1_000_000,
      newBudgetFen: 1_500_000,
      deltaFen: 500_000,
      availableFen: 1_000_000,
    });
    const own = await decideApproval(proposed.body.id, first);
    expect(code(own)).toBe('FOUR_EYES_SAME_ADMIN');
    expect((await api.deps.repos.programmes.findById(programme.id))!.budgetFen).toBe(1_000_000);

    const approved = await decideApproval(proposed.body.id, second);
    expect(approved.status, approved.text).toBe(200);
    expect((await api.deps.repos.programmes.findById(programme.id))!.budgetFen).toBe(1_500_000);
    expect((await expectLedgerBalanced(api, programme.id)).AVAILABLE).toBe(1_500_000);

    const changed = await auditOf('programme', programme.id);
    expect(changed.find((e) => e.action === 'PROGRAMME_BUDGET_CHANGED')).toMatchObject({
      actorId: second.userId,
      before: { budgetFen: 1_000_000, availableFen: 1_000_000 },
      after: { budgetFen: 1_500_000, availableFen: 1_500_000, proposedBy: first.userId },
    });
    const trail = await auditOf('approval', proposed.body.id);
    expect(trail.map((e) => [e.action, e.actorId])).toEqual([
      ['APPROVAL_PROPOSED', first.userId],
      ['APPROVAL_APPROVED', second.userId],
    ]);
  });

  it('refuses a decrease beyond AVAILABLE when proposed, and again when approved after AVAILABLE fell', async () => {
    const programme = await givenProgramme(api, first, { budgetFen: 2_000_000 });
    await givenApprovedVoucher(api, first, await givenSme(api), programme.id, 1_000_000);

    const tooMuch = await propose(programme.id, first, 500_000);
    expect(tooMuch.status, tooMuch.text).toBe(409);
    expect(tooMuch.body).toMatchObject({
      code: 'BUDGET_DECREASE_EXCEEDS_AVAILABLE',
      details: { budgetFen: 2_000_000, decreaseFen: 1_500_000, availableFen: 1_000_000 },
    });

    const proposed = await propose(programme.id, first, 1_200_000);
    expect(proposed.status, proposed.text).toBe(202);
    await givenApprovedVoucher(api, second, await givenSme(api), programme.id, 500_000);

    const refused = await decideApproval(proposed.body.id, second);
    expect(refused.status, refused.text).toBe(409);
    expect(refused.body).toMatchObject({
      code: 'BUDGET_DECREASE_EXCEEDS_AVAILABLE',
      details: { budgetFen: 2_000_000, decreaseFen: 800_000, availableFen: 500_000 },
    });
    expect((await api.deps.repos.programmes.findById(programme.id))!.budgetFen).toBe(2_000_000);
    expect((await expectLedgerBalanced(api, programme.id)).AVAILABLE).toBe(500_000);
    expect((await approval(proposed.body.id)).status).toBe('PENDING');
  });

  it('refuses what is not a budget, naming the field', async () => {
    const programme = await givenProgramme(api, first, { budgetFen: 1_000_000 });
    const same = await propose(programme.id, first, 1_000_000);
    expect(same.status).toBe(400);
    expect(same.text).toContain('newBudgetFen');
    const zero = await propose(programme.id, first, 0);
    expect(zero.status).toBe(400);
    expect(zero.text).toContain('newBudgetFen');
  });

  it('never overspends when a decrease is approved while applications are approved', async () => {
    const budgetFen = 1_000_000;
    const programme = await givenProgramme(api, first, { budgetFen });
    const apps = await Promise.all(
      Array.from({ length: 8 }, async () =>
        givenApplication(api, await givenSme(api), programme.id, 100_000),
      ),
    );
    const proposed = await propose(programme.id, first, 500_000);
    expect(proposed.status, proposed.text).toBe(202);

    let done = false;
    const seen: unknown[] = [];
    const watch = (async () => {
      while (!done) {
        seen.push(...(await ledgerProblems(pool, [programme.id])));
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const [decrease, ...approvals] = await Promise.all([
      decideApproval(proposed.body.id, second),
      ...apps.map((app, i) => decide(api, i % 2 ? first : second, app.id, { decision: 'APPROVE' })),
    ]);
    done = true;
    await watch;
    expect(seen).toEqual([]);

    const approved = approvals.filter((r) => r.status === 200).length;
    for (const r of approvals) expect([200, 422]).toContain(r.status);
    const balances = await expectLedgerBalanced(api, programme.id);
    const budget = (await api.deps.repos.programmes.findById(programme.id))!.budgetFen;
    expect(balances.RESERVED).toBe(approved * 100_000);
    if (decrease.status === 200) {
      expect(budget).toBe(500_000);
      expect(approved).toBeLessThanOrEqual(5);
    } else {
      expect(code(decrease)).toBe('BUDGET_DECREASE_EXCEEDS_AVAILABLE');
      expect(budget).toBe(budgetFen);
      expect(approved).toBeGreaterThan(5);
    }
    expect(balances.AVAILABLE).toBe(budget - approved * 100_000);
  }, 120_000);
});
