import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
} from 'zod-openapi';
import { z } from 'zod';
import { STATUS_OF, type ErrorKind } from '../errors';
import { ProblemSchema } from './problem';
import { fullPath, type RouteDefinition } from './route';

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
});

const ERROR_DESCRIPTIONS: Record<ErrorKind, string> = {
  INVALID: 'The request is malformed or a field is invalid; `issues` names each field and why',
  UNAUTHENTICATED: 'No token, an expired token or a token that is not valid',
  FORBIDDEN: 'The caller’s role may not do this, or the item belongs to another organisation',
  NOT_FOUND: 'No such item, or none the caller may see',
  CONFLICT: 'The item is not in a state that allows this, or an Idempotency-Key was reused',
  PAYLOAD_TOO_LARGE: 'The request body is too large',
  UNSUPPORTED_MEDIA_TYPE: 'The request body is not application/json',
  BUSINESS_RULE: 'Refused by a programme rule; `detail` and `details` say which',
  RATE_LIMITED: 'Too many requests; see Retry-After',
  UNAVAILABLE:
    'A dependency is unreachable, or a process did not answer in time (the step may still take effect); see Retry-After',
};

const TAG_DESCRIPTIONS: Record<string, string> = {
  identity: 'Log in, register, the calling user, passwords, e-mail verification and signing out',
  organisation: 'Colleagues of an enterprise or provider: members and invitations',
  'user-admin': 'Administrator and auditor accounts; disabling any account',
  ops: 'Liveness, readiness and metrics for operators',
  enterprises: 'Enterprises registered by SME users',
  programmes: 'Voucher programmes, their budget ledger and policy',
  applications: 'Voucher applications and their review',
  vouchers: 'Issued vouchers, matching and revocation',
  providers: 'Laboratories and public service platforms, their accreditation and catalog',
  bookings: 'Voucher-funded jobs at providers, from request to accepted report',
  claims: 'Subsidy claims of providers and their decision',
  disputes: 'Disputed reports and their resolution',
  audit: 'The hash-chained audit log',
  reports: 'KPIs and settlement exports',
};

function errorKinds(route: RouteDefinition): ErrorKind[] {
  // every route parses its path, query and headers strictly, so any can answer 400
  const kinds = new Set<ErrorKind>([...(route.errors ?? []), 'INVALID']);
  if (route.request?.body) {
    kinds.add('PAYLOAD_TOO_LARGE');
    kinds.add('UNSUPPORTED_MEDIA_TYPE');
  }
  if (route.access !== 'public') {
    kinds.add('UNAUTHENTICATED');
    kinds.add('FORBIDDEN');
  }
  if (route.idempotent) kinds.add('CONFLICT');
  const limited = (route.rateLimit ?? (route.method === 'get' ? 'none' : 'write')) !== 'none';
  if (limited) kinds.add('RATE_LIMITED');
  // every route reads the database; routes into a process may also find it too busy to answer
  kinds.add('UNAVAILABLE');
  return [...kinds];
}

function operation(route: RouteDefinition): ZodOpenApiOperationObject {
  const responses: Record<`${number}`, ZodOpenApiResponseObject> = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    responses[status as `${number}`] = spec.schema
      ? {
          description: spec.description,
          content: { [spec.contentType ?? 'application/json']: { schema: spec.schema } },
        }
      : { description: spec.description };
  }
  for (const kind of errorKinds(route)) {
    // a status the route documents itself (e.g. /readyz's 503 with its checks) keeps its own body
    responses[`${STATUS_OF[kind]}`] ??= problemResponse(ERROR_DESCRIPTIONS[kind]);
  }
  responses['500'] = problemResponse('Unexpected failure; quote the request id when reporting it');

  const access = route.access === 'public' ? 'Public.' : `Roles: ${route.access.join(', ')}.`;
  return {
    operationId: route.operationId,
    summary: route.summary,
    description: [access, route.description].filter(Boolean).join('\n\n'),
    tags: route.tags,
    security: route.access === 'public' ? [] : [{ bearerAuth: [] }],
    'x-roles': route.access === 'public' ? [] : [...route.access],
    requestParams: definedOnly({
      path: route.request?.params,
      query: route.request?.query,
      header: route.idempotent
        ? z.object({
            'Idempotency-Key': z.string().optional().meta({
              description: 'Replays the first answer for the same key and body; another body is a 409',
            }),
          })
        : undefined,
    }),
    requestBody: route.request?.body
      ? { required: true, content: { 'application/json': { schema: route.request.body } } }
      : undefined,
    responses,
  } as ZodOpenApiOperationObject;
}

function definedOnly<T extends Record<string, unknown>>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** The OpenAPI 3.1 document, generated from the same route definitions and zod schemas the API runs. */
export function buildOpenApiDocument(
  routes: RouteDefinition[],
  info: { version: string; serverUrl: string },
) {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of routes) {
    const path = fullPath(route).replace(/:(\w+)/g, '{$1}');
    paths[path] = { ...paths[path], [route.method]: operation(route) };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'SME testing-voucher service API',
      version: info.version,
      description:
        'Testing vouchers and public-service matchmaking for small and medium-sized enterprises: applications, ' +
        'vouchers, provider matching, bookings, settlement and audit. Money is integer fen (1 CNY = 100 fen). ' +
        'Errors are application/problem+json (RFC 9457) with a stable `code`.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: info.serverUrl }],
    tags: [...new Set(routes.flatMap((r) => r.tags))].sort().map((name) => ({
      name,
      description: TAG_DESCRIPTIONS[name] ?? name,
    })),
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      },
    },
    paths,
  });
}
