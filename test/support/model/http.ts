import type { responseChecker } from '../api';

/** Something a check found wrong, with the step after which it was seen. */
export interface Violation {
  /** the class of failure, stable across runs: what the report groups by */
  kind: string;
  detail: string;
  step: number;
}

export interface Answer<T> {
  status: number;
  body: T;
  /** the problem's stable code, for a refusal */
  code: string | null;
}

/** Codes that say "not now, another step is under way": a refusal the model never holds against the service. */
export const isTransient = (code: string | null) =>
  code !== null && (/_BUSY$/.test(code) || /_IN_PROGRESS$/.test(code) || code === 'CLAIM_NOT_READY');

const STABLE_CODE = /^[A-Z][A-Z0-9_]{2,}$/;

/**
 * Calls the API as a person would, with a deadline: an answer that does not come in time, a 5xx, a
 * refusal without a stable code or a response the OpenAPI document does not describe is recorded as a
 * violation, and the caller gets null for a timeout.
 */
export function deadlineCaller(options: {
  url: string;
  check: ReturnType<typeof responseChecker>;
  deadlineMs: number;
  record: (kind: string, detail: string) => void;
}) {
  return async function call<T>(
    method: string,
    path: string,
    request: { token: string; body?: unknown },
  ): Promise<Answer<T> | null> {
    const started = Date.now();
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${options.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${request.token}`,
          ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(options.deadlineMs),
      });
      text = await res.text();
    } catch (error) {
      const timedOut =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      options.record(
        timedOut ? 'request-timeout' : 'request-error',
        `${method} ${path} ${timedOut ? `gave no answer within ${options.deadlineMs} ms` : `failed: ${String(error)}`}`,
      );
      return null;
    }
    const isJson = /^application\/([\w.-]+\+)?json\b/.test(res.headers.get('content-type') ?? '');
    const body = (isJson && text ? JSON.parse(text) : text) as T & { code?: unknown };
    const code = res.ok ? null : typeof body?.code === 'string' ? body.code : null;
    const took = `${Date.now() - started} ms`;
    if (res.status >= 500) {
      options.record(
        'server-error',
        `${method} ${path} answered ${res.status} ${code ?? ''} after ${took}: ${text.slice(0, 300)}`,
      );
    } else if (!res.ok && (!code || !STABLE_CODE.test(code) || code === 'REFUSED')) {
      options.record(
        'unstable-code',
        `${method} ${path} answered ${res.status} with code ${String(code)}: ${text.slice(0, 300)}`,
      );
    }
    try {
      options.check(method, path, { status: res.status, headers: res.headers, body, text });
    } catch (error) {
      options.record(
        'undocumented-response',
        error instanceof Error ? error.message.slice(0, 400) : String(error),
      );
    }
    return { status: res.status, body, code };
  };
}

export type DeadlineCall = ReturnType<typeof deadlineCaller>;
