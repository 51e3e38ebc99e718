import type { ApplicationRecord, ApplicationStatus, NewApplication } from '../../domain/application';

export type { NewApplication };
import type { Demand } from '../../domain/demand';
import type { EligibilityIssue } from '../../domain/eligibility';
import { fenFromBigInt, type Fen } from '../../domain/money';
import type { Db } from '../client';
import type { Application as ApplicationRow, Prisma } from '../generated/client';
import { lockRow } from '../lock';
import type { Tx } from '../tx';
import { afterCursor, newestFirst, toPage, type Page, type PageRequest } from './page';

/** The names an application's summary and e-mails show (programme, enterprise), in one query. */
export async function applicationNames(
  tx: Tx | Db,
  application: Pick<ApplicationRecord, 'id' | 'programmeId' | 'enterpriseId'>,
): Promise<{ programmeName: string; enterpriseName: string }> {
  const [row] = await tx.$queryRaw<{ programme_name: string; enterprise_name: string }[]>`
    SELECT p.name AS programme_name, e.name AS enterprise_name
      FROM programmes p, enterprises e
     WHERE p.id = ${application.programmeId}::uuid AND e.id = ${application.enterpriseId}::uuid`;
  if (!row) throw new Error(`the programme or enterprise of application ${application.id} is missing`);
  return { programmeName: row.programme_name, enterpriseName: row.enterprise_name };
}

/** What a list shows beside each application (names, its voucher), for a whole page in one query. */
export async function applicationListingOf(
  tx: Tx | Db,
  applicationIds: readonly string[],
): Promise<Map<string, { programmeName: string; enterpriseName: string; voucherId: string | null }>> {
  const rows = await tx.$queryRaw<
    { id: string; programme_name: string; enterprise_name: string; voucher_id: string | null }[]
  >`
    SELECT a.id::text AS id, p.name AS programme_name, e.name AS enterprise_name, v.id::text AS voucher_id
      FROM applications a
      JOIN programmes p ON p.id = a.programme_id
      JOIN enterprises e ON e.id = a.enterprise_id
      LEFT JOIN vouchers v ON v.application_id = a.id
     WHERE a.id = ANY(${[...applicationIds]}::uuid[])`;
  return new Map(
    rows.map((r) => [
      r.id,
      { programmeName: r.programme_name, enterpriseName: r.enterprise_name, voucherId: r.voucher_id },
    ]),
  );
}

export function toApplication(row: ApplicationRow): ApplicationRecord {
  return {
    id: row.id,
    programmeId: row.programmeId,
    enterpriseId: row.enterpriseId,
    submittedBy: row.submittedBy,
    requestedAmountFen: fenFromBigInt(row.requestedAmountFen),
    approvedAmountFen: row.approvedAmountFen === null ? null : fenFromBigInt(row.approvedAmountFen),
    purpose: row.purpose,
    demand: row.demand as unknown as Demand,
    status: row.status,
    eligibilityIssues: row.eligibilityIssues as unknown as EligibilityIssue[],
    decisionReason: row.decisionReason,
    infoRequest: row.infoRequest,
    revision: row.revision,
    workflowId: row.workflowId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    decidedAt: row.decidedAt,
    dueAt: row.dueAt,
  };
}

/**
 * Inserts the application once; a repeated call returns the row and says it existed. `oneOpenRule`:
 * whether the programme allows one open application per enterprise (the database then holds it too).
 */
export async function insertApplication(
  tx: Tx,
  application: NewApplication & { oneOpenRule: boolean },
): Promise<{ record: ApplicationRecord; created: boolean }> {
  const existing = await tx.application.findUnique({ where: { id: application.id } });
  if (existing) return { record: toApplication(existing), created: false };
  const row = await tx.application.create({
    data: {
      ...application,
      requestedAmountFen: BigInt(application.requestedAmountFen),
      demand: application.demand,
      status: 'SUBMITTED',
    },
  });
  return { record: toApplication(row), created: true };
}

export async function lockApplication(tx: Tx, id: string): Promise<ApplicationRecord> {
  return toApplication((await lockRow<ApplicationRow>(tx, 'applications', id)).row);
}

export interface ApplicationChanges {
  status?: ApplicationStatus;
  eligibilityIssues?: EligibilityIssue[];
  approvedAmountFen?: Fen;
  decisionReason?: string | null;
  infoRequest?: string | null;
  decidedAt?: Date;
  requestedAmountFen?: Fen;
  purpose?: string;
  demand?: Demand;
  revision?: number;
  dueAt?: Date | null;
}

export async function updateApplication(
  tx: Tx,
  id: string,
  changes: ApplicationChanges,
): Promise<ApplicationRecord> {
  const row = await tx.application.update({
    where: { id },
    data: {
      ...changes,
      eligibilityIssues: changes.eligibilityIssues as unknown as Prisma.InputJsonValue | undefined,
      demand: changes.demand,
      approvedAmountFen:
        changes.approvedAmountFen === undefined ? undefined : BigInt(changes.approvedAmountFen),
      requestedAmountFen:
        changes.requestedAmountFen === undefined ? undefined : BigInt(changes.requestedAmountFen),
    },
  });
  return toApplication(row);
}

/**
 * The enterprise's other business with the programme, as eligibility counts it: applications
 * under review, active vouchers, and what its vouchers of the year consumed (face value less what
 * was given back at expiry or revocation). The application's own voucher, once it has one, is not
 * counted against it.
 */
export async function othersOf(
  tx: Tx | Db,
  query: {
    programmeId: string;
    enterpriseId: string;
    excludeApplicationId: string;
    yearStart: Date;
    yearEnd: Date;
  },
): Promise<{ openApplications: number; activeVouchers: number; usedThisYearFen: Fen }> {
  // one statement: inside a transaction its three parts would otherwise wait for each other on one connection
  const [row] = await tx.$queryRaw<{ open_applications: number; active_vouchers: number; used: bigint }[]>`
    SELECT
      (SELECT count(*) FROM applications
        WHERE programme_id = ${query.programmeId}::uuid AND enterprise_id = ${query.enterpriseId}::uuid
          AND status IN ('UNDER_REVIEW', 'INFO_REQUESTED') AND id <> ${query.excludeApplicationId}::uuid
      )::int AS open_applications,
      (SELECT count(*) FROM vouchers
        WHERE programme_id = ${query.programmeId}::uuid AND enterprise_id = ${query.enterpriseId}::uuid
          AND status = 'ACTIVE' AND application_id <> ${query.excludeApplicationId}::uuid
      )::int AS active_vouchers,
      (SELECT COALESCE(SUM(face_value_fen - released_fen), 0) FROM vouchers
        WHERE programme_id = ${query.programmeId}::uuid AND enterprise_id = ${query.enterpriseId}::uuid
          AND application_id <> ${query.excludeApplicationId}::uuid
          AND issued_at >= ${query.yearStart} AND issued_at < ${query.yearEnd}
      )::bigint AS used`;
  return {
    openApplications: row!.open_applications,
    activeVouchers: row!.active_vouchers,
    usedThisYearFen: fenFromBigInt(row!.used),
  };
}

export interface ApplicationFilter {
  status?: ApplicationStatus;
  programmeId?: string;
  enterpriseId?: string;
}

export function createApplicationRepository(db: Db) {
  return {
    async findById(id: string): Promise<ApplicationRecord | null> {
      const row = await db.application.findUnique({ where: { id } });
      return row ? toApplication(row) : null;
    },

    async list(filter: ApplicationFilter, page: PageRequest): Promise<Page<ApplicationRecord>> {
      const rows = await db.application.findMany({
        where: { ...filter, ...afterCursor(page.after) },
        orderBy: newestFirst,
        take: page.limit + 1,
      });
      return toPage(rows, page.limit, toApplication);
    },

    /** Every application of the enterprise, oldest first, with its programme's name. */
    async ofEnterprise(enterpriseId: string): Promise<(ApplicationRecord & { programmeName: string })[]> {
      const rows = await db.application.findMany({
        where: { enterpriseId },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        include: { programme: { select: { name: true } } },
      });
      return rows.map((row) => ({ ...toApplication(row), programmeName: row.programme.name }));
    },

    others: (query: Parameters<typeof othersOf>[1]) => othersOf(db, query),

    names: (application: Pick<ApplicationRecord, 'id' | 'programmeId' | 'enterpriseId'>) =>
      applicationNames(db, application),

    listingOf: (applicationIds: readonly string[]) => applicationListingOf(db, applicationIds),
  };
}

export type ApplicationRepository = ReturnType<typeof createApplicationRepository>;
