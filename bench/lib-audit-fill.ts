import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { fastAuditHash, GENESIS_HASH, type AuditContent } from '../domain/audit';

const ACTIONS = Array.from({ length: 40 }, (_, i) => `BENCH_ACTION_${i}`);
const ENTITY_TYPES = [
  'enterprise',
  'application',
  'voucher',
  'booking',
  'claim',
  'provider',
  'programme',
  'user',
];

/**
 * Appends `n` chained entries to an empty audit log in batches of one statement each (unnest of
 * arrays), with hashes made as the service makes them, and moves the chain's head to the last one.
 * Entries are spread over 40 actions, 8 entity types, 10,000 actors and n/10 entities, one second apart.
 */
export async function fillAuditChain(pool: pg.Pool, n: number, onBatch?: (done: number) => void) {
  const start = Date.UTC(2021, 0, 1);
  let prevHash = GENESIS_HASH;
  let beforeLast = GENESIS_HASH;
  const batch = 10_000;
  for (let from = 1; from <= n; from += batch) {
    const cols: unknown[][] = Array.from({ length: 16 }, () => []);
    for (let seq = from; seq < Math.min(from + batch, n + 1); seq += 1) {
      const content: AuditContent = {
        id: randomUUID(),
        at: new Date(start + seq * 1000).toISOString(),
        actor: {
          userId: `00000000-0000-4000-8000-${String(seq % 10_000).padStart(12, '0')}`,
          role: 'ADMIN',
          organisationId: null,
        },
        action: ACTIONS[seq % ACTIONS.length]!,
        entityType: ENTITY_TYPES[seq % ENTITY_TYPES.length]!,
        entityId: `00000000-0000-4000-9000-${String(seq % Math.max(1, Math.floor(n / 10))).padStart(12, '0')}`,
        before: seq % 3 === 0 ? { status: 'PENDING', amountFen: seq, note: '申请材料齐全' } : null,
        after: { status: 'APPROVED', amountFen: seq * 2, by: { name: '张三', reason: '符合条件' } },
        workflowId: `voucher-application/${seq}`,
        runId: null,
        requestId: randomUUID(),
      };
      const hash = fastAuditHash(prevHash, content);
      const row = [
        seq,
        content.id,
        content.at,
        content.actor.userId,
        content.actor.role,
        content.actor.organisationId,
        content.action,
        content.entityType,
        content.entityId,
        content.before === null ? null : JSON.stringify(content.before),
        JSON.stringify(content.after),
        content.workflowId,
        content.runId,
        content.requestId,
        prevHash,
        hash,
      ];
      row.forEach((v, i) => cols[i]!.push(v));
      beforeLast = prevHash;
      prevHash = hash;
    }
    await pool.query(
      `INSERT INTO audit_log (seq, id, at, actor_id, actor_role, actor_org, action, entity_type, entity_id,
                              before, after, workflow_id, run_id, request_id, prev_hash, hash)
       SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::timestamptz[], $4::text[], $5::text[], $6::text[],
                            $7::text[], $8::text[], $9::text[], $10::jsonb[], $11::jsonb[], $12::text[], $13::text[],
                            $14::text[], $15::text[], $16::text[])`,
      cols,
    );
    onBatch?.(Math.min(from + batch - 1, n));
  }
  await pool.query(`UPDATE audit_chain SET seq = $1, prev_hash = $2, hash = $3 WHERE id = 1`, [
    n,
    beforeLast,
    prevHash,
  ]);
  await pool.query('VACUUM ANALYZE audit_log');
}
