import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
import { findChainBreak, type ChainBreak } from '../../domain/audit';
import { auditPage } from './audit-pages';

/**
 * One range of the chain to check, `(afterSeq, toSeq]`. Its first entry must link to the hash stored
 * with the last entry before the range, back to `anchorSeq`; to `anchorHash` when there is none, as
 * the check in one thread would have it.
 */
export interface RangeTask {
  id: number;
  anchorSeq: string;
  anchorHash: string;
  afterSeq: string;
  toSeq: string;
  pageSize: number;
}

export type RangeResult =
  | { id: number; break: ChainBreak | null; lastSeq: string | null; lastHash: string; checked: number }
  | { id: number; error: string };

const pool = new pg.Pool({ ...(workerData as { connection: pg.PoolConfig }).connection, max: 1 });

async function linkOf(task: RangeTask): Promise<string> {
  if (task.afterSeq === task.anchorSeq) return task.anchorHash;
  const { rows } = await pool.query<{ hash: string }>(
    'SELECT hash FROM audit_log WHERE seq > $1 AND seq <= $2 ORDER BY seq DESC LIMIT 1',
    [task.anchorSeq, task.afterSeq],
  );
  return rows[0]?.hash ?? task.anchorHash;
}

async function checkRange(task: RangeTask): Promise<RangeResult> {
  let lastHash = await linkOf(task);
  let lastSeq: string | null = null;
  let checked = 0;
  let afterSeq = BigInt(task.afterSeq);
  const toSeq = BigInt(task.toSeq);
  while (afterSeq < toSeq) {
    const page = await auditPage(pool, {}, { afterSeq, toSeq, limit: task.pageSize });
    const result = findChainBreak(page, lastHash);
    checked += result.checked;
    if (result.checked) lastSeq = page[result.checked - 1]!.seq;
    lastHash = result.lastHash;
    if (result.break || page.length < task.pageSize) {
      return { id: task.id, break: result.break, lastSeq, lastHash, checked };
    }
    afterSeq = BigInt(page[page.length - 1]!.seq);
  }
  return { id: task.id, break: null, lastSeq, lastHash, checked };
}

parentPort!.on('message', (task: RangeTask) => {
  checkRange(task).then(
    (result) => parentPort!.postMessage(result),
    (error: unknown) => parentPort!.postMessage({ id: task.id, error: String(error) }),
  );
});
