import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestHandler, Response } from 'express';

/**
 * Where a request's time went, told to the caller in a `Server-Timing` header (W3C Server Timing):
 * `auth` (the token and its session), `limit` (the rate-limit counter), `process` (the Temporal call
 * that hands a step to its process and waits for its answer) and `app` (everything from the request's
 * arrival to its answer, the others included); a booking's steps add `read` (the booking or voucher
 * before the step), `match` (a new booking's provider terms) and `view` (the booking read back).
 * Browsers show it in their developer tools; the latency benchmark reads it to split each action's wait.
 */
interface Timing {
  started: number;
  phases: Map<string, number>;
}

const current = new AsyncLocalStorage<Timing>();

/** Starts a request's timing; everything the request awaits after it can add a phase. */
export function startServerTiming(): RequestHandler {
  return (_req, res, next) => {
    const timing: Timing = { started: performance.now(), phases: new Map() };
    res.locals.serverTiming = timing;
    current.run(timing, next);
  };
}

/** Runs `work`, adding its time to the current request's `phase` (when there is a request). */
export async function timed<T>(phase: string, work: () => Promise<T>): Promise<T> {
  const timing = current.getStore();
  if (!timing) return work();
  const started = performance.now();
  try {
    return await work();
  } finally {
    timing.phases.set(phase, (timing.phases.get(phase) ?? 0) + performance.now() - started);
  }
}

/** Sets the header from what was timed so far; called just before the answer's head is written. */
export function setServerTiming(res: Response): void {
  const timing = res.locals.serverTiming as Timing | undefined;
  if (!timing || res.headersSent) return;
  const entries = [...timing.phases, ['app', performance.now() - timing.started] as const];
  res.setHeader('Server-Timing', entries.map(([name, ms]) => `${name};dur=${ms.toFixed(1)}`).join(', '));
}
