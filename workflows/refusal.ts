import { ApplicationFailure } from '@temporalio/workflow';
import { REFUSAL_TYPE, type RefusalDetail, type RefusalKind } from '../domain/refusal';

export { REFUSAL_TYPE, type RefusalDetail, type RefusalKind } from '../domain/refusal';

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
