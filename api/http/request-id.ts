import type { Request } from 'express';

/** The id pino-http gave the request (the caller's X-Request-Id when well-formed). */
export function requestIdOf(req: Request): string {
  const id: unknown = req.id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : '';
}
