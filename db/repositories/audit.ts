import { randomUUID } from 'node:crypto';
import {
  chainedText,
  findChainBreak,
  GENESIS_HASH,
  type Actor,
  type AuditContent,
  type ChainBreak,
  type ChainedAuditEntry,
  type JsonValue,
} from '../../domain/audit';
import type { Db } from '../client';
import type { AuditEntry, Prisma } from '../generated/client';

export type { Tx } from '../tx';
import type { Tx } from '../tx';

export interface AuditInput {
  actor: Actor;
  action: string;
  entityType: string;
  entityId: string;
  before?: JsonValue | null;
  after?: JsonValue | null;
  workflowId?: string | null;
  runId?: string | null;
  requestId?: string | null;
}

/**
 * The audit entry of a write, made from what the write stored: the caller names the change, the
 * repository appends the entry in the transaction of the write.
 */
export type AuditEntryOf<Written> = (written: Written) => AuditInput;

/**
 * Appends one entry inside the caller's transaction, chained onto the latest entry, in one
 * statement: the update of the chain's head (one row) numbers the entry and hashes it onto the hash
 * before it, and its row lock, held until the caller commits, orders concurrent appends.
 */
export async function appendAudit(
  tx: Tx,
  input: AuditInput,
  at: Date = new Date(),
): Promise<ChainedAuditEntry> {
  const content: AuditContent = {
    id: randomUUID(),
    at: at.toISOString(),
    actor: input.actor,
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId,
    before: input.before ?? null,
    after: input.after ?? null,
    workflowId: input.workflowId ?? null,
    runId: input.runId ?? null,
    requestId: input.requestId ?? null,
  };
  const text = chainedText(content);
  const [row] = await tx.$queryRaw<{ seq: bigint; prev_hash: string; hash: string }[]>`
    WITH head AS (
      UPDATE audit_chain
         SET seq = seq + 1,
             prev_hash = hash,
             hash = encode(sha256(convert_to(${text.before}::text || hash || ${text.after}::text, 'UTF8')), 'hex')
       WHERE id = 1
      RETURNING seq, prev_hash, hash
    )
    INSERT INTO audit_log (seq, id, at, actor_id, actor_role, actor_org, action, entity_type, entity_id,
                           before, after, workflow_id, run_id, request_id, prev_hash, hash)
    SELECT head.seq, ${content.id}::uuid, ${at}::timestamptz, ${content.actor.userId}, ${content.actor.role},
           ${content.actor.organisationId}, ${content.action}, ${content.entityType}, ${content.entityId},
           ${jsonText(content.before)}::jsonb, ${jsonText(content.after)}::jsonb, ${content.workflowId},
           ${content.runId}, ${content.requestId}, head.prev_hash, head.hash
      FROM head
    RETURNING seq, prev_hash, hash`;
  if (!row) throw new Error('the audit chain has no head row; run the migrations');
  return { ...content, seq: row.seq.toString(), prevHash: row.prev_hash, hash: row.hash };
}

const jsonText = (value: JsonValue | null) => (value === null ? null : JSON.stringify(value));

export function toChainedEntry(row: AuditEntry): ChainedAuditEntry {
  return {
    seq: row.seq.toString(),
    id: row.id,
    at: row.at.toISOString(),
    actor: {
      userId: row.actorId,
      role: row.actorRole as Actor['role'],
      organisationId: row.actorOrg,
    },
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    before: (row.before ?? null) as JsonValue | null,
    after: (row.after ?? null) as JsonValue | null,
    workflowId: row.workflowId,
    runId: row.runId,
    requestId: row.requestId,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

export interface AuditFilter {
  entityType?: string;
  entityId?: string;
  actorId?: string;
  action?: string;
  from?: Date;
  to?: Date;
}

function where(filter: AuditFilter): Prisma.AuditEntryWhereInput {
  return {
    entityType: filter.entityType,
    entityId: filter.entityId,
    actorId: filter.actorId,
    action: filter.action,
    at: filter.from || filter.to ? { gte: filter.from, lt: filter.to } : undefined,
  };
}

export function createAuditRepository(db: Db) {
  return {
    /** A page in chain order, after the entry with sequence number `afterSeq`. */
    async list(
      filter: AuditFilter,
      page: { afterSeq?: bigint; limit: number },
    ): Promise<ChainedAuditEntry[]> {
      const rows = await db.auditEntry.findMany({
        where: { ...where(filter), seq: page.afterSeq === undefined ? undefined : { gt: page.afterSeq } },
        orderBy: { seq: 'asc' },
        take: page.limit,
      });
      return rows.map(toChainedEntry);
    },

    /** The timeline of one item: its entries in the order they happened. */
    async timeline(entities: { entityType: string; entityId: string }[]): Promise<ChainedAuditEntry[]> {
      const rows = await db.auditEntry.findMany({
        where: { OR: entities.map((e) => ({ entityType: e.entityType, entityId: e.entityId })) },
        orderBy: { seq: 'asc' },
      });
      return rows.map(toChainedEntry);
    },

    /** Re-computes every hash from the start of the log; names the first entry that breaks. */
    async verify(batchSize = 1000): Promise<{ valid: boolean; checked: number; break: ChainBreak | null }> {
      let prevHash = GENESIS_HASH;
      let afterSeq: bigint | undefined;
      let checked = 0;
      for (;;) {
        const rows = await db.auditEntry.findMany({
          where: afterSeq === undefined ? {} : { seq: { gt: afterSeq } },
          orderBy: { seq: 'asc' },
          take: batchSize,
        });
        if (rows.length === 0) return { valid: true, checked, break: null };
        const result = findChainBreak(rows.map(toChainedEntry), prevHash);
        checked += result.checked;
        if (result.break) return { valid: false, checked, break: result.break };
        prevHash = result.lastHash;
        afterSeq = rows[rows.length - 1]!.seq;
      }
    },
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;
