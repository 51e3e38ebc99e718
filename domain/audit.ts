import { createHash, hash, randomUUID } from 'node:crypto';
import canonicalize from 'canonicalize';

import type { Actor } from './actor';

export { SYSTEM_ACTOR, type Actor } from './actor';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The content of one audit entry: everything the hash covers. */
export interface AuditContent {
  id: string;
  at: string;
  actor: Actor;
  action: string;
  entityType: string;
  entityId: string;
  before: JsonValue | null;
  after: JsonValue | null;
  workflowId: string | null;
  runId: string | null;
  requestId: string | null;
}

export interface ChainedAuditEntry extends AuditContent {
  seq: string;
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** SHA-256 over the RFC 8785 canonical JSON of the entry and the hash before it. */
export function auditHash(prevHash: string, content: AuditContent): string {
  const canonical = canonicalize({ prevHash, ...content });
  if (canonical === undefined) throw new Error('audit entry cannot be canonicalised');
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

const LONE_SURROGATE = /\p{Cs}/u;
/** Characters JSON escapes, and surrogates, which may be lone: a string without any is written as it is. */
// eslint-disable-next-line no-control-regex -- the control characters are what JSON escapes
const NOT_PLAIN = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string as RFC 8785 writes it: ECMAScript's JSON string; undefined for a lone surrogate. */
function quoted(value: string): string | undefined {
  if (!NOT_PLAIN.test(value)) return `"${value}"`;
  return LONE_SURROGATE.test(value) ? undefined : JSON.stringify(value);
}

/** One string as RFC 8785 writes it: ECMAScript's JSON string, which has no lone surrogates. */
function jsonString(value: string | null): string {
  if (value === null) return 'null';
  const text = quoted(value);
  if (text === undefined) throw new Error('audit entry cannot be canonicalised');
  return text;
}

/**
 * RFC 8785 of a value as JSON.parse gives it (null, booleans, finite numbers, strings, arrays, plain
 * objects), written in one pass: keys in UTF-16 order, numbers and strings as ECMAScript writes them.
 * Anything else (undefined, a Date, a cycle…) is left to the generic canonicaliser, which knows every
 * case: `undefined` says so.
 */
function plainCanonical(value: unknown, depth: number): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return quoted(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : undefined;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      return undefined;
  }
  if (depth > 64) return undefined;
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i += 1) {
      const item = plainCanonical(value[i], depth + 1);
      if (item === undefined) return undefined;
      text += i ? `,${item}` : item;
    }
    return `${text}]`;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return undefined;
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object).sort();
  let text = '{';
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i]!;
    const name = quoted(key);
    const item = plainCanonical(object[key], depth + 1);
    if (item === undefined || name === undefined) return undefined;
    text += `${i ? ',' : ''}${name}:${item}`;
  }
  return `${text}}`;
}

function jsonValue(value: JsonValue | null): string {
  const canonical = plainCanonical(value, 0) ?? canonicalize(value);
  if (canonical === undefined) throw new Error('audit entry cannot be canonicalised');
  return canonical;
}

/**
 * The same text as `auditHash` canonicalises, written directly: the entry's keys are fixed, so their
 * RFC 8785 order (UTF-16 code units) is written out here, and only `before` and `after`, which may
 * hold any JSON, go through the generic canonicaliser. A property test holds it equal to the generic
 * path for arbitrary entries.
 */
export function canonicalAuditText(prevHash: string, c: AuditContent): string {
  return (
    `{"action":${jsonString(c.action)},"actor":{"organisationId":${jsonString(c.actor.organisationId)},` +
    `"role":${jsonString(c.actor.role)},"userId":${jsonString(c.actor.userId)}},` +
    `"after":${jsonValue(c.after)},"at":${jsonString(c.at)},"before":${jsonValue(c.before)},` +
    `"entityId":${jsonString(c.entityId)},"entityType":${jsonString(c.entityType)},"id":${jsonString(c.id)},` +
    `"prevHash":${jsonString(prevHash)},"requestId":${jsonString(c.requestId)},"runId":${jsonString(c.runId)},` +
    `"workflowId":${jsonString(c.workflowId)}}`
  );
}

/** `auditHash` by the direct canonical text: what verification computes for every entry. */
export function fastAuditHash(prevHash: string, content: AuditContent): string {
  return hash('sha256', canonicalAuditText(prevHash, content), 'hex');
}

/**
 * The text `auditHash` hashes, split around the previous hash: `before + prevHash + after`. The
 * database joins the three while it holds the chain's head, so an entry is chained and stored in
 * one statement.
 */
export function chainedText(content: AuditContent): { before: string; after: string } {
  const marker = randomUUID();
  const canonical = canonicalAuditText(marker, content);
  const at = canonical.indexOf(marker);
  if (at < 0 || canonical.lastIndexOf(marker) !== at) throw new Error('audit entry cannot be split');
  return { before: canonical.slice(0, at), after: canonical.slice(at + marker.length) };
}

export type ChainBreak = {
  seq: string;
  id: string;
  reason: 'PREVIOUS_HASH_MISMATCH' | 'CONTENT_HASH_MISMATCH';
};

/**
 * Walks entries in chain order. `prevHash` is the hash of the entry before the first one given
 * (GENESIS_HASH at the start of the log). Returns the first entry that breaks the chain.
 */
export function findChainBreak(
  entries: Iterable<ChainedAuditEntry>,
  prevHash: string,
): { break: ChainBreak | null; lastHash: string; checked: number } {
  let expected = prevHash;
  let checked = 0;
  for (const entry of entries) {
    if (entry.prevHash !== expected) {
      return {
        break: { seq: entry.seq, id: entry.id, reason: 'PREVIOUS_HASH_MISMATCH' },
        lastHash: expected,
        checked,
      };
    }
    if (fastAuditHash(entry.prevHash, entry) !== entry.hash) {
      return {
        break: { seq: entry.seq, id: entry.id, reason: 'CONTENT_HASH_MISMATCH' },
        lastHash: expected,
        checked,
      };
    }
    expected = entry.hash;
    checked += 1;
  }
  return { break: null, lastHash: expected, checked };
}
