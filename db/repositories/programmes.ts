import { fenFromBigInt, type Fen } from '../../domain/money';
import { PolicySchema, type Policy } from '../../domain/policy';
import type { Db } from '../client';
import type { Programme as ProgrammeRow } from '../generated/client';
import type { Tx } from '../tx';
import { afterCursor, newestFirst, toPage, type Page, type PageRequest } from './page';

export interface ProgrammeRecord {
  id: string;
  name: string;
  authority: string;
  year: number;
  regionCode: string;
  budgetFen: Fen;
  policy: Policy;
  status: 'ACTIVE' | 'CLOSED';
  createdBy: string;
  createdAt: Date;
}

export function toProgramme(row: ProgrammeRow): ProgrammeRecord {
  return {
    id: row.id,
    name: row.name,
    authority: row.authority,
    year: row.year,
    regionCode: row.regionCode,
    budgetFen: fenFromBigInt(row.budgetFen),
    policy: PolicySchema.parse(row.policy),
    status: row.status,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
  };
}

export async function insertProgramme(
  tx: Tx,
  programme: Omit<ProgrammeRecord, 'createdAt' | 'status'>,
): Promise<ProgrammeRecord> {
  const row = await tx.programme.create({
    data: {
      ...programme,
      budgetFen: BigInt(programme.budgetFen),
      policy: programme.policy,
      status: 'ACTIVE',
    },
  });
  return toProgramme(row);
}

export async function findProgramme(tx: Tx | Db, id: string): Promise<ProgrammeRecord | null> {
  const row = await tx.programme.findUnique({ where: { id } });
  return row ? toProgramme(row) : null;
}

export function createProgrammeRepository(db: Db) {
  return {
    findById: (id: string) => findProgramme(db, id),

    async list(filter: { status?: 'ACTIVE' | 'CLOSED' }, page: PageRequest): Promise<Page<ProgrammeRecord>> {
      const rows = await db.programme.findMany({
        where: { status: filter.status, ...afterCursor(page.after) },
        orderBy: newestFirst,
        take: page.limit + 1,
      });
      return toPage(rows, page.limit, toProgramme);
    },
  };
}

export type ProgrammeRepository = ReturnType<typeof createProgrammeRepository>;
