import { TERMINAL_BOOKING_STATUSES } from '../../domain/booking';
import { randomUUID } from 'node:crypto';
import type { ProviderStatus } from '../../domain/catalog';
import { fenFromBigInt } from '../../domain/money';
import {
  ProviderSubmissionSchema,
  type Accreditation,
  type ProviderRecord,
  type ProviderRegistration,
  type ProviderSubmission,
  type ServiceInput,
  type ServiceRecord,
} from '../../domain/provider';
import type { Db } from '../client';
import { Prisma } from '../generated/client';
import type {
  Accreditation as AccreditationRow,
  Provider as ProviderRow,
  Service as ServiceRow,
} from '../generated/client';
import { inTransaction, type Tx } from '../tx';
import { appendAudit, type AuditEntryOf } from './audit';
import { usageOfProvider } from './capacity';
import { afterCursor, newestFirst, toPage, type Page, type PageRequest } from './page';

const withAccreditations = {
  accreditations: { orderBy: [{ kind: 'asc' as const }, { number: 'asc' as const }] },
};

function toAccreditation(row: AccreditationRow): Accreditation {
  return {
    kind: row.kind,
    number: row.number,
    scope: row.scope,
    expiresOn: row.expiresOn.toISOString().slice(0, 10),
    expiresAt: row.expiresAt.toISOString(),
  };
}

export function toProvider(row: ProviderRow & { accreditations: AccreditationRow[] }): ProviderRecord {
  return {
    id: row.id,
    creditCode: row.creditCode,
    name: row.name,
    kind: row.kind,
    regionCode: row.regionCode,
    legalRepresentative: row.legalRepresentative,
    phone: row.phone,
    address: row.address,
    status: row.status,
    statusReason: row.statusReason,
    ratingCentis: row.ratingCentis,
    onTimeCount: row.onTimeCount,
    lateCount: row.lateCount,
    disputeCount: row.disputeCount,
    completedCount: row.completedCount,
    accreditations: row.accreditations.map(toAccreditation),
    pending:
      row.pendingAccreditations === null ? null : ProviderSubmissionSchema.parse(row.pendingAccreditations),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function toService(row: ServiceRow): ServiceRecord {
  return {
    id: row.id,
    providerId: row.providerId,
    name: row.name,
    category: row.category,
    standards: row.standards,
    unitPriceFen: fenFromBigInt(row.unitPriceFen),
    turnaroundDays: row.turnaroundDays,
    dailyCapacity: row.dailyCapacity,
    inScope: row.inScope,
    active: row.active,
  };
}

const asJson = (submission: ProviderSubmission) => submission as unknown as Prisma.InputJsonValue;

export async function findProvider(tx: Tx | Db, id: string): Promise<ProviderRecord | null> {
  const row = await tx.provider.findUnique({ where: { id }, include: withAccreditations });
  return row ? toProvider(row) : null;
}

/** Reads the provider and holds its row until the transaction ends: one change at a time. */
export async function lockProvider(tx: Tx, id: string): Promise<ProviderRecord | null> {
  const locked = await tx.$queryRaw<
    { id: string }[]
  >`SELECT id FROM providers WHERE id = ${id}::uuid FOR UPDATE`;
  return locked.length ? findProvider(tx, id) : null;
}

export type NewProvider = Omit<ProviderRegistration, 'accreditations'> & {
  id: string;
  submission: ProviderSubmission;
};

export async function insertProvider(tx: Tx, provider: NewProvider): Promise<ProviderRecord> {
  const { submission, ...fields } = provider;
  const row = await tx.provider.create({
    data: { ...fields, status: 'PENDING_VERIFICATION', pendingAccreditations: asJson(submission) },
    include: withAccreditations,
  });
  return toProvider(row);
}

/** Makes the user staff of the provider; false when the user already belongs to an organisation. */
export async function linkStaff(tx: Tx, userId: string, providerId: string): Promise<boolean> {
  const { count } = await tx.user.updateMany({
    where: { id: userId, providerId: null, enterpriseId: null },
    data: { providerId },
  });
  return count === 1;
}

export async function updateProvider(
  tx: Tx,
  id: string,
  changes: { status?: ProviderStatus; statusReason?: string | null; pending?: ProviderSubmission | null },
): Promise<void> {
  await tx.provider.update({
    where: { id },
    data: {
      status: changes.status,
      statusReason: changes.statusReason,
      pendingAccreditations:
        changes.pending === undefined
          ? undefined
          : changes.pending === null
            ? Prisma.DbNull
            : asJson(changes.pending),
    },
  });
}

/**
 * Replaces the verified accreditations, and takes the in-scope mark off every service with a
 * standard the new scope no longer covers. Returns the services that lost it.
 */
export async function replaceAccreditations(
  tx: Tx,
  providerId: string,
  accreditations: readonly Accreditation[],
): Promise<string[]> {
  await tx.accreditation.deleteMany({ where: { providerId } });
  await tx.accreditation.createMany({
    data: accreditations.map((a) => ({
      id: randomUUID(),
      providerId,
      kind: a.kind,
      number: a.number,
      scope: a.scope,
      expiresOn: new Date(`${a.expiresOn}T00:00:00Z`),
      expiresAt: new Date(a.expiresAt),
    })),
  });
  const scope = [...new Set(accreditations.flatMap((a) => a.scope))];
  const narrowed = await tx.$queryRaw<{ id: string }[]>`
    UPDATE services SET in_scope = false
    WHERE provider_id = ${providerId}::uuid AND in_scope AND NOT (standards <@ ${scope}::text[])
    RETURNING id`;
  return narrowed.map((r) => r.id);
}

export async function servicesOf(
  tx: Tx | Db,
  providerId: string,
  options: { activeOnly?: boolean } = {},
): Promise<ServiceRecord[]> {
  const rows = await tx.service.findMany({
    where: { providerId, ...(options.activeOnly ? { active: true } : {}) },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  return rows.map(toService);
}

/** The active services of several providers in one query, each provider's oldest first. */
export async function activeServicesOfMany(
  tx: Tx | Db,
  providerIds: readonly string[],
): Promise<Map<string, ServiceRecord[]>> {
  const rows = await tx.service.findMany({
    where: { providerId: { in: [...providerIds] }, active: true },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  const byProvider = new Map<string, ServiceRecord[]>(providerIds.map((id) => [id, []]));
  for (const row of rows) byProvider.get(row.providerId)?.push(toService(row));
  return byProvider;
}

/**
 * Writes the whole catalog: listed services are changed or added, the rest withdrawn (bookings and
 * holds still name them). A changed daily capacity applies to days already booked from `today`
 * on, never below what those days have taken. Changes nothing when an id is not the provider's.
 */
export async function replaceServices(
  tx: Tx,
  providerId: string,
  services: readonly ServiceInput[],
  today: string,
): Promise<{ services: ServiceRecord[]; unknownIds: string[] }> {
  const existing = await tx.service.findMany({ where: { providerId }, select: { id: true } });
  const own = new Set(existing.map((s) => s.id));
  const unknownIds = services.flatMap((s) => (s.id && !own.has(s.id) ? [s.id] : []));
  if (unknownIds.length) return { services: [], unknownIds };

  const kept: string[] = [];
  for (const service of services) {
    const data = {
      name: service.name,
      category: service.category,
      standards: service.standards,
      unitPriceFen: BigInt(service.unitPriceFen),
      turnaroundDays: service.turnaroundDays,
      dailyCapacity: service.dailyCapacity,
      inScope: service.inScope,
      active: true,
    };
    if (service.id) {
      await tx.service.update({ where: { id: service.id }, data });
      await tx.$executeRaw`
        UPDATE service_day_usage SET capacity = GREATEST(${service.dailyCapacity}::int, used)
        WHERE service_id = ${service.id}::uuid AND day >= ${today}::date`;
      kept.push(service.id);
    } else {
      const id = randomUUID();
      await tx.service.create({ data: { id, providerId, ...data } });
      kept.push(id);
    }
  }
  await tx.service.updateMany({
    where: { providerId, id: { notIn: kept }, active: true },
    data: { active: false },
  });
  await touchProvider(tx, providerId);
  return { services: await servicesOf(tx, providerId, { activeOnly: true }), unknownIds: [] };
}

/** Marks the provider changed, so that every matching catalog cache reloads it. */
export async function touchProvider(tx: Tx, providerId: string): Promise<void> {
  await tx.provider.update({ where: { id: providerId }, data: { updatedAt: new Date() } });
}

// bookings whose work is still ahead: their SMEs must hear when the provider is delisted
/** Bookings still open at the provider, and the enterprise each belongs to. */
export async function openBookingsOf(
  tx: Tx | Db,
  providerId: string,
): Promise<{ bookingId: string; enterpriseId: string }[]> {
  const rows = await tx.booking.findMany({
    where: { providerId, status: { notIn: [...TERMINAL_BOOKING_STATUSES] } },
    select: { id: true, enterpriseId: true },
    orderBy: { createdAt: 'asc' },
  });
  return rows.map((r) => ({ bookingId: r.id, enterpriseId: r.enterpriseId }));
}

export interface ProviderFilter {
  status?: ProviderStatus;
  /** only providers whose submitted accreditations wait for an administrator */
  awaitingVerification?: boolean;
}

/** The registered provider, or why nothing was written. */
export type ProviderRegistrationResult =
  { registered: ProviderRecord } | { refused: 'CREDIT_CODE_TAKEN' | 'ALREADY_STAFF' };

/** The user belongs to an organisation: the registration's transaction rolls back. */
class AlreadyStaff extends Error {}

const isUniqueViolation = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

export function createProviderRepository(db: Db) {
  return {
    findById: (id: string) => findProvider(db, id),

    async findByCreditCode(creditCode: string): Promise<ProviderRecord | null> {
      const row = await db.provider.findUnique({ where: { creditCode }, include: withAccreditations });
      return row ? toProvider(row) : null;
    },

    services: (providerId: string) => servicesOf(db, providerId, { activeOnly: true }),

    servicesOfMany: (providerIds: readonly string[]) => activeServicesOfMany(db, providerIds),

    usage: (query: { providerId: string; from: string; to: string }) => usageOfProvider(db, query),

    async list(filter: ProviderFilter, page: PageRequest): Promise<Page<ProviderRecord>> {
      const rows = await db.provider.findMany({
        where: {
          status: filter.status,
          ...(filter.awaitingVerification ? { pendingAccreditations: { not: Prisma.AnyNull } } : {}),
          ...afterCursor(page.after),
        },
        orderBy: newestFirst,
        take: page.limit + 1,
        include: withAccreditations,
      });
      return toPage(rows, page.limit, toProvider);
    },

    /**
     * Writes the provider, pending verification, makes the user its staff and appends the audit
     * entry, in one transaction.
     */
    async register(
      provider: NewProvider,
      staffUserId: string,
      audit: AuditEntryOf<ProviderRecord>,
    ): Promise<ProviderRegistrationResult> {
      try {
        const registered = await inTransaction(db, async (tx) => {
          const created = await insertProvider(tx, provider);
          if (!(await linkStaff(tx, staffUserId, provider.id))) throw new AlreadyStaff();
          await appendAudit(tx, audit(created));
          return created;
        });
        return { registered };
      } catch (error) {
        if (error instanceof AlreadyStaff) return { refused: 'ALREADY_STAFF' };
        if (isUniqueViolation(error)) return { refused: 'CREDIT_CODE_TAKEN' };
        throw error;
      }
    },

    /**
     * Replaces the catalog (see replaceServices) and appends the audit entry, in one transaction;
     * writes nothing when an id is not one of the provider's.
     */
    replaceCatalog(
      change: { providerId: string; services: readonly ServiceInput[]; today: string },
      audit: AuditEntryOf<{ before: ServiceRecord[]; after: ServiceRecord[] }>,
    ): Promise<{ services: ServiceRecord[]; unknownIds: string[] }> {
      return inTransaction(db, async (tx) => {
        const before = await servicesOf(tx, change.providerId, { activeOnly: true });
        const result = await replaceServices(tx, change.providerId, change.services, change.today);
        if (result.unknownIds.length) return result;
        await appendAudit(tx, audit({ before, after: result.services }));
        return result;
      });
    },
  };
}

export type ProviderRepository = ReturnType<typeof createProviderRepository>;
