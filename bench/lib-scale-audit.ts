import { createHash } from 'node:crypto';
import os from 'node:os';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Worker } from 'node:worker_threads';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { GENESIS_HASH } from '../domain/audit';
import { round, type TableTiming } from './lib-scale-copy';
import type { AuditWorld } from './lib-scale-audit-content';
import type { EventLog, Plan } from './lib-scale-plan';
import { START, DAY, type Counts } from './lib-scale-world';

const CHUNK = 5_000;

/** Shares a typed array's first `length` elements with the workers. */
function shared<A extends Float64Array | Uint8Array | Uint32Array>(array: A, length: number): A {
  const Ctor = array.constructor as new (buffer: SharedArrayBuffer) => A;
  const copy = new Ctor(new SharedArrayBuffer(length * array.BYTES_PER_ELEMENT));
  copy.set(array.subarray(0, length));
  return copy;
}

/** The events in the order they happened (ties by the order they were planned). */
function chronological(events: EventLog): Uint32Array {
  const n = events.length;
  const slots = 2 ** Math.ceil(Math.log2(Math.max(2, n)));
  const base = START - 1000 * DAY;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    const seconds = Math.floor((events.at[i]! - base) / 1000);
    const key = seconds * slots + i;
    if (!Number.isSafeInteger(key)) throw new Error('too many audit events to order exactly');
    keys[i] = key;
  }
  keys.sort();
  const order = new Uint32Array(new SharedArrayBuffer(n * 4));
  for (let i = 0; i < n; i += 1) order[i] = keys[i]! % slots;
  return order;
}

/**
 * Writes the audit log: every planned event as an entry in the order it happened, hashed onto the one
 * before it exactly as `appendAudit` does (SHA-256 of the RFC 8785 text with the previous hash in
 * place), rendered in worker threads and chained here, then the chain's head row set to the last one.
 */
export async function seedAudit(options: {
  pool: pg.Pool;
  seed: number;
  counts: Counts;
  events: EventLog;
  plan: Plan;
  say: (line: string) => void;
}): Promise<TableTiming & { workers: number; orderSeconds: number }> {
  const { events, plan } = options;
  const started = performance.now();
  const n = events.length;
  const order = chronological(events);
  const orderSeconds = round((performance.now() - started) / 1000);
  options.say(`audit: ${n} events ordered in ${orderSeconds} s`);
  const world: AuditWorld = {
    seed: options.seed,
    counts: options.counts,
    budgets: plan.budgets,
    batchProgramme: plan.batches.map((b) => b.programme),
    batchMonth: plan.batches.map((b) => b.month),
    batchTotal: plan.batches.map((b) => b.totalFen),
    transferBatch: plan.transfers.map((t) => t.batch),
    transferProvider: plan.transfers.map((t) => t.provider),
    transferAmount: plan.transfers.map((t) => t.amountFen),
    transferClaims: plan.transfers.map((t) => t.claims),
  };
  const data = {
    world,
    order,
    at: shared(events.at, n),
    kind: shared(events.kind, n),
    a: shared(events.a, n),
    b: shared(events.b, n),
  };
  const workerCount = Math.max(1, Math.min(2, os.cpus().length));
  const workers = Array.from(
    { length: workerCount },
    () =>
      new Worker(new URL('./lib-scale-audit-worker.ts', import.meta.url), {
        workerData: data,
        execArgv: ['--import', 'tsx'],
      }),
  );
  // A worker's failure rejects every chunk still awaited; nothing waits on a promise that never settles,
  // which would keep each awaited chunk's text reachable until the end.
  const pending = new Map<number, { resolve: (text: string) => void; reject: (error: Error) => void }>();
  let failure: Error | undefined;
  for (const worker of workers) {
    worker.on('message', ({ id, text }: { id: number; text: string }) => pending.get(id)?.resolve(text));
    worker.on('error', (error: Error) => {
      failure ??= error;
      for (const waiting of pending.values()) waiting.reject(error);
      pending.clear();
    });
  }
  const request = (id: number) =>
    new Promise<string>((resolve, reject) => {
      if (failure !== undefined) return reject(failure);
      pending.set(id, { resolve, reject });
      workers[id % workerCount]!.postMessage({ id, from: id * CHUNK, to: Math.min(n, (id + 1) * CHUNK) });
    });

  const client = await options.pool.connect();
  let prev = GENESIS_HASH;
  let prevOfLast = GENESIS_HASH;
  async function* rows() {
    const chunks = Math.ceil(n / CHUNK);
    const ahead = workerCount * 3;
    const inFlight: Promise<string>[] = [];
    const ask = (id: number) => {
      const text = request(id);
      text.catch(() => undefined); // awaited in turn; a copy that stopped early leaves the rest unawaited
      inFlight.push(text);
    };
    for (let id = 0; id < Math.min(chunks, ahead); id += 1) ask(id);
    for (let id = 0; id < chunks; id += 1) {
      const text = await inFlight.shift()!;
      pending.delete(id);
      if (id + ahead < chunks) ask(id + ahead);
      let out = '';
      let seq = id * CHUNK;
      for (const line of text.split('\n')) {
        const [cells, before, after] = line.split('\u0000') as [string, string, string];
        seq += 1;
        const hash = createHash('sha256')
          .update(before + prev + after, 'utf8')
          .digest('hex');
        out += `${seq}\t${cells}\t${prev}\t${hash}\n`;
        prevOfLast = prev;
        prev = hash;
      }
      yield out;
      if (id % 200 === 199) options.say(`audit: ${seq} of ${n} entries`);
    }
  }
  try {
    await client.query('SET synchronous_commit = off');
    const copy = copyFrom(
      `COPY audit_log (seq, id, at, actor_id, actor_role, actor_org, action, entity_type, entity_id, before, after,
                       workflow_id, run_id, request_id, prev_hash, hash) FROM STDIN`,
    );
    await pipeline(Readable.from(rows()), client.query(copy));
    await client.query('UPDATE audit_chain SET seq = $1, prev_hash = $2, hash = $3 WHERE id = 1', [
      n,
      prevOfLast,
      prev,
    ]);
  } finally {
    client.release();
    await Promise.all(workers.map((w) => w.terminate()));
  }
  const seconds = (performance.now() - started) / 1000;
  options.say(`audit_log: ${n} rows in ${round(seconds)} s`);
  return {
    table: 'audit_log',
    rows: n,
    seconds: round(seconds),
    rowsPerSecond: Math.round(n / seconds),
    workers: workerCount,
    orderSeconds,
  };
}
