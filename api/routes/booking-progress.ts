import { z } from 'zod';
import { bookingAwaiting, bookingMay } from '../../domain/booking';
import { CLAIM_STATUSES } from '../../domain/claim';
import { AwaitingSchema } from '../../domain/process-schema';
import { defineRoute } from '../http/route';
import { visibleBooking } from './booking-views';

const ClaimSummaryView = z
  .object({
    id: z.uuid(),
    status: z.enum(CLAIM_STATUSES),
    amountFen: z.number().int(),
    autoApproved: z.boolean(),
    decisionReason: z.string().nullable(),
    decidedAt: z.iso.datetime().nullable(),
    paidAt: z.iso.datetime().nullable(),
    transfer: z
      .object({ reference: z.string().nullable(), sentAt: z.iso.datetime().nullable() })
      .nullable()
      .meta({ description: 'the payout transfer that paid the claim' }),
  })
  .meta({ id: 'ClaimSummary', description: 'the settlement of a booking, as its SME may see it' });

const BookingProgressView = z
  .object({
    bookingId: z.uuid(),
    status: z.string(),
    names: z.object({ voucherCode: z.string(), enterpriseName: z.string(), providerName: z.string() }),
    awaiting: AwaitingSchema.nullable().meta({ description: 'null once nothing more is awaited' }),
    mayCancel: z.boolean().meta({ description: 'the SME may still cancel (before the samples arrive)' }),
    providerMay: z
      .object({
        confirm: z.boolean(),
        decline: z.boolean(),
        receiveSamples: z.boolean(),
        uploadReport: z.boolean(),
        recordCopayment: z.boolean().meta({ description: 'a co-payment is owed and not yet recorded' }),
      })
      .meta({ description: 'the steps the provider may take now' }),
    reportLimitBytes: z.number().int().meta({ description: 'the largest report PDF the service takes' }),
    claim: ClaimSummaryView.nullable(),
  })
  .meta({ id: 'BookingProgress' });

export const bookingProgressRoutes = [
  defineRoute({
    method: 'get',
    path: '/bookings/:id/progress',
    operationId: 'getBookingProgress',
    summary: 'Where a booking stands: whose move it is and by when, and the claim and payout that follow',
    tags: ['bookings'],
    access: ['SME', 'PROVIDER', 'ADMIN', 'AUDITOR'],
    request: { params: z.strictObject({ id: z.uuid() }) },
    responses: { 200: { description: 'The booking’s progress', schema: BookingProgressView } },
    errors: ['NOT_FOUND'],
    handler: async ({ params, user, deps }) => {
      const booking = await visibleBooking(deps, user, params.id);
      const links = await deps.repos.bookings.links(booking.id);
      const claim = links.claim ? await deps.repos.claims.findById(links.claim.id) : null;
      const transfer = claim?.transferId ? await deps.repos.claims.transfer(claim.transferId) : null;
      return {
        status: 200,
        body: {
          bookingId: booking.id,
          status: booking.status,
          names: await deps.repos.bookings.names(booking),
          awaiting: bookingAwaiting(booking, links.claim),
          mayCancel: bookingMay('cancel', booking.status),
          providerMay: {
            confirm: bookingMay('confirm', booking.status),
            decline: bookingMay('decline', booking.status),
            receiveSamples: bookingMay('receiveSamples', booking.status),
            uploadReport: bookingMay('report', booking.status),
            recordCopayment:
              bookingMay('recordCopayment', booking.status) &&
              booking.copaymentFen > 0 &&
              booking.copaymentReference === null,
          },
          reportLimitBytes: deps.env.REPORT_LIMIT_BYTES,
          claim: claim
            ? {
                id: claim.id,
                status: claim.status,
                amountFen: claim.amountFen,
                autoApproved: claim.autoApproved,
                decisionReason: claim.decisionReason,
                decidedAt: claim.decidedAt?.toISOString() ?? null,
                paidAt: claim.paidAt?.toISOString() ?? null,
                transfer: transfer
                  ? { reference: transfer.gatewayReference, sentAt: transfer.sentAt?.toISOString() ?? null }
                  : null,
              }
            : null,
        },
      };
    },
  }),
];
