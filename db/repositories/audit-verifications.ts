import { randomUUID } from 'node:crypto';
import { GENESIS_HASH, type Actor, type ChainBreak } from '../../domain/audit';
import type { ChainPosition, VerificationRecord } from '../../domain/audit-verification';
import type { Db } from '../client';
import { Prisma, type AuditVerification } from '../generated/client';
import { inTransaction } from '../tx';
import { appendAudit } from './audit';

function toRecord(row: AuditVerification): VerificationRecord {
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    fromSeq: row.fromSeq.toString(),
    toSeq: row.toSeq.toString(),
    total: Number(row.total),
    checked: Number(row.checked),
    break:
      row.breakSeq !== null && row.breakId !== null
        ? {
            seq: row.breakSeq.toString(),
            id: row.breakId,
            reason: row.breakReason as ChainBreak['reason'],
          }
        : null,
    startedBy: row.startedBy,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    updatedAt: row.updatedAt,
  };
}

const auditView = (r: VerificationRecord) => ({
  kind: r.kind,
  state: r.state,
  fromSeq: r.fromSeq,
  toSeq: r.toSeq,
  checked: r.checked,
  break: r.break,
});

const isUniqueViolation = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

/** What verifications of the audit chain ran, how far the running one got, and what each found. */
export function createVerificationRepository(db: Db) {
  const running = async () => db.auditVerification.findFirst({ where: { kind: 'FULL', state: 'RUNNING' } });
  return {
    async findById(id: string): Promise<VerificationRecord | null> {
      const row = await db.auditVerification.findUnique({ where: { id } });
      return row ? toRecord(row) : null;
    },

    async runningFull(): Promise<VerificationRecord | null> {
      const row = await running();
      return row ? toRecord(row) : null;
    },

    /** The most recent first. */
    async list(limit: number): Promise<VerificationRecord[]> {
      const rows = await db.auditVerification.findMany({ orderBy: { startedAt: 'desc' }, take: limit });
      return rows.map(toRecord);
    },

    /**
     * Records the start of a whole-chain verification up to the head, and audits it; when one is
     * already running, that one (`started: false`). A unique index lets only one run at a time.
     */
    async startFull(
      actor: Actor,
      at: Date,
      requestId: string | null,
    ): Promise<{ record: VerificationRecord; started: boolean }> {
      const existing = await running();
      if (existing) return { record: toRecord(existing), started: false };
      try {
        const record = await inTransaction(db, async (tx) => {
          const head = await tx.auditChainHead.findUnique({ where: { id: 1 } });
          const toSeq = head?.seq ?? 0n;
          const row = await tx.auditVerification.create({
            data: {
              id: randomUUID(),
              kind: 'FULL',
              state: 'RUNNING',
              fromSeq: 1n,
              toSeq,
              total: toSeq,
              startedBy: actor.userId,
              startedAt: at,
              updatedAt: at,
            },
          });
          const record = toRecord(row);
          await appendAudit(
            tx,
            {
              actor,
              action: 'AUDIT_VERIFICATION_STARTED',
              entityType: 'audit_verification',
              entityId: row.id,
              after: auditView(record),
              requestId,
            },
            at,
          );
          return record;
        });
        return { record, started: true };
      } catch (error) {
        const now = isUniqueViolation(error) ? await running() : null;
        if (now) return { record: toRecord(now), started: false };
        throw error;
      }
    },

    async progress(id: string, checked: number, at: Date): Promise<void> {
      await db.auditVerification.updateMany({
        where: { id, state: 'RUNNING' },
        data: { checked: BigInt(checked), updatedAt: at },
      });
    },

    /** Records the result of a whole-chain verification once, and audits it. */
    async finishFull(
      id: string,
      result: { break: ChainBreak | null; position: ChainPosition },
      at: Date,
    ): Promise<VerificationRecord> {
      return inTransaction(db, async (tx) => {
        const updated = await tx.auditVerification.updateMany({
          where: { id, state: 'RUNNING' },
          data: resultData(result, at),
        });
        const record = toRecord(await tx.auditVerification.findUniqueOrThrow({ where: { id } }));
        if (updated.count === 1) {
          await appendAudit(
            tx,
            {
              actor: { userId: null, role: 'SYSTEM', organisationId: null },
              action: 'AUDIT_VERIFICATION_FINISHED',
              entityType: 'audit_verification',
              entityId: id,
              after: auditView(record),
            },
            at,
          );
        }
        return record;
      });
    },

    /** A running verification that will not finish: it concludes nothing, and another may start. */
    async abandon(id: string, at: Date): Promise<void> {
      await db.auditVerification.updateMany({
        where: { id, state: 'RUNNING' },
        data: { state: 'FAILED', finishedAt: at, updatedAt: at },
      });
    },

    /**
     * Where the everyday check starts: after the entry the most recent verification found intact up to
     * (its to_seq and that entry's hash). `known` is the most recent finished verification when it
     * found a break: until a whole-chain verification finds the chain intact again, that break stands.
     */
    async anchor(): Promise<{ position: ChainPosition; known: VerificationRecord | null }> {
      const last = await db.auditVerification.findFirst({
        where: { finishedAt: { not: null }, state: { in: ['VALID', 'BROKEN'] } },
        orderBy: { finishedAt: 'desc' },
      });
      if (last?.state === 'BROKEN') {
        return { position: { seq: 0n, hash: GENESIS_HASH, checked: 0 }, known: toRecord(last) };
      }
      if (last?.state === 'VALID' && last.toHash !== null) {
        return { position: { seq: last.toSeq, hash: last.toHash, checked: 0 }, known: null };
      }
      return { position: { seq: 0n, hash: GENESIS_HASH, checked: 0 }, known: null };
    },

    /** Records an everyday check that covered at least one entry: the next one starts where it ended. */
    async recordIncremental(
      from: ChainPosition,
      toSeq: bigint,
      result: { break: ChainBreak | null; position: ChainPosition },
      startedBy: string | null,
      startedAt: Date,
      finishedAt: Date,
    ): Promise<VerificationRecord> {
      const row = await db.auditVerification.create({
        data: {
          id: randomUUID(),
          kind: 'INCREMENTAL',
          fromSeq: from.seq + 1n,
          toSeq,
          total: toSeq - from.seq,
          startedBy,
          startedAt,
          ...resultData(result, finishedAt),
        },
      });
      return toRecord(row);
    },
  };
}

function resultData(result: { break: ChainBreak | null; position: ChainPosition }, at: Date) {
  return {
    state: result.break ? ('BROKEN' as const) : ('VALID' as const),
    checked: BigInt(result.position.checked),
    toHash: result.break ? null : result.position.hash,
    breakSeq: result.break ? BigInt(result.break.seq) : null,
    breakId: result.break?.id ?? null,
    breakReason: result.break?.reason ?? null,
    finishedAt: at,
    updatedAt: at,
  };
}
