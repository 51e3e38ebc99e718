import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Problem } from '../api/http/problem';
import { ledgerViolations } from '../domain/ledger';
import { startTestApi, type TestApi } from './support/api';
import {
  decide,
  expectLedgerBalanced,
  givenAdmin,
  givenApplication,
  givenProgramme,
  givenSme,
  type Caller,
} from './support/scenarios';
import { startTestWorker, uniqueTaskQueue, type TestWorkerHarness } from './support/worker';

let api: TestApi;
let worker: TestWorkerHarness;

beforeAll(async () => {
  const taskQueue = uniqueTaskQueue(import.meta.url);
  worker = await startTestWorker({ taskQueue });
  api = await startTestApi({ taskQueue });
});
afterAll(async () => {
  await api?.stop();
  await worker?.stop();
});

/** Reads the ledger over and over while `work` runs; returns every violation seen. */
async function watchLedger(
  programmeId: string,
  budgetFen: number,
  work: Promise<unknown>,
): Promise<string[]> {
  const seen: string[] = [];
  let done = false;
  void work.finally(() => (done = true));
  while (!done) {
    const balances = await api.deps.repos.ledger.balances(programmeId);
    seen.push(...ledgerViolations(balances, budgetFen));
    await new Promise((r) => setTimeout(r, 5));
  }
  return seen;
}

async function applications(programmeId: string, amounts: number[]) {
  const smes = await Promise.all(amounts.map(() => givenSme(api)));
  return Promise.all(smes.map((sme, i) => givenApplication(api, sme, programmeId, amounts[i])));
}

describe('many administrators approving at once against a budget that covers only some', () => {
  it('approves exactly the ones that fit; the accounts always sum to the budget and none goes negative', async () => {
    const admins: Caller[] = await Promise.all(Array.from({ length: 5 }, () => givenAdmin(api)));
    const budgetFen = 1_000_000;
    const programme = await givenProgramme(api, admins[0]!, { budgetFen });
    const apps = await applications(
      programme.id,
      Array.from({ length: 25 }, () => 100_000),
    );

    const approvals = Promise.all(
      apps.map((app, i) => decide(api, admins[i % admins.length]!, app.id, { decision: 'APPROVE' })),
    );
    const violations = await watchLedger(programme.id, budgetFen, approvals);
    const results = await approvals;

    expect(violations).toEqual([]);
    expect(results.filter((r) => r.status === 200)).toHaveLength(10);
    const refused = results.filter((r) => r.status !== 200);
    expect(refused).toHaveLength(15);
    for (const r of refused) {
      expect(r.status).toBe(422);
      expect((r.body as unknown as Problem).code).toBe('BUDGET_EXHAUSTED');
    }
    expect(await expectLedgerBalanced(api, programme.id)).toEqual({
      AVAILABLE: 0,
      RESERVED: 1_000_000,
      COMMITTED: 0,
      PAYABLE: 0,
      PAID: 0,
    });
    expect(await api.db.voucher.count({ where: { programmeId: programme.id } })).toBe(10);
    expect(await api.db.ledgerEntry.count({ where: { programmeId: programme.id } })).toBe(10);
    // refused applications stay with the reviewers, untouched
    const pending = await api.db.application.count({
      where: { programmeId: programme.id, status: 'UNDER_REVIEW' },
    });
    expect(pending).toBe(15);
  });

  it('with amounts of every size, never leaves room for an approval it refused', async () => {
    const admins: Caller[] = await Promise.all(Array.from({ length: 4 }, () => givenAdmin(api)));
    const budgetFen = 2_345_600;
    const programme = await givenProgramme(api, admins[0]!, { budgetFen });
    const amounts = [
      410_000, 90_000, 1_200_000, 333_300, 50_000, 700_000, 999_900, 123_400, 640_000, 275_500, 80_000,
      1_500_000,
    ];
    const apps = await applications(programme.id, amounts);

    const approvals = Promise.all(
      apps.map((app, i) => decide(api, admins[i % admins.length]!, app.id, { decision: 'APPROVE' })),
    );
    const violations = await watchLedger(programme.id, budgetFen, approvals);
    const results = await approvals;
    expect(violations).toEqual([]);

    const approved = amounts.filter((_, i) => results[i]!.status === 200);
    const refused = amounts.filter((_, i) => results[i]!.status !== 200);
    const balances = await expectLedgerBalanced(api, programme.id);
    expect(balances.RESERVED).toBe(approved.reduce((a, b) => a + b, 0));
    expect(balances.AVAILABLE).toBe(budgetFen - balances.RESERVED);
    for (const amount of refused) expect(amount).toBeGreaterThan(balances.AVAILABLE);
    expect(results.every((r) => r.status === 200 || r.status === 422)).toBe(true);
  });
});
