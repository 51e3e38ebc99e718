import { z } from 'zod';
import { DISPUTE_RESOLUTIONS } from '../../domain/booking';
import { resolveDisputeUpdate } from '../../workflows/booking';
import { AppError } from '../errors';
import { defineRoute } from '../http/route';
import { actorOf } from '../http/workflows';
import { bookingDetail, BookingView, runBookingUpdate } from './booking-views';

const DisputeView = z
  .object({
    id: z.uuid(),
    bookingId: z.uuid(),
    reason: z.string().meta({ description: 'the SME’s words: why it disputes the report' }),
    programmeId: z.uuid(),
    enterpriseName: z.string(),
    providerName: z.string(),
    dueAt: z.iso
      .datetime()
      .nullable()
      .meta({ description: 'while open: when the wait for a resolution is escalated' }),
    status: z.enum(['OPEN', 'RESOLVED']),
    resolution: z.enum(DISPUTE_RESOLUTIONS).nullable(),
    note: z.string().nullable(),
    createdAt: z.iso.datetime(),
    resolvedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Dispute' });

export const disputeRoutes = [
  defineRoute({
    method: 'get',
    path: '/disputes',
    operationId: 'listDisputes',
    summary: 'Disputed reports, oldest open first',
    tags: ['disputes'],
    access: ['ADMIN', 'AUDITOR'],
    request: {
      query: z.strictObject({
        status: z.enum(['OPEN', 'RESOLVED']).optional(),
        programmeId: z.uuid().optional(),
        limit: z.coerce.number().int().min(1).max(100).default(50),
      }),
    },
    responses: {
      200: {
        description: 'Disputes',
        schema: z.object({ items: z.array(DisputeView) }).meta({ id: 'DisputeList' }),
      },
    },
    handler: async ({ query, deps }) => {
      const rows = await deps.repos.disputes.list(
        { status: query.status, programmeId: query.programmeId },
        query.limit,
      );
      return {
        status: 200,
        body: {
          items: rows.map((d) => ({
            id: d.id,
            bookingId: d.bookingId,
            reason: d.reason,
            programmeId: d.programmeId,
            enterpriseName: d.enterpriseName,
            providerName: d.providerName,
            dueAt: d.dueAt?.toISOString() ?? null,
            status: d.status,
            resolution: d.resolution,
            note: d.note,
            createdAt: d.createdAt.toISOString(),
            resolvedAt: d.resolvedAt?.toISOString() ?? null,
          })),
        },
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/disputes/:id/resolution',
    operationId: 'resolveDispute',
    summary:
      'Resolve a dispute: uphold the report, order a retest, or cancel and refund the subsidy to the programme',
    tags: ['disputes'],
    access: ['ADMIN'],
    idempotent: true,
    request: {
      params: z.strictObject({ id: z.uuid() }),
      body: z
        .strictObject({ resolution: z.enum(DISPUTE_RESOLUTIONS), note: z.string().trim().min(2).max(2000) })
        .meta({ id: 'DisputeResolution' }),
    },
    responses: { 200: { description: 'The booking after the resolution', schema: BookingView } },
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: async ({ params, body, user, deps, requestId }) => {
      const dispute = await deps.repos.disputes.findById(params.id);
      if (!dispute) throw AppError.notFound('dispute', params.id);
      if (dispute.status !== 'OPEN')
        throw new AppError('CONFLICT', 'The dispute is resolved already', { code: 'DISPUTE_RESOLVED' });
      const booking = (await deps.repos.bookings.findById(dispute.bookingId))!;
      await runBookingUpdate(deps, booking, resolveDisputeUpdate, {
        ...body,
        actor: actorOf(user),
        requestId,
      });
      return {
        status: 200,
        body: await bookingDetail(deps, booking),
      };
    },
  }),
];
