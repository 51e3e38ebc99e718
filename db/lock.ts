import { Prisma } from './generated/client';
import type { Tx } from './tx';

/** The tables whose rows a step locks by id before it changes them (lock order: db/tx.ts). */
export type LockedTable = 'enterprises' | 'applications' | 'vouchers' | 'bookings' | 'claims';

const fieldName = (column: string) => column.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** A row read by raw SQL, under the Prisma model's field names (the columns are their snake_case). */
function asModelRow<Row>(row: Record<string, unknown>): Row {
  return Object.fromEntries(Object.entries(row).map(([column, value]) => [fieldName(column), value])) as Row;
}

/** The error `findUniqueOrThrow` gives for a missing row, so that a step classifies both alike. */
function notFound(table: LockedTable, id: string): Error {
  return new Prisma.PrismaClientKnownRequestError(`no ${table} row with id ${id}`, {
    code: 'P2025',
    clientVersion: Prisma.prismaVersion.client,
  });
}

/** the alias of {@link lockRow}'s joined facts: no table has a column of that name */
const WITH = 'locked_row_with';

/**
 * Locks one row for the rest of the transaction (`SELECT … FOR UPDATE`) and reads it, in one
 * statement: each statement of a step's transaction is a round trip its caller waits for.
 * `joined` adds facts of other rows (a JSON object built by `object` from the tables `joins` joins to
 * `t`, the locked row); only the row itself is locked. Null when there is no such row.
 */
export async function lockRowIfAny<Row, Joined = never>(
  tx: Tx,
  table: LockedTable,
  id: string,
  joined?: { object: Prisma.Sql; joins: Prisma.Sql },
): Promise<{ row: Row; joined: Joined } | null> {
  const [found] = await tx.$queryRaw<Record<string, unknown>[]>`
    SELECT t.*${joined ? Prisma.sql`, ${joined.object} AS ${Prisma.raw(WITH)}` : Prisma.empty}
      FROM ${Prisma.raw(table)} t ${joined?.joins ?? Prisma.empty}
     WHERE t.id = ${id}::uuid
       FOR UPDATE OF t`;
  if (!found) return null;
  const { [WITH]: facts, ...row } = found;
  return { row: asModelRow<Row>(row), joined: facts as Joined };
}

/** {@link lockRowIfAny} of a row that must exist: a missing one fails as Prisma's `findUniqueOrThrow` does. */
export async function lockRow<Row, Joined = never>(
  tx: Tx,
  table: LockedTable,
  id: string,
  joined?: { object: Prisma.Sql; joins: Prisma.Sql },
): Promise<{ row: Row; joined: Joined }> {
  const found = await lockRowIfAny<Row, Joined>(tx, table, id, joined);
  if (!found) throw notFound(table, id);
  return found;
}
