import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Problem } from '../api/http/problem';
import { nextPayoutTimes, payoutScheduleProblem } from '../domain/payout-schedule';
import { PolicySchema } from '../domain/policy';
import { payoutScheduleId, specOf } from '../infra/payout-schedules';
import { programmeSetup } from '../workflows/programme-setup';
import { REFUSAL_TYPE } from '../workflows/refusal';
import { startTestApi, type TestApi } from './support/api';
import { givenAdmin, type Caller } from './support/scenarios';
import { startTestWorker, uniqueTaskQueue, type TestWorkerHarness } from './support/worker';

/**
 * A payout schedule is checked at the edge with cron-parser and a subset every cron reader shares;
 * here, against the real Temporal server, what the edge accepts Temporal's Schedules accept too,
 * and what Temporal still refuses fails the programme's setup at once.
 */
let worker: TestWorkerHarness;
let api: TestApi;
let admin: Caller;

/** Whether Temporal creates a Schedule with this spec (paused, then removed). */
async function temporalAccepts(schedule: string): Promise<true | string> {
  try {
    const handle = await worker.client.schedule.create({
      scheduleId: `probe/${randomUUID()}`,
      spec: specOf(schedule),
      action: { type: 'startWorkflow', workflowType: 'payoutBatch', taskQueue: worker.taskQueue, args: [] },
      state: { paused: true },
    });
    await handle.delete();
    return true;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * The next action times Temporal gives for a running Schedule with this spec. Its action starts a
 * workflow on a task queue no worker polls, and it is removed at once.
 */
async function temporalNextTimes(schedule: string): Promise<number[]> {
  const handle = await worker.client.schedule.create({
    scheduleId: `probe/${randomUUID()}`,
    spec: specOf(schedule),
    action: {
      type: 'startWorkflow',
      workflowType: 'payoutBatch',
      taskQueue: `nobody/${randomUUID()}`,
      args: [],
    },
  });
  try {
    const { info } = await handle.describe();
    expect(info.nextActionTimes.length, schedule).toBeGreaterThan(0);
    return info.nextActionTimes.map((t) => t.getTime());
  } finally {
    await handle.delete();
  }
}

/** Five-field cron expressions: each field mostly within its range, sometimes just outside it; names where cron allows them. */
function cronExpression() {
  const fieldOf = (min: number, max: number, names: string[] = []) => {
    const value = fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min, max }).map(String) },
      { weight: 1, arbitrary: fc.integer({ min: max + 1, max: max + 5 }).map(String) },
      ...(names.length ? [{ weight: 3, arbitrary: fc.constantFrom(...names) }] : []),
    );
    const atom = fc.oneof(
      { weight: 3, arbitrary: value },
      { weight: 1, arbitrary: fc.tuple(value, value).map(([a, b]) => `${a}-${b}`) },
      {
        weight: 1,
        arbitrary: fc
          .tuple(fc.constantFrom('*', String(min)), fc.integer({ min: 1, max }))
          .map(([a, n]) => `${a}/${n}`),
      },
    );
    return fc.oneof(
      { weight: 2, arbitrary: fc.constant('*') },
      {
        weight: 3,
        arbitrary: fc.array(atom, { minLength: 1, maxLength: 3 }).map((atoms) => atoms.join(',')),
      },
    );
  };
  return fc
    .tuple(
      fieldOf(0, 59),
      fieldOf(0, 23),
      fieldOf(1, 31),
      fieldOf(1, 12, ['jan', 'FEB', 'mar', 'Dec']),
      fieldOf(0, 7, ['mon', 'FRI', 'sun']),
    )
    .map((fields) => fields.join(' '));
}

beforeAll(async () => {
  const taskQueue = uniqueTaskQueue(import.meta.url);
  // programmes without a schedule of their own get one Temporal refuses: the setup must fail at once
  worker = await startTestWorker({ taskQueue, deps: { defaultPayoutSchedule: '0 2 30 2 * 2027 2028' } });
  api = await startTestApi({ taskQueue, env: { PROCESS_ANSWER_WITHIN: '20s' } });
  admin = await givenAdmin(api);
});
afterAll(async () => {
  await api?.stop();
  await worker?.stop();
});

const ACCEPTED = [
  '0 2 * * *',
  '0 2 1 * *',
  '*/15 * * * *',
  '0 9-17/2 * * 1-5',
  '0 2 * * mon-fri',
  '0 2 1 jan,jul *',
  '0 2 * * SUN',
  '0 0 1 */3 *',
  '1s',
  '24h',
  '30d',
];
const REFUSED = [
  '0 2 * *', // four fields
  '0 24 * * *', // no hour 24
  '60 * * * *',
  '*/0 * * * *',
  '0 2 * * 8',
  '5-1 * * * *',
  '0 2 ? * *',
  '0 2 L * *',
  '0 2 1W * *',
  'H 2 * * *',
  'bogus',
  '500ms', // Temporal's shortest interval is a second
];

describe('payout schedules', () => {
  it('the edge accepts, Temporal accepts; what both refuse is refused', async () => {
    for (const schedule of ACCEPTED) {
      expect(payoutScheduleProblem(schedule), schedule).toBeNull();
      expect(await temporalAccepts(schedule), schedule).toBe(true);
    }
    for (const schedule of REFUSED) {
      expect(payoutScheduleProblem(schedule), schedule).not.toBeNull();
      expect(await temporalAccepts(schedule), schedule).not.toBe(true);
    }
  });

  it("the next payout times computed here are those Temporal's Schedule gives", async () => {
    const random = fc.sample(
      cronExpression().filter((e) => payoutScheduleProblem(e) === null),
      {
        numRuns: 40,
        seed: 7,
      },
    );
    for (const schedule of [...ACCEPTED, '2h', '7d', '90m', ...random]) {
      const before = new Date();
      const temporal = await temporalNextTimes(schedule);
      // a short schedule may have run between the two readings: ours then begins a few runs earlier
      const ours = nextPayoutTimes(schedule, before, temporal.length + 4).map((t) => t.getTime());
      const from = ours.indexOf(temporal[0]!);
      expect(
        from,
        `${schedule}: ${new Date(temporal[0]!).toISOString()} not among ours`,
      ).toBeGreaterThanOrEqual(0);
      expect(from, schedule).toBeLessThanOrEqual(3);
      expect(ours.slice(from, from + temporal.length), schedule).toEqual(temporal);
    }
  });

  it('refuses what other readers would read differently, although Temporal takes it', async () => {
    // six or seven fields: seconds for cron-parser, a year for Temporal; both days restricted: OR for
    // classic cron, AND for Temporal; macros and `#` are not in every reader
    for (const schedule of ['0 2 * * * *', '0 2 * * * 2027', '0 2 1 * mon', '@daily', '0 2 * * 1#2']) {
      expect(payoutScheduleProblem(schedule), schedule).not.toBeNull();
      expect(await temporalAccepts(schedule), schedule).toBe(true);
    }
  });

  it('whatever cron expression the edge accepts, Temporal accepts', async () => {
    const expression = cronExpression();
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(expression, async (schedule) => {
        if (payoutScheduleProblem(schedule) !== null) return;
        accepted += 1;
        expect(await temporalAccepts(schedule), schedule).toBe(true);
      }),
      { numRuns: 600 },
    );
    expect(accepted).toBeGreaterThan(40);
  });

  it('POST /programs refuses a schedule no cron reader can read: 400 naming policy.payoutSchedule, nothing created', async () => {
    const before = await api.db.programme.count();
    for (const payoutSchedule of ['0 2 * *', '0 25 * * *', '0 2 * * * *', '0 2 1 * mon', '500ms']) {
      const res = await api.call<Problem>('POST', '/api/v1/programs', {
        token: admin.token,
        body: {
          name: '上海市中小企业检测券',
          authority: '上海市经济和信息化委员会',
          year: 2026,
          regionCode: '310000',
          budgetFen: 1_000_000,
          policy: { payoutSchedule },
        },
      });
      expect(res.status, res.text).toBe(400);
      expect(res.body.issues).toContainEqual(
        expect.objectContaining({ in: 'body', field: 'policy.payoutSchedule' }) as unknown,
      );
    }
    expect(await api.db.programme.count()).toBe(before);
  });

  it('a schedule Temporal still refuses fails the setup at once: 400 naming the field, nothing written', async () => {
    const before = {
      programmes: await api.db.programme.count(),
      audit: await api.db.auditEntry.count(),
    };
    const started = Date.now();
    const res = await api.call<Problem>('POST', '/api/v1/programs', {
      token: admin.token,
      body: {
        name: '上海市中小企业检测券',
        authority: '上海市经济和信息化委员会',
        year: 2026,
        regionCode: '310000',
        budgetFen: 1_000_000,
      },
    });
    expect(res.status, res.text).toBe(400);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(res.body).toMatchObject({ code: 'INVALID_PAYOUT_SCHEDULE' });
    expect(res.body.issues).toEqual([
      expect.objectContaining({ in: 'body', field: 'policy.payoutSchedule', code: 'invalid_schedule' }),
    ]);
    expect(res.body.detail).toContain('0 2 30 2 * 2027 2028');
    expect(await api.db.programme.count()).toBe(before.programmes);
    expect(await api.db.auditEntry.count()).toBe(before.audit);

    // the workflow failed, not retrying, with the refusal as its reason
    const id = randomUUID();
    const failure = await worker.client.workflow
      .execute(programmeSetup, {
        workflowId: `programme/${id}`,
        taskQueue: worker.taskQueue,
        args: [
          {
            id,
            name: '上海市中小企业检测券',
            authority: '上海市经济和信息化委员会',
            year: 2026,
            regionCode: '310000',
            budgetFen: 1_000_000,
            policy: PolicySchema.parse({}),
            createdBy: randomUUID(),
            actor: { userId: null, role: 'SYSTEM', organisationId: null },
            requestId: null,
          },
        ],
      })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    let cause = (failure as WorkflowFailedError).cause;
    while (cause?.cause) cause = cause.cause as Error;
    expect(cause).toMatchObject({ type: REFUSAL_TYPE, nonRetryable: true });
    await expect(worker.client.schedule.getHandle(payoutScheduleId(id)).describe()).rejects.toThrow();
  });

  it('a programme with a schedule Temporal reads is set up with its Schedule running', async () => {
    const res = await api.call<{ id: string; policy: { payoutSchedule: string } }>(
      'POST',
      '/api/v1/programs',
      {
        token: admin.token,
        body: {
          name: '上海市中小企业检测券',
          authority: '上海市经济和信息化委员会',
          year: 2026,
          regionCode: '310000',
          budgetFen: 1_000_000,
          policy: { payoutSchedule: '0 2 1 * *' },
        },
      },
    );
    expect(res.status, res.text).toBe(201);
    const schedule = await worker.client.schedule.getHandle(payoutScheduleId(res.body.id)).describe();
    expect(schedule.state.paused).toBe(false);
  });
});
