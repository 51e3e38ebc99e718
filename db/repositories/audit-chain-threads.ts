import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type pg from 'pg';
import type { ChainCheck, ChainPosition } from '../../domain/audit-verification';
import type { RangeResult, RangeTask } from './audit-chain-worker';

const WORKER = new URL('./audit-chain-worker.ts', import.meta.url).href;
// tsx's loader, given to `--import`, does not reach worker threads before Node 22.14: each thread loads
// its module through tsx's API instead, by its ES module (the CommonJS build's `tsImport` fails there)
const TSX_API = pathToFileURL(
  createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs'),
).href;
const BOOT = `import(${JSON.stringify(TSX_API)})
  .then((tsx) => tsx.tsImport(${JSON.stringify(WORKER)}, ${JSON.stringify(WORKER)}))`;

/**
 * Checks the entries after `from` up to `toSeq` in worker threads, each reading and hashing ranges of
 * `rangeSize` sequence numbers through a connection of its own, while this thread takes their results
 * in chain order: a range's first entry is held to the hash stored with the entry before it, which
 * the range before vouches for, so the first break found in chain order is the one the check in one
 * thread finds, with the same count. `onPage` hears the position after each range, in order.
 */
export async function checkChainInThreads(
  connection: pg.PoolConfig,
  from: ChainPosition,
  toSeq: bigint,
  onPage: (position: ChainPosition) => Promise<void> | void,
  options: { rangeSize: number; threads?: number },
): Promise<ChainCheck> {
  const tasks: RangeTask[] = [];
  for (let after = from.seq; after < toSeq; after += BigInt(options.rangeSize)) {
    const end = after + BigInt(options.rangeSize);
    tasks.push({
      id: tasks.length,
      anchorSeq: from.seq.toString(),
      anchorHash: from.hash,
      afterSeq: after.toString(),
      toSeq: (end < toSeq ? end : toSeq).toString(),
      pageSize: options.rangeSize,
    });
  }
  const threads = Math.min(options.threads ?? Math.min(4, availableParallelism()), tasks.length);
  const workers = Array.from(
    { length: threads },
    () => new Worker(BOOT, { eval: true, workerData: { connection } }),
  );
  const results = new Map<number, RangeResult>();
  let sent = 0;
  let taken = 0;
  const failed: { error?: Error } = {};
  let wake: (() => void) | null = null;
  const woken = () => {
    const resolve = wake;
    wake = null;
    resolve?.();
  };
  // each thread has one range in hand and one waiting, and runs no further ahead of the ordered results
  const send = (worker: Worker) => {
    if (sent < tasks.length && sent < taken + 2 * threads) worker.postMessage(tasks[sent++]);
  };
  const idle: Worker[] = [];
  for (const worker of workers) {
    worker.on('message', (result: RangeResult) => {
      results.set(result.id, result);
      idle.push(worker);
      woken();
    });
    worker.on('error', (error: Error) => {
      failed.error = error;
      woken();
    });
    // a thread that ends by itself before the check does would leave it waiting
    worker.on('exit', (code) => {
      failed.error ??= new Error(`an audit chain thread ended early (exit code ${code})`);
      woken();
    });
    send(worker);
    send(worker);
  }
  let position = from;
  try {
    for (; taken < tasks.length; taken += 1) {
      for (;;) {
        while (idle.length && sent < tasks.length && sent < taken + 2 * threads) send(idle.shift()!);
        if (results.has(taken) || failed.error) break;
        await new Promise<void>((resolve) => (wake = resolve));
      }
      if (failed.error) throw failed.error;
      const result = results.get(taken)!;
      results.delete(taken);
      if ('error' in result) throw new Error(`audit chain check failed: ${result.error}`);
      position = {
        seq: result.lastSeq === null ? position.seq : BigInt(result.lastSeq),
        hash: result.lastHash,
        checked: position.checked + result.checked,
      };
      if (result.break) return { break: result.break, position };
      // a range left empty by deleted entries moves nothing
      if (result.checked) await onPage(position);
    }
    return { break: null, position };
  } finally {
    for (const worker of workers) worker.removeAllListeners('exit');
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
