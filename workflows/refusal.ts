import { ApplicationFailure } from '@temporalio/workflow';

/** How the API should answer a refused action: which kind of problem, with what stable code. */
export type RefusalKind = 'CONFLICT' | 'BUSINESS_RULE' | 'NOT_FOUND' | 'INVALID';

export interface RefusalDetail {
  kind: RefusalKind;
  code: string;
  details?: Record<string, unknown>;
}

export const REFUSAL_TYPE = 'Refused';

/**
 * Refuses an update: thrown from a validator it leaves no trace in the history; thrown from a
 * handler it fails the update (not the workflow) and the API answers with the reason.
 */
export function refuse(
  kind: RefusalKind,
  code: string,
  message: string,
  details?: Record<string, unknown>,
): never {
  const detail: RefusalDetail = { kind, code, details };
  throw ApplicationFailure.create({ type: REFUSAL_TYPE, message, nonRetryable: true, details: [detail] });
}
