import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_MATCHING_WEIGHTS } from '../config/matching';
import { loadEnv } from '../config/env';
import { addDays, localDate } from '../domain/calendar';
import { isValidCreditCode } from '../domain/credit-code';
import { POLICY_INDUSTRIES } from '../domain/enterprise';
import { providerWorkflowId, scopeViolations } from '../domain/provider';
import { provinceOf } from '../domain/region';
import { createMatchingRepository } from '../db/repositories/matching';
import { providerStateQuery } from '../workflows/provider-onboarding';
import { INDUSTRIES } from '../scripts/demo-catalog-data';
import { seedDemoUsers } from '../scripts/seed';
import { DEMO_LAB_EMAIL, demoCatalog, seedDemoCatalog, watchDemoProviders } from '../scripts/seed-catalog';
import { startTestWorker, uniqueTaskQueue, type TestWorkerHarness } from './support/worker';

let h: TestWorkerHarness;
let providerIds: string[];

beforeAll(async () => {
  h = await startTestWorker({ taskQueue: uniqueTaskQueue(import.meta.url) });
  await seedDemoUsers(h.db);
  const first = await seedDemoCatalog(h.db);
  providerIds = first.providerIds;
});
afterAll(async () => {
  await h?.stop();
});

describe('the demo catalog', () => {
  it('lists at least 50 verified providers across six provinces and the policy’s industries, once', async () => {
    expect(providerIds.length).toBeGreaterThanOrEqual(50);
    expect(await seedDemoCatalog(h.db)).toEqual({ created: 0, providerIds });

    const rows = await h.db.provider.findMany({
      where: { id: { in: providerIds } },
      include: { accreditations: true, services: true },
    });
    expect(rows).toHaveLength(providerIds.length);
    expect(new Set(rows.map((p) => provinceOf(p.regionCode)))).toEqual(
      new Set(['31', '32', '33', '34', '44', '37']),
    );
    for (const industry of Object.keys(POLICY_INDUSTRIES)) {
      expect(INDUSTRIES.map((i) => i.key)).toContain(industry);
    }
    for (const p of rows) {
      expect(p.status).toBe('LISTED');
      expect(isValidCreditCode(p.creditCode), p.creditCode).toBe(true);
      expect(p.accreditations.map((a) => a.kind).sort()).toEqual(['CMA', 'CNAS']);
      expect(p.accreditations.every((a) => a.expiresAt > new Date())).toBe(true);
      expect(scopeViolations(p.services, p.accreditations)).toEqual([]);
    }
    const standards = new Set(rows.flatMap((p) => p.services.flatMap((s) => s.standards)));
    for (const code of [
      'GB/T 2423.1',
      'GB 4943.1',
      'IEC 61000-4-2',
      'GB/T 3923.1',
      'GB/T 228.1',
      'GB/T 700',
      'GB 175',
      'GB/T 5121.1',
      'JJG 1036',
    ]) {
      expect(standards).toContain(code);
    }
    const lab = await h.db.user.findUniqueOrThrow({ where: { email: DEMO_LAB_EMAIL } });
    expect(lab.providerId).toBe(demoCatalog(localDate(new Date()))[0]!.id);
  });

  it('answers a realistic demand with ranked candidates', async () => {
    const matching = createMatchingRepository(h.db);
    const result = await matching.match({
      demand: {
        standards: ['GB/T 2423.1', 'IEC 61000-4-2'],
        sampleCount: 2,
        latestCompletionDate: addDays(localDate(new Date()), 45),
      },
      weights: DEFAULT_MATCHING_WEIGHTS,
      leadDays: 1,
      now: new Date(),
      limit: 5,
      nearMissLimit: 5,
    });
    expect(result.candidates.length).toBeGreaterThan(0);
    expect(result.candidates.filter((c) => providerIds.includes(c.providerId)).length).toBeGreaterThan(0);
    expect(result.candidates[0]!.components.map((c) => c.name)).toContain('price');
    expect(result.nearMisses.length).toBeGreaterThan(0);
  });

  it('watches the demo providers’ accreditations with their onboarding process', async () => {
    const services = inject('services');
    const env = loadEnv({ TEMPORAL_ADDRESS: services.temporalAddress, TEMPORAL_TASK_QUEUE: h.taskQueue });
    await watchDemoProviders(env, providerIds.slice(0, 2));
    await watchDemoProviders(env, providerIds.slice(0, 2));
    const handle = h.client.workflow.getHandle(providerWorkflowId(providerIds[0]!));
    await expect
      .poll(() => handle.query(providerStateQuery).then((s) => s?.status), { timeout: 15_000 })
      .toBe('LISTED');
    const { executions } = await h.client.workflowService.listWorkflowExecutions({
      namespace: 'default',
      query: `WorkflowId = '${providerWorkflowId(providerIds[0]!)}'`,
    });
    expect(executions).toHaveLength(1);
  });
});
