import { spawn, type ChildProcess } from 'node:child_process';
import { inject } from 'vitest';
import { PROJECT_ROOT } from '../../scripts/lib/temporal-cli';
import { TEST_JWT_SECRET } from './api';

const running = new Set<ChildProcess>();

/** The worker or the API as a process of its own, started the way production starts them. */
export function launch(
  entry: 'worker/main.ts' | 'api/main.ts',
  taskQueue: string,
  extra: Record<string, string> = {},
): ChildProcess {
  const services = inject('services');
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.CHILD_LOG_LEVEL ?? 'warn',
      DATABASE_URL: services.databaseUrl,
      TEMPORAL_ADDRESS: services.temporalAddress,
      TEMPORAL_TASK_QUEUE: taskQueue,
      WORKFLOW_BUNDLE_PATH: services.workflowBundlePath,
      SMTP_URL: services.smtpUrl,
      PUBLIC_URL: 'http://vouchers.test',
      JWT_SECRET: TEST_JWT_SECRET,
      ESCALATION_EMAILS: 'supervisor@vouchers.test',
      RATE_LIMIT_WRITES_PER_MINUTE: '100000',
      ...extra,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** SIGKILL: the process gets no chance to finish anything. */
export function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

export async function killAll(): Promise<void> {
  for (const child of [...running]) await kill(child);
}
