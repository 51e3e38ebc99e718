import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditVerificationActivities } from '../activities/audit-verification';
import type { ActivityDeps } from '../activities/deps';
import { appendAudit, toChainedEntry } from '../db/repositories/audit';
import {
  auditHash,
  findChainBreak,
  GENESIS_HASH,
  SYSTEM_ACTOR,
  type ChainedAuditEntry,
} from '../domain/audit';
import { startTestApi, type TestApi } from './support/api';
import { ownDatabase } from './support/own-database';
import { givenSme } from './support/scenarios';
import { uniqueTaskQueue } from './support/worker';

// tampering needs a log of its own: other test files verify the shared one
let database: Awaited<ReturnType<typeof ownDatabase>>;
let api: TestApi;
let auditor: string;

beforeAll(async () => {
  database = await ownDatabase('audit');
  api = await startTestApi({
    taskQueue: uniqueTaskQueue(import.meta.url),
    env: { DATABASE_URL: database.url },
  });
  auditor = (await api.givenUser('AUDITOR')).token;
  // four enterprises registering: four entries in the chain
  for (let i = 0; i < 4; i += 1) await givenSme(api, { employees: 10 + i });
});
afterAll(async () => {
  await api?.stop();
  await database?.drop();
});

interface Verification {
  valid: boolean;
  checked: number;
  break: { seq: string; id: string; reason: string } | null;
}

/**
 * The whole chain verified from its first entry, as the background verification does, answered in the
 * everyday check's shape.
 */
async function verify(): Promise<Verification> {
  const audit = api.deps.repos.audit;
  const { record } = await audit.verifications.startFull(SYSTEM_ACTOR, new Date(), null);
  const activities = createAuditVerificationActivities({
    db: api.db,
    clock: { now: () => new Date() },
  } as ActivityDeps);
  await new MockActivityEnvironment().run(
    (input: { verificationId: string }) => activities.verifyAuditChain(input),
    {
      verificationId: record.id,
    },
  );
  const done = (await audit.verifications.findById(record.id))!;
  return { valid: done.state === 'VALID', checked: done.checked, break: done.break };
}

async function entries(): Promise<ChainedAuditEntry[]> {
  return (
    await api.call<{ items: ChainedAuditEntry[] }>('GET', '/api/v1/audit?limit=500', { token: auditor })
  ).body.items;
}

/** What someone with direct database access could do; the append-only trigger is switched off for it. */
async function tamper(sql: string): Promise<void> {
  await api.db.$transaction([
    api.db.$executeRawUnsafe('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only'),
    api.db.$executeRawUnsafe(sql),
    api.db.$executeRawUnsafe('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only'),
  ]);
}

describe('the hash-chained audit log', () => {
  it('verifies intact, and exports lines anyone can re-hash', async () => {
    const log = await entries();
    expect(log.length).toBe(4);
    expect(await verify()).toEqual({ valid: true, checked: 4, break: null });
    const everyday = await api.call<Verification>('GET', '/api/v1/audit/verify', { token: auditor });
    expect(everyday.body).toMatchObject({ valid: true, incremental: true });

    const exported = await api.call<string>('GET', '/api/v1/audit/export', { token: auditor });
    expect(exported.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = exported.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as ChainedAuditEntry);
    // and the verification's start and result, recorded in the chain
    expect(lines).toHaveLength(6);
    expect(lines.slice(4).map((l) => l.action)).toEqual([
      'AUDIT_VERIFICATION_STARTED',
      'AUDIT_VERIFICATION_FINISHED',
    ]);
    expect(findChainBreak(lines, GENESIS_HASH).break).toBeNull();
    const { seq: _seq, prevHash, hash, ...content } = lines[2]!;
    expect(auditHash(prevHash, content)).toBe(hash);
  });

  it('refuses changes through ordinary SQL', async () => {
    await expect(api.db.$executeRawUnsafe(`UPDATE audit_log SET action = 'X'`)).rejects.toThrow(
      /append-only/,
    );
    await expect(api.db.$executeRawUnsafe(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
  });

  it('names the entry whose content was changed', async () => {
    const target = (await entries())[1]!;
    await tamper(
      `UPDATE audit_log SET after = jsonb_set(after, '{name}', '"某某空壳公司"') WHERE seq = ${target.seq}`,
    );
    try {
      expect(await verify()).toEqual({
        valid: false,
        checked: 1,
        break: { seq: target.seq, id: target.id, reason: 'CONTENT_HASH_MISMATCH' },
      });
    } finally {
      await tamper(
        `UPDATE audit_log SET after = '${JSON.stringify(target.after)}'::jsonb WHERE seq = ${target.seq}`,
      );
    }
    expect((await verify()).valid).toBe(true);
  });

  it('names the entry after one that was rewritten with a fresh hash, or removed', async () => {
    const log = await entries();
    const [rewritten, next] = [log[1]!, log[2]!];
    const { seq: _s, prevHash, hash: _h, ...content } = rewritten;
    const forged = { ...content, action: 'ENTERPRISE_REGISTERED_FORGED' };
    const forgedHash = auditHash(prevHash, forged);
    await tamper(
      `UPDATE audit_log SET action = '${forged.action}', hash = '${forgedHash}' WHERE seq = ${rewritten.seq}`,
    );
    expect((await verify()).break).toEqual({ seq: next.seq, id: next.id, reason: 'PREVIOUS_HASH_MISMATCH' });
    await tamper(
      `UPDATE audit_log SET action = '${rewritten.action}', hash = '${rewritten.hash}' WHERE seq = ${rewritten.seq}`,
    );

    await tamper(`DELETE FROM audit_log WHERE seq = ${rewritten.seq}`);
    expect((await verify()).break).toEqual({ seq: next.seq, id: next.id, reason: 'PREVIOUS_HASH_MISMATCH' });
  });
});

describe('appends from many transactions at once', () => {
  it('chains each entry onto the one before it, numbered without gaps', async () => {
    const head = await api.db.auditChainHead.findUniqueOrThrow({ where: { id: 1 } });
    const appended = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        api.db.$transaction((tx) =>
          appendAudit(tx, {
            actor: SYSTEM_ACTOR,
            action: 'CONCURRENT_APPEND',
            entityType: 'test',
            entityId: `append-${i}`,
            after: { i },
          }),
        ),
      ),
    );
    const stored = (
      await api.db.auditEntry.findMany({
        where: { id: { in: appended.map((e) => e.id) } },
        orderBy: { seq: 'asc' },
      })
    ).map(toChainedEntry);
    expect(stored.map((e) => BigInt(e.seq))).toEqual(
      Array.from({ length: 40 }, (_, i) => head.seq + BigInt(i + 1)),
    );
    expect(stored[0]!.prevHash).toBe(head.hash);
    expect(findChainBreak(stored, head.hash)).toMatchObject({ break: null, checked: 40 });
  });
});
