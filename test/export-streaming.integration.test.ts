import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillPaidClaims } from '../bench/lib-claims-fill';
import { fillAuditChain } from '../bench/lib-audit-fill';
import { postgresConfig } from '../config/database';
import { SETTLEMENT_PAGE_SIZE } from '../db/repositories/settlement-pages';
import { findChainBreak, GENESIS_HASH, type ChainedAuditEntry } from '../domain/audit';
import { startTestApi, type TestApi } from './support/api';
import { ownDatabase } from './support/own-database';
import { until } from './support/scenarios';
import { uniqueTaskQueue } from './support/worker';

// far more than a local socket buffers between the API and a client that stops reading (a few hundred kB)
const ENTRIES = 20_000;
const CLAIMS = 40_000;
const PAGE = 2_000;

let database: Awaited<ReturnType<typeof ownDatabase>>;
let api: TestApi;
let auditor: string;
let programmeId: string;
/**
 * The same app served on a Unix socket: what a client that stops reading leaves buffered there is the
 * sender's socket buffer, a fixed few hundred kB, where TCP on loopback grows its windows to tens of MB
 * as the kernel's settings allow, so whether the export stopped would depend on the machine.
 */
let socketDir: string;
let socketServer: http.Server;
let socketPath: string;
const requests = new Set<http.ClientRequest>();

beforeAll(async () => {
  database = await ownDatabase('exports');
  const pool = new pg.Pool(postgresConfig(database.url, { max: 2 }));
  try {
    await fillAuditChain(pool, ENTRIES);
    ({ programmeId } = await fillPaidClaims(pool, CLAIMS));
  } finally {
    await pool.end();
  }
  api = await startTestApi({
    taskQueue: uniqueTaskQueue(import.meta.url),
    env: { DATABASE_URL: database.url },
  });
  auditor = (await api.givenUser('AUDITOR')).token;
  socketDir = await mkdtemp(path.join(tmpdir(), 'exports-'));
  socketPath = path.join(socketDir, 'api.sock');
  socketServer = http.createServer(api.app);
  await new Promise<void>((resolve) => socketServer.listen(socketPath, resolve));
});
afterAll(async () => {
  for (const request of requests) request.destroy();
  socketServer?.closeAllConnections();
  await new Promise((resolve) => socketServer?.close(resolve));
  await api?.stop();
  await database?.drop();
  if (socketDir) await rm(socketDir, { recursive: true, force: true });
});

/** Pages the export has read from the database so far, as /metrics counts them. */
async function pagesRead(name: string): Promise<number> {
  const metric = await api.deps.metrics.exportPages.get();
  return metric.values.find((v) => v.labels.export === name)?.value ?? 0;
}

/** A download whose reader the test controls: it reads nothing until told to. */
function download(target: string) {
  const chunks: Buffer[] = [];
  let response: http.IncomingMessage | undefined;
  const request = http.get({ socketPath, path: target, headers: { authorization: `Bearer ${auditor}` } });
  requests.add(request);
  const started = new Promise<http.IncomingMessage>((resolve, reject) => {
    request.on('response', (res) => {
      response = res;
      res.pause();
      resolve(res);
    });
    request.on('error', reject);
  });
  return {
    started,
    /** reads to the end */
    async all(): Promise<string> {
      const res = await started;
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.resume();
      await new Promise((resolve) => res.on('end', resolve));
      return Buffer.concat(chunks).toString('utf8');
    },
    /** reads one chunk, then goes away */
    async leaveAfterFirstChunk(): Promise<void> {
      const res = await started;
      await new Promise<void>((resolve) => {
        res.once('data', () => resolve());
        res.resume();
      });
      request.destroy();
      response?.destroy();
    },
  };
}

/** Waits until the count stops moving for a second, and returns it. */
async function settled(name: string): Promise<number> {
  const { pages } = await until(`the ${name} export to stop reading`, async () => {
    const now = await pagesRead(name);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    return (await pagesRead(name)) === now && { pages: now };
  });
  return pages;
}

describe('an export read by a client that pauses', () => {
  it('stops reading the database while the client does not read, and sends every entry in order once it does', async () => {
    const before = await pagesRead('audit');
    const reader = download('/api/v1/audit/export');
    expect((await reader.started).statusCode).toBe(200);
    const whilePaused = (await settled('audit')) - before;
    const pages = Math.ceil(ENTRIES / PAGE) + 1;
    expect(whilePaused).toBeGreaterThan(0);
    expect(whilePaused).toBeLessThan(pages / 2);

    const text = await reader.all();
    expect((await pagesRead('audit')) - before).toBe(pages);
    const entries = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as ChainedAuditEntry);
    expect(entries.map((e) => Number(e.seq))).toEqual(Array.from({ length: ENTRIES }, (_, i) => i + 1));
    expect(findChainBreak(entries, GENESIS_HASH)).toMatchObject({ break: null, checked: ENTRIES });
  });

  it('stops reading the settlements while the client does not read, and writes every paid claim in the order paid', async () => {
    const before = await pagesRead('settlements');
    const reader = download(`/api/v1/reports/settlements.csv?programmeId=${programmeId}`);
    expect((await reader.started).statusCode).toBe(200);
    const whilePaused = (await settled('settlements')) - before;
    expect(whilePaused).toBeLessThan(Math.ceil(CLAIMS / SETTLEMENT_PAGE_SIZE) / 2);

    const csv = await reader.all();
    const lines = csv
      .replace(/^\ufeff/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toMatch(/^paid_at,/);
    expect(lines).toHaveLength(CLAIMS + 1);
    const claims = await api.db.$queryRaw<{ id: string }[]>`
      SELECT id::text FROM claims WHERE status = 'PAID' ORDER BY paid_at, id`;
    const claimColumn = lines[0]!.split(',').indexOf('claim_id');
    expect(lines.slice(1).map((line) => line.split(',')[claimColumn])).toEqual(claims.map((c) => c.id));
    // the enterprise's name is a formula: written as text
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://x"")"`);
  });
});

describe('an export whose client goes away', () => {
  it('stops reading the database', async () => {
    const before = await pagesRead('audit');
    await download('/api/v1/audit/export').leaveAfterFirstChunk();
    const read = (await settled('audit')) - before;
    expect(read).toBeLessThan(Math.ceil(ENTRIES / PAGE) / 2);
    // and the service goes on answering
    const page = await api.call<{ items: unknown[] }>('GET', '/api/v1/audit?limit=5', { token: auditor });
    expect(page.body.items).toHaveLength(5);
  });
});
