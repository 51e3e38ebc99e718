import { z } from 'zod';
import { defineRoute } from '../http/route';
import { InstantSchema } from '../http/validation';

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

const Verification = z
  .object({
    valid: z.boolean(),
    checked: z.number().int().meta({ description: 'entries verified before the first break, or all' }),
    break: z
      .object({
        seq: z.string(),
        id: z.uuid(),
        reason: z.enum(['PREVIOUS_HASH_MISMATCH', 'CONTENT_HASH_MISMATCH']),
      })
      .nullable()
      .meta({ description: 'the first entry whose content or link does not match its hash' }),
  })
  .meta({ id: 'AuditVerification' });

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
    summary: 'Re-compute every hash of the chain and name the first entry that breaks it',
    tags: ['audit'],
    access: ['ADMIN', 'AUDITOR'],
    responses: { 200: { description: 'Whether the chain is intact', schema: Verification } },
    handler: async ({ deps }) => ({ status: 200, body: await deps.repos.audit.verify() }),
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
      res.status(200).type('application/x-ndjson');
      res.setHeader('Content-Disposition', 'attachment; filename="audit-log.ndjson"');
      let afterSeq: bigint | undefined;
      for (;;) {
        const page = await deps.repos.audit.list(toFilter(query), { afterSeq, limit: 1000 });
        for (const entry of page) res.write(`${JSON.stringify(entry)}\n`);
        if (page.length < 1000) break;
        afterSeq = BigInt(page[page.length - 1]!.seq);
      }
      res.end();
      return { status: 200, streamed: true };
    },
  }),
];
