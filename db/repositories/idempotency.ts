import type { Db } from '../client';
import { Prisma } from '../generated/client';

export type IdempotencyClaim =
  | { kind: 'claimed' }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'mismatch' }
  | { kind: 'in-progress' };

/** Expired records deleted by one write, so that the purge stays as short as the write. */
export const PURGE_BATCH = 100;

/**
 * `abandonedAfterMs`: a claim this old without an answer belongs to a request whose API instance
 * died; a retry with the key then runs again (and meets the state the first run left).
 * `retentionMs`: how long a key and its answer are kept; an older record is as if it did not exist,
 * and each new claim deletes up to `PURGE_BATCH` of them, so the table holds about a retention's
 * worth of writes.
 */
export function createIdempotencyRepository(db: Db, abandonedAfterMs = 60_000, retentionMs = 24 * 3_600_000) {
  const expiredBefore = () => new Date(Date.now() - retentionMs);
  return {
    /** Claims the key for this request, or says why it cannot be claimed. */
    async claim(input: {
      userId: string;
      key: string;
      method: string;
      path: string;
      requestHash: string;
    }): Promise<IdempotencyClaim> {
      await this.purgeExpired();
      try {
        await db.idempotencyRecord.create({ data: input });
        return { kind: 'claimed' };
      } catch (error) {
        if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P2002') throw error;
      }
      const existing = await db.idempotencyRecord.findUnique({
        where: { userId_key: { userId: input.userId, key: input.key } },
      });
      if (!existing) return this.claim(input);
      if (existing.createdAt < expiredBefore()) {
        // past retention the key is free again: the request runs as a new one
        await db.idempotencyRecord.deleteMany({
          where: { userId: input.userId, key: input.key, createdAt: existing.createdAt },
        });
        return this.claim(input);
      }
      if (
        existing.requestHash !== input.requestHash ||
        existing.method !== input.method ||
        existing.path !== input.path
      ) {
        return { kind: 'mismatch' };
      }
      if (existing.status === null) {
        // the instance that claimed the key died mid-request: let the retry run it again
        if (existing.createdAt.getTime() < Date.now() - abandonedAfterMs) {
          const taken = await db.idempotencyRecord.updateMany({
            where: { userId: input.userId, key: input.key, status: null, createdAt: existing.createdAt },
            data: { createdAt: new Date() },
          });
          if (taken.count === 1) return { kind: 'claimed' };
        }
        return { kind: 'in-progress' };
      }
      return { kind: 'replay', status: existing.status, body: existing.responseBody };
    },

    async complete(userId: string, key: string, status: number, body: unknown): Promise<void> {
      await db.idempotencyRecord.update({
        where: { userId_key: { userId, key } },
        data: { status, responseBody: body === undefined ? Prisma.DbNull : (body as Prisma.InputJsonValue) },
      });
    },

    /** Deletes up to `PURGE_BATCH` records past retention, oldest first; says how many. */
    async purgeExpired(): Promise<number> {
      return db.$executeRaw`
        DELETE FROM idempotency_records WHERE ctid IN (
          SELECT ctid FROM idempotency_records WHERE created_at < ${expiredBefore()}
           ORDER BY created_at LIMIT ${PURGE_BATCH})`;
    },

    /** Frees the key after a failure on our side, so that the client's retry runs again. */
    async release(userId: string, key: string): Promise<void> {
      await db.idempotencyRecord.deleteMany({ where: { userId, key, status: null } });
    },
  };
}

export type IdempotencyRepository = ReturnType<typeof createIdempotencyRepository>;
