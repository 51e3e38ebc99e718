import { z } from 'zod';
import type { VerificationRecord } from '../../domain/audit-verification';
import { auditVerification } from '../../workflows/audit-verification';
import type { ApiDeps } from '../deps';
import { AppError } from '../errors';
import { defineRoute } from '../http/route';
import { streamResponse } from '../http/stream';
import { InstantSchema } from '../http/validation';
import { actorOf } from '../http/workflows';

const AuditEntryView = z
  .object({
    seq: z.string().meta({ description: 'position in the chain' }),
    id: z.uuid(),
    at: z.iso.datetime(),
    actor: z.object({
      userId: z.string().nullable(),
      role: z.string(),
      organisationId: z.string().nullable(),
    }),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string(),
    before: z.unknown(),
    after: z.unknown(),
    workflowId: z.string().nullable(),
    runId: z.string().nullable(),
    requestId: z.string().nullable(),
    prevHash: z.string(),
    hash: z
      .string()
      .meta({ description: 'SHA-256 of the RFC 8785 canonical JSON of the entry and prevHash' }),
  })
  .meta({ id: 'AuditEntry' });

const ChainBreakView = z
  .object({
    seq: z.string(),
    id: z.uuid(),
    reason: z.enum(['PREVIOUS_HASH_MISMATCH', 'CONTENT_HASH_MISMATCH']),
  })
  .nullable()
  .meta({ description: 'the first entry whose content or link does not match its hash' });

const Verification = z
  .object({
    valid: z.boolean(),
    checked: z.number().int().meta({ description: 'entries verified before the first break, or all' }),
    break: ChainBreakView,
    fromSeq: z.string().meta({ description: 'the first entry this verification covers' }),
    toSeq: z.string().meta({
      description: 'the last entry it covers: the head when it ran (below fromSeq when nothing was new)',
    }),
    incremental: z.boolean().meta({
      description:
        'true when it started after the entry the last verification found intact, trusting the chain up to there',
    }),
  })
  .meta({ id: 'AuditVerification' });

const VerificationRun = z
  .object({
    id: z.uuid(),
    kind: z.enum(['FULL', 'INCREMENTAL']),
    state: z.enum(['RUNNING', 'VALID', 'BROKEN', 'FAILED']).meta({
      description: 'FAILED: its process gave up, nothing was concluded; another may be started',
    }),
    fromSeq: z.string(),
    toSeq: z.string().meta({ description: 'the head of the chain when it began' }),
    total: z.number().int().meta({ description: 'entries to check' }),
    checked: z.number().int().meta({ description: 'entries checked so far, or before the first break' }),
    entriesPerSecond: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'checked per second of its run so far' }),
    break: ChainBreakView,
    startedBy: z
      .uuid()
      .nullable()
      .meta({ description: 'the user who started it; null for the nightly schedule' }),
    startedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime().nullable(),
    updatedAt: z.iso.datetime().meta({ description: 'when its progress was last recorded' }),
  })
  .meta({ id: 'AuditVerificationRun' });

function runView(r: VerificationRecord): z.infer<typeof VerificationRun> {
  const seconds = (r.updatedAt.getTime() - r.startedAt.getTime()) / 1000;
  return {
    id: r.id,
    kind: r.kind,
    state: r.state,
    fromSeq: r.fromSeq,
    toSeq: r.toSeq,
    total: r.total,
    checked: r.checked,
    entriesPerSecond: seconds > 0 ? Math.round(r.checked / seconds) : null,
    break: r.break,
    startedBy: r.startedBy,
    startedAt: r.startedAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    updatedAt: r.updatedAt.toISOString(),
  };
}

/**
 * The everyday verification: from the entry the last verification found intact (its stored hash, which
 * the next entry must link to) up to the head. An entry rewritten before that point changes every hash
 * after it, so the first new entry no longer links to the stored hash; what it does not see, a change of
 * content that kept the old hash, the whole-chain verification (nightly, or started) does. A break that
 * a verification found stands until a whole-chain verification finds the chain intact.
 */
async function verifyIncrementally(
  deps: ApiDeps,
  startedBy: string | null,
): Promise<z.infer<typeof Verification>> {
  const audit = deps.repos.audit;
  const startedAt = deps.clock.now();
  const { position, known } = await audit.verifications.anchor();
  if (known) {
    return {
      valid: false,
      checked: known.checked,
      break: known.break,
      fromSeq: known.fromSeq,
      toSeq: known.toSeq,
      incremental: known.kind === 'INCREMENTAL',
    };
  }
  const head = await audit.head();
  const range = {
    fromSeq: (position.seq + 1n).toString(),
    toSeq: head.seq.toString(),
    incremental: position.seq > 0n,
  };
  if (head.seq <= position.seq) return { valid: true, checked: 0, break: null, ...range };
  const result = await audit.check(position, head.seq, { pageSize: 5_000 });
  await audit.verifications.recordIncremental(
    position,
    head.seq,
    result,
    startedBy,
    startedAt,
    deps.clock.now(),
  );
  return { valid: result.break === null, checked: result.position.checked, break: result.break, ...range };
}

const filters = {
  entityType: z.string().max(50).optional(),
  entityId: z.string().max(100).optional(),
  action: z.string().max(100).optional(),
  actorId: z.string().max(100).optional(),
  from: InstantSchema.optional().meta({ description: 'entries at or after this instant' }),
  to: InstantSchema.optional().meta({ description: 'entries before this instant' }),
};

const toFilter = (q: {
  entityType?: string;
  entityId?: string;
  action?: string;
  actorId?: string;
  from?: string;
  to?: string;
}) => ({
  entityType: q.entityType,
  entityId: q.entityId,
  action: q.action,
  actorId: q.actorId,
  from: q.from ? new Date(q.from) : undefined,
  to: q.to ? new Date(q.to) : undefined,
});

export const auditRoutes = [
  defineRoute({
    method: 'get',
    path: '/audit',
    operationId: 'listAudit',
    summary: 'The audit log in chain order, filterable',
    tags: ['audit'],
    access: ['ADMIN', 'AUDITOR'],
    request: {
      query: z.strictObject({
        ...filters,
        limit: z.coerce.number().int().min(1).max(500).default(100),
        after: z
          .string()
          .regex(/^\d{1,18}$/, { error: 'must be the seq of an entry' })
          .optional()
          .meta({ description: 'seq of the last entry of the previous page' }),
      }),
    },
    responses: {
      200: {
        description: 'A page of entries',
        schema: z
          .object({ items: z.array(AuditEntryView), nextAfter: z.string().nullable() })
          .meta({ id: 'AuditPage' }),
      },
    },
    handler: async ({ query, deps }) => {
      const items = await deps.repos.audit.list(toFilter(query), {
        afterSeq: query.after === undefined ? undefined : BigInt(query.after),
        limit: query.limit,
      });
      return {
        status: 200,
        body: { items, nextAfter: items.length === query.limit ? items[items.length - 1]!.seq : null },
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/audit/verify',
    operationId: 'verifyAudit',
    summary:
      'Re-compute the hashes of the entries added since the last verification, and name the first that breaks the chain',
    description:
      'Starts after the last entry a verification found intact, and links the first new entry to that entry’s recorded hash, ' +
      'so a rewrite of earlier entries shows as a PREVIOUS_HASH_MISMATCH there; a change that kept an old hash is found by the ' +
      'whole-chain verification (`POST /audit/verifications`, also run nightly). The first call verifies the whole chain. ' +
      'A break a verification found is answered again until a whole-chain verification finds the chain intact.',
    tags: ['audit'],
    access: ['ADMIN', 'AUDITOR'],
    responses: { 200: { description: 'Whether the chain is intact', schema: Verification } },
    handler: async ({ deps, user }) => ({ status: 200, body: await verifyIncrementally(deps, user.id) }),
  }),
  defineRoute({
    method: 'post',
    path: '/audit/verifications',
    operationId: 'startAuditVerification',
    summary: 'Start verifying the whole chain in the background, or find the run already going',
    description:
      'Checks every entry from the first up to the head at the start, in a durable process that resumes where it was ' +
      'after a restart. One runs at a time: while one runs, this answers 200 with it instead of starting another. ' +
      'The start and the result are recorded in the audit log.',
    tags: ['audit'],
    access: ['ADMIN', 'AUDITOR'],
    responses: {
      202: { description: 'Started; follow it at its Location', schema: VerificationRun },
      200: { description: 'One was already running: that one', schema: VerificationRun },
    },
    errors: ['UNAVAILABLE'],
    handler: async ({ deps, user, requestId }) => {
      const verifications = deps.repos.audit.verifications;
      const { record, started } = await verifications.startFull(actorOf(user), deps.clock.now(), requestId);
      const headers = { Location: `/api/v1/audit/verifications/${record.id}` };
      if (!started) return { status: 200, body: runView(record), headers };
      try {
        await deps.temporal.workflow.start(auditVerification, {
          workflowId: `audit-verification/${record.id}`,
          taskQueue: deps.env.TEMPORAL_TASK_QUEUE,
          args: [{ verificationId: record.id }],
        });
      } catch (error) {
        await verifications.abandon(record.id, deps.clock.now());
        deps.logger.warn({ err: error }, 'could not start the audit verification');
        throw new AppError('UNAVAILABLE', 'The verification could not be started now; try again shortly', {
          code: 'PROCESS_UNAVAILABLE',
          headers: { 'Retry-After': '5' },
        });
      }
      return { status: 202, body: runView(record), headers };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/audit/verifications',
    operationId: 'listAuditVerifications',
    summary: 'The latest verifications of the chain, newest first, the running one with its progress',
    tags: ['audit'],
    access: ['ADMIN', 'AUDITOR'],
    request: { query: z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(20) }) },
    responses: {
      200: {
        description: 'The verifications',
        schema: z.object({ items: z.array(VerificationRun) }).meta({ id: 'AuditVerificationRuns' }),
      },
    },
    handler: async ({ deps, query }) => ({
      status: 200,
      body: { items: (await deps.repos.audit.verifications.list(query.limit)).map(runView) },
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/audit/verifications/:id',
    operationId: 'getAuditVerification',
    summary: 'One verification: its progress while it runs, its result once done',
    tags: ['audit'],
    access: ['ADMIN', 'AUDITOR'],
    request: { params: z.strictObject({ id: z.uuid() }) },
    responses: { 200: { description: 'The verification', schema: VerificationRun } },
    errors: ['NOT_FOUND'],
    handler: async ({ deps, params }) => {
      const record = await deps.repos.audit.verifications.findById(params.id);
      if (!record) throw AppError.notFound('audit verification', params.id);
      return { status: 200, body: runView(record) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/audit/export',
    operationId: 'exportAudit',
    summary: 'The audit log as newline-delimited JSON, for verification elsewhere',
    description:
      'Each line is one entry with its prevHash and hash; re-hashing the RFC 8785 canonical JSON verifies it.',
    tags: ['audit'],
    access: ['ADMIN', 'AUDITOR'],
    request: { query: z.strictObject(filters) },
    responses: {
      200: { description: 'One entry per line', schema: z.string(), contentType: 'application/x-ndjson' },
    },
    handler: async ({ query, deps, res }) => {
      const pages = deps.repos.audit.pages(toFilter(query), {
        onPage: () => deps.metrics.exportPages.inc({ export: 'audit' }),
      });
      async function* lines(): AsyncGenerator<string> {
        for await (const page of pages) {
          let text = '';
          for (const entry of page) text += `${JSON.stringify(entry)}\n`;
          yield text;
        }
      }
      await streamResponse(res, lines(), () => {
        res.status(200).type('application/x-ndjson');
        res.setHeader('Content-Disposition', 'attachment; filename="audit-log.ndjson"');
      });
      return { status: 200, streamed: true };
    },
  }),
];
