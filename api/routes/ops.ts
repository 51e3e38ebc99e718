import { z } from 'zod';
import { defineRoute } from '../http/route';

const Health = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });

const Readiness = z
  .object({
    status: z.enum(['ready', 'not-ready']),
    checks: z.record(
      z.string(),
      z.object({ ok: z.boolean(), latencyMs: z.number().int(), error: z.string().optional() }),
    ),
  })
  .meta({ id: 'Readiness' });

const CHECK_TIMEOUT_MS = 3000;

async function timed(check: () => Promise<void>) {
  const started = performance.now();
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) =>
        setTimeout(
          () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
          CHECK_TIMEOUT_MS,
        ).unref(),
      ),
    ]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      ok: false,
      latencyMs: Math.round(performance.now() - started),
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

export const opsRoutes = [
  defineRoute({
    method: 'get',
    path: '/healthz',
    root: true,
    operationId: 'health',
    summary: 'Liveness: the process is up',
    tags: ['ops'],
    access: 'public',
    responses: { 200: { description: 'The process is up', schema: Health } },
    handler: async () => ({ status: 200, body: { status: 'ok' } }),
  }),
  defineRoute({
    method: 'get',
    path: '/readyz',
    root: true,
    operationId: 'readiness',
    summary: 'Readiness: database, Temporal and SMTP reachable, each named',
    tags: ['ops'],
    access: 'public',
    responses: {
      200: { description: 'Every dependency answers', schema: Readiness },
      503: { description: 'At least one dependency does not answer', schema: Readiness },
    },
    handler: async ({ deps }) => {
      const names = Object.keys(deps.readiness);
      const results = await Promise.all(names.map((name) => timed(deps.readiness[name]!)));
      const checks = Object.fromEntries(names.map((name, i) => [name, results[i]!]));
      const ready = results.every((r) => r.ok);
      return { status: ready ? 200 : 503, body: { status: ready ? 'ready' : 'not-ready', checks } };
    },
  }),
];
