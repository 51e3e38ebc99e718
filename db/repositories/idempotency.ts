import type { Db } from '../client';
import { Prisma } from '../generated/client';

export type IdempotencyClaim =
  | { kind: 'claimed' }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'mismatch' }
  | { kind: 'in-progress' };

/**
 * `abandonedAfterMs`: a claim this old without an answer belongs to a request whose API instance
 * died; a retry with the key then runs again (and meets the state the first run left).
 */
export function createIdempotencyRepository(db: Db, abandonedAfterMs = 60_000) {
  return {
    /** Claims the key for this request, or says why it cannot be claimed. */
    async claim(input: {
      userId: string;
      key: string;
      method: string;
      path: string;
      requestHash: string;
    }): Promise<IdempotencyClaim> {
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

    /** Frees the key after a failure on our side, so that the client's retry runs again. */
    async release(userId: string, key: string): Promise<void> {
      await db.idempotencyRecord.deleteMany({ where: { userId, key, status: null } });
    },
  };
}

export type IdempotencyRepository = ReturnType<typeof createIdempotencyRepository>;
