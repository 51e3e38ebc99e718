import { randomBytes, randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { ConfigError } from '../../config/env';
import { makeVersionCurrent } from '../../infra/worker-deployment';
import type { selfTest as selfTestWorkflow } from '../../workflows/self-test';

const tty = process.stdout.isTTY;
export const colour = (code: number, text: string) => (tty ? `\x1b[${code}m${text}\x1b[0m` : text);
const TAGS: Record<string, number> = { stack: 36, api: 32, worker: 35, temporal: 33, mail: 34, front: 36 };

/** One line of a local stack's output, tagged with its source (`api-2` is coloured as `api`). */
export function log(source: string, line: string): void {
  const time = new Date().toISOString().slice(11, 23);
  const colourOf = TAGS[source] ?? TAGS[source.replace(/-\d+$/, '')] ?? 37;
  console.log(`${colour(90, time)} ${colour(colourOf, `[${source}]`.padEnd(10))} ${line}`);
}

export const numberFrom = (name: string, fallback: number, what: 'port' | 'count' = 'port') => {
  const value = process.env[name];
  if (!value) return fallback;
  const n = Number(value);
  const max = what === 'port' ? 65535 : 64;
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new ConfigError([
      `${name}: must be ${what === 'port' ? 'a port number' : `a whole number from 1 to ${max}`}`,
    ]);
  return n;
};

/** A secret kept in the data folder (owner-only), made on the first start and reused after. */
export async function keptSecret(dataDir: string, name: string): Promise<string> {
  const file = path.join(dataDir, name);
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const secret = randomBytes(48).toString('base64url');
    await writeFile(file, `${secret}\n`, { mode: 0o600 });
    return secret;
  }
}

/**
 * Once its worker polls, the build becomes the deployment's current version: new runs and
 * AUTO_UPGRADE runs go to it. PINNED runs of the build before finish only on a worker of that build.
 */
export async function makeCurrent(
  client: Client,
  version: { deploymentName: string; buildId: string },
  say: (line: string) => void,
  by: string,
): Promise<void> {
  const before = await makeVersionCurrent(client, version, by);
  say(`temporal: build ${version.buildId} is the current version of deployment ${version.deploymentName}`);
  if (before && before !== version.buildId) {
    const query = `TemporalWorkerDeploymentVersion="${version.deploymentName}:${before}" AND ExecutionStatus="Running"`;
    const { count } = await client.workflow.count(query);
    if (count > 0) {
      say(
        `  ${count} run(s) pinned to build ${before} (payout batches, programme setups, self-tests) wait for a worker of that build: temporal workflow list --query '${query}'`,
      );
    }
  }
}

/** Runs the self-test workflow: proof that worker, database and mail are connected. */
export async function selfTest(
  client: Client,
  taskQueue: string,
  recipient: string,
  say: (line: string) => void,
): Promise<void> {
  const runId = `startup-${randomUUID()}`;
  const result = await client.workflow.execute<typeof selfTestWorkflow>('selfTest', {
    taskQueue,
    workflowId: `self-test/${runId}`,
    args: [{ runId, recipient }],
    workflowExecutionTimeout: '2 minutes',
  });
  say(`self-test passed: workflow → database → mail to ${recipient} (${result.mailedAt})`);
}

/**
 * What a stack started, stopped in reverse order once: on Ctrl-C (and SIGTERM, SIGHUP), or when the
 * stack gives up. `stopping()` tells a supervisor not to start again what is being stopped.
 */
export function stackParts(say: (line: string) => void) {
  const started: { name: string; stop(): Promise<void> }[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    for (const part of [...started].reverse()) {
      await part.stop().catch((error: unknown) => say(`${part.name} did not stop cleanly: ${String(error)}`));
      say(`${part.name} stopped`);
    }
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stopAll(0));
  return { started, stopAll, stopping: () => stopping };
}

/**
 * Once the workers poll: makes their build current when they are versioned, then runs the
 * self-test through them, over a connection of its own.
 */
export async function proveWorkers(
  temporal: { address: string; namespace: string },
  env: {
    WORKER_VERSIONING: string;
    TEMPORAL_DEPLOYMENT_NAME: string;
    TEMPORAL_TASK_QUEUE: string;
    OPS_EMAIL: string;
  },
  buildId: string,
  say: (line: string) => void,
  by: string,
): Promise<void> {
  const connection = await Connection.connect({ address: temporal.address });
  try {
    const client = new Client({ connection, namespace: temporal.namespace });
    if (env.WORKER_VERSIONING === 'true') {
      await makeCurrent(client, { deploymentName: env.TEMPORAL_DEPLOYMENT_NAME, buildId }, say, by);
    }
    await selfTest(client, env.TEMPORAL_TASK_QUEUE, env.OPS_EMAIL, say);
  } finally {
    await connection.close();
  }
}
