import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Problem } from '../api/http/problem';
import type { Role } from '../domain/identity';
import { formatYuan, MAX_FEN, MAX_UNIT_PRICE_FEN } from '../domain/money';
import { ACCESS } from './support/access-matrix';
import { startTestApi, type TestApi } from './support/api';
import { percentEncode } from './support/fuzz';
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
  items?: JsonSchema;
  $ref?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
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
  const tables = await api.db.$queryRaw<{ relname: string }[]>`
    SELECT relname FROM pg_stat_user_tables WHERE relname NOT IN ('rate_limits', 'idempotency_records')`;
  const counts: Record<string, number> = {};
  for (const { relname } of tables) {
    const rows = await api.db.$queryRawUnsafe<{ count: bigint }[]>(
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
    // forty bodies at every write route: the time grows with the API, not with a slower answer
  }, 180_000);
});

/** Every path to a string in a schema (`demand.standards.0`), through objects, arrays and unions. */
function stringLeaves(schema: JsonSchema, path: string[] = [], depth = 0): string[][] {
  const s = resolve(schema);
  if (depth > 8) return [];
  const leaves: string[][] = [];
  if ([s.type ?? []].flat().includes('string')) leaves.push(path);
  for (const [name, property] of Object.entries(s.properties ?? {}))
    leaves.push(...stringLeaves(property, [...path, name], depth + 1));
  if (s.items) leaves.push(...stringLeaves(s.items, [...path, '0'], depth + 1));
  for (const branch of [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])])
    leaves.push(...stringLeaves(branch, path, depth + 1));
  return [...new Map(leaves.map((leaf) => [leaf.join('.'), leaf])).values()];
}

/** A body holding only `value` at `path` (arrays where the path has an index). */
function bodyWith(path: string[], value: unknown): unknown {
  if (!path.length) return value;
  const [head, ...rest] = path as [string, ...string[]];
  return /^\d+$/.test(head) ? [bodyWith(rest, value)] : { [head]: bodyWith(rest, value) };
}

/**
 * The rule, written out independently of the API's: U+0000, unpaired surrogates and control
 * characters are never text; TAB, LF and CR are text in a body only.
 */
function forbidden(value: string, oneLine: boolean): boolean {
  return [...value].some((char) => {
    const c = char.codePointAt(0)!;
    if (c >= 0xd800 && c <= 0xdfff) return true;
    if (c === 0x09 || c === 0x0a || c === 0x0d) return oneLine;
    return c < 0x20 || (c >= 0x7f && c <= 0x9f);
  });
}

const hasLoneSurrogate = (value: string) => [...value].some((char) => /^[\ud800-\udfff]$/.test(char));

const text = fc.string({ maxLength: 12 });
const inserted = (chars: fc.Arbitrary<string>) =>
  fc.tuple(text, chars, text).map(([before, char, after]) => `${before}${char}${after}`);
const codePoints = (from: number, to: number, except: number[] = []) =>
  fc
    .integer({ min: from, max: to })
    .filter((c) => !except.includes(c))
    .map((c) => String.fromCharCode(c));

/** Classes of strings, each tried at every string a route accepts. */
const STRING_CLASSES: Record<string, fc.Arbitrary<string>> = {
  'printable ASCII': fc.string(),
  'Unicode text (CJK, emoji, combining marks)': fc.string({ unit: 'grapheme', maxLength: 20 }),
  'any code point': fc.string({ unit: 'binary', maxLength: 20 }),
  'Latin-1 with control characters': fc.string({ unit: 'binary-ascii', maxLength: 20 }),
  'empty or blank': fc.constantFrom('', ' ', '\t', '\n', '\r\n', '\u3000', '\u200b', '\ufeff'),
  long: fc.string({ minLength: 2_000, maxLength: 3_000 }),
  'with line breaks and tabs': inserted(fc.constantFrom('\n', '\r\n', '\t', '\r')),
  'with U+0000': inserted(fc.constant('\u0000')),
  'with another C0 control': inserted(codePoints(0x01, 0x1f, [0x09, 0x0a, 0x0d])),
  'with DEL or a C1 control': inserted(codePoints(0x7f, 0x9f)),
  'with an unpaired high surrogate': inserted(codePoints(0xd800, 0xdbff)),
  'with an unpaired low surrogate': inserted(codePoints(0xdc00, 0xdfff)),
  'with a reversed surrogate pair': inserted(fc.constant('\udc00\ud800')),
  'markup, SQL and noncharacters': fc.constantFrom(
    "'; DROP TABLE users; --",
    '<script>alert(1)</script>',
    '%00',
    '\\u0000',
    '../../etc/passwd',
    '${jndi:ldap://x}',
    '\uffff\ufffe',
    'Ａ１－',
  ),
};

/** A path or query value stays within what an HTTP request line carries (Node takes 16 KiB of headers). */
const oneLineSized = (strings: fc.Arbitrary<string>) =>
  strings.map((value) => [...value].slice(0, 300).join(''));

/** Every row of every table, as a digest: a refused request must leave it as it was. */
async function stateDigest(): Promise<string> {
  const tables = await api.db.$queryRaw<{ relname: string }[]>`
    SELECT relname FROM pg_stat_user_tables
     WHERE relname NOT IN ('rate_limits', 'idempotency_records', '_prisma_migrations') ORDER BY relname`;
  const digests = await Promise.all(
    tables.map(({ relname }) =>
      api.db.$queryRawUnsafe<{ digest: string | null }[]>(
        `SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest FROM "${relname}" t`,
      ),
    ),
  );
  return digests.map((rows, i) => `${tables[i]!.relname}:${rows[0]?.digest ?? ''}`).join(',');
}

const tokenFor = (template: string, method: string) => {
  const rule = ACCESS[`${method} ${template}`]!;
  return rule === 'public' ? null : tokens.get(rule[0]!)!;
};

function allRoutes() {
  return Object.entries(api.document.paths ?? {}).flatMap(([template, item]) =>
    Object.entries(
      item as Record<
        string,
        {
          parameters?: { in: string; name: string }[];
          requestBody?: { content: Record<string, { schema: JsonSchema }> };
        }
      >,
    ).map(([method, op]) => ({
      method: method.toUpperCase(),
      template,
      parameters: op.parameters ?? [],
      body: op.requestBody ? resolve(op.requestBody.content['application/json']!.schema) : undefined,
    })),
  );
}

/** Calls, then checks what every answer must be: never 5xx, and a refusal changes nothing. */
async function callChecked(
  route: { method: string; template: string },
  path: string,
  body: unknown,
  expectRefused: { in: string; field: string } | null,
  label: string,
): Promise<void> {
  const before = await stateDigest();
  const res = await api.call<Problem>(route.method, path, {
    token: tokenFor(route.template, route.method),
    ...(body === undefined ? {} : { body }),
  });
  const context = `${label}: ${route.method} ${path.slice(0, 120)} ${JSON.stringify(body)?.slice(0, 160)} → ${res.status} ${res.text.slice(0, 240)}`;
  expect(res.status, context).toBeLessThan(500);
  if (res.status >= 400) {
    expect(res.headers.get('content-type'), context).toMatch(/^application\/problem\+json/);
    expect(await stateDigest(), context).toBe(before);
  }
  if (expectRefused) {
    expect(res.status, context).toBe(400);
    const issue = res.body.issues?.find((i) => i.in === expectRefused.in && i.field === expectRefused.field);
    expect(issue, context).toMatchObject({ code: 'invalid_character' });
    expect(issue?.reason, context).toMatch(/\S/);
  }
}

describe('every class of string at every string the API accepts', () => {
  it('never answers 5xx; a string that is not text is a 400 naming its field, and changes nothing', async () => {
    const routes = allRoutes().filter((r) => r.template.startsWith('/api/'));
    let tried = 0;
    for (const route of routes) {
      const leaves = route.body ? stringLeaves(route.body) : [];
      for (const [name, strings] of Object.entries(STRING_CLASSES)) {
        if (!leaves.length) break;
        await fc.assert(
          fc.asyncProperty(fc.constantFrom(...leaves), strings, async (leaf, value) => {
            tried += 1;
            const path = route.template.replace(/\{[^}]+\}/g, () => randomUUID());
            const refused = forbidden(value, false)
              ? { in: 'body', field: leaf.join('.') || '(root)' }
              : null;
            await callChecked(route, path, bodyWith(leaf, value), refused, `body ${name}`);
          }),
          { numRuns: 3 },
        );
      }
    }
    expect(tried).toBeGreaterThan(500);
  }, 600_000);

  it('checks field names too', async () => {
    for (const route of allRoutes().filter((r) => r.body && r.template.startsWith('/api/'))) {
      const path = route.template.replace(/\{[^}]+\}/g, () => randomUUID());
      for (const bad of ['\u0000', '\ud800', '\u001b']) {
        await callChecked(
          route,
          path,
          { [`note${bad}`]: 'x' },
          { in: 'body', field: `note${JSON.stringify(bad).slice(1, -1)}` },
          'field name',
        );
      }
    }
  }, 120_000);

  it('in paths and queries, where a value is one line, never answers 5xx and refuses what is not text', async () => {
    for (const route of allRoutes().filter((r) => r.template.startsWith('/api/'))) {
      const pathParams = route.parameters.filter((p) => p.in === 'path').map((p) => p.name);
      const queryParams = route.parameters.filter((p) => p.in === 'query').map((p) => p.name);
      const body = route.body ? {} : undefined;
      for (const [name, strings] of Object.entries(STRING_CLASSES)) {
        if (pathParams.length) {
          await fc.assert(
            fc.asyncProperty(
              // `.` and `..` are dot segments, which every URL parser removes (`%2E` too): no request
              // can carry them as a path value, and the path left (the list's) is another route
              oneLineSized(strings).filter((v) => v.length > 0 && v !== '.' && v !== '..'),
              async (value) => {
                const path = route.template.replace(/\{[^}]+\}/g, () => percentEncode(value));
                // an unpaired surrogate cannot be percent-encoded UTF-8: the path itself is refused
                const refused = hasLoneSurrogate(value)
                  ? { in: 'path', field: '(path)' }
                  : forbidden(value, true)
                    ? { in: 'path', field: pathParams[0]! }
                    : null;
                await callChecked(route, path, body, refused, `path ${name}`);
              },
            ),
            { numRuns: 2 },
          );
        }
        for (const param of queryParams) {
          await fc.assert(
            fc.asyncProperty(oneLineSized(strings), async (value) => {
              const path = `${route.template.replace(/\{[^}]+\}/g, () => randomUUID())}?${param}=${percentEncode(value)}`;
              // a query value is decoded leniently: an unpaired surrogate arrives as U+FFFD, which is text
              const refused =
                !hasLoneSurrogate(value) && forbidden(value, true) ? { in: 'query', field: param } : null;
              await callChecked(route, path, body, refused, `query ${name}`);
            }),
            { numRuns: 1 },
          );
        }
      }
    }
  }, 600_000);
});

const MONEY_SCHEMAS = new Set(['#/components/schemas/Fen', '#/components/schemas/UnitPriceFen']);

interface MoneyLeaf {
  path: string[];
  schema: JsonSchema;
  /** values a body needs beside the amount to reach it, e.g. the `decision` of a union's branch */
  constants: [string[], unknown][];
}

/** Every path to an amount in fen (a property named `…Fen`) in a schema, with the schema found there. */
function moneyLeaves(
  schema: JsonSchema,
  path: string[] = [],
  constants: [string[], unknown][] = [],
  depth = 0,
): MoneyLeaf[] {
  if (depth > 8) return [];
  const s = resolve(schema);
  const leaves: MoneyLeaf[] = [];
  for (const [name, property] of Object.entries(s.properties ?? {})) {
    if (name.endsWith('Fen')) leaves.push({ path: [...path, name], schema: property, constants });
    else leaves.push(...moneyLeaves(property, [...path, name], constants, depth + 1));
  }
  if (s.items) leaves.push(...moneyLeaves(s.items, [...path, '0'], constants, depth + 1));
  for (const branch of [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])]) {
    const fixed = Object.entries(resolve(branch).properties ?? {}).flatMap(([name, property]) =>
      'const' in property
        ? [[[...path, name], (property as { const: unknown }).const] as [string[], unknown]]
        : [],
    );
    leaves.push(...moneyLeaves(branch, path, [...constants, ...fixed], depth + 1));
  }
  return [...new Map(leaves.map((leaf) => [leaf.path.join('.'), leaf])).values()];
}

/** A body holding `value` at `path` and each constant at its own path. */
function moneyBody(leaf: MoneyLeaf, value: number): unknown {
  const body: Record<string, unknown> = {};
  for (const [path, at] of [...leaf.constants, [leaf.path, value] as [string[], unknown]]) {
    let node: Record<string, unknown> | unknown[] = body;
    path.forEach((segment, i) => {
      const last = i === path.length - 1;
      const key = /^\d+$/.test(segment) ? Number(segment) : segment;
      const next = /^\d+$/.test(path[i + 1] ?? '') ? [] : {};
      const container = node as Record<string | number, unknown>;
      if (last) container[key] = at;
      else node = (container[key] ??= next) as Record<string, unknown> | unknown[];
    });
  }
  return body;
}

describe('money beyond the bound at every amount the API accepts', () => {
  it('is a 400 naming the field and the maximum, and changes nothing', async () => {
    let tried = 0;
    for (const route of allRoutes().filter((r) => r.body && r.template.startsWith('/api/'))) {
      for (const leaf of moneyLeaves(route.body!)) {
        const { schema } = leaf;
        const field = leaf.path.join('.');
        // every amount goes through the shared money schemas, which carry the bound
        expect(MONEY_SCHEMAS.has(schema.$ref ?? ''), `${route.method} ${route.template} ${field}`).toBe(true);
        const max = schema.$ref === '#/components/schemas/UnitPriceFen' ? MAX_UNIT_PRICE_FEN : MAX_FEN;
        expect((resolve(schema) as { maximum?: number }).maximum).toBe(max);
        for (const value of [max + 1, MAX_FEN * 10, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 1e21]) {
          tried += 1;
          const path = route.template.replace(/\{[^}]+\}/g, () => randomUUID());
          const before = await stateDigest();
          const res = await api.call<Problem>(route.method, path, {
            token: tokenFor(route.template, route.method),
            body: moneyBody(leaf, value),
          });
          const context = `${route.method} ${route.template} ${field}=${value} → ${res.status} ${res.text.slice(0, 240)}`;
          expect(res.status, context).toBe(400);
          const issue = res.body.issues?.find((i) => i.in === 'body' && i.field === field);
          expect(issue?.reason, context).toBe(`must be at most ${max} fen (${formatYuan(max)})`);
          expect(await stateDigest(), context).toBe(before);
        }
      }
    }
    expect(tried).toBeGreaterThanOrEqual(40);
  }, 120_000);
});

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('cursors the API did not hand out', () => {
  it('are a 400 naming cursor at every paged list; a cursor of the right shape is taken', async () => {
    const uuid = randomUUID();
    const forged = [
      base64url(['2026-01-01T00:00:00.000Z', 'not-a-uuid']),
      base64url(['2026-01-01T00:00:00.000Z', "1' OR '1'='1"]),
      base64url(['2026-01-01T00:00:00.000Z', `${uuid}\u0000`]),
      base64url(['0000-01-01T00:00:00.000Z', uuid]),
      base64url(['2026-13-45T00:00:00.000Z', uuid]),
      base64url([uuid, '2026-01-01T00:00:00.000Z']),
      base64url(['2026-01-01T00:00:00.000Z', uuid, 'more']),
      base64url({ createdAt: '2026-01-01T00:00:00.000Z', id: uuid }),
      base64url('2026-01-01T00:00:00.000Z'),
      'not base64 at all!',
      '',
      '%00',
      'AAAA',
    ];
    const paged = allRoutes().filter(
      (r) => r.method === 'GET' && r.parameters.some((p) => p.in === 'query' && p.name === 'cursor'),
    );
    expect(paged.length).toBeGreaterThanOrEqual(8);
    for (const route of paged) {
      const path = route.template.replace(/\{[^}]+\}/g, () => randomUUID());
      const token = tokenFor(route.template, route.method);
      // what the list needs besides the cursor, e.g. the processes' status
      const required = (
        route.parameters as { in: string; name: string; required?: boolean; schema?: JsonSchema }[]
      )
        .filter((p) => p.in === 'query' && p.required)
        .map((p) => `${p.name}=${(resolve(p.schema ?? {}) as { enum?: string[] }).enum?.[0] ?? ''}&`)
        .join('');
      for (const cursor of forged) {
        const res = await api.call<Problem>(
          'GET',
          `${path}?${required}cursor=${encodeURIComponent(cursor)}`,
          {
            token,
          },
        );
        const context = `GET ${route.template} cursor=${JSON.stringify(cursor)} → ${res.status} ${res.text.slice(0, 240)}`;
        // a list under an item that does not exist may say so first; it must never fail
        if (res.status === 404) continue;
        expect(res.status, context).toBe(400);
        expect(
          res.body.issues?.some((i) => i.in === 'query' && i.field === 'cursor'),
          context,
        ).toBe(true);
      }
    }
    const shaped = base64url(['2026-01-01T00:00:00.000Z', uuid]);
    const lists = paged.filter(
      (r) => !r.template.includes('{') && !r.template.startsWith('/api/v1/processes'),
    );
    expect(lists.length).toBeGreaterThanOrEqual(5);
    for (const route of lists) {
      const res = await api.call('GET', `${route.template}?cursor=${shaped}`, {
        token: tokenFor(route.template, route.method),
      });
      expect(res.status, `GET ${route.template} → ${res.status} ${res.text.slice(0, 200)}`).toBe(200);
    }
  }, 120_000);
});

describe('filters of the audit log', () => {
  it('refuse what is not text or not a time PostgreSQL keeps, and never fail', async () => {
    const token = tokens.get('AUDITOR')!;
    for (const query of [
      'entityId=%00',
      'actorId=a%00b',
      'action=%C0%80',
      'entityType=%0A',
      'from=0000-01-01T00:00:00Z',
      'to=0000-12-31T23:59:59Z',
      'after=999999999999999999',
      'from=9999-12-31T23:59:59.999Z',
    ]) {
      const res = await api.call<Problem>('GET', `/api/v1/audit?${query}`, { token });
      expect(res.status, `${query} → ${res.status} ${res.text.slice(0, 200)}`).toBeLessThan(500);
    }
  });
});
