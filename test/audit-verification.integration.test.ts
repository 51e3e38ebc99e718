import { MockActivityEnvironment } from '@temporalio/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditVerificationActivities } from '../activities/audit-verification';
import type { ActivityDeps } from '../activities/deps';
import { fillAuditChain } from '../bench/lib-audit-fill';
import { postgresConfig } from '../config/database';
import { appendAudit } from '../db/repositories/audit';
import { auditHash, SYSTEM_ACTOR } from '../domain/audit';
import {
  AUDIT_VERIFICATION_SCHEDULE_ID,
  ensureAuditVerificationSchedule,
} from '../infra/audit-verification-schedule';
import { startTestApi, type TestApi } from './support/api';
import { ownDatabase } from './support/own-database';
import { until } from './support/scenarios';
import { startTestWorker, uniqueTaskQueue } from './support/worker';

// a chain of its own: these tests tamper with it
const ENTRIES = 12_000;

let database: Awaited<ReturnType<typeof ownDatabase>>;
let api: TestApi;
let auditor: { token: string; user: { id: string } };
const taskQueue = uniqueTaskQueue(import.meta.url);

beforeAll(async () => {
  database = await ownDatabase('verification');
  const pool = new pg.Pool(postgresConfig(database.url, { max: 2 }));
  try {
    await fillAuditChain(pool, ENTRIES);
  } finally {
    await pool.end();
  }
  api = await startTestApi({ taskQueue, env: { DATABASE_URL: database.url } });
  auditor = await api.givenUser('AUDITOR');
});
afterAll(async () => {
  await api?.stop();
  await database?.drop();
});

interface Verification {
  valid: boolean;
  checked: number;
  break: { seq: string; id: string; reason: string } | null;
  fromSeq: string;
  toSeq: string;
  incremental: boolean;
}
interface Run {
  id: string;
  kind: string;
  state: string;
  checked: number;
  total: number;
  toSeq: string;
  startedBy: string | null;
  break: Verification['break'];
}

const verify = async () =>
  (await api.call<Verification>('GET', '/api/v1/audit/verify', { token: auditor.token })).body;
const append = (entityId: string) =>
  api.db.$transaction((tx) =>
    appendAudit(tx, { actor: SYSTEM_ACTOR, action: 'TEST_APPEND', entityType: 'test', entityId }),
  );

/** What someone with direct database access could do; the append-only trigger is switched off for it. */
async function tamper(...statements: string[]): Promise<void> {
  await api.db.$transaction([
    api.db.$executeRawUnsafe('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only'),
    ...statements.map((sql) => api.db.$executeRawUnsafe(sql)),
    api.db.$executeRawUnsafe('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only'),
  ]);
}

describe('the everyday verification', () => {
  it('checks the whole chain the first time, then only what was added since', async () => {
    expect(await verify()).toEqual({
      valid: true,
      checked: ENTRIES,
      break: null,
      fromSeq: '1',
      toSeq: String(ENTRIES),
      incremental: false,
    });
    expect(await verify()).toMatchObject({ valid: true, checked: 0, incremental: true });
    await append('one-more');
    expect(await verify()).toEqual({
      valid: true,
      checked: 1,
      break: null,
      fromSeq: String(ENTRIES + 1),
      toSeq: String(ENTRIES + 1),
      incremental: true,
    });
  });
});

describe('the whole-chain verification step', () => {
  const verifyAuditChain = (input: { verificationId: string }) =>
    createAuditVerificationActivities(
      { db: api.db, clock: { now: () => new Date() } } as ActivityDeps,
      1_000,
    ).verifyAuditChain(input);

  it('resumes from its last heartbeat, and finds a changed entry when it starts from the beginning', async () => {
    const audit = api.deps.repos.audit;
    const [changed, checkpoint] = await Promise.all(
      [3_000n, 6_000n].map((seq) => api.db.auditEntry.findUniqueOrThrow({ where: { seq } })),
    );
    await tamper(`UPDATE audit_log SET entity_id = 'forged' WHERE seq = ${changed!.seq}`);
    try {
      const resumed = await audit.verifications.startFull(SYSTEM_ACTOR, new Date(), null);
      const heartbeats: { seq: string; checked: number }[] = [];
      const env = new MockActivityEnvironment({
        heartbeatDetails: { seq: checkpoint!.seq.toString(), hash: checkpoint!.hash, checked: 6_000 },
      });
      env.on('heartbeat', (d: { seq: string; checked: number }) => heartbeats.push(d));
      await env.run(verifyAuditChain, { verificationId: resumed.record.id });
      // it took up after entry 6000, so it never saw entry 3000
      expect(heartbeats[0]).toMatchObject({ seq: '7000', checked: 7_000 });
      expect(await audit.verifications.findById(resumed.record.id)).toMatchObject({
        state: 'VALID',
        checked: ENTRIES + 1,
      });

      const fresh = await audit.verifications.startFull(SYSTEM_ACTOR, new Date(), null);
      await new MockActivityEnvironment().run(verifyAuditChain, {
        verificationId: fresh.record.id,
      });
      expect(await audit.verifications.findById(fresh.record.id)).toMatchObject({
        state: 'BROKEN',
        checked: 2_999,
        break: { seq: '3000', id: changed!.id, reason: 'CONTENT_HASH_MISMATCH' },
      });
      // the break stands for the everyday check until a whole-chain verification finds the chain intact
      expect(await verify()).toMatchObject({ valid: false, break: { seq: '3000' }, incremental: false });
    } finally {
      await tamper(`UPDATE audit_log SET entity_id = '${changed!.entityId}' WHERE seq = ${changed!.seq}`);
    }
  });
});

describe('a whole-chain verification started by an auditor', () => {
  it('runs in the background, one at a time, and records its start and its result', async () => {
    // no worker yet: the first stays running
    const first = await api.call<Run>('POST', '/api/v1/audit/verifications', { token: auditor.token });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ state: 'RUNNING', checked: 0, startedBy: auditor.user.id });
    const again = await api.call<Run>('POST', '/api/v1/audit/verifications', { token: auditor.token });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);

    const worker = await startTestWorker({ taskQueue, deps: { db: api.db } });
    try {
      const done = await until('the verification to finish', async () => {
        const run = await api.call<Run>('GET', `/api/v1/audit/verifications/${first.body.id}`, {
          token: auditor.token,
        });
        return run.body.state !== 'RUNNING' && run.body;
      });
      expect(done).toMatchObject({ state: 'VALID', checked: done.total, break: null });
    } finally {
      await worker.stop();
    }
    const recorded = await api.db.auditEntry.findMany({
      where: { entityType: 'audit_verification', entityId: first.body.id },
      orderBy: { seq: 'asc' },
    });
    expect(recorded.map((e) => [e.action, e.actorId])).toEqual([
      ['AUDIT_VERIFICATION_STARTED', auditor.user.id],
      ['AUDIT_VERIFICATION_FINISHED', null],
    ]);
    // the chain is intact again: the everyday check goes on from there
    expect(await verify()).toMatchObject({ valid: true, incremental: true });
    const runs = await api.call<{ items: Run[] }>('GET', '/api/v1/audit/verifications', {
      token: auditor.token,
    });
    expect(runs.body.items.find((r) => r.id === first.body.id)).toMatchObject({
      kind: 'FULL',
      state: 'VALID',
    });
  });

  it('runs on its schedule too, started by the system', async () => {
    const worker = await startTestWorker({ taskQueue, deps: { db: api.db } });
    try {
      const list = async () =>
        (await api.call<{ items: Run[] }>('GET', '/api/v1/audit/verifications', { token: auditor.token }))
          .body.items;
      const known = new Set((await list()).map((r) => r.id));
      await ensureAuditVerificationSchedule(worker.client, taskQueue, '24h');
      await worker.client.schedule.getHandle(AUDIT_VERIFICATION_SCHEDULE_ID).trigger();
      const done = await until('the scheduled verification to finish', async () => {
        const scheduled = (await list()).find((r) => !known.has(r.id) && r.kind === 'FULL');
        return scheduled && scheduled.state !== 'RUNNING' && scheduled;
      });
      expect(done).toMatchObject({ state: 'VALID', checked: done.total, startedBy: null });
    } finally {
      await worker.client.schedule.getHandle(AUDIT_VERIFICATION_SCHEDULE_ID).delete();
      await worker.stop();
    }
  });

  it('is refused to an enterprise', async () => {
    const sme = await api.givenUser('SME');
    const refused = await api.call('POST', '/api/v1/audit/verifications', { token: sme.token });
    expect(refused.status).toBe(403);
  });
});

describe('a forger who re-chains every entry after the one changed, up to the head', () => {
  it('is caught by the everyday check at the first entry after the last verified one', async () => {
    expect((await verify()).valid).toBe(true);
    const head = await api.db.auditChainHead.findUniqueOrThrow({ where: { id: 1 } });
    const from = head.seq - 5n;
    const rows = await api.db.auditEntry.findMany({ where: { seq: { gte: from } }, orderBy: { seq: 'asc' } });
    const { toChainedEntry } = await import('../db/repositories/audit');
    let prev = rows[0]!.prevHash;
    const statements: string[] = [];
    for (const row of rows.map(toChainedEntry)) {
      const { seq, prevHash: _p, hash: _h, ...content } = row;
      const forged = seq === from.toString() ? { ...content, entityId: 'forged' } : content;
      const hash = auditHash(prev, forged);
      statements.push(
        `UPDATE audit_log SET entity_id = '${forged.entityId}', prev_hash = '${prev}', hash = '${hash}' WHERE seq = ${seq}`,
      );
      prev = hash;
    }
    statements.push(`UPDATE audit_chain SET hash = '${prev}' WHERE id = 1`);
    await tamper(...statements);
    const next = await append('after-the-forgery');
    expect(await verify()).toMatchObject({
      valid: false,
      checked: 0,
      break: { seq: next.seq, id: next.id, reason: 'PREVIOUS_HASH_MISMATCH' },
      incremental: true,
    });
  });
});
