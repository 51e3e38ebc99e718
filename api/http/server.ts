import { createServer, type Server } from 'node:http';
import type { Express } from 'express';
import type { Env } from '../../config/env';
import { durationMs } from '../../domain/duration';

/** How often Node looks for requests past their deadline: a slow request is cut off within this of it. */
export const TIMEOUT_CHECK_EVERY_MS = 1_000;

/**
 * The API's HTTP server. A client gets `HEADERS_TIMEOUT` to send a request's headers and
 * `REQUEST_TIMEOUT` for the whole request, body included (a report upload too); past either Node
 * answers 408 and closes the connection, at most `TIMEOUT_CHECK_EVERY_MS` later. A slow or stalled
 * sender therefore holds a connection for seconds, not the five minutes Node allows by default.
 * The deadline ends when the request has arrived: a handler's own work is bounded elsewhere
 * (`PROCESS_ANSWER_WITHIN`).
 */
export function createHttpServer(
  app: Express,
  env: Pick<Env, 'HEADERS_TIMEOUT' | 'REQUEST_TIMEOUT'>,
): Server {
  return createServer(
    {
      headersTimeout: durationMs(env.HEADERS_TIMEOUT),
      requestTimeout: durationMs(env.REQUEST_TIMEOUT),
      connectionsCheckingInterval: TIMEOUT_CHECK_EVERY_MS,
    },
    app,
  );
}
