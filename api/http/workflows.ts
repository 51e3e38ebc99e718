import {
  ApplicationFailure,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import type { Actor } from '../../domain/audit';
import type { AuthUser } from '../../domain/identity';
import type { RefusalDetail } from '../../workflows/refusal';
import { REFUSAL_TYPE } from '../../workflows/refusal';
import type { ApiDeps } from '../deps';
import { AppError } from '../errors';

export function actorOf(user: AuthUser): Actor {
  return { userId: user.id, role: user.role, organisationId: user.enterpriseId ?? user.providerId };
}

/** Where an operator or auditor reads the workflow's history. */
export function workflowUrl(deps: ApiDeps, workflowId: string): string {
  return `${deps.env.TEMPORAL_UI_URL}/namespaces/${encodeURIComponent(deps.env.TEMPORAL_NAMESPACE)}/workflows/${encodeURIComponent(workflowId)}`;
}

/**
 * Runs a call into a workflow and turns what the workflow refused into the API's error: the
 * workflow's own words and stable code, never a 500. A process that does not answer in time (an
 * overloaded worker) is a 503 that says the step may still take effect and where to look before
 * repeating it (`location`, when the caller knows it).
 */
export async function intoWorkflow<T>(call: () => Promise<T>, what: string, location?: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
      const failure = error.cause;
      if (failure.type === REFUSAL_TYPE) {
        const detail = failure.details?.[0] as RefusalDetail | undefined;
        throw new AppError(detail?.kind ?? 'CONFLICT', failure.message, {
          code: detail?.code ?? 'REFUSED',
          details: detail?.details,
        });
      }
    }
    if (error instanceof WorkflowNotFoundError) {
      throw new AppError('CONFLICT', `${what} is closed: its process has finished`, {
        code: 'PROCESS_CLOSED',
      });
    }
    if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
      const look = location ? `GET ${location}` : `look at ${what}`;
      throw new AppError(
        'UNAVAILABLE',
        `The process of ${what} did not answer in time. The step was handed over and may still take effect: ${look} before repeating it.`,
        {
          code: 'PROCESS_BUSY',
          headers: { 'Retry-After': '5' },
          ...(location ? { details: { location } } : {}),
        },
      );
    }
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      throw new AppError('CONFLICT', `${what} already exists`, { code: 'ALREADY_EXISTS' });
    }
    throw error;
  }
}
