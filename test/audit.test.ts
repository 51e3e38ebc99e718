import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditHash, chainedText, fastAuditHash, type AuditContent, type JsonValue } from '../domain/audit';

const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);
const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
// values an entry may carry, including keys and strings that look like the hash's own
const tricky = fc.oneof(fc.string(), fc.constantFrom('prevHash', '"prevHash":"', '{', '\\', '中文'));
const json: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    tricky,
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(tricky, tie('value'), { maxKeys: 3 }),
  ),
})).value;

const content: fc.Arbitrary<AuditContent> = fc.record({
  id: fc.uuid(),
  at: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  actor: fc.record({
    userId: nullable(fc.uuid()),
    role: fc.constantFrom('SME', 'PROVIDER', 'ADMIN', 'AUDITOR', 'SYSTEM' as const),
    organisationId: nullable(fc.uuid()),
  }),
  action: tricky,
  entityType: tricky,
  entityId: tricky,
  before: nullable(json),
  after: nullable(json),
  workflowId: nullable(tricky),
  runId: nullable(tricky),
  requestId: nullable(tricky),
});

describe('the chained text the database hashes', () => {
  it('hashes, joined around any previous hash, to the entry’s own hash', () => {
    fc.assert(
      fc.property(content, hex64, (entry, prevHash) => {
        const { before, after } = chainedText(entry);
        const joined = createHash('sha256').update(`${before}${prevHash}${after}`, 'utf8').digest('hex');
        expect(joined).toBe(auditHash(prevHash, entry));
      }),
      { numRuns: 500 },
    );
  });
});

// unicode beyond the BMP, numbers of every kind, and nested JSON, as an entry's before and after may hold
const wide = fc.oneof(
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }).filter((s) => !/\p{Cs}/u.test(s)),
  tricky,
);
const anyJson: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    wide,
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(wide, tie('value'), { maxKeys: 4 }),
  ),
})).value;
const anyContent: fc.Arbitrary<AuditContent> = content.chain((base) =>
  fc
    .record({
      action: wide,
      entityType: wide,
      entityId: wide,
      before: nullable(anyJson),
      after: nullable(anyJson),
      requestId: nullable(wide),
    })
    .map((over) => ({ ...base, ...over })),
);

describe('the direct canonical text verification hashes', () => {
  it('is the RFC 8785 text of the generic canonicaliser, so its hash is the entry’s hash', () => {
    fc.assert(
      fc.property(fc.oneof(content, anyContent), hex64, (entry, prevHash) => {
        expect(fastAuditHash(prevHash, entry)).toBe(auditHash(prevHash, entry));
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses a lone surrogate as the generic canonicaliser does', () => {
    fc.assert(
      fc.property(content, hex64, (entry, prevHash) => {
        const broken = { ...entry, entityId: `${entry.entityId}\ud800` };
        expect(() => auditHash(prevHash, broken)).toThrow();
        expect(() => fastAuditHash(prevHash, broken)).toThrow();
      }),
      { numRuns: 50 },
    );
  });

  it('writes what the generic canonicaliser writes for values JSON would not carry as they are', () => {
    fc.assert(
      fc.property(content, hex64, fc.date({ noInvalidDate: true }), (entry, prevHash, date) => {
        const odd = {
          ...entry,
          after: { at: date, gone: undefined, list: [undefined, 1] } as unknown as JsonValue,
        };
        expect(fastAuditHash(prevHash, odd)).toBe(auditHash(prevHash, odd));
      }),
      { numRuns: 100 },
    );
  });
});
