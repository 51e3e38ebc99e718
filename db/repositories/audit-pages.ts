import type pg from 'pg';
import type { Actor, ChainedAuditEntry, JsonValue } from '../../domain/audit';

export interface AuditFilter {
  entityType?: string;
  entityId?: string;
  actorId?: string;
  action?: string;
  from?: Date;
  to?: Date;
}

// the instant as Date.prototype.toISOString writes it (the column keeps milliseconds), written by the
// database: parsing a timestamp and writing it again cost a tenth of a verification's time
const COLUMNS = `seq, id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), actor_id, actor_role, actor_org, action, entity_type, entity_id,
                 before, after, workflow_id, run_id, request_id, prev_hash, hash`;

type Row = [
  string,
  string,
  string,
  string | null,
  string,
  string | null,
  string,
  string,
  string,
  JsonValue | null,
  JsonValue | null,
  string | null,
  string | null,
  string | null,
  string,
  string,
];

/** A row taken as an array (no object per column from the driver) as the entry it stores. */
function toEntry(r: Row): ChainedAuditEntry {
  return {
    seq: r[0],
    id: r[1],
    at: r[2],
    actor: { userId: r[3], role: r[4] as Actor['role'], organisationId: r[5] },
    action: r[6],
    entityType: r[7],
    entityId: r[8],
    before: r[9],
    after: r[10],
    workflowId: r[11],
    runId: r[12],
    requestId: r[13],
    prevHash: r[14],
    hash: r[15],
  };
}

/**
 * How far into the chain a time window lies, read from the (at, seq) index in one round trip: the seq
 * of the first entry stamped at or after `from`, of the first at or after `to`, and of the head. An
 * entry's stamp is taken before its append, so stamps follow seqs only nearly; these figures choose
 * how a page is read, never which entries it holds.
 */
async function windowOf(pool: pg.Pool, from: Date, to: Date | undefined) {
  const { rows } = await pool.query<{ first: string | null; past: string | null; head: string }>({
    text: `SELECT (SELECT seq FROM audit_log WHERE at >= $1 ORDER BY at, seq LIMIT 1)::text AS first,
                  (SELECT seq FROM audit_log WHERE at >= $2::timestamptz ORDER BY at, seq LIMIT 1)::text AS past,
                  (SELECT seq FROM audit_chain WHERE id = 1)::text AS head`,
    values: [from, to ?? null],
  });
  const { first, past, head } = rows[0]!;
  return first === null ? null : { first: BigInt(first), past: BigInt(past ?? head), head: BigInt(head) };
}

/**
 * One page of entries in chain order after `afterSeq`: each filter has an index on (filter, seq), so a
 * page, first or deep, is one index range read. A time window is the exception: walking the chain
 * from the cursor to a window far into it reads every entry before the window (and past it, every
 * entry to the head), which the planner, assuming stamps spread evenly over the chain, does not
 * foresee. When the window holds fewer entries than that walk would pass, the page is taken from the
 * window's entries, read whole from the (at, seq) index and then ordered by seq.
 */
export async function auditPage(
  pool: pg.Pool,
  filter: AuditFilter,
  page: { afterSeq?: bigint; toSeq?: bigint; limit: number },
): Promise<ChainedAuditEntry[]> {
  const values: unknown[] = [];
  const where: string[] = [];
  const add = (sql: (p: string) => string, value: unknown) => {
    values.push(value);
    where.push(sql(`$${values.length}`));
  };
  if (filter.entityType !== undefined) add((p) => `entity_type = ${p}`, filter.entityType);
  if (filter.entityId !== undefined) add((p) => `entity_id = ${p}`, filter.entityId);
  if (filter.actorId !== undefined) add((p) => `actor_id = ${p}`, filter.actorId);
  if (filter.action !== undefined) add((p) => `action = ${p}`, filter.action);
  if (filter.from) add((p) => `at >= ${p}`, filter.from);
  if (filter.to) add((p) => `at < ${p}`, filter.to);
  if (page.afterSeq !== undefined) add((p) => `seq > ${p}`, page.afterSeq.toString());
  if (page.toSeq !== undefined) add((p) => `seq <= ${p}`, page.toSeq.toString());
  const window = filter.from ? await windowOf(pool, filter.from, filter.to) : undefined;
  if (window === null) return [];
  values.push(page.limit);
  const condition = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const limit = `$${values.length}`;
  const text =
    window && windowIsShorter(window, page.afterSeq ?? 0n)
      ? `WITH in_window AS MATERIALIZED (SELECT seq FROM audit_log ${condition})
         SELECT ${COLUMNS} FROM audit_log
          WHERE seq IN (SELECT seq FROM in_window ORDER BY seq LIMIT ${limit})
          ORDER BY seq`
      : `SELECT ${COLUMNS} FROM audit_log ${condition} ORDER BY seq LIMIT ${limit}`;
  const result = await pool.query<Row>({ text, values, rowMode: 'array' });
  return result.rows.map(toEntry);
}

/** Whether reading the whole window passes fewer entries than walking the chain on from `after`. */
function windowIsShorter(window: { first: bigint; past: bigint; head: bigint }, after: bigint): boolean {
  const size = window.past - window.first;
  const walk = after < window.first ? window.first - after : after < window.past ? 0n : window.head - after;
  return size < walk;
}

/**
 * Every entry the filter selects, a page at a time, in chain order. The next page is read only when the
 * consumer asks for it, and the one after that is not read ahead: a paused consumer pauses the reading.
 */
export async function* auditPages(
  pool: pg.Pool,
  filter: AuditFilter,
  options: { afterSeq?: bigint; toSeq?: bigint; pageSize?: number; onPage?: () => void } = {},
): AsyncGenerator<ChainedAuditEntry[]> {
  const limit = options.pageSize ?? 2000;
  let afterSeq = options.afterSeq;
  for (;;) {
    const page = await auditPage(pool, filter, { afterSeq, toSeq: options.toSeq, limit });
    options.onPage?.();
    if (page.length) yield page;
    if (page.length < limit) return;
    afterSeq = BigInt(page[page.length - 1]!.seq);
  }
}
