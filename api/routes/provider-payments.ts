import { z } from 'zod';
import { CLAIM_STATUSES } from '../../domain/claim';
import type { AuthUser } from '../../domain/identity';
import { TRANSFER_STATUSES, type TransferRecord } from '../../domain/payout';
import type { ApiDeps } from '../deps';
import { decodeCursor, encodeCursor, listQuery, pageSchema } from '../http/pagination';
import { defineRoute } from '../http/route';
import { ownProvider, visibleProvider } from './provider-views';
import {
  CSV_DESCRIPTION,
  knownProgramme,
  sendSettlementsCsv,
  settlementFilter,
  SettlementQuery,
} from './reports';

const IdParams = z.strictObject({ id: z.uuid() });

const TransferView = z
  .object({
    id: z.uuid(),
    batchId: z.uuid().meta({ description: 'the payout batch (one scheduled or requested run)' }),
    programmeId: z.uuid(),
    providerId: z.uuid(),
    status: z.enum(TRANSFER_STATUSES).meta({
      description: 'PENDING: ordered, not yet executed by the payment gateway; SENT: executed',
    }),
    amountFen: z.number().int().meta({ description: 'the sum of the claims it pays' }),
    reference: z.string().nullable().meta({ description: 'the payment gateway’s reference, once sent' }),
    orderedAt: z.iso.datetime().meta({ description: 'when its batch opened' }),
    sentAt: z.iso.datetime().nullable(),
    claims: z
      .array(
        z.object({
          claimId: z.uuid(),
          bookingId: z.uuid(),
          voucherCode: z.string(),
          enterpriseName: z.string(),
          amountFen: z.number().int(),
        }),
      )
      .meta({ description: 'the remittance: each claim the transfer pays' }),
  })
  .meta({ id: 'PayoutTransfer' });

const ClaimTotalsView = z
  .object({
    providerId: z.uuid(),
    totals: z
      .array(
        z.object({
          status: z.enum(CLAIM_STATUSES),
          claims: z.number().int(),
          amountFen: z.number().int().meta({ description: 'the claims’ subsidies summed, in fen' }),
        }),
      )
      .meta({ description: 'one entry per claim status, in the order a claim passes them' }),
  })
  .meta({ id: 'ClaimTotals' });

function transferView(transfer: TransferRecord): z.infer<typeof TransferView> {
  return {
    ...transfer,
    orderedAt: transfer.orderedAt.toISOString(),
    sentAt: transfer.sentAt?.toISOString() ?? null,
  };
}

/** A provider's staff read their own provider's money; administrators and auditors any provider's. */
function moneyReader(deps: ApiDeps, user: AuthUser, id: string) {
  return user.role === 'PROVIDER' ? ownProvider(deps, user, id) : visibleProvider(deps, user, id);
}

const MONEY_ACCESS = ['PROVIDER', 'ADMIN', 'AUDITOR'] as const;

export const providerPaymentRoutes = [
  defineRoute({
    method: 'get',
    path: '/providers/:id/transfers',
    operationId: 'listProviderTransfers',
    summary: 'The payout transfers to a provider, with the claims each paid; newest first',
    description:
      'A provider’s staff see their own provider’s transfers (another provider is 404); administrators and auditors any provider’s.',
    tags: ['providers'],
    access: MONEY_ACCESS,
    request: {
      params: IdParams,
      query: listQuery(z.enum(TRANSFER_STATUSES)).extend({ programmeId: z.uuid().optional() }),
    },
    responses: {
      200: { description: 'A page of transfers', schema: pageSchema(TransferView, 'PayoutTransferPage') },
    },
    errors: ['NOT_FOUND'],
    handler: async ({ params, query, user, deps }) => {
      const provider = await moneyReader(deps, user, params.id);
      const page = await deps.repos.claims.transfers(
        { providerId: provider.id, status: query.status, programmeId: query.programmeId },
        { limit: query.limit, after: decodeCursor(query.cursor) },
      );
      return {
        status: 200,
        body: { items: page.items.map(transferView), nextCursor: encodeCursor(page.next) },
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/providers/:id/claim-totals',
    operationId: 'getProviderClaimTotals',
    summary:
      'A provider’s claims counted and summed by status: under review, approved and awaiting payout, paid',
    tags: ['providers'],
    access: MONEY_ACCESS,
    request: { params: IdParams },
    responses: { 200: { description: 'The totals', schema: ClaimTotalsView } },
    errors: ['NOT_FOUND'],
    handler: async ({ params, user, deps }) => {
      const provider = await moneyReader(deps, user, params.id);
      return {
        status: 200,
        body: { providerId: provider.id, totals: await deps.repos.claims.totals(provider.id) },
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/providers/:id/payments.csv',
    operationId: 'exportProviderPayments',
    summary: 'What was paid to a provider, claim by claim, as CSV for its own bookkeeping',
    description: `The settlements export (\`GET /reports/settlements.csv\`) of one provider's claims. ${CSV_DESCRIPTION}`,
    tags: ['providers'],
    access: MONEY_ACCESS,
    request: { params: IdParams, query: SettlementQuery },
    responses: {
      200: {
        description: 'The provider’s paid claims, streamed',
        schema: z.string(),
        contentType: 'text/csv',
      },
    },
    errors: ['NOT_FOUND'],
    handler: async ({ params, query, user, deps, res }) => {
      const provider = await moneyReader(deps, user, params.id);
      await knownProgramme(deps, query.programmeId);
      await sendSettlementsCsv(
        deps,
        res,
        { ...settlementFilter(query), providerId: provider.id },
        { fileName: `payments-${provider.creditCode}.csv`, export: 'provider-payments' },
      );
      return { status: 200, streamed: true };
    },
  }),
];
