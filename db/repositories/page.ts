/** Keyset pagination over (createdAt, id), newest first: stable while rows are added. */
export interface PageCursor {
  createdAt: Date;
  id: string;
}

export interface PageRequest {
  limit: number;
  after?: PageCursor;
}

export interface Page<T> {
  items: T[];
  next: PageCursor | null;
}

/**
 * Rows after the cursor, ordering by `field` (a timestamp column) and then id. The bound
 * `field <= cursor` is implied by the OR, and said anyway: it is what lets an index on
 * (…, field, id) start the scan at the cursor, so that a deep page reads as few rows as the first.
 */
export function afterCursor<Field extends string = 'createdAt'>(
  after: PageCursor | undefined,
  field?: Field,
) {
  if (!after) return {};
  const key = (field ?? 'createdAt') as Field;
  return {
    AND: [
      { [key]: { lte: after.createdAt } } as Record<Field, { lte: Date }>,
      {
        OR: [
          { [key]: { lt: after.createdAt } } as Record<Field, { lt: Date }>,
          { [key]: after.createdAt, id: { lt: after.id } } as Record<Field, Date> & { id: { lt: string } },
        ],
      },
    ],
  };
}

export const newestFirst = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];

/** Rows were fetched with `take: limit + 1`; the extra row only says there is a next page. */
export function toPage<Row extends PageCursor, T>(rows: Row[], limit: number, map: (row: Row) => T): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(map),
    next: rows.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null,
  };
}
