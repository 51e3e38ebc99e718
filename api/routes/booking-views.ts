import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { z } from 'zod';
import {
  BOOKING_STATUSES,
  bookingAwaiting,
  REPORT_CONCLUSIONS,
  TERMINAL_BOOKING_STATUSES,
  type BookingRecord,
} from '../../domain/booking';
import { AwaitingSchema } from '../../domain/process-schema';
import { subsidyRoom } from '../../domain/subsidy';
import { ServiceCategorySchema } from '../../domain/catalog';
import type { AuthUser } from '../../domain/identity';
import type { BookingState } from '../../workflows/booking';
import type { BookingLinks } from '../../db/repositories/bookings';
import type { ApiDeps } from '../deps';
import { AppError } from '../errors';
import { timelineFrom, TimelineEntrySchema } from '../http/timeline';
import { intoWorkflow, workflowUrl } from '../http/workflows';

export const BookingLineView = z
  .object({
    serviceId: z.uuid(),
    serviceName: z.string(),
    category: ServiceCategorySchema,
    standards: z.array(z.string()),
    unitPriceFen: z.number().int(),
    turnaroundDays: z.number().int(),
    startDate: z.string(),
    completionDate: z.string(),
  })
  .meta({ id: 'BookingLine' });

export const BookingView = z
  .object({
    id: z.uuid(),
    voucherId: z.uuid(),
    programmeId: z.uuid(),
    enterpriseId: z.uuid(),
    providerId: z.uuid(),
    status: z.enum(BOOKING_STATUSES),
    statusReason: z.string().nullable(),
    lines: z.array(BookingLineView),
    sampleCount: z.number().int(),
    standards: z.array(z.string()),
    catalogPriceFen: z.number().int(),
    quotedPriceFen: z.number().int().meta({ description: 'the catalog price until the provider quotes' }),
    subsidyFen: z
      .number()
      .int()
      .meta({ description: 'min(floor(quoted price × subsidy ratio), voucher balance)' }),
    copaymentFen: z
      .number()
      .int()
      .meta({ description: 'quoted price − subsidy: what the SME pays the provider' }),
    scheduledDate: z.string(),
    confirmBy: z.iso.datetime().nullable(),
    reportDueAt: z.iso.datetime().nullable(),
    report: z
      .object({
        sha256: z.string(),
        conclusion: z.enum(REPORT_CONCLUSIONS),
        uploadedAt: z.iso.datetime(),
        late: z.boolean(),
        url: z.string().meta({ description: 'download the PDF' }),
      })
      .nullable(),
    copayment: z.object({ reference: z.string(), paidAt: z.iso.datetime() }).nullable(),
    openDisputeId: z.uuid().nullable(),
    claimId: z.uuid().nullable(),
    awaiting: AwaitingSchema.nullable().meta({
      description:
        'what the booking waits for now, from whom and by when; null once nothing more will happen',
    }),
    createdAt: z.iso.datetime(),
    workflowId: z.string(),
    workflowUrl: z.string(),
    timeline: z.array(TimelineEntrySchema).optional(),
    subsidyTerms: z
      .object({
        ratioBps: z.number().int().meta({ description: 'the programme’s subsidy ratio, in basis points' }),
        capFen: z.number().int().meta({
          description:
            'the most the subsidy may be now: what the booking holds plus the active voucher’s balance',
        }),
      })
      .optional()
      .meta({
        description:
          'what a quote’s subsidy is computed from (domain/subsidy.ts), on a single booking’s answer only',
      }),
  })
  .meta({ id: 'Booking' });

/** A booking as the API shows it in a list; {@link bookingDetail} adds its timeline and subsidy terms. */
export async function bookingView(deps: ApiDeps, booking: BookingRecord, links?: BookingLinks) {
  const { openDisputeId, claim } = links ?? (await deps.repos.bookings.links(booking.id));
  return {
    id: booking.id,
    voucherId: booking.voucherId,
    programmeId: booking.programmeId,
    enterpriseId: booking.enterpriseId,
    providerId: booking.providerId,
    status: booking.status,
    statusReason: booking.statusReason,
    lines: booking.lines,
    sampleCount: booking.sampleCount,
    standards: booking.standards,
    catalogPriceFen: booking.catalogPriceFen,
    quotedPriceFen: booking.quotedPriceFen,
    subsidyFen: booking.subsidyFen,
    copaymentFen: booking.copaymentFen,
    scheduledDate: booking.scheduledDate,
    confirmBy: booking.confirmBy?.toISOString() ?? null,
    reportDueAt: booking.reportDueAt?.toISOString() ?? null,
    report:
      booking.reportSha256 && booking.reportConclusion && booking.reportUploadedAt
        ? {
            sha256: booking.reportSha256,
            conclusion: booking.reportConclusion,
            uploadedAt: booking.reportUploadedAt.toISOString(),
            late: booking.reportedLate ?? false,
            url: `/api/v1/bookings/${booking.id}/report`,
          }
        : null,
    copayment:
      booking.copaymentReference && booking.copaymentPaidAt
        ? { reference: booking.copaymentReference, paidAt: booking.copaymentPaidAt.toISOString() }
        : null,
    openDisputeId,
    claimId: claim?.id ?? null,
    awaiting: bookingAwaiting(booking, claim),
    createdAt: booking.createdAt.toISOString(),
    workflowId: booking.workflowId,
    workflowUrl: workflowUrl(deps, booking.workflowId),
  };
}

/**
 * One booking as it stands now, with the timeline of its steps (its claim's too) and its subsidy terms.
 * `known` names the booking, its voucher and its programme, which never change, so the booking's row,
 * links, steps, voucher and programme are read at once rather than one after the other; a claim's
 * steps, once there is a claim, in a second round.
 */
export async function bookingDetail(
  deps: ApiDeps,
  known: Pick<BookingRecord, 'id' | 'voucherId' | 'programmeId'>,
) {
  const [booking, links, steps, voucher, programme] = await Promise.all([
    deps.repos.bookings.findById(known.id),
    deps.repos.bookings.links(known.id),
    deps.repos.audit.timeline([{ entityType: 'booking', entityId: known.id }]),
    deps.repos.vouchers.findById(known.voucherId),
    deps.repos.programmes.findById(known.programmeId),
  ]);
  if (!booking) throw AppError.notFound('booking', known.id);
  return {
    ...(await bookingView(deps, booking, links)),
    timeline: timelineFrom(
      steps,
      links.claim ? await deps.repos.audit.timeline([{ entityType: 'claim', entityId: links.claim.id }]) : [],
    ),
    subsidyTerms:
      voucher && programme
        ? { ratioBps: programme.policy.subsidyRatioBps, capFen: subsidyRoom(voucher, booking.subsidyFen) }
        : undefined,
  };
}

/** A page of bookings: their disputes and claims read in one query, not one per booking. */
export async function bookingViews(deps: ApiDeps, bookings: BookingRecord[]) {
  const links = await deps.repos.bookings.linksOf(bookings.map((b) => b.id));
  return Promise.all(bookings.map((b) => bookingView(deps, b, links.get(b.id))));
}

/** Who may see a booking: its SME, its provider, administrators and auditors; 404 for anyone else. */
export function mayAccessBooking(
  user: AuthUser,
  booking: Pick<BookingRecord, 'enterpriseId' | 'providerId'>,
): boolean {
  if (user.role === 'SME') return user.enterpriseId === booking.enterpriseId;
  if (user.role === 'PROVIDER') return user.providerId === booking.providerId;
  return true;
}

export async function visibleBooking(deps: ApiDeps, user: AuthUser, id: string): Promise<BookingRecord> {
  const booking = await deps.repos.bookings.findById(id);
  if (!booking || !mayAccessBooking(user, booking)) throw AppError.notFound('booking', id);
  return booking;
}

/**
 * A booking is answered once it is in the database while the voucher's process starts the booking's
 * own: for a moment a step may find no process yet. A live booking's step waits for it, this long
 * at most in all (about half a second); a booking that has ended has no process to wait for. The
 * first waits are short: the process usually exists a few milliseconds after the answer, and a
 * step taken at once should not wait much longer than that.
 */
const PROCESS_START_WAITS_MS = [2, 4, 8, 16, 32, 64, 128, 256];

/** Sends one of the booking process's updates; what it refuses becomes the API's answer. */
export function runBookingUpdate<Args>(
  deps: ApiDeps,
  booking: Pick<BookingRecord, 'id' | 'workflowId' | 'status'>,
  update: UpdateDefinition<BookingState, [Args]>,
  arg: Args,
): Promise<BookingState> {
  const handle = deps.temporal.workflow.getHandle(booking.workflowId);
  const waits = TERMINAL_BOOKING_STATUSES.includes(booking.status) ? [] : PROCESS_START_WAITS_MS;
  return intoWorkflow(
    deps,
    async () => {
      for (const wait of waits) {
        try {
          return await handle.executeUpdate(update, { args: [arg] });
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) throw error;
          await sleep(wait);
        }
      }
      return handle.executeUpdate(update, { args: [arg] });
    },
    'the booking',
    `/api/v1/bookings/${booking.id}`,
  );
}
