import { Piscina } from 'piscina';

/**
 * Threads for work that would hold the API's event loop (judging a password, reading a PDF): started
 * on first use, or by `warm`, and kept; each task given up when its time is up, its thread then ended
 * by the pool. The thread's module is TypeScript that Node runs itself (type stripping): a loader
 * inherited from the parent would stall dynamic imports in the thread, so none is passed on.
 */
export interface Threads {
  /** the module's default export, run on `task` in a thread; throws `TaskTimedOut` after `withinMs` */
  run<R>(task: unknown, withinMs: number): Promise<R>;
  warm(): void;
  close(): Promise<void>;
}

/** A task that could not start and finish within its time. */
export class TaskTimedOut extends Error {
  constructor(withinMs: number) {
    super(`the task did not finish within ${withinMs} ms`);
    this.name = 'TaskTimedOut';
  }
}

export function threads(
  module: URL,
  options: {
    maxThreads: number;
    /** how long a thread beyond the first stays once idle */
    idleTimeoutMs?: number;
    maxOldGenerationSizeMb?: number;
  },
): Threads {
  let pool: Piscina | null = null;
  const started = () => {
    if (pool) return pool;
    pool = new Piscina({
      filename: module.href,
      minThreads: 1,
      maxThreads: options.maxThreads,
      ...(options.idleTimeoutMs === undefined ? {} : { idleTimeout: options.idleTimeoutMs }),
      ...(options.maxOldGenerationSizeMb === undefined
        ? {}
        : { resourceLimits: { maxOldGenerationSizeMb: options.maxOldGenerationSizeMb } }),
      execArgv: [],
    });
    // a thread that fails while no task is running (a replacement that cannot start) fails the next task
    pool.on('error', () => {});
    return pool;
  };
  return {
    async run<R>(task: unknown, withinMs: number): Promise<R> {
      try {
        return (await started().run(task, { signal: AbortSignal.timeout(withinMs) })) as R;
      } catch (error) {
        const name = error instanceof Error ? error.name : '';
        if (name === 'AbortError' || name === 'TimeoutError') throw new TaskTimedOut(withinMs);
        throw error;
      }
    },
    warm() {
      started();
    },
    async close() {
      const running = pool;
      pool = null;
      await running?.close({ force: true });
    },
  };
}
