import type { TFunction } from 'i18next';

/**
 * A word for a code the service sends (a status, an audit action, a role). A code the catalog does not
 * know yet — a new status from a newer service — shows as itself rather than as nothing.
 */
export function dynamicText(t: TFunction, group: string, code: string): string {
  return t(`${group}.${code}`, { defaultValue: code });
}
