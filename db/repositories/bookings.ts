import type { BookingLine, BookingRecord, BookingStatus, ReportConclusion } from '../../domain/booking';
import type { IsoDate } from '../../domain/calendar';
import type { ClaimStatus } from '../../domain/claim';
import { fenFromBigInt, type Fen } from '../../domain/money';
import type { Db } from '../client';
import { Prisma, type Booking as BookingRow } from '../generated/client';
import { lockRow } from '../lock';
import type { Tx } from '../tx';
import { bookingsHoldingOn } from './capacity';
import { afterCursor, newestFirst, toPage, type Page, type PageRequest } from './page';

const isoDate = (date: Date) => date.toISOString().slice(0, 10);

export function toBooking(row: BookingRow): BookingRecord {
  return {
    id: row.id,
    voucherId: row.voucherId,
    programmeId: row.programmeId,
    enterpriseId: row.enterpriseId,
    providerId: row.providerId,
    lines: row.lines as unknown as BookingLine[],
    sampleCount: row.sampleCount,
    standards: row.standards,
    catalogPriceFen: fenFromBigInt(row.catalogPriceFen),
    quotedPriceFen: fenFromBigInt(row.quotedPriceFen),
    subsidyFen: fenFromBigInt(row.subsidyFen),
    copaymentFen: fenFromBigInt(row.copaymentFen),
    scheduledDate: isoDate(row.scheduledDate),
    status: row.status,
    statusReason: row.statusReason,
    confirmBy: row.confirmBy,
    reportDueAt: row.reportDueAt,
    dueAt: row.dueAt,
    reportedLate: row.reportedLate,
    reportSha256: row.reportSha256,
    reportConclusion: row.reportConclusion,
    reportUploadedAt: row.reportUploadedAt,
    copaymentReference: row.copaymentReference,
    copaymentPaidAt: row.copaymentPaidAt,
    workflowId: row.workflowId,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    confirmedAt: row.confirmedAt,
    sampleReceivedAt: row.sampleReceivedAt,
    acceptedAt: row.acceptedAt,
  };
}

export interface NewBooking {
  id: string;
  voucherId: string;
  programmeId: string;
  enterpriseId: string;
  providerId: string;
  lines: BookingLine[];
  sampleCount: number;
  standards: string[];
  catalogPriceFen: Fen;
  subsidyFen: Fen;
  scheduledDate: string;
  confirmBy: Date;
  workflowId: string;
  createdBy: string;
}

export async function insertBooking(tx: Tx, booking: NewBooking): Promise<BookingRecord> {
  const row = await tx.booking.create({
    data: {
      ...booking,
      lines: booking.lines as unknown as Prisma.InputJsonValue,
      catalogPriceFen: BigInt(booking.catalogPriceFen),
      // until the provider quotes, the catalog price stands
      quotedPriceFen: BigInt(booking.catalogPriceFen),
      subsidyFen: BigInt(booking.subsidyFen),
      copaymentFen: BigInt(booking.catalogPriceFen - booking.subsidyFen),
      scheduledDate: new Date(`${booking.scheduledDate}T00:00:00Z`),
      status: 'REQUESTED',
      // the provider's confirmation is what a new booking waits for
      dueAt: booking.confirmBy,
    },
  });
  return toBooking(row);
}

export async function findBooking(tx: Tx | Db, id: string): Promise<BookingRecord | null> {
  const row = await tx.booking.findUnique({ where: { id } });
  return row ? toBooking(row) : null;
}

export async function lockBooking(tx: Tx, id: string): Promise<BookingRecord> {
  return toBooking((await lockRow<BookingRow>(tx, 'bookings', id)).row);
}

/** The names a booking's summary and e-mails show. */
export interface BookingNames {
  voucherCode: string;
  enterpriseName: string;
  providerName: string;
}

/** {@link lockBooking} with the booking's {@link BookingNames}, in the same statement. */
export async function lockBookingWithNames(
  tx: Tx,
  id: string,
): Promise<{ booking: BookingRecord; names: BookingNames }> {
  const { row, joined } = await lockRow<BookingRow, BookingNames>(tx, 'bookings', id, {
    object: Prisma.sql`json_build_object('voucherCode', v.code, 'enterpriseName', e.name, 'providerName', p.name)`,
    joins: Prisma.sql`JOIN vouchers v ON v.id = t.voucher_id
                      JOIN enterprises e ON e.id = t.enterprise_id
                      JOIN providers p ON p.id = t.provider_id`,
  });
  return { booking: toBooking(row), names: joined };
}

/** The names a booking's summary and e-mails show (voucher code, enterprise, provider), in one query. */
export async function bookingNames(
  tx: Tx | Db,
  booking: Pick<BookingRecord, 'voucherId' | 'enterpriseId' | 'providerId'>,
): Promise<BookingNames> {
  const [row] = await tx.$queryRaw<
    { voucher_code: string; enterprise_name: string; provider_name: string }[]
  >`
    SELECT v.code AS voucher_code, e.name AS enterprise_name, p.name AS provider_name
      FROM vouchers v, enterprises e, providers p
     WHERE v.id = ${booking.voucherId}::uuid
       AND e.id = ${booking.enterpriseId}::uuid
       AND p.id = ${booking.providerId}::uuid`;
  if (!row) throw new Error(`the voucher, enterprise or provider of a booking is missing`);
  return {
    voucherCode: row.voucher_code,
    enterpriseName: row.enterprise_name,
    providerName: row.provider_name,
  };
}

/** {@link bookingNames} for many bookings, in one query, by booking id. */
export async function bookingNamesOf(
  tx: Tx | Db,
  bookingIds: readonly string[],
): Promise<Map<string, { voucherCode: string; enterpriseName: string; providerName: string }>> {
  if (!bookingIds.length) return new Map();
  const rows = await tx.$queryRaw<
    { id: string; voucher_code: string; enterprise_name: string; provider_name: string }[]
  >`
    SELECT b.id::text AS id, v.code AS voucher_code, e.name AS enterprise_name, p.name AS provider_name
      FROM bookings b
      JOIN vouchers v ON v.id = b.voucher_id
      JOIN enterprises e ON e.id = b.enterprise_id
      JOIN providers p ON p.id = b.provider_id
     WHERE b.id = ANY(${[...bookingIds]}::uuid[])`;
  return new Map(
    rows.map((r) => [
      r.id,
      { voucherCode: r.voucher_code, enterpriseName: r.enterprise_name, providerName: r.provider_name },
    ]),
  );
}

/** What else a booking's view links to: its open dispute and its claim, in one query. */
export async function bookingLinks(
  tx: Tx | Db,
  bookingId: string,
): Promise<{
  openDisputeId: string | null;
  claim: { id: string; status: ClaimStatus; dueAt: Date | null } | null;
}> {
  const [row] = await tx.$queryRaw<
    {
      open_dispute_id: string | null;
      claim_id: string | null;
      claim_status: ClaimStatus | null;
      claim_due_at: Date | null;
    }[]
  >`
    SELECT (SELECT d.id::text FROM disputes d
             WHERE d.booking_id = ${bookingId}::uuid AND d.status = 'OPEN'
             ORDER BY d.id LIMIT 1) AS open_dispute_id,
           c.id::text AS claim_id, c.status::text AS claim_status, c.due_at AS claim_due_at
      FROM (SELECT 1) one
      LEFT JOIN claims c ON c.booking_id = ${bookingId}::uuid`;
  return {
    openDisputeId: row?.open_dispute_id ?? null,
    claim:
      row?.claim_id && row.claim_status
        ? { id: row.claim_id, status: row.claim_status, dueAt: row.claim_due_at }
        : null,
  };
}

export type BookingLinks = Awaited<ReturnType<typeof bookingLinks>>;

/** bookingLinks of a page of bookings, in one query. */
export async function bookingLinksOf(
  tx: Tx | Db,
  bookingIds: readonly string[],
): Promise<Map<string, BookingLinks>> {
  const rows = await tx.$queryRaw<
    {
      booking_id: string;
      open_dispute_id: string | null;
      claim_id: string | null;
      claim_status: ClaimStatus | null;
      claim_due_at: Date | null;
    }[]
  >`
    SELECT b.id::text AS booking_id,
           (SELECT d.id::text FROM disputes d
             WHERE d.booking_id = b.id AND d.status = 'OPEN'
             ORDER BY d.id LIMIT 1) AS open_dispute_id,
           c.id::text AS claim_id, c.status::text AS claim_status, c.due_at AS claim_due_at
      FROM unnest(${[...bookingIds]}::uuid[]) AS b(id)
      LEFT JOIN claims c ON c.booking_id = b.id`;
  return new Map(
    rows.map((row) => [
      row.booking_id,
      {
        openDisputeId: row.open_dispute_id,
        claim:
          row.claim_id && row.claim_status
            ? { id: row.claim_id, status: row.claim_status, dueAt: row.claim_due_at }
            : null,
      },
    ]),
  );
}

export interface BookingChanges {
  status?: BookingStatus;
  statusReason?: string | null;
  lines?: BookingLine[];
  quotedPriceFen?: Fen;
  subsidyFen?: Fen;
  copaymentFen?: Fen;
  scheduledDate?: string;
  reportDueAt?: Date | null;
  dueAt?: Date | null;
  reportedLate?: boolean | null;
  reportSha256?: string | null;
  reportConclusion?: ReportConclusion | null;
  reportUploadedAt?: Date | null;
  copaymentReference?: string;
  copaymentPaidAt?: Date;
  copaymentRecordedBy?: string;
  confirmedAt?: Date;
  sampleReceivedAt?: Date;
  acceptedAt?: Date;
}

export async function updateBooking(tx: Tx, id: string, changes: BookingChanges): Promise<BookingRecord> {
  const money = (value: Fen | undefined) => (value === undefined ? undefined : BigInt(value));
  const row = await tx.booking.update({
    where: { id },
    data: {
      ...changes,
      lines: changes.lines as unknown as Prisma.InputJsonValue | undefined,
      quotedPriceFen: money(changes.quotedPriceFen),
      subsidyFen: money(changes.subsidyFen),
      copaymentFen: money(changes.copaymentFen),
      scheduledDate: changes.scheduledDate ? new Date(`${changes.scheduledDate}T00:00:00Z`) : undefined,
    },
  });
  return toBooking(row);
}

export interface BookingFilter {
  status?: BookingStatus;
  enterpriseId?: string;
  providerId?: string;
  voucherId?: string;
  programmeId?: string;
  /** only bookings holding capacity (held or booked) on this day, of this service when given */
  holding?: { day: IsoDate; serviceId?: string };
}

export function createBookingRepository(db: Db) {
  return {
    findById: (id: string) => findBooking(db, id),

    links: (bookingId: string) => bookingLinks(db, bookingId),

    linksOf: (bookingIds: readonly string[]) => bookingLinksOf(db, bookingIds),

    names: (booking: Pick<BookingRecord, 'voucherId' | 'enterpriseId' | 'providerId'>) =>
      bookingNames(db, booking),

    namesOf: (bookingIds: readonly string[]) => bookingNamesOf(db, bookingIds),

    async list({ holding, ...filter }: BookingFilter, page: PageRequest): Promise<Page<BookingRecord>> {
      const ids = holding ? { id: { in: await bookingsHoldingOn(db, holding) } } : {};
      const rows = await db.booking.findMany({
        where: { ...filter, ...ids, ...afterCursor(page.after) },
        orderBy: newestFirst,
        take: page.limit + 1,
      });
      return toPage(rows, page.limit, toBooking);
    },

    async report(bookingId: string) {
      return db.bookingReport.findFirst({
        where: { bookingId },
        orderBy: { createdAt: 'desc' },
        select: { id: true, sha256: true, conclusion: true, fileName: true, content: true, createdAt: true },
      });
    },

    /** Keeps an uploaded report before the booking process takes it; returns its id. */
    async storeReport(report: {
      id: string;
      bookingId: string;
      sha256: string;
      conclusion: ReportConclusion;
      fileName: string;
      content: Uint8Array<ArrayBuffer>;
      uploadedBy: string;
    }): Promise<void> {
      await db.bookingReport.create({ data: report });
    },

    async dropReport(id: string): Promise<void> {
      await db.bookingReport.deleteMany({ where: { id } });
    },
  };
}

export type BookingRepository = ReturnType<typeof createBookingRepository>;
