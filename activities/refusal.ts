import { ApplicationFailure } from '@temporalio/activity';
import { WrongStatus } from '../domain/process';
import { REFUSAL_TYPE, type RefusalDetail, type RefusalKind } from '../domain/refusal';

/**
 * A step that cannot pass: fails the activity at once, never retried, and reaches the caller in
 * these words with this code. Thrown inside a transaction, it also undoes the transaction.
 */
export function refused(
  kind: RefusalKind,
  code: string,
  message: string,
  details?: Record<string, unknown>,
): ApplicationFailure {
  const detail: RefusalDetail = { kind, code, details };
  return ApplicationFailure.create({ type: REFUSAL_TYPE, message, nonRetryable: true, details: [detail] });
}

/** Runs a step, turning a status that does not allow it into a refusal. */
export async function checkingStatus<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof WrongStatus) {
      throw refused('CONFLICT', error.code, error.message, { status: error.status, allowed: error.allowed });
    }
    throw error;
  }
}
