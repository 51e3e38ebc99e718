import { problemOf } from '../ui/ProblemMessage';

export interface PlacedIssues {
  /** reason by the name of the field it shows at, for a form's `validationErrors` */
  at: Record<string, string>;
  /** failing fields the page has no field for (a whole row, an id it keeps to itself) */
  elsewhere: { field: string; reason: string }[];
}

/**
 * The service's failing fields, each at the closest field the page has: `accreditations.0.scope.2`
 * shows at `accreditations.0.scope` when the scope is typed in one field. Those with no such field
 * come back apart, for the page to show beside the part they concern.
 */
export function placeIssues(error: unknown, fields: readonly string[]): PlacedIssues {
  const placed: PlacedIssues = { at: {}, elsewhere: [] };
  for (const issue of problemOf(error)?.issues ?? []) {
    if (issue.in !== 'body') continue;
    const field = fields
      .filter((name) => issue.field === name || issue.field.startsWith(`${name}.`))
      .sort((a, b) => b.length - a.length)[0];
    if (field) placed.at[field] ??= issue.reason;
    else placed.elsewhere.push({ field: issue.field, reason: issue.reason });
  }
  return placed;
}
