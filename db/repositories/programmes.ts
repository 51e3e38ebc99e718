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
  /**
   * The schedule its payout batches run on, as its Temporal Schedule was created (the policy's own or
   * the service default of that day); null for a programme set up before it was recorded.
   */
  payoutSchedule: string | null;
  status: 'ACTIVE' | 'CLOSED';
  createdBy: string;
  createdAt: Date;
}

/** A batch opens with every approved claim not yet paid and completes once each transfer is sent. */
export const PAYOUT_BATCH_STATUSES = ['RUNNING', 'COMPLETED'] as const;

/** One payout run of a programme: what it found to pay and how far it got. */
export interface PayoutBatchRecord {
  id: string;
  programmeId: string;
  status: (typeof PAYOUT_BATCH_STATUSES)[number];
  totalFen: Fen;
  transfers: number;
  transfersSent: number;
  claims: number;
  createdAt: Date;
  completedAt: Date | null;
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
    payoutSchedule: row.payoutSchedule,
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

    /** The programmes a page of rows belongs to, in one query. */
    async findByIds(ids: readonly string[]): Promise<Map<string, ProgrammeRecord>> {
      const unique = [...new Set(ids)];
      if (unique.length === 0) return new Map();
      const rows = await db.programme.findMany({ where: { id: { in: unique } } });
      return new Map(rows.map((row) => [row.id, toProgramme(row)]));
    },

    async list(filter: { status?: 'ACTIVE' | 'CLOSED' }, page: PageRequest): Promise<Page<ProgrammeRecord>> {
      const rows = await db.programme.findMany({
        where: { status: filter.status, ...afterCursor(page.after) },
        orderBy: newestFirst,
        take: page.limit + 1,
      });
      return toPage(rows, page.limit, toProgramme);
    },

    /** The programme's payout batches, newest first. */
    async payoutBatches(programmeId: string, page: PageRequest): Promise<Page<PayoutBatchRecord>> {
      const rows = await db.payoutBatch.findMany({
        where: { programmeId, ...afterCursor(page.after) },
        orderBy: newestFirst,
        take: page.limit + 1,
        include: { transfers: { select: { status: true, _count: { select: { claims: true } } } } },
      });
      return toPage(rows, page.limit, (row) => ({
        id: row.id,
        programmeId: row.programmeId,
        status: row.status,
        totalFen: fenFromBigInt(row.totalFen),
        transfers: row.transfers.length,
        transfersSent: row.transfers.filter((t) => t.status === 'SENT').length,
        claims: row.transfers.reduce((sum, t) => sum + t._count.claims, 0),
        createdAt: row.createdAt,
        completedAt: row.completedAt,
      }));
    },
  };
}

export type ProgrammeRepository = ReturnType<typeof createProgrammeRepository>;
