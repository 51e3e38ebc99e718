import { z } from 'zod';
import { AppError, type FieldIssue } from '../errors';
import { textIssues } from './text';

/** One issue per failing field, including each unknown field of a strict object. */
export function fieldIssues(error: z.ZodError, location: FieldIssue['in']): FieldIssue[] {
  return error.issues.flatMap((issue): FieldIssue[] => {
    const base = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        in: location,
        field: [...base, key].join('.'),
        reason: 'unknown field',
        code: 'unrecognized_key',
      }));
    }
    return [
      {
        in: location,
        field: base.join('.') || '(root)',
        reason: issue.message,
        code: issue.code,
      },
    ];
  });
}

export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  value: unknown,
  location: FieldIssue['in'],
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = fieldIssues(result.error, location);
  const first = issues[0];
  throw new AppError(
    'INVALID',
    first ? `Invalid ${location}: ${first.field} ${first.reason}` : `Invalid ${location}`,
    { code: 'VALIDATION_FAILED', issues },
  );
}

/**
 * Refuses a request any of whose strings is not text PostgreSQL can store (see `textIssues`),
 * before any route sees it, so that no route can forget the rule and nothing is changed.
 */
export function refuseInvalidText(parts: Partial<Record<FieldIssue['in'], unknown>>): void {
  const issues = (Object.entries(parts) as [FieldIssue['in'], unknown][]).flatMap(([location, value]) =>
    textIssues(value, location),
  );
  const first = issues[0];
  if (!first) return;
  throw new AppError('INVALID', `Invalid ${first.in}: ${first.field} ${first.reason}`, {
    code: 'VALIDATION_FAILED',
    issues,
  });
}

/**
 * An instant (ISO 8601, UTC) PostgreSQL can store: its timestamps start at 4713 BC, but ISO
 * year 0000 (1 BC) has no place in them, and a query for it would fail rather than find nothing.
 */
export const InstantSchema = z.iso
  .datetime()
  .refine((value) => new Date(value).getUTCFullYear() >= 1, { error: 'must be a time in year 1 or later' });
