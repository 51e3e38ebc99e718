import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { BOOKING_STATUSES, type BookingLine } from '../../domain/booking';
import { isIsoDate } from '../../domain/calendar';
import { DemandSchema } from '../../domain/demand';
import { REPORT_FILE_NAME, reportFileProblem, type ReportFileProblem } from '../../domain/report-file';
import type { ProviderMatch } from '../../domain/matching';
import { reportUpdate } from '../../workflows/booking';
import { bookUpdate } from '../../workflows/voucher-application';
import { AppError } from '../errors';
import { decodeCursor, encodeCursor, listQuery, pageSchema } from '../http/pagination';
import { pdfProblem } from '../http/report-pdf';
import { defineRoute } from '../http/route';
import { timed } from '../http/server-timing';
import { actorOf, intoWorkflow } from '../http/workflows';
import { bookingDetail, BookingView, bookingViews, runBookingUpdate, visibleBooking } from './booking-views';
import { bookingActionRoutes } from './booking-actions';
import { visibleVoucher } from './vouchers';

const BookingRequest = z
  .strictObject({
    voucherId: z.uuid(),
    providerId: z.uuid().meta({ description: 'a candidate from POST /vouchers/{id}/matches' }),
    demand: DemandSchema,
  })
  .meta({ id: 'BookingRequest' });

function notAMatch(providerId: string, match: Exclude<ProviderMatch, { candidate: unknown }>): AppError {
  const reasons = 'nearMiss' in match ? match.nearMiss.reasons : [];
  return new AppError(
    'BUSINESS_RULE',
    reasons.length
      ? `The provider cannot take this job under the voucher: ${reasons.map((r) => r.message).join('; ')}`
      : 'The provider offers none of the requested standards in its accredited scope',
    { code: 'PROVIDER_NOT_A_MATCH', details: { providerId, reasons } },
  );
}

function reportProblemText(problem: ReportFileProblem | null): string | null {
  switch (problem?.code) {
    case undefined:
      return null;
    case 'TOO_LARGE':
      return `is larger than ${problem.limitBytes} bytes`;
    case 'NOT_PDF_NAME':
      return 'is not named as a PDF (.pdf)';
    case 'EMPTY':
    case 'NOT_PDF_CONTENT':
      return 'is not a PDF (it does not start with %PDF-)';
  }
}

export const bookingRoutes = [
  defineRoute({
    method: 'post',
    path: '/bookings',
    operationId: 'createBooking',
    summary: 'Book a matched provider against a voucher',
    description:
      'The provider alone is matched again under the voucher’s rules, as the ranking would match it; its services ' +
      'are booked from their earliest day with capacity, or the reasons it cannot take the job are given. ' +
      'Capacity is held and the subsidy committed at once; the provider then confirms or declines within the ' +
      'programme’s confirmation window.',
    tags: ['bookings'],
    access: ['SME'],
    idempotent: true,
    request: { body: BookingRequest },
    responses: { 201: { description: 'The booking, requested', schema: BookingView } },
    errors: ['NOT_FOUND', 'CONFLICT', 'BUSINESS_RULE'],
    handler: async ({ body, user, deps, requestId, newId }) => {
      // the terms are read alongside the voucher, and used only once the caller may see it
      const [voucher, terms] = await timed('read', () =>
        Promise.all([
          visibleVoucher(deps, user, body.voucherId),
          deps.repos.matching.voucherTerms(body.voucherId),
        ]),
      );
      if (voucher.status !== 'ACTIVE') {
        throw new AppError(
          'CONFLICT',
          `The voucher is ${voucher.status}; only an active voucher funds bookings`,
          { code: 'VOUCHER_NOT_ACTIVE' },
        );
      }
      const match = await timed('match', () =>
        deps.repos.matching.matchProvider({
          demand: body.demand,
          voucher: terms!,
          providerId: body.providerId,
          weights: deps.env.MATCHING_WEIGHTS,
          leadDays: deps.env.MATCHING_LEAD_DAYS,
          now: deps.clock.now(),
        }),
      );
      if (!('candidate' in match)) throw notAMatch(body.providerId, match);
      const lines: BookingLine[] = match.candidate.lines.map((line) => ({
        serviceId: line.serviceId,
        serviceName: line.serviceName,
        category: line.category,
        standards: line.standards,
        unitPriceFen: line.unitPriceFen,
        turnaroundDays: line.turnaroundDays,
        startDate: line.startDate,
        completionDate: line.completionDate,
      }));
      const bookingId = newId();
      await intoWorkflow(
        deps,
        () =>
          deps.temporal.workflow.getHandle(voucher.workflowId).executeUpdate(bookUpdate, {
            args: [
              {
                bookingId,
                providerId: body.providerId,
                lines,
                sampleCount: body.demand.sampleCount,
                standards: body.demand.standards,
                demand: body.demand,
                actor: actorOf(user),
                requestId,
              },
            ],
          }),
        'the voucher',
        `/api/v1/bookings/${bookingId}`,
      );
      return {
        status: 201,
        body: await timed('view', () =>
          bookingDetail(deps, { id: bookingId, voucherId: voucher.id, programmeId: voucher.programmeId }),
        ),
        headers: { Location: `/api/v1/bookings/${bookingId}` },
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/bookings',
    operationId: 'listBookings',
    summary: 'Bookings, newest first: an SME sees its enterprise’s, a provider its own',
    tags: ['bookings'],
    access: ['SME', 'PROVIDER', 'ADMIN', 'AUDITOR'],
    request: {
      query: listQuery(z.enum(BOOKING_STATUSES)).extend({
        voucherId: z.uuid().optional(),
        day: z
          .string()
          .refine(isIsoDate, { error: 'must be a date YYYY-MM-DD' })
          .optional()
          .meta({ description: 'only bookings holding capacity (held or booked) on this day' }),
        serviceId: z
          .uuid()
          .optional()
          .meta({ description: 'with `day`: only bookings holding capacity of this service' }),
      }),
    },
    responses: { 200: { description: 'A page of bookings', schema: pageSchema(BookingView, 'BookingPage') } },
    handler: async ({ query, user, deps }) => {
      const scope =
        user.role === 'SME'
          ? { enterpriseId: user.enterpriseId }
          : user.role === 'PROVIDER'
            ? { providerId: user.providerId }
            : {};
      if (query.serviceId && !query.day) {
        throw new AppError('INVALID', 'serviceId narrows a day: give day too', {
          code: 'VALIDATION_FAILED',
          issues: [{ in: 'query', field: 'day', reason: 'is required with serviceId', code: 'missing_day' }],
        });
      }
      if (Object.values(scope).some((v) => v === null))
        return { status: 200, body: { items: [], nextCursor: null } };
      const page = await deps.repos.bookings.list(
        {
          status: query.status,
          voucherId: query.voucherId,
          holding: query.day ? { day: query.day, serviceId: query.serviceId } : undefined,
          ...(scope as { enterpriseId?: string; providerId?: string }),
        },
        { limit: query.limit, after: decodeCursor(query.cursor) },
      );
      return {
        status: 200,
        body: {
          items: await bookingViews(deps, page.items),
          nextCursor: encodeCursor(page.next),
        },
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/bookings/:id',
    operationId: 'getBooking',
    summary: 'A booking with its status and the timeline of its steps',
    tags: ['bookings'],
    access: ['SME', 'PROVIDER', 'ADMIN', 'AUDITOR'],
    request: { params: z.strictObject({ id: z.uuid() }) },
    responses: { 200: { description: 'The booking', schema: BookingView } },
    errors: ['NOT_FOUND'],
    handler: async ({ params, user, deps }) => ({
      status: 200,
      body: await bookingDetail(deps, await visibleBooking(deps, user, params.id)),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/bookings/:id/report',
    operationId: 'uploadReport',
    summary: 'Upload the test report (PDF, base64) with its conclusion',
    description: 'The PDF is stored with its SHA-256; the SME is asked to accept or dispute it.',
    tags: ['bookings'],
    access: ['PROVIDER'],
    idempotent: true,
    bodyLimitBytes: 15 * 1024 * 1024,
    request: {
      params: z.strictObject({ id: z.uuid() }),
      body: z
        .strictObject({
          conclusion: z.enum(['PASS', 'FAIL', 'INFO']),
          fileName: z.string().trim().min(1).max(200).regex(REPORT_FILE_NAME, { error: 'must end in .pdf' }),
          contentBase64: z.base64({ error: 'must be the PDF encoded as base64' }).max(14 * 1024 * 1024),
        })
        .meta({ id: 'ReportUpload' }),
    },
    responses: { 200: { description: 'The booking, reported', schema: BookingView } },
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: async ({ params, body, user, deps, requestId }) => {
      const booking = await timed('read', () => visibleBooking(deps, user, params.id));
      const content = Buffer.from(body.contentBase64, 'base64');
      const problem = reportProblemText(
        reportFileProblem(
          { name: body.fileName, size: content.length, head: content },
          deps.env.REPORT_LIMIT_BYTES,
        ),
      );
      const unreadable = problem ?? (await pdfProblem(content));
      if (unreadable) {
        throw new AppError('INVALID', `The report ${unreadable}`, {
          code: 'VALIDATION_FAILED',
          issues: [{ in: 'body', field: 'contentBase64', reason: unreadable, code: 'invalid_report' }],
        });
      }
      // the status its last step recorded, in the same transaction as the process took it: a report is not
      // stored for a booking that cannot take one; a step racing this one is refused by the process itself
      if (booking.status !== 'SAMPLE_RECEIVED') {
        throw new AppError(
          'CONFLICT',
          `The booking is ${booking.status}; a report comes after the samples are received`,
          { code: 'WRONG_BOOKING_STATUS' },
        );
      }
      const reportId = randomUUID();
      const sha256 = createHash('sha256').update(content).digest('hex');
      await deps.repos.bookings.storeReport({
        id: reportId,
        bookingId: booking.id,
        sha256,
        conclusion: body.conclusion,
        fileName: body.fileName,
        content: new Uint8Array(content),
        uploadedBy: user.id,
      });
      try {
        await runBookingUpdate(deps, booking, reportUpdate, {
          reportId,
          sha256,
          conclusion: body.conclusion,
          actor: actorOf(user),
          requestId,
        });
      } catch (error) {
        await deps.repos.bookings.dropReport(reportId);
        throw error;
      }
      return { status: 200, body: await timed('view', () => bookingDetail(deps, booking)) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/bookings/:id/report',
    operationId: 'downloadReport',
    summary: 'Download the test report',
    tags: ['bookings'],
    access: ['SME', 'PROVIDER', 'ADMIN', 'AUDITOR'],
    request: { params: z.strictObject({ id: z.uuid() }) },
    responses: {
      200: {
        description: 'The PDF',
        schema: z.string().meta({ format: 'binary' }),
        contentType: 'application/pdf',
      },
    },
    errors: ['NOT_FOUND'],
    handler: async ({ params, user, deps, res }) => {
      const booking = await visibleBooking(deps, user, params.id);
      const report = booking.reportSha256 ? await deps.repos.bookings.report(booking.id) : null;
      if (!report || report.sha256 !== booking.reportSha256)
        throw AppError.notFound('report of booking', booking.id);
      // RFC 6266: the name as uploaded (filename*, UTF-8) with an ASCII fallback for old clients; a
      // slash (as in "GB/T") would otherwise be read as a folder and the name cut at it
      res.attachment(report.fileName.replace(/[/\\]/g, '_'));
      return {
        status: 200,
        contentType: 'application/pdf',
        body: Buffer.from(report.content),
        headers: {
          'X-Report-SHA256': report.sha256,
        },
      };
    },
  }),
  ...bookingActionRoutes,
];
