import { availableParallelism } from 'node:os';
import type { PasswordJudgement } from '../../domain/password';
import { AppError } from '../errors';
import { TaskTimedOut, threads } from './threads';

export interface PasswordJudge {
  /**
   * `judgePassword` (domain/password.ts) in the judging thread, while the API's event loop goes on
   * serving other requests. A judgement that cannot start or finish within its time is refused with
   * 503 PASSWORD_CHECK_BUSY, and the request changes nothing.
   */
  judge(
    password: string,
    person: { email: string; displayName?: string },
    minimumScore: number,
  ): Promise<PasswordJudgement>;
  /** Starts the thread and loads its dictionaries now, so that the first registration does not wait for them. */
  warm(): void;
  close(): Promise<void>;
}

function busy(): AppError {
  return new AppError(
    'UNAVAILABLE',
    'Too many passwords are being checked at this moment; nothing was changed. Repeat the request shortly.',
    { code: 'PASSWORD_CHECK_BUSY', headers: { 'Retry-After': '1' } },
  );
}

/**
 * Judging a password takes 5–40 ms of uninterrupted work, which in the API's own thread would hold up
 * every other request meanwhile; it runs in a thread of its own instead. The thread starts on first
 * use (or `warm`) and stays, idle, for the life of the process without keeping the process alive:
 * loading the dictionaries takes a few hundred milliseconds.
 */
export function createPasswordJudge(options: {
  /** threads judging at once: one is started with the judge, the others when judgements queue up */
  threads: number;
  /** judgements waiting behind those being made; past this a request is refused at once */
  maxWaiting: number;
  /** how long a judgement may wait and take, in all */
  withinMs: number;
}): PasswordJudge {
  const pool = threads(new URL('./password-judge-thread.ts', import.meta.url), {
    maxThreads: options.threads,
    // a thread started for a burst stays a minute: starting one loads the dictionaries again
    idleTimeoutMs: 60_000,
  });
  // counted here: the pool does not bound the queue of tasks that can be aborted
  let inFlight = 0;
  return {
    async judge(password, person, minimumScore) {
      if (inFlight >= options.threads + options.maxWaiting) throw busy();
      inFlight += 1;
      try {
        return await pool.run<PasswordJudgement>(
          { password, person: { email: person.email, displayName: person.displayName }, minimumScore },
          options.withinMs,
        );
      } catch (error) {
        if (error instanceof TaskTimedOut) throw busy();
        throw error;
      } finally {
        inFlight -= 1;
      }
    },
    warm: () => pool.warm(),
    close: () => pool.close(),
  };
}

/**
 * The API process's judge: a thread per core (up to four), a hundred judgements waiting at most (one
 * to two seconds of work on two cores), each within the time a request waits for a process
 * (`PROCESS_ANSWER_WITHIN`'s default): a burst of registrations on a busy machine is served late, not
 * refused.
 */
export const passwordJudge = createPasswordJudge({
  threads: Math.min(availableParallelism(), 4),
  maxWaiting: 100,
  withinMs: 15_000,
});
