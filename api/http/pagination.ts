import { z } from 'zod';
import type { PageCursor } from '../../db/repositories/page';
import { AppError } from '../errors';

export const MAX_PAGE_SIZE = 100;

// every paged table is keyed by a UUID: anything else in a cursor was not made here
const cursorSchema = z.tuple([z.iso.datetime(), z.uuid()]);

export function encodeCursor(cursor: PageCursor | null): string | null {
  if (!cursor) return null;
  return Buffer.from(JSON.stringify([cursor.createdAt.toISOString(), cursor.id])).toString('base64url');
}

/** The position a cursor names, or null when the value is not a cursor this API could have made. */
function parseCursor(value: string): PageCursor | null {
  try {
    const [createdAt, id] = cursorSchema.parse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
    const at = new Date(createdAt);
    // a time PostgreSQL's timestamptz cannot hold (year 0000) is no cursor of ours either
    return at.getUTCFullYear() >= 1 ? { createdAt: at, id } : null;
  } catch {
    return null;
  }
}

export function decodeCursor(value: string | undefined): PageCursor | undefined {
  if (value === undefined) return undefined;
  const cursor = parseCursor(value);
  if (cursor) return cursor;
  throw new AppError('INVALID', 'cursor is not one this API returned', {
    code: 'VALIDATION_FAILED',
    issues: [
      { in: 'query', field: 'cursor', reason: 'is not a cursor this API returned', code: 'invalid_cursor' },
    ],
  });
}

const pageFields = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE, { error: `must be at most ${MAX_PAGE_SIZE}` })
    .default(20)
    .meta({ description: `page size, 1–${MAX_PAGE_SIZE}` }),
  // checked with the query, so that no list can take a cursor it did not hand out, whatever it reads
  cursor: z
    .string()
    .max(200)
    .refine((value) => parseCursor(value) !== null, { error: 'is not a cursor this API returned' })
    .optional()
    .meta({ description: 'nextCursor of the previous page' }),
};

/** `?limit=&cursor=` plus `?status=` when the list has statuses; unknown parameters are refused. */
export function listQuery(): z.ZodObject<typeof pageFields, z.core.$strict>;
export function listQuery<Status extends z.ZodType>(
  status: Status,
): z.ZodObject<typeof pageFields & { status: z.ZodOptional<Status> }, z.core.$strict>;
export function listQuery(status?: z.ZodType) {
  return status ? z.strictObject({ ...pageFields, status: status.optional() }) : z.strictObject(pageFields);
}

export function pageSchema<Item extends z.ZodType>(item: Item, id: string) {
  return z
    .object({
      items: z.array(item),
      nextCursor: z
        .string()
        .nullable()
        .meta({ description: 'pass as `cursor` for the next page; null on the last' }),
    })
    .meta({ id });
}
