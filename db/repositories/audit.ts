import { randomUUID } from 'node:crypto';
import {
  chainedText,
  GENESIS_HASH,
  type Actor,
  type AuditContent,
  type ChainedAuditEntry,
  type JsonValue,
} from '../../domain/audit';
import { checkChain, type ChainCheck, type ChainPosition } from '../../domain/audit-verification';
import { poolOf, type Db } from '../client';
import type { AuditEntry } from '../generated/client';
import { checkChainInThreads } from './audit-chain-threads';
import { auditPage, auditPages, type AuditFilter } from './audit-pages';
import { createVerificationRepository } from './audit-verifications';

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

export type { AuditFilter } from './audit-pages';

export function createAuditRepository(db: Db) {
  // taken when first read through, so that a repository over any client can be made
  const pool = () => poolOf(db);
  return {
    /** A page in chain order, after the entry with sequence number `afterSeq`. */
    async list(
      filter: AuditFilter,
      page: { afterSeq?: bigint; limit: number },
    ): Promise<ChainedAuditEntry[]> {
      return auditPage(pool(), filter, page);
    },

    /**
     * Every entry the filter selects, in chain order, a page at a time: for streaming exports and
     * verification. A page is read when the consumer asks for it, not before.
     */
    pages(
      filter: AuditFilter,
      options: { afterSeq?: bigint; toSeq?: bigint; pageSize?: number; onPage?: () => void } = {},
    ): AsyncGenerator<ChainedAuditEntry[]> {
      return auditPages(pool(), filter, options);
    },

    /**
     * Checks the chain after `from` up to `toSeq`, in chain order, telling `onPage` where it stands
     * after each page. A stretch of more than eight pages is read and hashed by worker threads side by
     * side, a page-sized range each (audit-chain-threads.ts): starting them costs less than it saves.
     */
    async check(
      from: ChainPosition,
      toSeq: bigint,
      options: { pageSize: number; onPage?: (position: ChainPosition) => Promise<void> | void },
    ): Promise<ChainCheck> {
      const onPage = options.onPage ?? (() => undefined);
      if (toSeq - from.seq > BigInt(8 * options.pageSize)) {
        const { host, port, user, password, database, ssl } = pool().options;
        const connection = { host, port, user, password, database, ssl };
        return checkChainInThreads(connection, from, toSeq, onPage, { rangeSize: options.pageSize });
      }
      return checkChain(
        (afterSeq) => auditPages(pool(), {}, { afterSeq, toSeq, pageSize: options.pageSize }),
        from,
        onPage,
      );
    },

    /** The timeline of one item: its entries in the order they happened. */
    async timeline(entities: { entityType: string; entityId: string }[]): Promise<ChainedAuditEntry[]> {
      const rows = await db.auditEntry.findMany({
        where: { OR: entities.map((e) => ({ entityType: e.entityType, entityId: e.entityId })) },
        orderBy: { seq: 'asc' },
      });
      return rows.map(toChainedEntry);
    },

    /** The last entry of the chain (seq 0 and the genesis hash when it is empty). */
    async head(): Promise<{ seq: bigint; hash: string }> {
      const head = await db.auditChainHead.findUnique({ where: { id: 1 } });
      return head ? { seq: head.seq, hash: head.hash } : { seq: 0n, hash: GENESIS_HASH };
    },

    verifications: createVerificationRepository(db),
  };
}
