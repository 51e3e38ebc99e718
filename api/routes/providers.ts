import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ProviderStatusSchema } from '../../domain/catalog';
import { ROLES } from '../../domain/identity';
import {
  AccreditationListSchema,
  describeAccreditation,
  lapsedAt,
  ProviderRegistrationSchema,
  providerWorkflowId,
  type Accreditation,
  type ProviderSubmission,
} from '../../domain/provider';
import {
  providerOnboarding,
  submitAccreditationsUpdate,
  verifyUpdate,
} from '../../workflows/provider-onboarding';
import type { ApiDeps } from '../deps';
import { AppError } from '../errors';
import { decodeCursor, encodeCursor, listQuery, pageSchema } from '../http/pagination';
import { defineRoute } from '../http/route';
import { actorOf, intoWorkflow } from '../http/workflows';
import {
  onboardingInput,
  onboardingStart,
  ownProvider,
  providerView,
  providerViews,
  ProviderView,
  visibleProvider,
} from './provider-views';

const IdParams = z.strictObject({ id: z.uuid() });

const Renewal = z
  .strictObject({ accreditations: AccreditationListSchema })
  .meta({ id: 'AccreditationSubmission', description: 'the full set of current accreditations' });

const Verification = z
  .discriminatedUnion('decision', [
    z.strictObject({
      decision: z.literal('APPROVE'),
      submissionId: z
        .uuid()
        .optional()
        .meta({ description: 'the submission reviewed; refused if a newer one came' }),
    }),
    z.strictObject({
      decision: z.literal('REJECT'),
      reason: z.string().trim().min(2).max(2000),
      submissionId: z.uuid().optional(),
    }),
  ])
  .meta({ id: 'ProviderVerification' });

function refuseLapsed(accreditations: readonly Accreditation[], now: Date): void {
  const lapsed = lapsedAt(accreditations, now.getTime());
  if (lapsed.length) {
    throw new AppError(
      'BUSINESS_RULE',
      `${lapsed.map(describeAccreditation).join(', ')} already expired; submit current certificates`,
      { code: 'ACCREDITATION_EXPIRED', details: { expired: lapsed.map((a) => a.number) } },
    );
  }
}

/** Starts (or finds) the provider's process; a Temporal that does not answer in time is a 503 to repeat. */
async function startProcess(deps: ApiDeps, providerId: string): Promise<void> {
  await intoWorkflow(
    deps,
    () =>
      deps.temporal.workflow.start(providerOnboarding, {
        workflowId: providerWorkflowId(providerId),
        taskQueue: deps.env.TEMPORAL_TASK_QUEUE,
        workflowIdConflictPolicy: 'USE_EXISTING',
        args: [onboardingInput(deps, providerId)],
      }),
    `provider ${providerId}`,
    `/api/v1/providers/${providerId}`,
  );
}

const providerExists = (creditCode: string) =>
  new AppError('CONFLICT', `A provider with credit code ${creditCode} is registered`, {
    code: 'PROVIDER_EXISTS',
  });

export const providerRoutes = [
  defineRoute({
    method: 'post',
    path: '/providers',
    operationId: 'registerProvider',
    summary: 'Register the caller’s laboratory or service platform for verification',
    description:
      'The caller becomes staff of the new provider, which waits for an administrator to verify its accreditations ' +
      '(review reminder and escalation on the SLA). Repeating the registration of the caller’s own provider answers 200 ' +
      'with it, and makes sure its process runs.',
    tags: ['providers'],
    access: ['PROVIDER'],
    idempotent: true,
    request: { body: ProviderRegistrationSchema },
    responses: {
      201: { description: 'The provider, pending verification', schema: ProviderView },
      200: { description: 'The caller’s provider, registered before', schema: ProviderView },
    },
    errors: ['CONFLICT', 'BUSINESS_RULE'],
    handler: async ({ body, user, deps, requestId }) => {
      if (user.providerId) {
        const own = await deps.repos.providers.findById(user.providerId);
        if (own?.creditCode !== body.creditCode) {
          throw new AppError('CONFLICT', 'You are already staff of another provider', {
            code: 'ALREADY_PROVIDER_STAFF',
            details: { providerId: user.providerId },
          });
        }
        await startProcess(deps, own.id);
        return { status: 200, body: await providerView(deps, own, user) };
      }
      if (await deps.repos.providers.findByCreditCode(body.creditCode)) throw providerExists(body.creditCode);
      const now = deps.clock.now();
      refuseLapsed(body.accreditations, now);

      const id = randomUUID();
      const { accreditations, ...fields } = body;
      const submission: ProviderSubmission = {
        submissionId: randomUUID(),
        submittedAt: now.toISOString(),
        submittedBy: user.id,
        accreditations,
      };
      // registration is one insert and the caller's link to it; the process takes over from there
      const result = await deps.repos.providers.register(
        { ...fields, id, submission },
        user.id,
        (created) => ({
          actor: { ...actorOf(user), organisationId: id },
          requestId,
          action: 'PROVIDER_REGISTERED',
          entityType: 'provider',
          entityId: id,
          after: {
            status: created.status,
            creditCode: created.creditCode,
            name: created.name,
            kind: created.kind,
            regionCode: created.regionCode,
            submission: submission.submissionId,
          },
        }),
      );
      if ('refused' in result) {
        throw result.refused === 'ALREADY_STAFF'
          ? new AppError('CONFLICT', 'You already belong to an organisation', {
              code: 'ALREADY_PROVIDER_STAFF',
            })
          : providerExists(body.creditCode);
      }
      const provider = result.registered;
      await startProcess(deps, id);
      return {
        status: 201,
        body: await providerView(deps, provider, { ...user, providerId: id }),
        headers: { Location: `/api/v1/providers/${id}` },
      };
    },
  }),

  defineRoute({
    method: 'get',
    path: '/providers',
    operationId: 'listProviders',
    summary: 'Providers, newest first, by status',
    description:
      '`awaitingVerification=true` keeps only providers whose submitted accreditations wait for an administrator ' +
      '(new registrations and renewals, whatever their status).',
    tags: ['providers'],
    access: ['ADMIN', 'AUDITOR'],
    request: {
      query: listQuery(ProviderStatusSchema).extend({
        awaitingVerification: z
          .enum(['true', 'false'])
          .optional()
          .meta({ description: 'only providers with accreditations waiting for verification' }),
      }),
    },
    responses: {
      200: { description: 'A page of providers', schema: pageSchema(ProviderView, 'ProviderPage') },
    },
    handler: async ({ query, user, deps }) => {
      const page = await deps.repos.providers.list(
        { status: query.status, awaitingVerification: query.awaitingVerification === 'true' },
        { limit: query.limit, after: decodeCursor(query.cursor) },
      );
      return {
        status: 200,
        body: {
          items: await providerViews(deps, page.items, user),
          nextCursor: encodeCursor(page.next),
        },
      };
    },
  }),

  defineRoute({
    method: 'get',
    path: '/providers/:id',
    operationId: 'getProvider',
    summary: 'A provider: status, accreditations, catalog and the timeline of its process',
    tags: ['providers'],
    access: ROLES,
    request: { params: IdParams },
    responses: { 200: { description: 'The provider', schema: ProviderView } },
    errors: ['NOT_FOUND'],
    handler: async ({ params, user, deps }) => ({
      status: 200,
      body: await providerView(deps, await visibleProvider(deps, user, params.id), user),
    }),
  }),

  defineRoute({
    method: 'put',
    path: '/providers/:id/accreditations',
    operationId: 'submitAccreditations',
    summary: 'Submit renewed (or corrected) accreditations for verification',
    description:
      'The provider keeps its current status and verified accreditations until an administrator approves the new ' +
      'set; a delisted or rejected provider waits for verification again, and is listed on approval.',
    tags: ['providers'],
    access: ['PROVIDER'],
    idempotent: true,
    request: { params: IdParams, body: Renewal },
    responses: { 200: { description: 'The provider, with the submission waiting', schema: ProviderView } },
    errors: ['NOT_FOUND', 'CONFLICT', 'BUSINESS_RULE'],
    handler: async ({ params, body, user, deps, requestId }) => {
      await ownProvider(deps, user, params.id);
      const now = deps.clock.now();
      refuseLapsed(body.accreditations, now);
      await intoWorkflow(
        deps,
        () =>
          deps.temporal.workflow.executeUpdateWithStart(submitAccreditationsUpdate, {
            args: [
              {
                submission: {
                  submissionId: randomUUID(),
                  submittedAt: now.toISOString(),
                  submittedBy: user.id,
                  accreditations: body.accreditations,
                },
                actor: actorOf(user),
                requestId,
              },
            ],
            startWorkflowOperation: onboardingStart(deps, params.id),
          }),
        'the provider',
        `/api/v1/providers/${params.id}`,
      );
      return { status: 200, body: await providerView(deps, await ownProvider(deps, user, params.id), user) };
    },
  }),

  defineRoute({
    method: 'post',
    path: '/providers/:id/verification',
    operationId: 'verifyProvider',
    summary: 'Approve (list) or reject the provider’s submitted accreditations',
    tags: ['providers'],
    access: ['ADMIN'],
    idempotent: true,
    request: { params: IdParams, body: Verification },
    responses: { 200: { description: 'The provider after the decision', schema: ProviderView } },
    errors: ['NOT_FOUND', 'CONFLICT', 'BUSINESS_RULE'],
    handler: async ({ params, body, user, deps, requestId }) => {
      const provider = await visibleProvider(deps, user, params.id);
      if (!provider.pending) {
        throw new AppError(
          'CONFLICT',
          `The provider is ${provider.status}; no submitted accreditations wait for verification`,
          {
            code: 'NOTHING_TO_VERIFY',
          },
        );
      }
      await intoWorkflow(
        deps,
        () =>
          deps.temporal.workflow.executeUpdateWithStart(verifyUpdate, {
            args: [{ ...body, actor: actorOf(user), requestId }],
            startWorkflowOperation: onboardingStart(deps, params.id),
          }),
        'the provider',
        `/api/v1/providers/${params.id}`,
      );
      return {
        status: 200,
        body: await providerView(deps, (await deps.repos.providers.findById(params.id))!, user),
      };
    },
  }),
];
