import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPayoutActivities } from '../activities/payouts';
import { payoutBatch } from '../workflows/payout-batch';
import { startTestApi, type TestApi } from './support/api';
import { givenApprovedClaim } from './support/journeys';
import { mailbox } from './support/mailbox';
import { kill, killAll, launch } from './support/processes';
import { givenListedProvider, type ProviderFixture } from './support/providers';
import { expectLedgerBalanced, givenAdmin, givenProgramme, until, type Caller } from './support/scenarios';
import { startTestWorker, uniqueTaskQueue, type TestWorkerHarness } from './support/worker';

const taskQueue = uniqueTaskQueue(import.meta.url);
let api: TestApi;
// an in-process harness, never running workflows here: its deps act as the dead worker did
let harness: TestWorkerHarness;
let admin: Caller;

beforeAll(async () => {
  api = await startTestApi({ taskQueue });
  harness = await startTestWorker({ taskQueue: `${taskQueue}-idle` });
  admin = await givenAdmin(api);
});
afterAll(async () => {
  await killAll();
  await harness?.stop();
  await api?.stop();
});

/** Two labs with two approved claims each, under a programme of their own. */
async function givenApprovedClaims() {
  const programme = await givenProgramme(api, admin, {
    budgetFen: 20_000_000,
    policy: { voucherValidity: '30d', dayLength: '1s', payoutSchedule: '24h' },
  });
  const labs: ProviderFixture[] = [];
  for (let i = 0; i < 2; i += 1) {
    labs.push(
      await givenListedProvider(api, {
        services: [{ standards: ['GB/T 2423.1', 'IEC 61000-4-2'], unitPriceFen: 30_000 + i * 5_000 }],
      }),
    );
  }
  const claims = [];
  for (const lab of labs)
    for (let i = 0; i < 2; i += 1)
      claims.push({ lab, ...(await givenApprovedClaim(api, admin, programme.id, lab)) });
  return { programmeId: programme.id, labs, claims };
}

async function expectPaidOnce(
  programmeId: string,
  labs: ProviderFixture[],
  claims: { lab: ProviderFixture; claimId: string; amountFen: number }[],
) {
  const total = claims.reduce((sum, c) => sum + c.amountFen, 0);
  for (const lab of labs) {
    const owed = claims.filter((c) => c.lab === lab).reduce((sum, c) => sum + c.amountFen, 0);
    const transfers = await api.db.gatewayTransfer.findMany({ where: { payeeName: lab.name } });
    expect(
      transfers.map((t) => Number(t.amountFen)),
      lab.name,
    ).toEqual([owed]);
  }
  const paid = await api.db.claim.findMany({ where: { id: { in: claims.map((c) => c.claimId) } } });
  expect(paid.map((c) => c.status)).toEqual(claims.map(() => 'PAID'));
  const entries = await api.deps.repos.ledger.entries(programmeId);
  expect(
    entries
      .filter((e) => e.movement === 'PAY')
      .map((e) => e.claimId)
      .sort(),
  ).toEqual(claims.map((c) => c.claimId).sort());
  expect(await expectLedgerBalanced(api, programmeId)).toMatchObject({ PAYABLE: 0, PAID: total });
}

describe('payout batches survive a worker that dies mid-batch', () => {
  it('pays each claim once when the bank executed a transfer the dead worker never recorded', async () => {
    let worker = launch('worker/main.ts', taskQueue);
    const { programmeId, labs, claims } = await givenApprovedClaims();
    await kill(worker);

    // the batch starts while no worker runs; then the dead worker's partial work is re-enacted:
    // it opened the batch, the bank executed one transfer, and it died before booking it
    const workflowId = `payout/${programmeId}-crash`;
    const handle = await api.deps.temporal.workflow.start(payoutBatch, {
      taskQueue,
      workflowId,
      args: [{ programmeId }],
    });
    const dead = createPayoutActivities(harness.deps);
    const { transfers } = await dead.openPayoutBatch({ programmeId, runKey: workflowId });
    expect(transfers).toHaveLength(2);
    const first = await api.db.payoutTransfer.findUniqueOrThrow({
      where: { id: transfers[0]!.transferId },
      include: { provider: true },
    });
    await harness.deps.paymentGateway.transfer({
      idempotencyKey: first.idempotencyKey,
      payeeCreditCode: first.provider.creditCode,
      payeeName: first.provider.name,
      amountFen: Number(first.amountFen),
      memo: 'executed by the bank before the crash',
    });

    worker = launch('worker/main.ts', taskQueue);
    const result = await handle.result();
    expect(result).toMatchObject({ transfers: 2, totalFen: claims.reduce((sum, c) => sum + c.amountFen, 0) });
    await expectPaidOnce(programmeId, labs, claims);
    for (const lab of labs)
      await mailbox(inject('services').mailApiUrl).waitFor(
        (m) => m.to.includes(lab.email) && m.subject.includes('【补贴到账通知】'),
      );

    // a later run finds nothing left to pay
    const again = await api.deps.temporal.workflow.execute(payoutBatch, {
      taskQueue,
      workflowId: `${workflowId}-again`,
      args: [{ programmeId }],
    });
    expect(again).toMatchObject({ transfers: 0, totalFen: 0 });
    await expectPaidOnce(programmeId, labs, claims);
    await kill(worker);
  }, 180_000);

  it('pays each claim once wherever a kill lands in a batch', async () => {
    let worker = launch('worker/main.ts', taskQueue);
    const { programmeId, labs, claims } = await givenApprovedClaims();

    const handle = await api.deps.temporal.workflow.start(payoutBatch, {
      taskQueue,
      workflowId: `payout/${programmeId}-kill`,
      args: [{ programmeId }],
    });
    await until(
      'the batch under way',
      async () => (await api.db.payoutBatch.count({ where: { programmeId } })) > 0,
      30_000,
    );
    await kill(worker);
    worker = launch('worker/main.ts', taskQueue);
    await handle.result();
    await expectPaidOnce(programmeId, labs, claims);
    const batches = await api.db.payoutBatch.findMany({ where: { programmeId } });
    expect(batches.map((b) => b.status)).toEqual(['COMPLETED']);
    await kill(worker);
  }, 180_000);
});
