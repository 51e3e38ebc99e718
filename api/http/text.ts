import type { FieldIssue } from '../errors';

/**
 * The characters no request may carry in any string, field names included, whatever the route.
 *
 * - U+0000: PostgreSQL stores it neither in `text` nor in `jsonb`; a step writing it would fail.
 * - An unpaired UTF-16 surrogate (U+D800–U+DFFF alone): not text; UTF-8 cannot encode it, so it
 *   would be refused by `jsonb` or silently turned into U+FFFD in `text`.
 * - Other control characters (C0 except TAB, LF and CR; DEL; C1 U+0080–U+009F): not text either,
 *   and invisible in the e-mails, exports and pages that show what was sent.
 * - TAB, LF and CR: allowed in a body, where free text (a reason, a note, an address) may span
 *   lines; refused in a path or query value, which is one line by nature.
 */
// \p{Cc}: U+0000–U+001F and U+007F–U+009F; \p{Cs}: a surrogate not paired (a pair is one code point)
const NOT_TEXT = /(?![\t\n\r])\p{Cc}|\p{Cs}/u;
const NOT_ONE_LINE = /\p{Cc}|\p{Cs}/u;

const codePoint = (char: string) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** Why a string cannot be taken, or null when it can. */
export function textProblem(value: string, oneLine: boolean): string | null {
  const match = (oneLine ? NOT_ONE_LINE : NOT_TEXT).exec(value);
  if (!match) return null;
  const char = match[0];
  const at = `at position ${match.index}`;
  if (char === '\u0000') return `contains U+0000 (NUL) ${at}, which cannot be stored`;
  if (/\p{Cs}/u.test(char)) {
    return `contains an unpaired UTF-16 surrogate (${codePoint(char)}) ${at}, which is not text`;
  }
  if (char === '\t' || char === '\n' || char === '\r') {
    return `contains a tab or line break (${codePoint(char)}) ${at}; this value must be one line`;
  }
  return `contains the control character ${codePoint(char)} ${at}, which is not text`;
}

/** A field name as a problem shows it: characters that are not text are escaped. */
function printable(key: string): string {
  return NOT_ONE_LINE.test(key) ? JSON.stringify(key).slice(1, -1) : key;
}

const MAX_ISSUES = 20;

/** A place in the request: its key and the place holding it (paths are built only for issues). */
interface Place {
  key: string;
  parent: Place | null;
}

function fieldOf(place: Place | null): string {
  const keys: string[] = [];
  for (let at = place; at; at = at.parent) keys.push(at.key);
  return keys.reverse().join('.') || '(root)';
}

/**
 * Every string in a parsed request part (values and object keys, at any depth) that breaks the
 * rule above, as field issues. Iterative, so that a deeply nested body cannot exhaust the stack.
 */
export function textIssues(value: unknown, location: FieldIssue['in']): FieldIssue[] {
  const oneLine = location !== 'body';
  const issues: FieldIssue[] = [];
  const issue = (place: Place | null, reason: string) =>
    issues.push({ in: location, field: fieldOf(place), reason, code: 'invalid_character' });
  const pending: { value: unknown; place: Place | null }[] = [{ value, place: null }];
  while (pending.length && issues.length < MAX_ISSUES) {
    const { value: current, place } = pending.pop()!;
    if (typeof current === 'string') {
      const reason = textProblem(current, oneLine);
      if (reason) issue(place, reason);
    } else if (Array.isArray(current)) {
      current.forEach((item, index) =>
        pending.push({ value: item, place: { key: String(index), parent: place } }),
      );
    } else if (current !== null && typeof current === 'object') {
      for (const [key, item] of Object.entries(current)) {
        const reason = textProblem(key, true);
        const at = { key: printable(key), parent: place };
        if (reason) issue(at, `the field name ${reason}`);
        else pending.push({ value: item, place: at });
      }
    }
  }
  return issues.sort((a, b) => a.field.localeCompare(b.field));
}
