import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { MAX_FEN } from '../../domain/money';
import { pdfReport } from './providers';

/**
 * Requests for the fuzz test (test/fuzz.e2e.test.ts), generated from the OpenAPI document the API
 * serves: every route, every parameter and body field it describes, each either plausible (real ids
 * mixed in, so that requests reach the handlers) or hostile. Each request names the classes of
 * hostility it carries, so that a failure says what kind of input caused it.
 */

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  $ref?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
}

export interface Parameter {
  in: string;
  name: string;
  required?: boolean;
  schema?: JsonSchema;
}

export interface Route {
  method: string;
  template: string;
  parameters: Parameter[];
  body: JsonSchema | undefined;
  /** the roles that may call it, or public */
  access: 'public' | readonly string[];
}

export interface FuzzRequest {
  method: string;
  template: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /** the hostile classes the request carries; empty for a plausible one */
  classes: string[];
  /** sent this many times at once (a double click, a retrying client) */
  copies?: number;
}

/** What the generators need to know of the service under test. */
export interface FuzzContext {
  resolve(schema: JsonSchema): JsonSchema;
  /** ids of existing items, by the path segment that names their collection (`bookings`) */
  ids: Record<string, string[]>;
  /** a real user's id, for tokens forged with it */
  someUserId: string;
}

/** A JSON number written as given (2^53 + 1, 1e400, -0): JSON.stringify cannot write these. */
class RawJson {
  constructor(readonly text: string) {}
}

/** JSON text of a value that may hold raw numbers. */
export function toJson(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)}:${toJson(item)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

interface Tagged<T> {
  cls: string;
  value: T;
}
const tag =
  (cls: string) =>
  <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<Tagged<T>> =>
    arb.map((value) => ({ cls, value }));

const text = fc.string({ maxLength: 10 });
const inserted = (chars: fc.Arbitrary<string>) =>
  fc.tuple(text, chars, text).map(([before, char, after]) => `${before}${char}${after}`);
const charIn = (from: number, to: number, except: number[] = []) =>
  fc
    .integer({ min: from, max: to })
    .filter((c) => !except.includes(c))
    .map((c) => String.fromCharCode(c));

/** Strings no field should take or should fail on, by class; `long` is sized for where it goes. */
export function hostileStrings(longest: number): fc.Arbitrary<Tagged<string>> {
  return fc.oneof(
    tag('string:NUL')(inserted(fc.constant('\u0000'))),
    tag('string:C0 control')(inserted(charIn(0x01, 0x1f))),
    tag('string:DEL or C1 control')(inserted(charIn(0x7f, 0x9f))),
    tag('string:lone surrogate')(inserted(charIn(0xd800, 0xdfff))),
    tag('string:reversed surrogates')(inserted(fc.constant('\udc00\ud800'))),
    tag('string:over-long')(
      fc
        .tuple(
          fc.integer({ min: Math.min(1_000, longest), max: longest }),
          fc.constantFrom('a', '检', 'é', '😀'),
        )
        .map(([n, c]) => c.repeat(Math.ceil(n / c.length))),
    ),
    tag('string:blank')(fc.constantFrom('', ' ', '\t', '\n', '\r\n', '\u3000', '\u200b', '\ufeff', '\u00a0')),
    tag('string:unicode')(fc.string({ unit: 'grapheme', maxLength: 16 })),
    tag('string:any code point')(fc.string({ unit: 'binary', maxLength: 16 })),
    tag('string:bidi and invisible')(
      inserted(fc.constantFrom('\u202e', '\u2066', '\u200d', '\ufffe', '\uffff')),
    ),
    tag('string:injection')(
      fc.constantFrom(
        "'; DROP TABLE users; --",
        "' OR '1'='1",
        '<script>alert(1)</script>',
        '${jndi:ldap://x/a}',
        '{{7*7}}',
        '../../../etc/passwd',
        '%00',
        '\\u0000',
        '=HYPERLINK("http://x","y")',
        '__proto__',
        'constructor',
      ),
    ),
    tag('string:extreme date')(fc.oneof(EXTREME_INSTANTS, EXTREME_DAYS)),
    tag('string:number-like')(
      fc.constantFrom(
        'NaN',
        'Infinity',
        '-Infinity',
        '1e309',
        '-1',
        '0x1F',
        ' 12',
        '1_000',
        '１２',
        '١٢',
        '12abc',
        '9007199254740993',
        '-0',
        '1.5',
      ),
    ),
  );
}

/** Instants in the format that no calendar or database handles alike: year 0, 9999, past JS's range, leap seconds. */
const EXTREME_INSTANTS = fc.constantFrom(
  '0000-01-01T00:00:00Z',
  '0001-01-01T00:00:00.000Z',
  '1969-12-31T23:59:59.999Z',
  '9999-12-31T23:59:59.999Z',
  '2026-12-31T23:59:60Z',
  '2026-02-29T12:00:00Z',
  '2026-01-01T00:00:00+14:00',
  '2026-01-01T00:00:00-12:00',
  '2026-01-01T00:00:00.123456789Z',
  '+275760-09-13T00:00:00.000Z',
  '-000001-01-01T00:00:00.000Z',
);
const EXTREME_DAYS = fc.constantFrom(
  '0000-01-01',
  '0001-01-01',
  '9999-12-31',
  '2026-02-29',
  '2026-02-30',
  '2024-02-29',
  '1900-02-29',
);

/** Numbers no amount, count or page size should take, written as JSON text. */
export const hostileNumbers: fc.Arbitrary<Tagged<unknown>> = fc.oneof(
  tag('number:beyond 2^53')(
    fc
      .constantFrom(
        '9007199254740992',
        '9007199254740993',
        '18446744073709551616',
        '1e21',
        '123456789012345678901234567890',
      )
      .map((t) => new RawJson(t)),
  ),
  tag('number:overflow')(
    fc.constantFrom('1e400', '-1e400', '1.7976931348623159e308').map((t) => new RawJson(t)),
  ),
  tag('number:negative')(
    fc.oneof(fc.integer({ min: -1_000_000, max: -1 }), fc.constantFrom(-(2 ** 53), new RawJson('-0'))),
  ),
  tag('number:fractional')(
    fc.oneof(
      fc.double({ min: -1e6, max: 1e6, noNaN: true }).filter((d) => !Number.isInteger(d)),
      fc.constantFrom(0.1, 1e-7, new RawJson('1.0000000000000001')),
    ),
  ),
  tag('number:money beyond MAX_FEN')(fc.constantFrom(MAX_FEN + 1, MAX_FEN * 10, Number.MAX_SAFE_INTEGER)),
  tag('number:exponent')(fc.constantFrom('1E2', '1e-400', '0e0', '5e-324').map((t) => new RawJson(t))),
);

/** Values of a shape nothing expects where a scalar goes, and bodies built to exhaust a parser. */
export const hostileShapes: fc.Arbitrary<Tagged<unknown>> = fc.oneof(
  tag('shape:wrong type')(
    fc.oneof(fc.boolean(), fc.constant(null), fc.integer(), fc.string({ maxLength: 5 })),
  ),
  tag('shape:object for scalar')(
    fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  ),
  tag('shape:array for scalar')(fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 })),
  tag('shape:huge array')(
    fc
      .tuple(fc.integer({ min: 1_000, max: 20_000 }), fc.constantFrom<unknown>(1, 'x', null, {}, []))
      .map(([n, item]) => Array.from({ length: n }, () => item)),
  ),
  tag('shape:deep nesting')(
    fc.integer({ min: 200, max: 5_000 }).map((n) => new RawJson(`${'['.repeat(n)}${']'.repeat(n)}`)),
  ),
  tag('shape:prototype keys')(
    fc
      .constantFrom(
        '{"__proto__":{"role":"ADMIN"}}',
        '{"constructor":{"prototype":{"x":1}}}',
        '{"__proto__":null}',
      )
      .map((t) => new RawJson(t)),
  ),
);

const hostileValue = (longest: number) =>
  fc.oneof(
    { weight: 3, arbitrary: hostileStrings(longest) },
    { weight: 2, arbitrary: hostileNumbers },
    { weight: 2, arbitrary: hostileShapes },
  );

/** Ids that name no item, or are not ids at all. */
const hostileIds: fc.Arbitrary<Tagged<string>> = fc.oneof(
  tag('id:random UUID')(fc.uuid()),
  tag('id:UUID variant')(
    fc
      .uuid()
      .chain((u) =>
        fc.constantFrom(
          u.toUpperCase(),
          `{${u}}`,
          u.replaceAll('-', ''),
          `urn:uuid:${u}`,
          `${u} `,
          `${u}x`,
          '00000000-0000-0000-0000-000000000000',
          'ffffffff-ffff-ffff-ffff-ffffffffffff',
        ),
      ),
  ),
  tag('id:not a UUID')(
    fc.constantFrom('1', '0', '-1', 'null', 'undefined', 'me', '9007199254740993', 'a'.repeat(300)),
  ),
);

function allOfMerged(s: JsonSchema, ctx: FuzzContext): JsonSchema {
  const parts = (s.allOf ?? []).map((p) => ctx.resolve(p));
  return {
    ...s,
    allOf: undefined,
    type: s.type ?? parts.find((p) => p.type)?.type,
    properties: Object.assign({}, s.properties, ...parts.map((p) => p.properties ?? {})) as Record<
      string,
      JsonSchema
    >,
    required: [...(s.required ?? []), ...parts.flatMap((p) => p.required ?? [])],
  };
}

const anyKnownId = (ctx: FuzzContext) => Object.values(ctx.ids).flat();

/** A value the schema plausibly takes (not always a valid one): enums, bounds, formats, real ids. */
export function plausible(schema: JsonSchema, ctx: FuzzContext, name = '', depth = 0): fc.Arbitrary<unknown> {
  let s = ctx.resolve(schema);
  if (s.allOf) s = allOfMerged(s, ctx);
  if ('const' in s) return fc.constant(s.const);
  if (s.enum?.length) return fc.constantFrom(...s.enum);
  const branches = [...(s.anyOf ?? []), ...(s.oneOf ?? [])];
  if (branches.length) return fc.oneof(...branches.map((b) => plausible(b, ctx, name, depth + 1)));
  const types = [s.type ?? []].flat();
  const type = types.find((t) => t !== 'null') ?? (types.includes('null') ? 'null' : undefined);
  if (depth > 6) return fc.constant(null);
  switch (type) {
    case 'object': {
      const properties = Object.entries(s.properties ?? {});
      if (!properties.length)
        return fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 2 });
      const required = new Set(s.required ?? []);
      return fc.record(
        Object.fromEntries(
          properties.map(([key, property]) => [key, plausible(property, ctx, key, depth + 1)]),
        ),
        { requiredKeys: properties.map(([key]) => key).filter((key) => required.has(key)) },
      );
    }
    case 'array': {
      const min = s.minItems ?? 0;
      return fc.array(plausible(s.items ?? {}, ctx, name, depth + 1), {
        minLength: min,
        maxLength: Math.max(min, Math.min(s.maxItems ?? 3, 3)),
      });
    }
    case 'string':
      return plausibleString(s, ctx, name);
    case 'integer': {
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 0);
      const max = Math.min(
        s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : 1_000_000),
        min + 10_000_000,
      );
      return fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max));
    }
    case 'number':
      return fc.double({
        min: s.minimum ?? 0,
        max: s.maximum ?? 1_000_000,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 1 });
  }
}

function plausibleString(s: JsonSchema, ctx: FuzzContext, name: string): fc.Arbitrary<string> {
  const known = anyKnownId(ctx);
  if (s.format === 'uuid' || /Id$/.test(name)) {
    return known.length
      ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: fc.uuid() })
      : fc.uuid();
  }
  if (s.format === 'date-time') {
    return fc
      .date({
        min: new Date('2025-01-01T00:00:00Z'),
        max: new Date('2028-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString());
  }
  if (s.format === 'date') {
    return fc
      .date({
        min: new Date('2025-01-01T00:00:00Z'),
        max: new Date('2028-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().slice(0, 10));
  }
  if (s.format === 'email') return fc.emailAddress();
  if (/base64/i.test(name)) {
    const pdf = Buffer.from(pdfReport('fuzz report'), 'base64');
    return fc.oneof(
      fc.constantFrom(pdfReport('fuzz report'), 'AAAA', Buffer.from('not a pdf').toString('base64')),
      // a PDF cut short, a PDF with bytes changed, a PDF header before noise: a parser's hostile input
      fc.nat({ max: pdf.length - 1 }).map((n) => pdf.subarray(0, n).toString('base64')),
      fc
        .array(fc.tuple(fc.nat({ max: pdf.length - 1 }), fc.integer({ min: 0, max: 255 })), { maxLength: 20 })
        .map((edits) => {
          const copy = Buffer.from(pdf);
          for (const [at, byte] of edits) copy[at] = byte;
          return copy.toString('base64');
        }),
      fc
        .uint8Array({ maxLength: 4_000 })
        .map((noise) => Buffer.concat([Buffer.from('%PDF-1.7\n'), noise]).toString('base64')),
      fc.constantFrom(
        Buffer.from('%PDF-1.7\n1 0 obj << /Length 999999999 >> stream\n').toString('base64'),
        Buffer.from(`%PDF-1.7\n${'['.repeat(50_000)}`).toString('base64'),
        Buffer.from(`%PDF-1.7\ntrailer << /Root 1 0 R /Size 99999999 >>\n%%EOF`).toString('base64'),
      ),
    );
  }
  const min = s.minLength ?? 0;
  const max = Math.max(min, Math.min(s.maxLength ?? 24, 40));
  if (s.pattern) {
    try {
      const matching = fc
        .stringMatching(new RegExp(s.pattern, 'u'))
        .filter((v) => v.length >= min && v.length <= (s.maxLength ?? Infinity));
      return fc.oneof(
        { weight: 3, arbitrary: matching },
        { weight: 1, arbitrary: fc.string({ minLength: min, maxLength: max }) },
      );
    } catch {
      // a pattern fast-check cannot generate from: plain strings of the right length
    }
  }
  return fc.oneof(
    fc.string({ minLength: min, maxLength: max }),
    fc.string({ unit: 'grapheme', minLength: min, maxLength: max }),
  );
}

/** Every place in a JSON value, as paths of keys and indexes. */
function placesIn(
  value: unknown,
  path: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  out.push(path);
  if (out.length > 200) return out;
  if (Array.isArray(value)) value.slice(0, 5).forEach((item, i) => placesIn(item, [...path, i], out));
  else if (value !== null && typeof value === 'object' && !(value instanceof RawJson))
    for (const [key, item] of Object.entries(value)) placesIn(item, [...path, key], out);
  return out;
}

function setAt(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (!path.length) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy: unknown[] = [...(value as unknown[])];
    copy[head as number] = setAt(copy[head as number], rest, replacement);
    return copy;
  }
  const object = value as Record<string, unknown>;
  return { ...object, [head!]: setAt(object[head as string], rest, replacement) };
}

function removeAt(value: unknown, path: (string | number)[]): unknown {
  if (path.length !== 1 || value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const { [path[0] as string]: _dropped, ...rest } = value as Record<string, unknown>;
  return rest;
}

type QueryEntry = { parts: string[]; classes: string[] };
type Body = {
  classes: string[];
  contentType: string | null;
  data: string | Uint8Array | undefined;
  encoding?: string;
};

/** A body for a route that takes one: plausible, with hostile values put in, or not JSON at all. */
function bodyFor(route: Route, ctx: FuzzContext): fc.Arbitrary<Body> {
  const schema = route.body!;
  const json = (classes: string[], value: unknown): Body => ({
    classes,
    contentType: 'application/json',
    data: toJson(value),
  });
  const mutated = fc
    .tuple(
      plausible(schema, ctx),
      fc.array(fc.tuple(fc.nat(), hostileValue(70_000), fc.constantFrom('replace', 'add', 'drop')), {
        minLength: 1,
        maxLength: 3,
      }),
    )
    .map(([value, mutations]) => {
      const classes: string[] = [];
      let body = value;
      for (const [at, hostile, how] of mutations) {
        const places = placesIn(body);
        const place = places[at % places.length]!;
        if (how === 'add' && body !== null && typeof body === 'object' && !Array.isArray(body)) {
          classes.push(`body:unknown field`, hostile.cls);
          body = { ...body, [`zz${at % 97}`]: hostile.value };
        } else if (how === 'drop' && place.length === 1) {
          classes.push('body:field left out');
          body = removeAt(body, place);
        } else {
          classes.push(hostile.cls);
          body = setAt(body, place, hostile.value);
        }
      }
      return json(classes, body);
    });
  const notJson: fc.Arbitrary<Body> = fc.oneof(
    fc
      .constantFrom(
        '{',
        '{"a":}',
        '{"a":1,}',
        "{'a':1}",
        'undefined',
        'NaN',
        '{"a":1}{"b":2}',
        '\u0000',
        'nul',
        '[1,2',
        '"\\ud800"',
        '"\\u0000"',
      )
      .map((data) => ({ classes: ['body:not JSON'], contentType: 'application/json', data })),
    fc
      .uint8Array({ minLength: 1, maxLength: 64 })
      .map((data) => ({ classes: ['body:random bytes'], contentType: 'application/json', data })),
    fc.constant<Body>({
      classes: ['body:invalid UTF-8'],
      contentType: 'application/json',
      data: new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0x80, 0x22, 0x7d]),
    }),
    fc.constant<Body>({ classes: ['body:empty'], contentType: 'application/json', data: '' }),
    fc.constant<Body>({ classes: ['body:none'], contentType: null, data: undefined }),
    fc.jsonValue({ maxDepth: 0 }).map((v) => json(['body:JSON scalar'], v)),
    fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }).map((v) => json(['body:JSON array'], v)),
    fc
      .constantFrom('{"a":1,"a":2}', '{"note":"x","note":"y"}')
      .map((data) => ({ classes: ['body:duplicate keys'], contentType: 'application/json', data })),
    plausible(schema, ctx).map((v) => ({
      classes: ['body:byte-order mark'],
      contentType: 'application/json',
      data: `\uFEFF${toJson(v)}`,
    })),
    fc.integer({ min: 300_000, max: 600_000 }).map((n) => ({
      classes: ['body:beyond the size limit'],
      contentType: 'application/json',
      data: `{"note":"${'x'.repeat(n)}"}`,
    })),
    fc
      .tuple(
        plausible(schema, ctx).map((v) => toJson(v)),
        fc.constantFrom('gzip', 'deflate', 'br', 'x-unknown', 'gzip, gzip', 'identity'),
        fc.boolean(),
      )
      .map(([json, encoding, compressed]) => ({
        classes: [`content-encoding:${encoding}${compressed && encoding === 'gzip' ? ' (gzipped)' : ''}`],
        contentType: 'application/json',
        data: compressed && encoding === 'gzip' ? new Uint8Array(gzipSync(json)) : json,
        encoding,
      })),
  );
  const wrongType: fc.Arbitrary<Body> = fc
    .tuple(
      plausible(schema, ctx).map((v) => toJson(v)),
      fc.constantFrom(
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data',
        'application/xml',
        'application/json; charset=latin1',
        'application/json; charset=x-unknown',
        'application/json; charset=utf-16',
        'application/merge-patch+json',
        'application/',
        ';;;',
        'application/json, text/plain',
        'APPLICATION/JSON',
        'application/json; boundary=x; charset="utf-8"',
      ),
    )
    .map(([data, contentType]) => ({ classes: [`content-type:${contentType}`], contentType, data }));
  const noType: fc.Arbitrary<Body> = plausible(schema, ctx).map((v) => ({
    classes: ['content-type:missing'],
    contentType: null,
    data: new TextEncoder().encode(toJson(v)),
  }));
  return fc.oneof(
    { weight: 2, arbitrary: plausible(schema, ctx).map((v) => json([], v)) },
    { weight: 6, arbitrary: mutated },
    { weight: 2, arbitrary: notJson },
    { weight: 1, arbitrary: wrongType },
    { weight: 1, arbitrary: noType },
  );
}

/** Percent-encodes as UTF-8, and an unpaired surrogate as the bytes UTF-8 would give it. */
export function percentEncode(value: string): string {
  return [...value]
    .map((char) => {
      const c = char.codePointAt(0)!;
      if (c < 0xd800 || c > 0xdfff) return encodeURIComponent(char);
      return [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)]
        .map((byte) => `%${byte.toString(16).toUpperCase()}`)
        .join('');
    })
    .join('');
}

/** Percent-escapes no decoder should take: truncated, not hex, overlong UTF-8, encoded surrogates. */
const brokenEscapes: fc.Arbitrary<Tagged<string>> = tag('percent:broken escape')(
  fc.constantFrom('%', '%zz', '%C0%80', '%ED%A0%80', '%FF', '%E4%B8', 'a%2', '%25%', '%00'),
);

/** The collection a path parameter names: the segment before it (`/bookings/{id}` → bookings). */
const collectionOf = (template: string, param: string) => {
  const segments = template.split('/');
  const at = segments.indexOf(`{${param}}`);
  return at > 0 ? segments[at - 1]! : '';
};

function pathFor(route: Route, ctx: FuzzContext): fc.Arbitrary<{ path: string; classes: string[] }> {
  const names = [...route.template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const values = names.map((name) => {
    const own = ctx.ids[collectionOf(route.template, name)] ?? [];
    const known = own.length ? own : anyKnownId(ctx);
    return fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...known).map((value) => ({ cls: '', value })) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(...anyKnownId(ctx)).map((value) => ({ cls: 'id:of another kind', value })),
      },
      { weight: 2, arbitrary: hostileIds.map((t) => ({ cls: t.cls, value: encodeURIComponent(t.value) })) },
      {
        weight: 2,
        arbitrary: hostileStrings(600)
          .filter((t) => t.value !== '' && t.value !== '.' && t.value !== '..')
          .map((t) => ({ cls: `path ${t.cls}`, value: percentEncode(t.value) })),
      },
      { weight: 1, arbitrary: brokenEscapes },
    );
  });
  return fc.tuple(...values).map((chosen) => {
    let i = 0;
    const path = route.template.replace(/\{[^}]+\}/g, () => chosen[i++]!.value);
    return { path, classes: chosen.map((c) => c.cls).filter(Boolean) };
  });
}

const base64url = (value: unknown) => Buffer.from(toJson(value)).toString('base64url');

/** Cursors the API did not hand out. */
function hostileCursors(ctx: FuzzContext): fc.Arbitrary<Tagged<string>> {
  return fc.oneof(
    tag('cursor:base64 garbage')(
      fc.uint8Array({ minLength: 1, maxLength: 80 }).map((b) => Buffer.from(b).toString('base64url')),
    ),
    tag('cursor:not base64')(fc.constantFrom('!!!', 'not a cursor', '====', '%', '')),
    tag('cursor:right shape, not a UUID')(
      fc.string({ maxLength: 20 }).map((id) => base64url(['2026-01-01T00:00:00.000Z', id])),
    ),
    tag('cursor:right shape, odd time')(
      fc
        .constantFrom(
          '0000-01-01T00:00:00.000Z',
          '275760-09-13T00:00:00.000Z',
          '2026-02-30T00:00:00Z',
          'yesterday',
          '',
        )
        .chain((at) => fc.uuid().map((id) => base64url([at, id]))),
    ),
    tag('cursor:other JSON')(
      fc
        .oneof(
          fc.jsonValue({ maxDepth: 2 }),
          fc.constant({ createdAt: '2026-01-01T00:00:00Z', id: anyKnownId(ctx)[0] }),
        )
        .map((v) => base64url(v)),
    ),
    tag('cursor:known id, other type')(fc.constantFrom(...anyKnownId(ctx)).map((id) => base64url([1, id]))),
    tag('cursor:huge')(fc.integer({ min: 1_000, max: 3_000 }).map((n) => 'A'.repeat(n))),
  );
}

function queryFor(route: Route, ctx: FuzzContext): fc.Arbitrary<{ query: string; classes: string[] }> {
  const params = route.parameters.filter((p) => p.in === 'query');
  const encoded = (value: string) => percentEncode(value);
  const entry = (p: Parameter): fc.Arbitrary<{ parts: string[]; classes: string[] }> => {
    const plain = plausible(p.schema ?? { type: 'string' }, ctx, p.name).map((v) => ({
      parts: [`${p.name}=${encoded(typeof v === 'string' ? v : JSON.stringify(v))}`],
      classes: [] as string[],
    }));
    const hostile = fc
      .oneof(
        hostileStrings(300),
        hostileNumbers.map((t) => ({ cls: t.cls, value: toJson(t.value) })),
        hostileIds,
        ...(p.name === 'cursor' ? [hostileCursors(ctx), hostileCursors(ctx)] : []),
      )
      .map((t) => ({ parts: [`${p.name}=${encoded(t.value)}`], classes: [`query ${t.cls}`] }));
    const odd = fc.oneof(
      plain.map((e) => ({
        parts: [...e.parts, ...e.parts.map((x) => x.replace(/=.*/, '=2'))],
        classes: ['query:duplicate key'],
      })),
      fc.constant<QueryEntry>({ parts: [`${p.name}[]=1`], classes: ['query:array key'] }),
      fc.constant<QueryEntry>({ parts: [`${p.name}[a]=1`], classes: ['query:object key'] }),
      fc.constant<QueryEntry>({ parts: [p.name], classes: ['query:key without value'] }),
      fc.constant<QueryEntry>({ parts: [`${p.name}=`], classes: ['query:empty value'] }),
      brokenEscapes.map((t) => ({ parts: [`${p.name}=${t.value}`], classes: [`query ${t.cls}`] })),
    );
    return fc.oneof(
      { weight: 4, arbitrary: plain },
      { weight: 3, arbitrary: hostile },
      { weight: 2, arbitrary: odd },
    );
  };
  const chosen = params.map((p) =>
    fc
      .option(entry(p), { freq: p.required ? 10 : 2, nil: undefined })
      .map((e) => e ?? { parts: [], classes: [] }),
  );
  const unknown = fc.option(
    fc.oneof(
      fc
        .constantFrom('zz=1', 'role=ADMIN', '__proto__[x]=1', 'constructor=1', '&&&', '=', '%=%')
        .map((part) => ({ parts: [part], classes: ['query:unknown key'] })),
      fc.integer({ min: 50, max: 400 }).map((n) => ({
        parts: Array.from({ length: n }, (_, i) => `k${i}=${i}`),
        classes: ['query:many keys'],
      })),
    ),
    { freq: 6, nil: undefined },
  );
  return fc.tuple(fc.tuple(...chosen), unknown).map(([entries, extra]) => {
    const all = [...entries, ...(extra ? [extra] : [])];
    const parts = all.flatMap((e) => e.parts);
    return { query: parts.length ? `?${parts.join('&')}` : '', classes: all.flatMap((e) => e.classes) };
  });
}

/** Visible ASCII and Latin-1: what a header value may carry at all (no CR, LF or NUL). */
const headerText = (maxLength: number) =>
  fc.string({ unit: fc.oneof(charIn(0x20, 0x7e), charIn(0xa0, 0xff)), maxLength });
const b64seg = fc
  .uint8Array({ minLength: 1, maxLength: 48 })
  .map((b) => Buffer.from(b).toString('base64url'));

function authorizationFor(
  token: string | null,
  ctx: FuzzContext,
): fc.Arbitrary<{ value: string | null; classes: string[] }> {
  const none = { alg: 'none', typ: 'JWT' };
  const claims = (exp: number) => ({ sub: ctx.someUserId, iss: 'testing-vouchers', exp });
  const forged = fc.oneof(
    tag('auth:garbage')(headerText(200)),
    tag('auth:Bearer alone')(
      fc.constantFrom('Bearer', 'Bearer ', 'bearer', 'Bearer  x y', 'Basic dXNlcjpwYXNz', 'Token abc'),
    ),
    tag('auth:random JWT-looking')(
      fc.tuple(b64seg, b64seg, b64seg).map((parts) => `Bearer ${parts.join('.')}`),
    ),
    tag('auth:alg none')(fc.constant(`Bearer ${base64url(none)}.${base64url(claims(4_102_444_800))}.`)),
    tag('auth:expired or tampered')(
      fc.constantFrom(
        ...(token
          ? [
              `Bearer ${token.split('.').slice(0, 2).join('.')}.${'A'.repeat(43)}`,
              `Bearer ${token.split('.')[0]}.${base64url(claims(1))}.${token.split('.')[2]}`,
              `Bearer ${token}x`,
              `Bearer ${token.toUpperCase()}`,
            ]
          : [`Bearer ${base64url({ alg: 'HS256' })}.${base64url(claims(1))}.${'A'.repeat(43)}`]),
      ),
    ),
    tag('auth:over-long')(fc.integer({ min: 1_000, max: 3_000 }).map((n) => `Bearer ${'a'.repeat(n)}`)),
  );
  const own = { value: token ? `Bearer ${token}` : null, classes: [] as string[] };
  return fc.oneof(
    { weight: 8, arbitrary: fc.constant(own) },
    { weight: 2, arbitrary: forged.map((t) => ({ value: t.value, classes: [t.cls] })) },
  );
}

const optionalHeader = (name: string, values: fc.Arbitrary<Tagged<string>>, freq: number) =>
  fc.option(
    values.map((t) => ({ name, ...t })),
    { freq, nil: undefined },
  );

function headersFor(route: Route): fc.Arbitrary<{ headers: Record<string, string>; classes: string[] }> {
  const writes = route.method !== 'GET';
  const headers = [
    optionalHeader(
      'idempotency-key',
      fc.oneof(
        tag('idempotency-key:plausible')(fc.uuid()),
        tag('idempotency-key:garbage')(headerText(60).filter((v) => v.trim() === v)),
        tag('idempotency-key:too long')(fc.integer({ min: 256, max: 2_000 }).map((n) => 'k'.repeat(n))),
        tag('idempotency-key:reused')(fc.constantFrom('fuzz-reused-1', 'fuzz-reused-2')),
        tag('idempotency-key:space or Latin-1')(fc.constantFrom('a b', 'é', 'keyÿ', '""')),
      ),
      writes ? 3 : 10,
    ),
    optionalHeader(
      'accept-language',
      fc.oneof(
        tag('accept-language:garbage')(headerText(80)),
        tag('accept-language:odd')(
          fc.constantFrom(
            '*',
            'zh-CN;q=2',
            'en;q=abc',
            'xx-YY',
            'en-US,en;q=0.9,zh-CN;q=-1',
            ',,,',
            'zh-Hant-TW-x-private',
          ),
        ),
        tag('accept-language:over-long')(
          fc.integer({ min: 500, max: 2_000 }).map((n) => `en;q=0.1,${'zh,'.repeat(n / 3)}`),
        ),
      ),
      4,
    ),
    optionalHeader(
      'if-none-match',
      fc.oneof(
        tag('if-none-match:odd')(
          fc.constantFrom('*', '"x"', 'W/"x"', '"a", "b", W/"c"', 'garbage', '""', 'W/'),
        ),
        tag('if-none-match:garbage')(headerText(100)),
      ),
      5,
    ),
    optionalHeader(
      'accept',
      tag('accept:odd')(
        fc.constantFrom('application/xml', 'text/csv', '*/*;q=0', 'garbage', 'application/problem+json', ''),
      ),
      6,
    ),
    optionalHeader('x-request-id', tag('x-request-id:garbage')(headerText(120)), 8),
    optionalHeader(
      'x-forwarded-for',
      tag('x-forwarded-for:odd')(
        fc.constantFrom('garbage', '::1, 10.0.0.1', '999.1.1.1', '', 'unknown, , ,'),
      ),
      10,
    ),
    optionalHeader(
      'if-modified-since',
      tag('if-modified-since:odd')(
        fc.constantFrom('yesterday', 'Thu, 01 Jan 1970 00:00:00 GMT', '0', 'Sat, 31 Dec 9999 23:59:59 GMT'),
      ),
      10,
    ),
    optionalHeader(
      'range',
      tag('range:odd')(fc.constantFrom('bytes=0-0', 'bytes=-1', 'bytes=9999999-', 'lines=1-2')),
      12,
    ),
  ];
  return fc.tuple(...headers).map((chosen) => {
    const present = chosen.filter((c): c is NonNullable<typeof c> => c !== undefined);
    return {
      headers: Object.fromEntries(present.map((c) => [c.name, c.value])),
      classes: present.map((c) => c.cls).filter((cls) => !cls.endsWith(':plausible')),
    };
  });
}

/**
 * Node refuses a request whose line and headers pass 16 KiB before the service sees it: requests stay
 * below, so that what is tested is the service's own answer.
 */
export const HEADER_BYTES = 14_000;
const headerBytes = (r: FuzzRequest) =>
  r.path.length + Object.entries(r.headers).reduce((n, [k, v]) => n + k.length + v.length + 4, 0);

/**
 * A request a client of the service might send: existing ids, values the schemas describe, the
 * caller's own token. Between the hostile ones, these move items on, so that later requests meet
 * them in other states.
 */
function calmRequestFor(route: Route, token: string | null, ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const names = [...route.template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const path = fc
    .tuple(
      ...names.map((name) => {
        const own = ctx.ids[collectionOf(route.template, name)] ?? [];
        return fc.constantFrom(...(own.length ? own : anyKnownId(ctx)));
      }),
    )
    .map((ids) => {
      let i = 0;
      return route.template.replace(/\{[^}]+\}/g, () => ids[i++]!);
    });
  const query = fc
    .tuple(
      ...route.parameters
        .filter((p) => p.in === 'query')
        .map((p) =>
          fc.option(
            plausible(p.schema ?? { type: 'string' }, ctx, p.name).map(
              (v) => `${p.name}=${percentEncode(typeof v === 'string' ? v : JSON.stringify(v))}`,
            ),
            { freq: p.required ? 20 : 2, nil: undefined },
          ),
        ),
    )
    .map((parts) => {
      const given = parts.filter((part) => part !== undefined);
      return given.length ? `?${given.join('&')}` : '';
    });
  const body = route.body ? plausible(route.body, ctx).map((v) => toJson(v)) : fc.constant(undefined);
  return fc.tuple(path, query, body).map(([p, q, b]) => ({
    method: route.method,
    template: route.template,
    path: `${p}${q}`,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(b === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(b === undefined ? {} : { body: b }),
    classes: [],
  }));
}

/** A request at the route, as a caller holding `token` (null: anonymous) might send it. */
export function requestFor(route: Route, token: string | null, ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(
    { weight: 3, arbitrary: calmRequestFor(route, token, ctx) },
    { weight: 9, arbitrary: hostileRequestFor(route, token, ctx) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(calmRequestFor(route, token, ctx), fc.integer({ min: 2, max: 4 }), fc.option(fc.uuid()))
        .map(([r, copies, key]) => ({
          ...r,
          headers: { ...r.headers, ...(key ? { 'idempotency-key': key } : {}) },
          copies,
          classes: [`burst:${copies} at once${key ? ' with one Idempotency-Key' : ''}`],
        })),
    },
  );
}

function hostileRequestFor(route: Route, token: string | null, ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const body: fc.Arbitrary<Body | null> = route.body ? bodyFor(route, ctx) : fc.constant(null);
  return fc
    .tuple(pathFor(route, ctx), queryFor(route, ctx), body, headersFor(route), authorizationFor(token, ctx))
    .map(([path, query, sent, extra, auth]) => {
      const headers: Record<string, string> = { ...extra.headers };
      if (auth.value !== null) headers.authorization = auth.value;
      if (sent?.contentType) headers['content-type'] = sent.contentType;
      if (sent?.encoding) headers['content-encoding'] = sent.encoding;
      return {
        method: route.method,
        template: route.template,
        path: `${path.path}${query.query}`,
        headers,
        ...(sent?.data === undefined ? {} : { body: sent.data }),
        classes: [
          ...path.classes,
          ...query.classes,
          ...(sent?.classes ?? []),
          ...extra.classes,
          ...auth.classes,
        ],
      };
    })
    .filter((r) => headerBytes(r) < HEADER_BYTES);
}

/** Every operation the document describes, with what it takes. */
export function routesOf(
  document: { paths?: Record<string, unknown> },
  resolve: (schema: JsonSchema) => JsonSchema,
  accessOf: (method: string, template: string) => 'public' | readonly string[],
): Route[] {
  return Object.entries(document.paths ?? {}).flatMap(([template, item]) =>
    Object.entries(
      item as Record<
        string,
        { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } }
      >,
    ).map(([method, op]) => {
      const content = op.requestBody?.content;
      return {
        method: method.toUpperCase(),
        template,
        parameters: op.parameters ?? [],
        body: content
          ? resolve((content['application/json'] ?? Object.values(content)[0]!).schema)
          : undefined,
        access: accessOf(method.toUpperCase(), template),
      };
    }),
  );
}
