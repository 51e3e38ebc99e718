import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Problem } from '../api/http/problem';
import type { Role } from '../domain/identity';
import { ACCESS } from './support/access-matrix';
import { startTestApi, type TestApi } from './support/api';
import { uniqueTaskQueue } from './support/worker';

let api: TestApi;
const tokens = new Map<Role, string>();

beforeAll(async () => {
  api = await startTestApi({ taskQueue: uniqueTaskQueue(import.meta.url) });
  for (const role of ['SME', 'PROVIDER', 'ADMIN', 'AUDITOR'] as const)
    tokens.set(role, (await api.givenUser(role)).token);
});
afterAll(async () => {
  await api?.stop();
});

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  $ref?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

function resolve(schema: JsonSchema): JsonSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  return resolve((api.document.components?.schemas as Record<string, JsonSchema>)[name]!);
}

/** A JSON value of a type the property's schema does not allow. */
function wrongValue(schema: JsonSchema): fc.Arbitrary<unknown> {
  const types = new Set([schema.type ?? []].flat());
  const candidates: fc.Arbitrary<unknown>[] = [];
  if (!types.has('string')) candidates.push(fc.string());
  if (!types.has('number') && !types.has('integer'))
    candidates.push(fc.double({ noNaN: true, noDefaultInfinity: true }));
  if (!types.has('boolean')) candidates.push(fc.boolean());
  if (!types.has('object')) candidates.push(fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }));
  if (!types.has('array')) candidates.push(fc.array(fc.jsonValue(), { maxLength: 3 }));
  if (!types.has('null')) candidates.push(fc.constant(null));
  return fc.oneof(...candidates);
}

function writeRoutes() {
  return Object.entries(api.document.paths ?? {}).flatMap(([template, item]) =>
    Object.entries(
      item as Record<string, { requestBody?: { content: Record<string, { schema: JsonSchema }> } }>,
    )
      .filter(([, op]) => op.requestBody)
      .map(([method, op]) => ({
        method: method.toUpperCase(),
        template,
        schema: resolve(op.requestBody!.content['application/json']!.schema),
      })),
  );
}

async function tableCounts(): Promise<Record<string, number>> {
  const tables = await api.deps.db.$queryRaw<{ relname: string }[]>`
    SELECT relname FROM pg_stat_user_tables WHERE relname NOT IN ('rate_limits', 'idempotency_records')`;
  const counts: Record<string, number> = {};
  for (const { relname } of tables) {
    const rows = await api.deps.db.$queryRawUnsafe<{ count: bigint }[]>(
      `SELECT count(*) AS count FROM "${relname}"`,
    );
    counts[relname] = Number(rows[0]?.count ?? 0n);
  }
  return counts;
}

describe('wrong bodies thrown at every write route', () => {
  it('never answer 5xx, always problem+json naming a field, and change nothing', async () => {
    const routes = writeRoutes();
    expect(routes.length).toBeGreaterThan(0);
    const before = await tableCounts();

    for (const route of routes) {
      const rule = ACCESS[`${route.method} ${route.template}`]!;
      const token = rule === 'public' ? null : tokens.get(rule[0]!)!;
      const properties = Object.entries(route.schema.properties ?? {});
      const wrongBody = fc.oneof(
        // not an object at all
        fc.oneof(
          fc.integer(),
          fc.string(),
          fc.boolean(),
          fc.constant(null),
          fc.array(fc.jsonValue(), { maxLength: 3 }),
        ),
        // an object with a field the endpoint does not know
        fc
          .tuple(fc.string({ maxLength: 10 }), fc.jsonValue())
          .map(([key, value]) => ({ [`zz_${key}`]: value })),
        // a known field with a value of the wrong type
        ...(properties.length
          ? [
              fc
                .constantFrom(...properties)
                .chain(([name, schema]) => wrongValue(resolve(schema)).map((value) => ({ [name]: value }))),
            ]
          : []),
      );

      await fc.assert(
        fc.asyncProperty(wrongBody, async (body) => {
          const path = route.template.replace(/\{[^}]+\}/g, () => randomUUID());
          const res = await api.call<Problem>(route.method, path, { token, body });
          const context = `${route.method} ${route.template} ${JSON.stringify(body).slice(0, 200)} → ${res.status} ${res.text.slice(0, 200)}`;
          expect(res.status, context).toBe(400);
          expect(res.headers.get('content-type'), context).toMatch(/^application\/problem\+json/);
          expect(res.body.issues?.length, context).toBeGreaterThan(0);
          for (const issue of res.body.issues!) {
            expect(issue.field, context).not.toBe('');
            expect(issue.reason, context).not.toBe('');
            expect(issue.in, context).toBe('body');
          }
        }),
        { numRuns: 40 },
      );
    }

    expect(await tableCounts()).toEqual(before);
  });
});
