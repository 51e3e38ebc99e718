import http from 'node:http';
import { readFile } from 'node:fs/promises';
import type pg from 'pg';
import { percentiles } from './machine';

/** Reads of the seeded database through the HTTP API, as administrators and auditors make them. */

export interface Api {
  url: string;
  pid: number;
}

export async function rssMiB(pid: number): Promise<number | null> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => null);
  const kb = status && /VmRSS:\s+(\d+)/.exec(status)?.[1];
  return kb ? Math.round(Number(kb) / 102.4) / 10 : null;
}

export async function signIn(api: Api, email: string, password: string): Promise<string> {
  const response = await fetch(`${api.url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok)
    throw new Error(`sign-in of ${email} answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

export async function getJson<T>(api: Api, token: string, path: string): Promise<T> {
  const response = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

export interface Latency {
  name: string;
  path: string;
  items: number;
  ms: ReturnType<typeof percentiles>;
  targetP95Ms: number;
  met: boolean;
}

/** p50/p95/p99 of `repeat` sequential requests after `warmUp` unmeasured ones; every answer must be 200. */
export async function latency(
  api: Api,
  token: string,
  name: string,
  path: string,
  options: { repeat: number; warmUp: number; targetP95Ms: number },
): Promise<Latency> {
  let items = 0;
  const once = async () => {
    const started = performance.now();
    const response = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const text = await response.text();
    const ms = performance.now() - started;
    if (response.status !== 200)
      throw new Error(`GET ${path} answered ${response.status}: ${text.slice(0, 300)}`);
    const body = JSON.parse(text) as { items?: unknown[] };
    items = Array.isArray(body.items) ? body.items.length : 0;
    return ms;
  };
  for (let i = 0; i < options.warmUp; i += 1) await once();
  const samples: number[] = [];
  for (let i = 0; i < options.repeat; i += 1) samples.push(await once());
  const ms = percentiles(samples);
  return { name, path, items, ms, targetP95Ms: options.targetP95Ms, met: ms.p95 <= options.targetP95Ms };
}

export interface ExportRun {
  reader: 'fast' | 'slow';
  rows: number;
  bytes: number;
  seconds: number;
  rowsPerSecond: number;
  complete: boolean;
  rssMiB: { before: number | null; peak: number | null; growth: number | null };
}

/**
 * Downloads an export while sampling the API process's resident memory every 50 ms. The fast reader
 * takes bytes as they come; the slow one holds the socket to `bytesPerSecond` by pausing it and is cut
 * off after `maxSeconds`.
 */
export async function download(
  api: Api,
  token: string,
  path: string,
  reader: { kind: 'fast' } | { kind: 'slow'; bytesPerSecond: number; maxSeconds: number },
): Promise<ExportRun> {
  const before = await rssMiB(api.pid);
  let peak = before;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const now = await rssMiB(api.pid);
      if (now !== null && (peak === null || now > peak)) peak = now;
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const started = performance.now();
  let bytes = 0;
  let rows = 0;
  let complete = false;
  await new Promise<void>((resolve, reject) => {
    const request = http.get(
      `${api.url}${path}`,
      { headers: { authorization: `Bearer ${token}` } },
      (response) => {
        if (response.statusCode !== 200) {
          reject(new Error(`GET ${path} answered ${response.statusCode}`));
          response.resume();
          return;
        }
        const cutOff =
          reader.kind === 'slow'
            ? setTimeout(() => {
                response.destroy();
                resolve();
              }, reader.maxSeconds * 1000)
            : null;
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) rows += 1;
          if (reader.kind === 'slow') {
            const dueMs = (bytes / reader.bytesPerSecond) * 1000 - (performance.now() - started);
            if (dueMs > 0) {
              response.pause();
              setTimeout(() => response.resume(), dueMs);
            }
          }
        });
        response.on('end', () => {
          complete = true;
          if (cutOff) clearTimeout(cutOff);
          resolve();
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
  });
  const seconds = (performance.now() - started) / 1000;
  sampling = false;
  await sampler;
  return {
    reader: reader.kind,
    rows,
    bytes,
    seconds: Math.round(seconds * 1000) / 1000,
    rowsPerSecond: Math.round(rows / seconds),
    complete,
    rssMiB: {
      before,
      peak,
      growth: before === null || peak === null ? null : Math.round((peak - before) * 10) / 10,
    },
  };
}

/** A cursor to the middle of a list: the row half-way down, in the list's own order. */
export async function middleCursor(
  pool: pg.Pool,
  table: string,
  timeColumn: string,
  where: string,
  params: unknown[],
): Promise<string | null> {
  const {
    rows: [count],
  } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE ${where}`, params);
  const n = Number(count?.n ?? 0);
  if (n < 2) return null;
  const {
    rows: [row],
  } = await pool.query<{ at: Date; id: string }>(
    `SELECT ${timeColumn} AS at, id FROM ${table} WHERE ${where}
      ORDER BY ${timeColumn} DESC, id DESC OFFSET ${Math.floor(n / 2)} LIMIT 1`,
    params,
  );
  return row ? Buffer.from(JSON.stringify([row.at.toISOString(), row.id])).toString('base64url') : null;
}
