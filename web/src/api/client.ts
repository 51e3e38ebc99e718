import createClient, { type Middleware } from 'openapi-fetch';
import { endSession, session } from '../auth/session';
import type { paths } from './schema';
import type { Problem } from './types';

/** A refusal or failure of the API, carrying its problem+json as the API wrote it. */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
    this.name = 'ApiError';
  }
}

/** What the portal says when it could not reach the service at all. */
function unreachable(status: number, text: string): Problem {
  return {
    type: 'urn:testing-vouchers:problem:UNREACHABLE',
    title: 'Service unreachable',
    status,
    detail: text || 'The service did not answer',
    instance: '',
    code: 'UNREACHABLE',
    requestId: '',
  };
}

const auth: Middleware = {
  onRequest({ request }) {
    const token = session.get()?.token;
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
  async onResponse({ response }) {
    // an expired or revoked token ends the session; the router then asks to sign in again
    if (response.status === 401 && session.get()) {
      const problem = (await response.clone().json()) as Partial<Problem>;
      endSession(problem.code === 'TOKEN_EXPIRED' ? 'expired' : 'signedOut');
    }
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: '' });
api.use(auth);

/** The data of an answer, or an ApiError with the service's problem+json. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  const problem =
    error && typeof error === 'object' && 'code' in error
      ? (error as Problem)
      : unreachable(response.status, typeof error === 'string' ? error : response.statusText);
  throw new ApiError(problem);
}

/** A fresh key per user action: a retried click replays the first answer instead of acting twice. */
export function idempotencyKey(): { 'Idempotency-Key': string } {
  return { 'Idempotency-Key': crypto.randomUUID() };
}
