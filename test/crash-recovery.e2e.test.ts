import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort, waitFor } from '../scripts/lib/ports';
import { httpCaller, responseChecker, startTestApi, type TestApi } from './support/api';
import {
  expectLedgerBalanced,
  givenAdmin,
  givenApplication,
  givenProgramme,
  givenSme,
  until,
} from './support/scenarios';
import { mailbox } from './support/mailbox';
import { kill, killAll, launch as launchProcess } from './support/processes';
import { uniqueTaskQueue } from './support/worker';

const services = inject('services');
const taskQueue = uniqueTaskQueue(import.meta.url);
let api: TestApi;

const launch = (entry: 'worker/main.ts' | 'api/main.ts', extra: Record<string, string> = {}) =>
  launchProcess(entry, taskQueue, { IDEMPOTENCY_ABANDONED_AFTER_SECONDS: '2', ...extra });

const mailBeingSent = (recipients: string[]) =>
  api.db.notification.count({ where: { status: 'PENDING', recipient: { in: recipients } } });

/**
 * Mail in the middle of its SMTP hand-off is the one step that is at-least-once: kill outside it.
 * Only this test's recipients count: other files running at the same time send mail of their own.
 */
async function killOutsideMailHandOff(child: ChildProcess, recipients: string[]): Promise<void> {
  await until(
    'no mail of this test in the middle of being sent',
    async () => (await mailBeingSent(recipients)) === 0,
    30_000,
  );
  await kill(child);
}

beforeAll(async () => {
  api = await startTestApi({ taskQueue });
});
afterAll(async () => {
  await killAll();
  await api?.stop();
});

describe('crashes in the middle of journeys', () => {
  it('loses nothing and does nothing twice when the worker and the API are killed and restarted', async () => {
    let worker = launch('worker/main.ts');
    const admin = await givenAdmin(api);
    const programme = await givenProgramme(api, admin, {
      budgetFen: 100_000_000,
      // the warning falls due well after both restarts, however slowly a loaded machine brings them back:
      // a warning that finds the voucher already expired is rightly never sent
      policy: { voucherValidity: '45s', expiryWarnings: ['15s'] },
    });

    const smes = await Promise.all(Array.from({ length: 10 }, () => givenSme(api)));
    const recipients = [admin.email, ...smes.map((sme) => sme.email)];
    const applications = await Promise.all(
      smes.map((sme, i) => givenApplication(api, sme, programme.id, 100_000 + i * 1000)),
    );

    // approvals go through an API process of their own, which dies mid-flight
    const apiPort = await freePort();
    const apiProcess = launch('api/main.ts', { API_PORT: String(apiPort) });
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    await waitFor('the API process', async () => (await fetch(`${apiUrl}/healthz`)).ok);
    const call = httpCaller(apiUrl, responseChecker(api.document));
    const keys = applications.map(() => randomUUID());
    const approve = (i: number) =>
      call('POST', `/api/v1/applications/${applications[i]!.id}/decision`, {
        token: admin.token,
        body: { decision: 'APPROVE' },
        headers: { 'idempotency-key': keys[i]! },
        unchecked: true,
      }).catch((error: unknown) => ({ status: 0, error }));
    const firstTry = Promise.all(applications.map((_, i) => approve(i)));

    // the worker dies while approvals are under way, then the API too
    await until(
      'some vouchers issued',
      async () => (await api.db.voucher.count({ where: { programmeId: programme.id } })) >= 2,
    );
    await killOutsideMailHandOff(worker, recipients);
    await new Promise((r) => setTimeout(r, 1000));
    await kill(apiProcess);
    await firstTry;
    worker = launch('worker/main.ts');
    launch('api/main.ts', { API_PORT: String(apiPort) }); // stopped with the others after the test
    await waitFor('the restarted API', async () => (await fetch(`${apiUrl}/healthz`)).ok);
    await new Promise((r) => setTimeout(r, 2100)); // claims of the dead API instance are now abandoned

    // clients retry with their Idempotency-Keys: each approval happened once, whichever run made it
    // (a process still catching up answers 503 PROCESS_BUSY: handed over, it may still take effect)
    const retries = await Promise.all(applications.map((_, i) => approve(i)));
    for (const retry of retries) expect([200, 409, 503]).toContain(retry.status);
    await until(
      'every application approved',
      async () =>
        (await api.db.application.count({
          where: { programmeId: programme.id, status: 'APPROVED' },
        })) === applications.length,
    );

    // and again while the vouchers wait for their warnings and expiry
    await new Promise((r) => setTimeout(r, 1500));
    await killOutsideMailHandOff(worker, recipients);
    await new Promise((r) => setTimeout(r, 3000));
    launch('worker/main.ts');

    await until(
      'every voucher expired',
      async () =>
        (await api.db.voucher.count({ where: { programmeId: programme.id, status: 'EXPIRED' } })) ===
        applications.length,
      90_000,
    );

    // one voucher per application, one ledger entry per movement
    const vouchers = await api.db.voucher.findMany({ where: { programmeId: programme.id } });
    expect(vouchers).toHaveLength(applications.length);
    expect(new Set(vouchers.map((v) => v.applicationId)).size).toBe(applications.length);
    const entries = await api.deps.repos.ledger.entries(programme.id);
    expect(entries.filter((e) => e.movement === 'RESERVE')).toHaveLength(applications.length);
    expect(entries.filter((e) => e.movement === 'RELEASE')).toHaveLength(applications.length);
    expect(entries).toHaveLength(2 * applications.length);
    expect(await expectLedgerBalanced(api, programme.id)).toMatchObject({
      AVAILABLE: 100_000_000,
      RESERVED: 0,
    });

    // one audit entry per step
    for (const action of [
      'APPLICATION_APPROVED',
      'VOUCHER_ISSUED',
      'VOUCHER_EXPIRED',
      'EXPIRY_WARNING_SENT',
    ]) {
      const count = await api.db.auditEntry.count({
        where: { action, entityId: { in: [...applications.map((a) => a.id), ...vouchers.map((v) => v.id)] } },
      });
      expect(count, action).toBe(applications.length);
    }

    // one e-mail per event: issued, warned, expired, for every SME
    const mail = mailbox(services.mailApiUrl);
    for (const [i, sme] of smes.entries()) {
      const voucher = vouchers.find((v) => v.applicationId === applications[i]!.id)!;
      const received = await mail.waitFor(
        (m) => m.to.includes(sme.email) && m.subject.includes(voucher.code),
        { count: 3 },
      );
      await new Promise((r) => setTimeout(r, 100));
      const all = await mail.to(sme.email);
      expect(
        all
          .filter((m) => m.subject.includes(voucher.code))
          .map((m) => m.subject)
          .sort(),
        sme.email,
      ).toHaveLength(3);
      expect(new Set(received.map((m) => m.messageId)).size).toBe(3);
    }
    expect(await mailBeingSent(recipients)).toBe(0);
  }, 180_000);
});
