import { z } from 'zod';
import { BOOKING_STATUSES } from '../../domain/booking';
import { CLAIM_STATUSES } from '../../domain/claim';
import { AwaitingSchema } from '../../domain/process-schema';
import { REVOCATION_EFFECTS, revocationEffect, type RevocationEffect } from '../../domain/revocation';
import { VOUCHER_STATUSES, voucherAwaiting, type VoucherRecord } from '../../domain/application';
import type { AuthUser } from '../../domain/identity';
import { revokeUpdate } from '../../workflows/voucher-application';
import type { ApiDeps } from '../deps';
import { AppError } from '../errors';
import { decodeCursor, encodeCursor, listQuery, pageSchema } from '../http/pagination';
import { defineRoute } from '../http/route';
import { timelineOf, TimelineEntrySchema } from '../http/timeline';
import { actorOf, intoWorkflow, workflowUrl } from '../http/workflows';

export const VoucherView = z
  .object({
    id: z.uuid(),
    code: z.string().meta({ example: 'TV2026-7KQ2M-ZP4WH' }),
    applicationId: z.uuid(),
    programmeId: z.uuid(),
    enterpriseId: z.uuid(),
    status: z.enum(VOUCHER_STATUSES),
    statusReason: z.string().nullable(),
    faceValueFen: z.number().int(),
    balanceFen: z.number().int().meta({ description: 'face value not yet committed to bookings' }),
    releasedFen: z
      .number()
      .int()
      .meta({ description: 'unused value given back to the programme at the end' }),
    validFrom: z.iso.datetime(),
    validUntil: z.iso.datetime(),
    issuedAt: z.iso.datetime(),
    awaiting: AwaitingSchema.nullable().meta({
      description: 'while active: its use by the enterprise, until it ends',
    }),
    workflowId: z.string(),
    workflowUrl: z.url(),
    timeline: z.array(TimelineEntrySchema).optional(),
  })
  .meta({ id: 'Voucher' });

const IdParams = z.strictObject({ id: z.uuid() });

const RevocationPlanView = z
  .object({
    voucherId: z.uuid(),
    balanceFen: z.number().int().meta({ description: 'the uncommitted balance, released to the programme' }),
    returnedFen: z
      .number()
      .int()
      .meta({ description: 'all that goes back to the programme: the balance and the cancelled subsidies' }),
    standingFen: z
      .number()
      .int()
      .meta({ description: 'subsidy of the approved or paid claims, which stand' }),
    bookings: z.array(
      z.object({
        bookingId: z.uuid(),
        status: z.enum(BOOKING_STATUSES),
        providerName: z.string(),
        standards: z.array(z.string()),
        scheduledDate: z.iso.date(),
        subsidyFen: z.number().int(),
        claim: z.object({ id: z.uuid(), status: z.enum(CLAIM_STATUSES) }).nullable(),
        effect: z.enum(REVOCATION_EFFECTS).meta({
          description:
            'CANCEL: the booking stops, its subsidy back to the programme; REJECT_CLAIM_AND_CANCEL: its claim under review is rejected, then the same; CLAIM_STANDS: the approved or paid claim is paid as decided',
        }),
      }),
    ),
  })
  .meta({ id: 'RevocationPlan' });

async function view(deps: ApiDeps, voucher: VoucherRecord, withTimeline: boolean) {
  return {
    id: voucher.id,
    code: voucher.code,
    applicationId: voucher.applicationId,
    programmeId: voucher.programmeId,
    enterpriseId: voucher.enterpriseId,
    status: voucher.status,
    statusReason: voucher.statusReason,
    faceValueFen: voucher.faceValueFen,
    balanceFen: voucher.balanceFen,
    releasedFen: voucher.releasedFen,
    validFrom: voucher.validFrom.toISOString(),
    validUntil: voucher.validUntil.toISOString(),
    issuedAt: voucher.issuedAt.toISOString(),
    awaiting: voucherAwaiting(voucher),
    workflowId: voucher.workflowId,
    workflowUrl: workflowUrl(deps, voucher.workflowId),
    ...(withTimeline
      ? {
          timeline: await timelineOf(deps, [
            { entityType: 'application', entityId: voucher.applicationId },
            { entityType: 'voucher', entityId: voucher.id },
          ]),
        }
      : {}),
  };
}

/** The voucher, if this user may see it; 404 otherwise. */
export async function visibleVoucher(deps: ApiDeps, user: AuthUser, id: string): Promise<VoucherRecord> {
  const voucher = await deps.repos.vouchers.findById(id);
  if (!voucher || (user.role === 'SME' && voucher.enterpriseId !== user.enterpriseId)) {
    throw AppError.notFound('voucher', id);
  }
  return voucher;
}

export const voucherRoutes = [
  defineRoute({
    method: 'get',
    path: '/vouchers',
    operationId: 'listVouchers',
    summary: 'Vouchers, newest first; SME users see their own enterprise’s',
    tags: ['vouchers'],
    access: ['SME', 'ADMIN', 'AUDITOR'],
    request: { query: listQuery(z.enum(VOUCHER_STATUSES)).extend({ programmeId: z.uuid().optional() }) },
    responses: { 200: { description: 'A page of vouchers', schema: pageSchema(VoucherView, 'VoucherPage') } },
    handler: async ({ query, user, deps }) => {
      if (user.role === 'SME' && !user.enterpriseId)
        return { status: 200, body: { items: [], nextCursor: null } };
      const page = await deps.repos.vouchers.list(
        {
          status: query.status,
          programmeId: query.programmeId,
          enterpriseId: user.role === 'SME' ? user.enterpriseId! : undefined,
        },
        { limit: query.limit, after: decodeCursor(query.cursor) },
      );
      return {
        status: 200,
        body: {
          items: await Promise.all(page.items.map((v) => view(deps, v, false))),
          nextCursor: encodeCursor(page.next),
        },
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/vouchers/:id',
    operationId: 'getVoucher',
    summary: 'A voucher with its status, balance and the timeline of its steps',
    tags: ['vouchers'],
    access: ['SME', 'ADMIN', 'AUDITOR'],
    request: { params: IdParams },
    responses: { 200: { description: 'The voucher', schema: VoucherView } },
    errors: ['NOT_FOUND'],
    handler: async ({ params, user, deps }) => ({
      status: 200,
      body: await view(deps, await visibleVoucher(deps, user, params.id), true),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/vouchers/:id/revocation',
    operationId: 'previewVoucherRevocation',
    summary: 'What revoking the voucher would do to each of its bookings, before it is done',
    description:
      'Computed by the rule the revocation applies: bookings short of an approved claim are cancelled and their subsidy returned to the programme; approved or paid claims stand. Bookings already over are left out.',
    tags: ['vouchers'],
    access: ['ADMIN'],
    request: { params: IdParams },
    responses: { 200: { description: 'The revocation’s effect per booking', schema: RevocationPlanView } },
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: async ({ params, user, deps }) => {
      const voucher = await visibleVoucher(deps, user, params.id);
      if (voucher.status !== 'ACTIVE') {
        throw new AppError(
          'CONFLICT',
          `The voucher is ${voucher.status}; only an active voucher can be revoked`,
          {
            code: 'VOUCHER_NOT_ACTIVE',
            details: { status: voucher.status },
          },
        );
      }
      const bookings = (await deps.repos.vouchers.bookingsWithClaims(voucher.id))
        .map((b) => ({ ...b, effect: revocationEffect(b.status, b.claim?.status ?? null) }))
        .filter((b) => b.effect !== 'NONE');
      const sum = (effects: RevocationEffect[]) =>
        bookings.filter((b) => effects.includes(b.effect)).reduce((total, b) => total + b.subsidyFen, 0);
      return {
        status: 200,
        body: {
          voucherId: voucher.id,
          balanceFen: voucher.balanceFen,
          returnedFen: voucher.balanceFen + sum(['CANCEL', 'REJECT_CLAIM_AND_CANCEL']),
          standingFen: sum(['CLAIM_STANDS']),
          bookings,
        },
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/vouchers/:id/revoke',
    operationId: 'revokeVoucher',
    summary: 'Revoke a voucher (e.g. for fraud): open bookings are cancelled and unused money released',
    tags: ['vouchers'],
    access: ['ADMIN'],
    idempotent: true,
    request: {
      params: IdParams,
      body: z.strictObject({ reason: z.string().trim().min(2).max(2000) }).meta({ id: 'Revocation' }),
    },
    responses: { 200: { description: 'The revoked voucher', schema: VoucherView } },
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: async ({ params, body, user, deps, requestId }) => {
      const voucher = await visibleVoucher(deps, user, params.id);
      await intoWorkflow(
        deps,
        () =>
          deps.temporal.workflow.getHandle(voucher.workflowId).executeUpdate(revokeUpdate, {
            args: [{ reason: body.reason, actor: actorOf(user), requestId }],
          }),
        'the voucher',
        `/api/v1/vouchers/${voucher.id}`,
      );
      return { status: 200, body: await view(deps, (await deps.repos.vouchers.findById(voucher.id))!, true) };
    },
  }),
];
