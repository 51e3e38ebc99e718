import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runDemo, type DemoResult } from '../scripts/demo';
import { seedDemoUsers } from '../scripts/seed';
import { startTestApi, type TestApi } from './support/api';
import { expectLedgerBalanced } from './support/scenarios';
import { startTestWorker, uniqueTaskQueue, type TestWorkerHarness } from './support/worker';

let api: TestApi;
let worker: TestWorkerHarness;

beforeAll(async () => {
  const taskQueue = uniqueTaskQueue(import.meta.url);
  worker = await startTestWorker({ taskQueue });
  api = await startTestApi({ taskQueue });
  // what `npm start` does before the demo can log in as the administrator
  await seedDemoUsers(api.db);
});
afterAll(async () => {
  await api?.stop();
  await worker?.stop();
});

describe('npm run demo', () => {
  it('runs a voucher from programme to payout through the API, and can run again', async () => {
    const runs: { result: DemoResult; lines: string[] }[] = [];
    for (let i = 0; i < 2; i += 1) {
      const lines: string[] = [];
      runs.push({
        // the demo confirms its users' addresses from the mail the catcher caught, as `npm start` runs one
        result: await runDemo(api.url, (line) => lines.push(line), {
          mailUrl: inject('services').mailApiUrl,
        }),
        lines,
      });
    }

    for (const { result, lines } of runs) {
      // 2 samples at 1,500.00 CNY, confirmed at 2,800.00 CNY: half of it is the subsidy
      expect(result).toMatchObject({ quotedPriceFen: 280_000, subsidyFen: 140_000, copaymentFen: 140_000 });
      expect(result.transferReference).toMatch(/^GW-/);
      expect(result.ledger).toEqual({
        accounts: { AVAILABLE: 499_000_000, RESERVED: 860_000, COMMITTED: 0, PAYABLE: 0, PAID: 140_000 },
        totalFen: 500_000_000,
        balanced: true,
      });
      expect(await expectLedgerBalanced(api, result.programmeId)).toEqual(result.ledger.accounts);
      expect(result.bookingTimeline).toEqual([
        'BOOKING_REQUESTED',
        'BOOKING_CONFIRMED',
        'SAMPLE_RECEIVED',
        'REPORT_UPLOADED',
        'REPORT_ACCEPTED',
        'COPAYMENT_RECORDED',
        'CLAIM_CREATED',
        'CLAIM_AUTO_APPROVED',
      ]);
      const claim = await api.db.claim.findUniqueOrThrow({ where: { id: result.claimId } });
      expect(claim).toMatchObject({ status: 'PAID', autoApproved: true, providerId: result.providerId });

      // each step is a numbered line, money in CNY, and the reader is told where to look
      const steps = lines.filter((l) => /^\s?\d+\. /.test(l));
      expect(steps.map((l) => l.slice(4, 16).trim())).toEqual([
        'programme',
        'provider',
        'provider',
        'SME',
        'application',
        'voucher',
        'matching',
        'booking',
        'booking',
        'booking',
        'report',
        'report',
        'co-payment',
        'claim',
        'four eyes',
        'payout',
        'audit',
        'ledger',
      ]);
      expect(lines.join('\n')).toContain(`claim PAID: 1,400.00 CNY`);
      expect(lines.join('\n')).toContain(result.transferReference);
      expect(lines.join('\n')).toContain(`booking%2F${result.bookingId}`);
    }

    // fresh users and a fresh lab each time: the second run does not trip over the first
    expect(new Set(runs.map((r) => r.result.providerId)).size).toBe(2);
    for (const { result } of runs) {
      const lab = await api.db.provider.findUniqueOrThrow({ where: { id: result.providerId } });
      const transfers = await api.db.gatewayTransfer.findMany({
        where: { payeeCreditCode: lab.creditCode },
      });
      expect(transfers.map((t) => Number(t.amountFen))).toEqual([140_000]);
    }
  });
});
