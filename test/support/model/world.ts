import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { postgresConfig } from '../../../config/database';
import { addDays, localDate } from '../../../domain/calendar';
import { payoutScheduleId } from '../../../infra/payout-schedules';
import { responseChecker, startTestApi, type TestApi } from '../api';
import { givenListedProvider } from '../providers';
import { DEMAND, givenAdmin, givenSme } from '../scenarios';
import { startTestWorker, type TestWorkerHarness } from '../worker';
import { deadlineCaller, type DeadlineCall, type Violation } from './http';
import { emptyModel, type Model, type ProgrammeSpec } from './state';

/** What a sequence starts from: its programmes' budgets and policies, its enterprises and labs. */
export interface WorldSpec {
  programmes: ProgrammeSpec[];
  smes: number;
  labs: { unitPriceFen: number; turnaroundDays: number }[];
}

/** The standards every lab of the model offers and every demand asks for. */
export const STANDARDS = ['GB/T 2423.1', 'IEC 61000-4-2'];

/** Provider review and accreditation watch in seconds, so that onboarding plays out within a sequence. */
const PROVIDER_TIMINGS = {
  PROVIDER_REVIEW_REMINDER_AFTER: '5s',
  PROVIDER_REVIEW_ESCALATE_AFTER: '10s',
  PROVIDER_EXPIRY_WARNING_BEFORE: '10s',
  PROVIDER_EXPIRY_CHECK_EVERY: '1h',
};

/**
 * The system under test for one sequence: the API app and a real worker on a task queue of the
 * sequence's own (so its checks see only its own processes), the people acting, and the record of
 * the steps taken and of what the checks found.
 */
export class World {
  readonly model: Model = emptyModel();
  readonly steps: string[] = [];
  readonly violations: Violation[] = [];
  readonly tokens = new Map<string, string>();
  readonly emails = new Map<string, string>();
  /** failed, terminated or timed-out runs seen, and those whose reason is recorded */
  readonly failedSeen = new Map<string, string>();
  readonly failedReported = new Set<string>();
  adminToken = '';
  /** a second administrator: approves what the first proposes (payout runs) */
  approverToken = '';
  call!: DeadlineCall;
  /** policy rules the service's OpenAPI document names (rules added later are used once they exist) */
  policyFields = new Set<string>();

  private constructor(
    readonly api: TestApi,
    readonly worker: TestWorkerHarness,
    readonly taskQueue: string,
    readonly db: pg.Pool,
  ) {}

  static async start(
    spec: WorldSpec,
    options: { label: string; deadlineMs: number; steps: number },
  ): Promise<World> {
    const taskQueue = `process-model-${options.label}-${randomUUID().slice(0, 8)}`;
    const worker = await startTestWorker({ taskQueue });
    const api = await startTestApi({ taskQueue, env: PROVIDER_TIMINGS });
    const db = new pg.Pool(postgresConfig(inject('services').databaseUrl, { max: 2 }));
    const world = new World(api, worker, taskQueue, db);
    world.model.stepBudget = options.steps;
    world.call = deadlineCaller({
      url: api.url,
      check: responseChecker(api.document),
      deadlineMs: options.deadlineMs,
      record: (kind, detail) => world.record(kind, detail),
    });
    const policy = (api.document.components?.schemas as Record<string, { properties?: object }>).Policy;
    world.policyFields = new Set(Object.keys(policy?.properties ?? {}));
    await world.populate(spec);
    return world;
  }

  /** The step being taken: its number is what violations refer to. */
  get stepNo(): number {
    return this.steps.length;
  }

  record(kind: string, detail: string): void {
    this.violations.push({ kind, detail, step: this.stepNo });
  }

  /** Notes the step taken, as the report prints it. */
  log(line: string): void {
    this.steps.push(line);
  }

  token(key: string): string {
    const token = this.tokens.get(key);
    if (!token) throw new Error(`no one is called ${key} in this world`);
    return token;
  }

  /** A demand the labs of the model can meet, due well after any voucher of the sequence ends. */
  demand(sampleCount: number) {
    return {
      ...DEMAND,
      standards: STANDARDS,
      sampleCount,
      latestCompletionDate: addDays(localDate(new Date()), 120),
    };
  }

  private async populate(spec: WorldSpec): Promise<void> {
    const [admin, approver] = await Promise.all([givenAdmin(this.api), givenAdmin(this.api)]);
    this.adminToken = admin.token;
    this.approverToken = approver.token;
    this.tokens.set('admin', admin.token);
    for (const [i, programme] of spec.programmes.entries()) {
      const policy = Object.fromEntries(
        Object.entries(programme.policy).filter(([field]) => this.policyFields.has(field)),
      ) as ProgrammeSpec['policy'];
      const res = await this.call<{ id: string }>('POST', '/api/v1/programs', {
        token: admin.token,
        body: {
          name: `模型测试检测券 ${String.fromCharCode(65 + i)} ${randomUUID().slice(0, 6)}`,
          authority: '上海市经济和信息化委员会',
          year: Number(localDate(new Date()).slice(0, 4)),
          regionCode: '310000',
          budgetFen: programme.budgetFen,
          policy,
        },
      });
      if (res?.status !== 201)
        throw new Error(`the programme could not be created: ${JSON.stringify(res?.body)}`);
      this.model.programmes.push({
        key: String.fromCharCode(65 + i),
        id: res.body.id,
        budgetFen: programme.budgetFen,
        policy,
      });
    }
    for (let i = 0; i < spec.smes; i += 1) {
      const sme = await givenSme(this.api);
      this.tokens.set(`sme${i}`, sme.token);
      this.emails.set(`sme${i}`, sme.email);
      this.model.smes.push({ key: `sme${i}`, enterpriseId: sme.enterpriseId });
    }
    for (const [i, lab] of spec.labs.entries()) {
      const listed = await givenListedProvider(this.api, {
        services: [
          {
            standards: STANDARDS,
            unitPriceFen: lab.unitPriceFen,
            turnaroundDays: lab.turnaroundDays,
            dailyCapacity: 500,
          },
        ],
      });
      this.tokens.set(`lab${i}`, listed.token);
      this.emails.set(`lab${i}`, listed.email);
      this.model.labs.push({
        key: `lab${i}`,
        providerId: listed.providerId,
        status: 'LISTED',
        pending: false,
        lapseAt: Date.parse('2029-12-31T16:00:00Z'),
        onboarded: false,
        unitPriceFen: lab.unitPriceFen,
      });
    }
  }

  /** Every process of the sequence, as Temporal lists them. */
  async workflows() {
    const found = [];
    for await (const wf of this.worker.client.workflow.list({ query: `TaskQueue="${this.taskQueue}"` }))
      found.push(wf);
    return found;
  }

  /**
   * Stops the sequence's API and worker. Its schedules are deleted and its processes still open are
   * terminated, after the checks, so that a long soak does not leave work piling up on the server.
   */
  async stop(): Promise<void> {
    const client = this.worker.client;
    for (const p of this.model.programmes) {
      await client.schedule
        .getHandle(payoutScheduleId(p.id))
        .delete()
        .catch(() => undefined);
    }
    for (const wf of await this.workflows().catch(() => [])) {
      if (wf.status.name !== 'RUNNING') continue;
      await client.workflow
        .getHandle(wf.workflowId, wf.runId)
        .terminate('the model sequence is over')
        .catch(() => undefined);
    }
    await this.api.stop();
    await this.worker.stop();
    await this.db.end();
  }
}
