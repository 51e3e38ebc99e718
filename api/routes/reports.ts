import type { Response } from 'express';
import { z } from 'zod';
import { SERVICE_CATEGORIES } from '../../domain/catalog';
import { csvRecord } from '../../domain/csv-cell';
import {
  kpiReport,
  POLICY_INDUSTRY_KEYS,
  POLICY_TARGETS,
  RegionFilterSchema,
  SETTLEMENT_COLUMNS,
  settlementRow,
  STAGES,
} from '../../domain/kpis';
import { ACCOUNTS } from '../../domain/ledger';
import type { SettlementFilter } from '../../db/repositories/reports';
import type { ApiDeps } from '../deps';
import { AppError } from '../errors';
import { defineRoute } from '../http/route';
import { streamResponse } from '../http/stream';

const count = (description: string) => z.number().int().meta({ description });
const fen = (description: string) =>
  z
    .number()
    .int()
    .meta({ description: `${description}, in fen` });
const share = (description: string) => z.number().nullable().meta({ description });

const ProviderRatesView = z.object({
  bookings: count('bookings requested'),
  reports: count('reports uploaded (a retest uploads another)'),
  onTime: count('bookings whose latest report came by its due time'),
  late: count('bookings whose latest report came after its due time'),
  disputes: count('disputes raised against reports'),
  onTimeRate: share('onTime / (onTime + late), four decimals; null without reports'),
  disputeRate: share('disputes / reports, four decimals; null without reports'),
});

const KpiView = z
  .object({
    filters: z.object({
      programmeId: z.uuid().nullable(),
      regionCode: z.string().nullable().meta({ description: 'the region prefix applied' }),
      industry: z.string().nullable(),
    }),
    generatedAt: z.iso.datetime(),
    enterprisesServed: count('distinct enterprises holding at least one voucher'),
    vouchers: z.object({
      issued: count('vouchers issued'),
      used: count(
        'vouchers with at least one booking whose report was accepted (booking ACCEPTED or SETTLED), whatever the voucher’s status now',
      ),
      active: count('vouchers ACTIVE now'),
      usedUp: count('vouchers closed because their whole face value went into finished bookings (USED)'),
      expired: count('vouchers EXPIRED'),
      revoked: count('vouchers REVOKED'),
      faceValueFen: fen('face value of the vouchers issued'),
      byMonth: z
        .array(
          z.object({
            month: z
              .string()
              .meta({ description: 'a calendar month in Beijing time, YYYY-MM', example: '2026-11' }),
            issued: count('vouchers issued in the month'),
            used: count('vouchers whose first booking had its report accepted in the month'),
            expired: count('vouchers that expired in the month'),
          }),
        )
        .meta({
          description:
            'every month from the first to the last with any of these events, in order, months without any as zeros',
        }),
    }),
    budget: z
      .object({
        programmes: count('programmes counted'),
        budgetFen: fen('their budgets'),
        accounts: z.object(
          Object.fromEntries(ACCOUNTS.map((a) => [a, z.number().int()])) as Record<
            (typeof ACCOUNTS)[number],
            z.ZodNumber
          >,
        ),
        totalFen: fen('the accounts’ sum'),
        balanced: z.boolean().meta({
          description: 'every programme’s accounts sum to its budget and none is negative',
        }),
      })
      .meta({
        description:
          'the ledger summed over the programmes selected by programmeId and by a region overlapping regionCode; a ledger is not split by industry or district',
      }),
    bookings: z.object({
      total: count('bookings requested'),
      accepted: count('bookings whose report was accepted (ACCEPTED or SETTLED)'),
      subsidyFen: fen('subsidy of the accepted bookings'),
      byCategory: z
        .array(
          z.object({
            category: z.enum(SERVICE_CATEGORIES),
            bookings: count('bookings with a service of the category'),
            accepted: count('of which accepted'),
          }),
        )
        .meta({ description: 'from the booking lines; a booking using two categories counts in both' }),
      byRegion: z
        .array(
          z.object({
            provinceCode: z.string(),
            name: z.string(),
            nameEn: z.string(),
            bookings: count('bookings requested'),
            accepted: count('of which accepted'),
            subsidyFen: fen('subsidy of the accepted bookings'),
          }),
        )
        .meta({ description: 'by the province of the enterprise, most bookings first' }),
    }),
    stages: z
      .array(
        z.object({
          stage: z.enum(STAGES.map((s) => s.key) as [string, ...string[]]),
          from: z.string(),
          to: z.string(),
          count: count('items that went through the stage'),
          medianDays: z.number().nullable().meta({ description: 'median duration in days, two decimals' }),
          medianSeconds: z
            .number()
            .nullable()
            .meta({ description: 'the same in seconds, to the millisecond' }),
        }),
      )
      .meta({
        description: 'median time per stage (percentile_cont 0.5), from the instants the rows carry',
      }),
    providers: z.object({
      overall: ProviderRatesView,
      publicServicePlatforms: count('public service platforms that took at least one of the bookings'),
      top: z
        .array(ProviderRatesView.extend({ providerId: z.uuid(), name: z.string(), kind: z.string() }))
        .meta({ description: 'the providers with the most bookings' }),
    }),
    policyTargets: z
      .array(
        z.object({
          key: z.enum(Object.keys(POLICY_TARGETS) as [string, ...string[]]),
          description: z.string(),
          descriptionEn: z.string(),
          target: count('the national target of the 2023–2025 action'),
          measure: z.string().meta({ description: 'the figure of this report set beside it' }),
          value: count('that figure'),
          share: share('value / target, four decimals'),
        }),
      )
      .meta({ description: 'national targets, for context: not a programme’s quota' }),
  })
  .meta({ id: 'Kpis' });

export const CSV_DESCRIPTION = [
  'One line per paid claim, in the order they were paid; UTF-8 with a byte-order mark so that Excel shows Chinese names, ',
  'comma-separated with a header line. Columns: ',
  SETTLEMENT_COLUMNS.map(([name, meaning]) => `\`${name}\` (${meaning})`).join(', '),
  '. A cell beginning with `=`, `+`, `-`, `@` (or their full-width forms), also after leading blanks or double quotes, ',
  "or beginning with a tab or a carriage return, is written with a leading `'`, so that a spreadsheet shows it ",
  'as text instead of running it as a formula.',
].join('');

export const SettlementQuery = z
  .strictObject({
    programmeId: z.uuid().optional(),
    from: z.iso.datetime({ offset: true }).optional().meta({ description: 'paid at or after this instant' }),
    to: z.iso.datetime({ offset: true }).optional().meta({ description: 'paid before this instant' }),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), {
    path: ['to'],
    error: 'must be after from',
  });

export const settlementFilter = (query: z.infer<typeof SettlementQuery>): SettlementFilter => ({
  programmeId: query.programmeId,
  from: query.from ? new Date(query.from) : undefined,
  to: query.to ? new Date(query.to) : undefined,
});

/**
 * Streams the paid claims the filter selects as the settlements CSV. A cell that a spreadsheet would
 * read as a formula (an enterprise may name itself `=HYPERLINK(…)`) is written with a leading
 * apostrophe, so that it opens as the text it is (domain/csv-cell.ts).
 */
export async function sendSettlementsCsv(
  deps: ApiDeps,
  res: Response,
  filter: SettlementFilter,
  options: { fileName: string; export: string },
): Promise<void> {
  const pages = deps.repos.reports.paidClaims(filter, {
    onPage: () => deps.metrics.exportPages.inc({ export: options.export }),
  });
  const header = `\uFEFF${csvRecord(SETTLEMENT_COLUMNS.map(([name]) => name))}`;
  // one string per page, written when the client has taken the one before
  async function* chunks(): AsyncGenerator<string> {
    let text = header;
    for await (const page of pages) {
      for (const line of page) text += csvRecord(settlementRow(line));
      yield text;
      text = '';
    }
    if (text) yield text;
  }
  await streamResponse(res, chunks(), () => {
    res.status(200).type('text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${options.fileName}"`);
  });
}

/** A filter naming a programme that does not exist is a mistake, not an empty report. */
export async function knownProgramme(deps: ApiDeps, programmeId: string | undefined): Promise<void> {
  if (programmeId && !(await deps.repos.programmes.findById(programmeId)))
    throw AppError.notFound('programme', programmeId);
}

export const reportRoutes = [
  defineRoute({
    method: 'get',
    path: '/reports/kpis',
    operationId: 'getKpis',
    summary: 'The programme KPIs the policy asks for: reach, vouchers, budget, bookings, speed, providers',
    description:
      'Filters narrow the enterprises counted (region of registration, policy industry by GB/T 4754 division) and the programmes. ' +
      'Counted by the database from one consistent snapshot.',
    tags: ['reports'],
    access: ['ADMIN', 'AUDITOR'],
    request: {
      query: z.strictObject({
        programmeId: z.uuid().optional(),
        regionCode: RegionFilterSchema.optional(),
        industry: z
          .enum(POLICY_INDUSTRY_KEYS)
          .optional()
          .meta({ description: 'one of the six industries the action names' }),
        top: z.coerce
          .number()
          .int()
          .min(1)
          .max(100)
          .default(10)
          .meta({ description: 'how many providers to list, by bookings' }),
      }),
    },
    responses: { 200: { description: 'The KPIs', schema: KpiView } },
    errors: ['NOT_FOUND'],
    handler: async ({ query, deps }) => {
      await knownProgramme(deps, query.programmeId);
      const filters = {
        programmeId: query.programmeId,
        regionPrefix: query.regionCode,
        industry: query.industry,
      };
      const facts = await deps.repos.reports.kpiFacts(filters, { top: query.top });
      return { status: 200, body: kpiReport(facts, filters, deps.clock.now()) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/reports/settlements.csv',
    operationId: 'exportSettlements',
    summary: 'What was paid, to whom, for which booking: the paid claims as CSV',
    description: CSV_DESCRIPTION,
    tags: ['reports'],
    access: ['ADMIN', 'AUDITOR'],
    request: { query: SettlementQuery },
    responses: {
      200: { description: 'The paid claims, streamed', schema: z.string(), contentType: 'text/csv' },
    },
    errors: ['NOT_FOUND'],
    handler: async ({ query, deps, res }) => {
      await knownProgramme(deps, query.programmeId);
      await sendSettlementsCsv(deps, res, settlementFilter(query), {
        fileName: `settlements${query.programmeId ? `-${query.programmeId}` : ''}.csv`,
        export: 'settlements',
      });
      return { status: 200, streamed: true };
    },
  }),
];
