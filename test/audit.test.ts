import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditHash, chainedText, type AuditContent, type JsonValue } from '../domain/audit';

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
