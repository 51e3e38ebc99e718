import { createHmac, timingSafeEqual } from 'node:crypto';
import { isGrpcServiceError } from '@temporalio/client';
import { z } from 'zod';
import { durationMs } from '../../domain/duration';
import type { PageCursor } from '../../db/repositories/page';
import type { ProcessNeedingAttention } from '../../infra/process-watch';
import type { ApiDeps } from '../deps';
import { AppError } from '../errors';
import { MAX_PAGE_SIZE, pageSchema } from '../http/pagination';
import { defineRoute } from '../http/route';
import { workflowUrl } from '../http/workflows';

const STATUSES = ['FAILED', 'STUCK'] as const;

const SUBJECT_KINDS = ['APPLICATION', 'BOOKING', 'SETTLEMENT', 'PROGRAMME', 'PAYOUT', 'PROVIDER'] as const;
const SUBJECT_PREFIXES: Record<string, (typeof SUBJECT_KINDS)[number]> = {
  'voucher-application': 'APPLICATION',
  booking: 'BOOKING',
  settlement: 'SETTLEMENT',
  programme: 'PROGRAMME',
  payout: 'PAYOUT',
  provider: 'PROVIDER',
};
const UUID_AT_START = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** The record a business-key workflow id names (`booking/<id>`, a scheduled run's `payout/<id>-<time>`). */
function subjectOf(workflowId: string) {
  const slash = workflowId.indexOf('/');
  const kind = SUBJECT_PREFIXES[workflowId.slice(0, slash)];
  const id = UUID_AT_START.exec(workflowId.slice(slash + 1))?.[0];
  return slash > 0 && kind && id ? { kind, id: id.toLowerCase() } : null;
}

const ProcessView = z
  .object({
    status: z.enum(STATUSES),
    workflowId: z.string(),
    runId: z.string(),
    workflowType: z.string(),
    programmeId: z.string().nullable(),
    enterpriseId: z.string().nullable(),
    providerId: z.string().nullable(),
    voucherStatus: z.string().nullable(),
    bookingStatus: z.string().nullable(),
    claimStatus: z.string().nullable(),
    since: z.iso
      .datetime()
      .meta({ description: 'FAILED: when the run ended; STUCK: when the failing step was first scheduled' }),
    reason: z.string().meta({ description: 'the failure with its causes, or the step’s last failure' }),
    outcome: z
      .enum(['FAILED', 'TIMED_OUT', 'TERMINATED'])
      .nullable()
      .meta({ description: 'how a FAILED run ended; null for STUCK' }),
    step: z
      .object({
        activityType: z.string(),
        activityId: z.string(),
        attempt: z.number().int(),
        lastFailedAt: z.iso.datetime(),
      })
      .nullable()
      .meta({ description: 'the step that keeps failing; null for FAILED' }),
    workflowUrl: z.string().meta({ description: 'the run’s history in the Temporal UI' }),
    subject: z
      .object({ kind: z.enum(SUBJECT_KINDS), id: z.uuid() })
      .nullable()
      .meta({
        description:
          'what the process is about, read from its business-key workflow id (SETTLEMENT and BOOKING carry the booking id, PAYOUT the programme id); null for a process of no one record',
      }),
  })
  .meta({ id: 'ProcessNeedingAttention' });

const ProcessQuery = z.strictObject({
  status: z.enum(STATUSES).meta({
    description:
      'FAILED: runs that failed, timed out or were terminated and were not reset or started again; STUCK: runs with a step retrying for longer than STUCK_AFTER',
  }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE, { error: `must be at most ${MAX_PAGE_SIZE}` })
    .default(20)
    .meta({
      description: `page size, 1–${MAX_PAGE_SIZE}; a page may hold fewer once resolved runs are left out`,
    }),
  cursor: z.string().max(4096).optional().meta({ description: 'nextCursor of the previous page' }),
});

const invalidCursor = () =>
  new AppError('INVALID', 'cursor is not one this API returned for this status', {
    code: 'VALIDATION_FAILED',
    issues: [
      {
        in: 'query',
        field: 'cursor',
        reason: 'is not a cursor this API returned for this status',
        code: 'invalid_cursor',
      },
    ],
  });

const CursorSchema = z.union([
  z.tuple([z.literal('FAILED'), z.base64().min(1)]),
  z.tuple([z.literal('STUCK'), z.iso.datetime(), z.uuid()]),
]);

type Cursor = z.infer<typeof CursorSchema>;

/** Signed: Temporal's page tokens are opaque to us, and a forged one would reach its visibility store. */
function signature(deps: ApiDeps, payload: string): Buffer {
  return createHmac('sha256', deps.env.JWT_SECRET).update(`processes-cursor:${payload}`).digest();
}

function encode(deps: ApiDeps, value: Cursor): string {
  const payload = Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${payload}.${signature(deps, payload).toString('base64url')}`;
}

function decode(deps: ApiDeps, status: (typeof STATUSES)[number], value: string | undefined) {
  if (value === undefined) return undefined;
  const [payload = '', mac = ''] = value.split('.');
  const given = Buffer.from(mac, 'base64url');
  const expected = signature(deps, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidCursor();
  let parsed: Cursor;
  try {
    parsed = CursorSchema.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  } catch {
    throw invalidCursor();
  }
  if (parsed[0] !== status) throw invalidCursor();
  return parsed;
}

// gRPC status codes: INVALID_ARGUMENT; DEADLINE_EXCEEDED and UNAVAILABLE
const GRPC_INVALID_ARGUMENT = 3;
const GRPC_UNAVAILABLE: number[] = [4, 14];

/**
 * Temporal out of reach, or not answering within PROCESS_ANSWER_WITHIN, is a 503, as on /readyz; a page
 * token it refuses (expired with its run) is a bad cursor.
 */
async function fromTemporal<T>(deps: ApiDeps, read: () => Promise<T>): Promise<T> {
  try {
    return await deps.temporal.withDeadline(Date.now() + durationMs(deps.env.PROCESS_ANSWER_WITHIN), read);
  } catch (error) {
    const code: number | null = isGrpcServiceError(error) ? error.code : null;
    if (code === GRPC_INVALID_ARGUMENT) throw invalidCursor();
    if (code !== null && GRPC_UNAVAILABLE.includes(code)) {
      throw new AppError('UNAVAILABLE', 'Temporal does not answer; the processes cannot be listed now', {
        code: 'TEMPORAL_UNAVAILABLE',
        headers: { 'Retry-After': '10' },
      });
    }
    throw error;
  }
}

function view(deps: ApiDeps, item: ProcessNeedingAttention) {
  return {
    ...item,
    since: item.since.toISOString(),
    step: item.step && { ...item.step, lastFailedAt: item.step.lastFailedAt.toISOString() },
    workflowUrl: `${workflowUrl(deps, item.workflowId)}/${encodeURIComponent(item.runId)}/history`,
    subject: subjectOf(item.workflowId),
  };
}

async function page(deps: ApiDeps, query: z.output<typeof ProcessQuery>) {
  const cursor = decode(deps, query.status, query.cursor);
  if (query.status === 'FAILED') {
    const token = cursor?.[0] === 'FAILED' ? Buffer.from(cursor[1], 'base64') : undefined;
    const result = await fromTemporal(deps, () => deps.processes.failed(query.limit, token));
    return {
      items: result.items,
      nextCursor: result.next && encode(deps, ['FAILED', Buffer.from(result.next).toString('base64')]),
    };
  }
  const after: PageCursor | undefined =
    cursor?.[0] === 'STUCK' ? { createdAt: new Date(cursor[1]), id: cursor[2] } : undefined;
  const result = await fromTemporal(deps, () => deps.processes.stuck(query.limit, after));
  return {
    items: result.items,
    nextCursor: result.next && encode(deps, ['STUCK', result.next.createdAt.toISOString(), result.next.id]),
  };
}

export const processRoutes = [
  defineRoute({
    method: 'get',
    path: '/processes',
    operationId: 'listProcessesNeedingAttention',
    summary: 'Failed and stuck processes, with their business ids, the reason and a link to the history',
    description:
      'FAILED lists the service’s runs that failed, timed out or were terminated, newest first, until they are reset or started again. STUCK lists runs with a step that has kept failing for longer than STUCK_AFTER, until the step succeeds or gives up. The gauge `processes_needing_attention` on /metrics counts both.',
    tags: ['ops'],
    access: ['ADMIN', 'AUDITOR'],
    request: { query: ProcessQuery },
    responses: {
      200: { description: 'A page of processes', schema: pageSchema(ProcessView, 'ProcessPage') },
    },
    handler: async ({ query, deps }) => {
      const { items, nextCursor } = await page(deps, query);
      return { status: 200, body: { items: items.map((item) => view(deps, item)), nextCursor } };
    },
  }),
];
