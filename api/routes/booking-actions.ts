import type { UpdateDefinition } from '@temporalio/common';
import { z } from 'zod';
import type { Actor } from '../../domain/audit';
import { isIsoDate } from '../../domain/calendar';
import type { Role } from '../../domain/identity';
import { PositiveFenSchema } from '../../domain/money';
import {
  acceptUpdate,
  cancelUpdate,
  confirmUpdate,
  copaymentUpdate,
  declineUpdate,
  disputeUpdate,
  sampleReceivedUpdate,
  type BookingState,
} from '../../workflows/booking';
import { defineRoute, type RouteDefinition } from '../http/route';
import { timed } from '../http/server-timing';
import { actorOf } from '../http/workflows';
import { bookingDetail, BookingView, runBookingUpdate, visibleBooking } from './booking-views';

const IdParams = z.strictObject({ id: z.uuid() });
const Reason = z.string().trim().min(2).max(2000);

/** One step of a booking's process, as an endpoint: who may take it, what it carries. */
function bookingAction<Body extends z.ZodType<Record<string, unknown>>, Args>(spec: {
  name: string;
  operationId: string;
  summary: string;
  description?: string;
  access: readonly Role[];
  body: Body;
  update: UpdateDefinition<BookingState, [Args]>;
  args: (body: z.output<Body>, caller: { actor: Actor; requestId: string | null }) => Args;
}): RouteDefinition {
  return defineRoute({
    method: 'post',
    path: `/bookings/:id/${spec.name}`,
    operationId: spec.operationId,
    summary: spec.summary,
    description: spec.description,
    tags: ['bookings'],
    access: spec.access,
    idempotent: true,
    request: { params: IdParams, body: spec.body },
    responses: { 200: { description: 'The booking after the step', schema: BookingView } },
    errors: ['NOT_FOUND', 'CONFLICT', 'BUSINESS_RULE'],
    handler: async ({ params, body, user, deps, requestId }) => {
      const booking = await timed('read', () => visibleBooking(deps, user, params.id));
      await runBookingUpdate(
        deps,
        booking,
        spec.update,
        spec.args(body as z.output<Body>, { actor: actorOf(user), requestId }),
      );
      return {
        status: 200,
        body: await timed('view', () => bookingDetail(deps, booking)),
      };
    },
  });
}

const Empty = z.strictObject({}).default({});

export const bookingActionRoutes: RouteDefinition[] = [
  bookingAction({
    name: 'cancel',
    operationId: 'cancelBooking',
    summary: 'Cancel a booking before the samples are received; capacity and subsidy are released',
    access: ['SME'],
    body: z.strictObject({ reason: Reason }).meta({ id: 'Cancellation' }),
    update: cancelUpdate,
    args: (body, caller) => ({ reason: body.reason, ...caller }),
  }),
  bookingAction({
    name: 'confirm',
    operationId: 'confirmBooking',
    summary: 'Confirm a booking with the quote and, if it differs, the start date',
    description:
      'The subsidy follows the quote: min(floor(quote × ratio), voucher balance); the SME pays the rest.',
    access: ['PROVIDER'],
    body: z
      .strictObject({
        quotedPriceFen: PositiveFenSchema,
        startDate: z.string().refine(isIsoDate, { error: 'must be a date YYYY-MM-DD' }).optional(),
      })
      .meta({ id: 'Confirmation' }),
    update: confirmUpdate,
    args: (body, caller) => ({ quotedPriceFen: body.quotedPriceFen, startDate: body.startDate, ...caller }),
  }),
  bookingAction({
    name: 'decline',
    operationId: 'declineBooking',
    summary: 'Decline a booking; the SME is offered the next candidates',
    access: ['PROVIDER'],
    body: z.strictObject({ reason: Reason }).meta({ id: 'Declination' }),
    update: declineUpdate,
    args: (body, caller) => ({ reason: body.reason, ...caller }),
  }),
  bookingAction({
    name: 'sample-received',
    operationId: 'receiveSample',
    summary: 'Record that the samples arrived; the turnaround starts',
    access: ['PROVIDER'],
    body: Empty,
    update: sampleReceivedUpdate,
    args: (_body, caller) => caller,
  }),
  bookingAction({
    name: 'accept',
    operationId: 'acceptReport',
    summary: 'Accept the report; settlement follows',
    access: ['SME'],
    body: Empty,
    update: acceptUpdate,
    args: (_body, caller) => caller,
  }),
  bookingAction({
    name: 'dispute',
    operationId: 'disputeReport',
    summary: 'Dispute the report; an administrator resolves it',
    access: ['SME'],
    body: z.strictObject({ reason: Reason }).meta({ id: 'DisputeRequest' }),
    update: disputeUpdate,
    args: (body, caller) => ({ reason: body.reason, ...caller }),
  }),
  bookingAction({
    name: 'copayment',
    operationId: 'recordCopayment',
    summary: 'Record the SME’s own payment to the provider, with its reference',
    access: ['SME', 'PROVIDER'],
    body: z
      .strictObject({
        reference: z
          .string()
          .trim()
          .min(3)
          .max(100)
          .meta({ description: 'bank or payment-platform reference', example: 'ICBC-20261123-000123' }),
        paidAt: z.iso.datetime({ error: 'must be an ISO 8601 date-time' }),
      })
      .meta({ id: 'Copayment' }),
    update: copaymentUpdate,
    args: (body, caller) => ({ reference: body.reference, paidAt: body.paidAt, ...caller }),
  }),
];
