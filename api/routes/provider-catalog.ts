import { z } from 'zod';
import { addDays, daysBetween, isIsoDate, localDate } from '../../domain/calendar';
import type { AuthUser } from '../../domain/identity';
import {
  CatalogSchema,
  scopeViolations,
  type ScopeViolation,
  type ServiceRecord,
} from '../../domain/provider';
import { normalizeStandardCode } from '../../domain/standards';
import type { ApiDeps } from '../deps';
import { AppError, type FieldIssue } from '../errors';
import { requireVerifiedEmail } from '../http/accounts';
import { defineRoute } from '../http/route';
import { actorOf } from '../http/workflows';
import { ownProvider, serviceView, ServiceView, visibleProvider } from './provider-views';

const IdParams = z.strictObject({ id: z.uuid() });

const CatalogView = z
  .object({ providerId: z.uuid(), services: z.array(ServiceView) })
  .meta({ id: 'ProviderCatalog' });

const MAX_CAPACITY_WINDOW_DAYS = 92;

const date = z.string().refine(isIsoDate, { error: 'must be a date YYYY-MM-DD' });
const CapacityQuery = z.strictObject({
  from: date.optional().meta({ description: 'first day; today (Asia/Shanghai) by default' }),
  to: date.optional().meta({ description: `last day; at most ${MAX_CAPACITY_WINDOW_DAYS} days after from` }),
});

const CapacityView = z
  .object({
    providerId: z.uuid(),
    from: z.string(),
    to: z.string(),
    services: z.array(
      z.object({
        serviceId: z.uuid(),
        name: z.string(),
        dailyCapacity: z.number().int(),
        days: z
          .array(
            z.object({
              date: z.string(),
              used: z.number().int().meta({ description: 'held + booked' }),
              capacity: z.number().int(),
              held: z.number().int().meta({ description: 'samples of requested bookings not yet confirmed' }),
              booked: z.number().int().meta({ description: 'samples of confirmed bookings' }),
            }),
          )
          .meta({ description: 'days with samples held or booked; other days have the whole capacity free' }),
      }),
    ),
  })
  .meta({ id: 'ProviderCapacity' });

const catalogSummary = (services: readonly ServiceRecord[]) =>
  services.map((s) => ({
    id: s.id,
    name: s.name,
    category: s.category,
    standards: s.standards,
    unitPriceFen: s.unitPriceFen,
    turnaroundDays: s.turnaroundDays,
    dailyCapacity: s.dailyCapacity,
    inScope: s.inScope,
  }));

/**
 * Each standard outside the scope as a failing field, at its place in the request as sent: the
 * catalog normalises, sorts and deduplicates standards, so the place is found again in what came in.
 */
function scopeIssues(violations: readonly ScopeViolation[], sent: unknown): FieldIssue[] {
  const services = (sent as { services?: { standards?: unknown[] }[] }).services ?? [];
  return violations.flatMap(({ index, standard }) => {
    const typed = services[index]?.standards ?? [];
    return typed.flatMap((code, place) =>
      typeof code === 'string' && normalizeStandardCode(code) === standard
        ? [
            {
              in: 'body' as const,
              field: `services.${index}.standards.${place}`,
              reason: `${standard} is not covered by any accreditation of the provider`,
              code: 'out_of_scope',
            },
          ]
        : [],
    );
  });
}

/** Staff see their own provider's capacity; administrators and auditors any provider's. */
function capacityReader(deps: ApiDeps, user: AuthUser, id: string) {
  return user.role === 'PROVIDER' ? ownProvider(deps, user, id) : visibleProvider(deps, user, id);
}

export const providerCatalogRoutes = [
  defineRoute({
    method: 'put',
    path: '/providers/:id/services',
    operationId: 'replaceCatalog',
    summary: 'Replace the provider’s service catalog',
    description:
      'Services with an `id` are changed, those without are added, and those left out are withdrawn (bookings that ' +
      'name them keep them). A service marked `inScope` must lie within the scope of the provider’s accreditations ' +
      '(verified or waiting for verification): a claim they do not back is refused with 422 SERVICE_OUT_OF_SCOPE ' +
      'naming each service and standard, and each such standard as a failing field (`services.2.standards.0`, its ' +
      'place as sent); mark such a service `inScope: false` to offer it outside voucher matching. ' +
      'A new daily capacity applies from today on, never below what a day has already taken. The caller must ' +
      'have confirmed their e-mail address (403 EMAIL_NOT_VERIFIED).',
    tags: ['providers'],
    access: ['PROVIDER'],
    request: { params: IdParams, body: CatalogSchema },
    responses: { 200: { description: 'The catalog now', schema: CatalogView } },
    errors: ['NOT_FOUND', 'BUSINESS_RULE'],
    handler: async ({ params, body, user, deps, requestId, req }) => {
      const provider = await ownProvider(deps, user, params.id);
      requireVerifiedEmail(user);
      const violations = scopeViolations(body.services, [
        ...provider.accreditations,
        ...(provider.pending?.accreditations ?? []),
      ]);
      if (violations.length) {
        throw new AppError(
          'BUSINESS_RULE',
          violations
            .map(
              (v) =>
                `service "${v.service}" claims ${v.standard}, which no accreditation of the provider covers`,
            )
            .join('; '),
          {
            code: 'SERVICE_OUT_OF_SCOPE',
            details: { violations },
            issues: scopeIssues(violations, req.body),
          },
        );
      }
      const result = await deps.repos.providers.replaceCatalog(
        { providerId: provider.id, services: body.services, today: localDate(deps.clock.now()) },
        ({ before, after }) => ({
          actor: actorOf(user),
          requestId,
          action: 'CATALOG_UPDATED',
          entityType: 'provider',
          entityId: provider.id,
          before: catalogSummary(before),
          after: catalogSummary(after),
        }),
      );
      if (result.unknownIds.length) {
        throw new AppError('INVALID', 'A service id is not one of this provider’s services', {
          code: 'VALIDATION_FAILED',
          issues: body.services.flatMap((s, index) =>
            s.id && result.unknownIds.includes(s.id)
              ? [
                  {
                    in: 'body' as const,
                    field: `services.${index}.id`,
                    reason: 'is not a service of this provider',
                    code: 'unknown_service',
                  },
                ]
              : [],
          ),
        });
      }
      return { status: 200, body: { providerId: provider.id, services: result.services.map(serviceView) } };
    },
  }),

  defineRoute({
    method: 'get',
    path: '/providers/:id/capacity',
    operationId: 'providerCapacity',
    summary: 'Samples held and booked per service and day',
    tags: ['providers'],
    access: ['PROVIDER', 'ADMIN', 'AUDITOR'],
    request: { params: IdParams, query: CapacityQuery },
    responses: { 200: { description: 'Capacity taken in the window', schema: CapacityView } },
    errors: ['NOT_FOUND'],
    handler: async ({ params, query, user, deps }) => {
      const provider = await capacityReader(deps, user, params.id);
      const from = query.from ?? localDate(deps.clock.now());
      const to = query.to ?? addDays(from, 29);
      const span = daysBetween(from, to);
      if (span < 0 || span >= MAX_CAPACITY_WINDOW_DAYS) {
        throw new AppError(
          'INVALID',
          `to must be from 0 to ${MAX_CAPACITY_WINDOW_DAYS - 1} days after from`,
          {
            code: 'VALIDATION_FAILED',
            issues: [
              {
                in: 'query',
                field: 'to',
                reason: `must be within ${MAX_CAPACITY_WINDOW_DAYS} days of from`,
                code: 'too_big',
              },
            ],
          },
        );
      }
      const [services, usage] = await Promise.all([
        deps.repos.providers.services(provider.id),
        deps.repos.providers.usage({ providerId: provider.id, from, to }),
      ]);
      return {
        status: 200,
        body: {
          providerId: provider.id,
          from,
          to,
          services: services.map((s) => ({
            serviceId: s.id,
            name: s.name,
            dailyCapacity: s.dailyCapacity,
            days: usage
              .filter((u) => u.serviceId === s.id)
              .map((u) => ({
                date: u.day,
                used: u.used,
                capacity: u.capacity,
                held: u.held,
                booked: u.booked,
              })),
          })),
        },
      };
    },
  }),
];
