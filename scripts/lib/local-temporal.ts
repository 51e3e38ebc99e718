import { spawn, type ChildProcess } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { devServerSearchAttributeArgs } from '../../infra/search-attributes';
import { PROCESS_SEARCH_ATTRIBUTES } from '../../workflows/kit/search-attributes';
import { portInUse, waitFor } from './ports';
import { stopProcess } from './processes';

export interface LocalTemporal {
  address: string;
  uiUrl: string | null;
  pid: number | null;
  stop: () => Promise<void>;
}

export interface LocalTemporalOptions {
  port: number;
  uiPort?: number;
  /** SQLite file to persist to; in memory without it */
  dbFilename?: string;
  onLine?: (line: string) => void;
}

function args(options: LocalTemporalOptions): string[] {
  return [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    ...(options.uiPort ? ['--ui-port', String(options.uiPort)] : ['--headless']),
    ...(options.dbFilename ? ['--db-filename', options.dbFilename] : []),
    '--sqlite-pragma',
    'journal_mode=WAL',
    '--sqlite-pragma',
    'synchronous=OFF',
    // known to a new server; a server persisted before they existed gets them from ensureSearchAttributes
    ...devServerSearchAttributeArgs(),
    '--log-level',
    'warn',
    '--log-format',
    'json',
  ];
}

/** Waits until the frontend answers gRPC, not merely until the port is open. */
async function waitUntilServing(address: string): Promise<void> {
  await waitFor(
    `Temporal at ${address}`,
    async () => {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeNamespace({ namespace: 'default' });
        return true;
      } finally {
        await connection.close();
      }
    },
    90_000,
  );
}

/** Runs `temporal server start-dev` from the given CLI. */
export async function startTemporalDevServer(
  cli: string,
  options: LocalTemporalOptions,
): Promise<LocalTemporal> {
  if (await portInUse(options.port)) {
    throw new Error(
      `port ${options.port} is in use: set TEMPORAL_ADDRESS to use the server there, or LOCAL_TEMPORAL_PORT to start another`,
    );
  }
  const child: ChildProcess = spawn(cli, args(options), { stdio: ['ignore', 'pipe', 'pipe'] });
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) options.onLine?.(line);
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`temporal server start-dev exited with ${code}`))),
  );
  const address = `127.0.0.1:${options.port}`;
  await Promise.race([waitUntilServing(address), exited]);
  exited.catch(() => undefined);
  return {
    address,
    uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}` : null,
    pid: child.pid ?? null,
    stop: () => stopProcess(child),
  };
}

/** The SDK downloads the CLI and runs it; works only with internet access. */
export async function startDownloadedTemporal(options: LocalTemporalOptions): Promise<LocalTemporal> {
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      ip: '127.0.0.1',
      port: options.port,
      ui: Boolean(options.uiPort),
      uiPort: options.uiPort,
      dbFilename: options.dbFilename,
      searchAttributes: Object.values(PROCESS_SEARCH_ATTRIBUTES),
    },
  });
  return {
    address: env.address,
    uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}` : null,
    pid: null,
    stop: () => env.teardown(),
  };
}
