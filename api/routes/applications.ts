import { WithStartWorkflowOperation } from '@temporalio/client';
import { z } from 'zod';
import { AwaitingSchema } from '../../domain/process-schema';
import {
  applicationWorkflowId,
  APPLICATION_STATUSES,
  applicationAwaiting,
  type ApplicationRecord,
} from '../../domain/application';
import { DemandSchema } from '../../domain/demand';
import type { AuthUser } from '../../domain/identity';
import { PositiveFenSchema } from '../../domain/money';
import {
  decideUpdate,
  resubmitUpdate,
  submissionUpdate,
  voucherApplication,
} from '../../workflows/voucher-application';
import type { ApiDeps } from '../deps';
import { AppError } from '../errors';
import { decodeCursor, encodeCursor, listQuery, pageSchema } from '../http/pagination';
import { requireVerifiedEmail } from '../http/accounts';
import { defineRoute } from '../http/route';
import { timelineFrom, TimelineEntrySchema } from '../http/timeline';
import { actorOf, intoWorkflow, workflowUrl } from '../http/workflows';

const EligibilityIssueView = z
  .object({
    rule: z.string().meta({ example: 'ANNUAL_CAP_EXCEEDED' }),
    message: z.string(),
    details: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'EligibilityIssue' });

export const ApplicationView = z
  .object({
    id: z.uuid(),
    programmeId: z.uuid(),
    enterpriseId: z.uuid(),
    programmeName: z.string(),
    enterpriseName: z.string(),
    status: z.enum(APPLICATION_STATUSES),
    requestedAmountFen: z.number().int(),
    approvedAmountFen: z.number().int().nullable(),
    purpose: z.string(),
    demand: DemandSchema,
    revision: z.number().int(),
    eligibilityIssues: z.array(EligibilityIssueView),
    decisionReason: z.string().nullable(),
    infoRequest: z
      .string()
      .nullable()
      .meta({ description: 'what the reviewer asked for, while INFO_REQUESTED' }),
    voucherId: z.uuid().nullable(),
    createdAt: z.iso.datetime(),
    decidedAt: z.iso.datetime().nullable(),
    awaiting: AwaitingSchema.nullable().meta({
      description:
        'the eligibility check, a decision or the applicant’s answer, and by when; null once decided',
    }),
    workflowId: z.string(),
    workflowUrl: z.url().meta({ description: 'the process history in the Temporal UI' }),
    timeline: z.array(TimelineEntrySchema).optional(),
  })
  .meta({ id: 'Application' });

const Submission = z
  .strictObject({
    programmeId: z.uuid(),
    requestedAmountFen: PositiveFenSchema,
    purpose: z.string().trim().min(2).max(2000).meta({ description: 'what the testing is for' }),
    demand: DemandSchema,
  })
  .meta({ id: 'ApplicationSubmission' });

const Decision = z
  .discriminatedUnion('decision', [
    z.strictObject({
      decision: z.literal('APPROVE'),
      amountFen: PositiveFenSchema.optional().meta({
        description: 'approve less than requested; the request by default',
      }),
      note: z.string().trim().max(2000).optional(),
    }),
    z.strictObject({ decision: z.literal('REJECT'), reason: z.string().trim().min(2).max(2000) }),
    z.strictObject({
      decision: z.literal('REQUEST_INFO'),
      message: z.string().trim().min(2).max(2000).meta({ description: 'what the applicant should send' }),
    }),
  ])
  .meta({ id: 'ApplicationDecision' });

const Resubmission = z
  .strictObject({
    note: z.string().trim().min(2).max(2000).meta({ description: 'the information the reviewer asked for' }),
    requestedAmountFen: PositiveFenSchema.optional(),
    purpose: z.string().trim().min(2).max(2000).optional(),
    demand: DemandSchema.optional(),
  })
  .meta({ id: 'ApplicationResubmission' });

const IdParams = z.strictObject({ id: z.uuid() });

type Listing = { programmeName: string; enterpriseName: string; voucherId: string | null };

/** An application as a list shows it: `listing` holds what the page read for all its items in one query. */
function view(deps: ApiDeps, application: ApplicationRecord, listing: Listing) {
  return {
    id: application.id,
    programmeId: application.programmeId,
    enterpriseId: application.enterpriseId,
    programmeName: listing.programmeName,
    enterpriseName: listing.enterpriseName,
    status: application.status,
    requestedAmountFen: application.requestedAmountFen,
    approvedAmountFen: application.approvedAmountFen,
    purpose: application.purpose,
    demand: application.demand,
    revision: application.revision,
    eligibilityIssues: application.eligibilityIssues,
    decisionReason: application.decisionReason,
    infoRequest: application.infoRequest,
    voucherId: listing.voucherId,
    createdAt: application.createdAt.toISOString(),
    decidedAt: application.decidedAt?.toISOString() ?? null,
    awaiting: applicationAwaiting(application),
    workflowId: application.workflowId,
    workflowUrl: workflowUrl(deps, application.workflowId),
  };
}

/**
 * One application as it stands now, with the timeline of its steps (its voucher's too). `known` names
 * the application, its programme and its enterprise, which never change, so its row, names, voucher
 * and steps are read at once; the voucher's steps, once there is a voucher, in a second round.
 */
async function detail(deps: ApiDeps, known: Pick<ApplicationRecord, 'id' | 'programmeId' | 'enterpriseId'>) {
  const [application, voucherId, names, steps] = await Promise.all([
    deps.repos.applications.findById(known.id),
    deps.repos.vouchers.idOfApplication(known.id),
    deps.repos.applications.names(known),
    deps.repos.audit.timeline([{ entityType: 'application', entityId: known.id }]),
  ]);
  if (!application) throw AppError.notFound('application', known.id);
  return {
    ...view(deps, application, { ...names, voucherId }),
    timeline: timelineFrom(
      steps,
      voucherId ? await deps.repos.audit.timeline([{ entityType: 'voucher', entityId: voucherId }]) : [],
    ),
  };
}

/** The application, if this user may see it; 404 otherwise, so that others' applications stay private. */
async function visibleApplication(deps: ApiDeps, user: AuthUser, id: string): Promise<ApplicationRecord> {
  const application = await deps.repos.applications.findById(id);
  if (!application || (user.role === 'SME' && application.enterpriseId !== user.enterpriseId)) {
    throw AppError.notFound('application', id);
  }
  return application;
}

export const applicationRoutes = [
  defineRoute({
    method: 'post',
    path: '/applications',
    operationId: 'submitApplication',
    summary: 'Apply for a testing voucher',
    description:
      'Starts the application process and answers once the automatic eligibility check is done: 201 with the ' +
      'application under review, or 422 NOT_ELIGIBLE listing every rule that failed (the application is kept, rejected). ' +
      'The caller must have confirmed their e-mail address (403 EMAIL_NOT_VERIFIED).',
    tags: ['applications'],
    access: ['SME'],
    idempotent: true,
    request: { body: Submission },
    responses: { 201: { description: 'The application, under review', schema: ApplicationView } },
    errors: ['NOT_FOUND', 'CONFLICT', 'BUSINESS_RULE'],
    handler: async ({ body, user, deps, requestId, newId }) => {
      if (!user.enterpriseId) {
        throw new AppError(
          'CONFLICT',
          'Register your enterprise (POST /api/v1/enterprises) before applying',
          {
            code: 'ENTERPRISE_REQUIRED',
          },
        );
      }
      requireVerifiedEmail(user);
      const programme = await deps.repos.programmes.findById(body.programmeId);
      if (!programme) throw AppError.notFound('programme', body.programmeId);

      const id = newId();
      const workflowId = applicationWorkflowId(id);
      const state = await intoWorkflow(
        deps,
        () =>
          deps.temporal.workflow.executeUpdateWithStart(submissionUpdate, {
            startWorkflowOperation: new WithStartWorkflowOperation(voucherApplication, {
              workflowId,
              taskQueue: deps.env.TEMPORAL_TASK_QUEUE,
              // a retry with the same Idempotency-Key names the same application: it answers with it
              workflowIdConflictPolicy: 'USE_EXISTING',
              args: [
                {
                  application: {
                    id,
                    ...body,
                    enterpriseId: user.enterpriseId!,
                    submittedBy: user.id,
                    workflowId,
                  },
                  actor: actorOf(user),
                  requestId,
                },
              ],
            }),
          }),
        'the application',
        `/api/v1/applications/${id}`,
      );
      if (state.status === 'REJECTED') {
        throw new AppError(
          'BUSINESS_RULE',
          `The enterprise is not eligible: ${state.eligibilityIssues.map((i) => i.message).join('; ')}`,
          {
            code: 'NOT_ELIGIBLE',
            details: { applicationId: id, issues: state.eligibilityIssues },
          },
        );
      }
      return {
        status: 201,
        body: await detail(deps, { id, programmeId: body.programmeId, enterpriseId: user.enterpriseId }),
        headers: { Location: `/api/v1/applications/${id}` },
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/applications',
    operationId: 'listApplications',
    summary: 'Applications, newest first; SME users see their own enterprise’s',
    tags: ['applications'],
    access: ['SME', 'ADMIN', 'AUDITOR'],
    request: { query: listQuery(z.enum(APPLICATION_STATUSES)).extend({ programmeId: z.uuid().optional() }) },
    responses: {
      200: { description: 'A page of applications', schema: pageSchema(ApplicationView, 'ApplicationPage') },
    },
    handler: async ({ query, user, deps }) => {
      if (user.role === 'SME' && !user.enterpriseId)
        return { status: 200, body: { items: [], nextCursor: null } };
      const page = await deps.repos.applications.list(
        {
          status: query.status,
          programmeId: query.programmeId,
          enterpriseId: user.role === 'SME' ? user.enterpriseId! : undefined,
        },
        { limit: query.limit, after: decodeCursor(query.cursor) },
      );
      const listing = await deps.repos.applications.listingOf(page.items.map((a) => a.id));
      return {
        status: 200,
        body: {
          items: page.items.map((a) => view(deps, a, listing.get(a.id)!)),
          nextCursor: encodeCursor(page.next),
        },
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/applications/:id',
    operationId: 'getApplication',
    summary: 'An application with its status and the timeline of its steps',
    tags: ['applications'],
    access: ['SME', 'ADMIN', 'AUDITOR'],
    request: { params: IdParams },
    responses: { 200: { description: 'The application', schema: ApplicationView } },
    errors: ['NOT_FOUND'],
    handler: async ({ params, user, deps }) => ({
      status: 200,
      body: await detail(deps, await visibleApplication(deps, user, params.id)),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/applications/:id/decision',
    operationId: 'decideApplication',
    summary: 'Approve (possibly a lower amount), reject with a reason, or ask the applicant for information',
    description:
      'Approval reserves the amount in the programme budget and issues the voucher at once; when the available ' +
      'budget or the enterprise’s annual cap cannot take it, the answer is 422 (BUDGET_EXHAUSTED or ANNUAL_CAP_EXCEEDED) and nothing moves.',
    tags: ['applications'],
    access: ['ADMIN'],
    idempotent: true,
    request: { params: IdParams, body: Decision },
    responses: { 200: { description: 'The application after the decision', schema: ApplicationView } },
    errors: ['NOT_FOUND', 'CONFLICT', 'BUSINESS_RULE'],
    handler: async ({ params, body, user, deps, requestId }) => {
      const application = await visibleApplication(deps, user, params.id);
      await intoWorkflow(
        deps,
        () =>
          deps.temporal.workflow
            .getHandle(application.workflowId)
            .executeUpdate(decideUpdate, { args: [{ ...body, actor: actorOf(user), requestId }] }),
        'the application',
        `/api/v1/applications/${application.id}`,
      );
      return { status: 200, body: await detail(deps, application) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/applications/:id/resubmit',
    operationId: 'resubmitApplication',
    summary: 'Send the information a reviewer asked for; the application is checked again',
    tags: ['applications'],
    access: ['SME'],
    idempotent: true,
    request: { params: IdParams, body: Resubmission },
    responses: { 200: { description: 'The application, back under review', schema: ApplicationView } },
    errors: ['NOT_FOUND', 'CONFLICT', 'BUSINESS_RULE'],
    handler: async ({ params, body, user, deps, requestId }) => {
      const application = await visibleApplication(deps, user, params.id);
      const state = await intoWorkflow(
        deps,
        () =>
          deps.temporal.workflow
            .getHandle(application.workflowId)
            .executeUpdate(resubmitUpdate, { args: [{ ...body, actor: actorOf(user), requestId }] }),
        'the application',
        `/api/v1/applications/${application.id}`,
      );
      if (state.status === 'REJECTED') {
        throw new AppError(
          'BUSINESS_RULE',
          `The revised application is not eligible: ${state.eligibilityIssues.map((i) => i.message).join('; ')}`,
          {
            code: 'NOT_ELIGIBLE',
            details: { applicationId: application.id, issues: state.eligibilityIssues },
          },
        );
      }
      return { status: 200, body: await detail(deps, application) };
    },
  }),
];
