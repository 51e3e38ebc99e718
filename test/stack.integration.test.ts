import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { withDatabase } from '../config/database';
import { SEARCH_ATTRIBUTE_NAMES } from '../infra/search-attributes';
import { dropDatabase } from '../scripts/lib/database';
import { freePort, waitFor } from '../scripts/lib/ports';
import { PROJECT_ROOT } from '../scripts/lib/temporal-cli';

/** Every process below `pid`, read from /proc. */
async function descendants(pid: number): Promise<number[]> {
  const parents = new Map<number, number[]>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length) {
    for (const child of parents.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

const alive = async (pid: number) => {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
};

const databaseUrl = withDatabase(
  inject('services').databaseUrl,
  `vouchers_stack_${process.pid}_${Date.now()}`,
);
let dataDir: string | undefined;

afterAll(async () => {
  await dropDatabase(databaseUrl);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the README’s first command', () => {
  it('starts database, Temporal, SMTP catcher, worker and API, answers /readyz, and Ctrl-C leaves nothing behind', async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'vouchers-stack-'));
    const [apiPort, temporalPort, uiPort, smtpPort, mailPort] = await Promise.all(
      Array.from({ length: 5 }, () => freePort()),
    );
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      API_PORT: String(apiPort),
      PUBLIC_URL: `http://127.0.0.1:${apiPort}`,
      LOCAL_TEMPORAL_PORT: String(temporalPort),
      LOCAL_TEMPORAL_UI_PORT: String(uiPort),
      LOCAL_SMTP_PORT: String(smtpPort),
      LOCAL_MAIL_UI_PORT: String(mailPort),
      TEMPORAL_CLI_PATH: inject('services').temporalCliPath ?? '',
      TEMPORAL_ADDRESS: '',
      SMTP_URL: '',
      LOG_FORMAT: 'json',
    };
    const stack = spawn('sh', ['scripts/start.sh'], {
      cwd: PROJECT_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    stack.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    stack.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => stack.on('exit', (code) => resolve(code)));

    try {
      await waitFor('the stack to report ready', async () => output.includes('press Ctrl-C'), 150_000);
    } catch (error) {
      throw new Error(`${String(error)}\n--- output ---\n${output}`, { cause: error });
    }

    const ready = await fetch(`http://127.0.0.1:${apiPort}/readyz`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { status: string; checks: Record<string, { ok: boolean }> };
    expect(body.status).toBe('ready');
    expect(Object.keys(body.checks).sort()).toEqual(['database', 'smtp', 'temporal']);

    // every choice and address is printed
    expect(output).toContain(`database: DATABASE_URL`);
    expect(output).toContain('database: created');
    expect(output).toMatch(/temporal: local dev server from .* \(TEMPORAL_CLI_PATH\)/);
    expect(output).toContain(`smtp: local mail catcher (MailDev) at smtp://127.0.0.1:${smtpPort}`);
    expect(output).toContain(`http://127.0.0.1:${apiPort}/docs`);
    expect(output).toContain(`Temporal UI    http://127.0.0.1:${uiPort}`);
    expect(output).toContain(`mail           http://127.0.0.1:${mailPort}`);
    // the process search attributes are known and the worker's build is the deployment's current version
    expect(output).toContain('temporal: search attributes present in namespace default');
    const build = /temporal: build (\S+) is the current version of deployment testing-vouchers/.exec(
      output,
    )?.[1];
    expect(build, output).toMatch(/^\d+\.\d+\.\d+-[0-9a-f]{12}$/);
    const connection = await Connection.connect({ address: `127.0.0.1:${temporalPort}` });
    try {
      const { customAttributes } = await connection.operatorService.listSearchAttributes({
        namespace: 'default',
      });
      expect(Object.keys(customAttributes ?? {})).toEqual(expect.arrayContaining(SEARCH_ATTRIBUTE_NAMES));
      const { workerDeploymentInfo } = await connection.workflowService.describeWorkerDeployment({
        namespace: 'default',
        deploymentName: 'testing-vouchers',
      });
      expect(workerDeploymentInfo?.routingConfig?.currentDeploymentVersion?.buildId).toBe(build);
    } finally {
      await connection.close();
    }
    expect(output).toContain('self-test passed');
    // the mail page lists what was caught: the self-test mail
    const caught = (await (await fetch(`http://127.0.0.1:${mailPort}/api/email`)).json()) as {
      subject: string;
    }[];
    expect(caught.some((m) => m.subject.includes('[自检]'))).toBe(true);

    const started = await descendants(stack.pid!);
    expect(started.length).toBeGreaterThanOrEqual(3); // temporal, worker, api

    stack.kill('SIGINT');
    expect(await exited).toBe(0);
    await waitFor(
      'every child to exit',
      async () => !(await Promise.all(started.map(alive))).some(Boolean),
      15_000,
    );
    expect(output).toContain('temporal stopped');
  }, 240_000);
});
