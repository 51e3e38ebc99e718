/**
 * How a process refuses an action, in words and with a stable code the API answers with. A step
 * that cannot pass (a rule, a status, a value) fails with this at once and is never retried.
 */
export const REFUSAL_TYPE = 'Refused';

/** Which kind of problem the API answers with. */
export type RefusalKind = 'CONFLICT' | 'BUSINESS_RULE' | 'NOT_FOUND' | 'INVALID';

export interface RefusalDetail {
  kind: RefusalKind;
  code: string;
  details?: Record<string, unknown>;
}
