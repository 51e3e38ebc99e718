import {
  ApplicationFailure,
  ServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import type { Actor } from '../../domain/audit';
import { durationMs } from '../../domain/duration';
import type { AuthUser } from '../../domain/identity';
import type { RefusalDetail } from '../../workflows/refusal';
import { REFUSAL_TYPE } from '../../workflows/refusal';
import type { ApiDeps } from '../deps';
import { AppError, type FieldIssue } from '../errors';
import { timed } from './server-timing';

export function actorOf(user: AuthUser): Actor {
  return { userId: user.id, role: user.role, organisationId: user.enterpriseId ?? user.providerId };
}

/** Where an operator or auditor reads the workflow's history. */
export function workflowUrl(deps: ApiDeps, workflowId: string): string {
  return `${deps.env.TEMPORAL_UI_URL}/namespaces/${encodeURIComponent(deps.env.TEMPORAL_NAMESPACE)}/workflows/${encodeURIComponent(workflowId)}`;
}

/** How long past the deadline the answer waits for the Temporal client to give up by itself. */
const GRACE_MS = 1_000;

class DeadlinePassed extends Error {}

/**
 * Runs `call` with every Temporal request in it bound to `deadline`; should the client still not have
 * answered shortly after, gives up waiting for it (the call goes on; nobody waits for its outcome).
 */
async function answerBy<T>(
  deps: Pick<ApiDeps, 'temporal'>,
  deadline: number,
  call: () => Promise<T>,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const backstop = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new DeadlinePassed()), Math.max(0, deadline - Date.now()) + GRACE_MS);
    timer.unref();
  });
  const attempt = deps.temporal.withDeadline(deadline, call);
  attempt.catch(() => undefined);
  try {
    return await Promise.race([attempt, backstop]);
  } finally {
    clearTimeout(timer);
  }
}

/** The refusal a process answered with, however deep: an update's or workflow's failure, an activity's, a child's. */
function refusalIn(error: unknown): ApplicationFailure | undefined {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 8; depth += 1) {
    if (current instanceof ApplicationFailure && current.type === REFUSAL_TYPE) return current;
    current = current.cause;
  }
  return undefined;
}

const isFieldIssue = (value: unknown): value is FieldIssue =>
  typeof value === 'object' &&
  value !== null &&
  ['in', 'field', 'reason', 'code'].every(
    (key) => typeof (value as Record<string, unknown>)[key] === 'string',
  );

/** A refusal as the API's error; field issues a step names (`details.issues`) become the problem's `issues`. */
function fromRefusal(failure: ApplicationFailure): AppError {
  const detail = failure.details?.[0] as RefusalDetail | undefined;
  const { issues, ...details } = detail?.details ?? {};
  const fieldIssues = Array.isArray(issues) ? issues.filter(isFieldIssue) : [];
  return new AppError(detail?.kind ?? 'CONFLICT', failure.message, {
    code: detail?.code ?? 'REFUSED',
    details: Object.keys(details).length ? details : undefined,
    issues: fieldIssues,
  });
}

/** gRPC status codes the Temporal service answers with */
const DEADLINE_EXCEEDED = 4;
const FAILED_PRECONDITION = 9;
const UNAVAILABLE = 14;

/** The gRPC status code in the error or its causes, and the message that came with it. */
function grpcStatusIn(error: unknown): { code: number; message: string } | undefined {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 8; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'number') return { code, message: current.message };
    current = current.cause;
  }
  return undefined;
}

/**
 * Temporal refuses an update or a query (FAILED_PRECONDITION) while the process's last workflow task
 * has failed or timed out, as when the worker holding it died; it schedules the task again, and the
 * process answers once that has run. Nothing was handed over: the same request may simply come again.
 */
function processRecovering(error: unknown): boolean {
  const status = grpcStatusIn(error);
  return status?.code === FAILED_PRECONDITION && /workflow task in failed state/i.test(status.message);
}

function deadlinePassed(error: unknown, deadline: number): boolean {
  if (error instanceof DeadlinePassed || error instanceof WorkflowUpdateRPCTimeoutOrCancelledError)
    return true;
  // the service gave up waiting for the process before our deadline (a query whose worker died)
  const code = grpcStatusIn(error)?.code;
  if (error instanceof ServiceError && (code === DEADLINE_EXCEEDED || code === UNAVAILABLE)) return true;
  // a start, a result or a query cut off by the deadline fails as a service error
  return error instanceof ServiceError && Date.now() >= deadline;
}

/**
 * Runs a call into a workflow (an update, an update-with-start, a start and its result, a query) and
 * turns what the process refused into the API's error: the process's own words and stable code, never
 * a 500, whether a validator, a handler or one of its activities refused. The call has a deadline
 * (`PROCESS_ANSWER_WITHIN`); a process that has not answered by then (an overloaded or stopped worker)
 * is a 503 PROCESS_BUSY that says the step may still take effect, and where to look before repeating it;
 * so is a process that cannot take updates for a moment because its last workflow task is being retried.
 */
export async function intoWorkflow<T>(
  deps: Pick<ApiDeps, 'env' | 'temporal'>,
  call: () => Promise<T>,
  what: string,
  location: string,
): Promise<T> {
  const deadline = Date.now() + durationMs(deps.env.PROCESS_ANSWER_WITHIN);
  try {
    return await timed('process', () => answerBy(deps, deadline, call));
  } catch (error) {
    const refusal = refusalIn(error);
    if (refusal) throw fromRefusal(refusal);
    if (error instanceof WorkflowNotFoundError) {
      throw new AppError('CONFLICT', `${what} is closed: its process has finished`, {
        code: 'PROCESS_CLOSED',
      });
    }
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      throw new AppError('CONFLICT', `${what} already exists`, { code: 'ALREADY_EXISTS' });
    }
    if (processRecovering(error)) {
      throw new AppError(
        'UNAVAILABLE',
        `The process of ${what} is taking up its last step again after a failure and did not take this one. Repeat the request shortly.`,
        { code: 'PROCESS_BUSY', headers: { 'Retry-After': '1' }, details: { location } },
      );
    }
    if (deadlinePassed(error, deadline)) {
      throw new AppError(
        'UNAVAILABLE',
        `The process of ${what} did not answer within ${deps.env.PROCESS_ANSWER_WITHIN}. The step was handed over and may still take effect: GET ${location} before repeating it.`,
        { code: 'PROCESS_BUSY', headers: { 'Retry-After': '5' }, details: { location } },
      );
    }
    throw error;
  }
}
