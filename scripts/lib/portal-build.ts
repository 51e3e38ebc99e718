import { spawn } from 'node:child_process';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_ROOT } from './temporal-cli';

const WEB = path.join(PROJECT_ROOT, 'web');
const BUILT = path.join(WEB, 'dist', 'index.html');
/** What the portal is built from: its own sources, the domain rules it shares, the locked packages. */
const INPUTS = [
  'web/src',
  'web/public',
  'web/index.html',
  'web/vite.config.ts',
  'domain',
  'package-lock.json',
];

async function newestChange(entry: string): Promise<number> {
  const info = await stat(entry).catch(() => null);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  const children = await readdir(entry);
  const times = await Promise.all(children.map((child) => newestChange(path.join(entry, child))));
  return Math.max(info.mtimeMs, ...times);
}

/** Whether `web/dist` is missing or older than anything it is built from. */
export async function portalOutOfDate(): Promise<boolean> {
  const built = await stat(BUILT).catch(() => null);
  if (!built) return true;
  const inputs = await Promise.all(INPUTS.map((input) => newestChange(path.join(PROJECT_ROOT, input))));
  return Math.max(...inputs) > built.mtimeMs;
}

/** Builds the portal into `web/dist` when it is missing or out of date; says which. */
export async function ensurePortalBuilt(say: (line: string) => void): Promise<void> {
  if (!(await portalOutOfDate())) {
    say('portal: web/dist is up to date');
    return;
  }
  say('portal: building web/dist (vite build)…');
  const started = Date.now();
  // built beside the served copy and swapped in, so that a build running at the same time as another (two test
  // tiers) or as a server reading web/dist never leaves a half-written folder in place
  const fresh = path.join(WEB, `dist.building-${process.pid}`);
  const old = path.join(WEB, `dist.old-${process.pid}`);
  // a process of its own with NODE_ENV=production: a test runner's NODE_ENV=test would give a development build
  await run(process.execPath, [
    path.join(PROJECT_ROOT, 'node_modules/vite/bin/vite.js'),
    'build',
    '--config',
    path.join(WEB, 'vite.config.ts'),
    '--outDir',
    fresh,
    '--logLevel',
    'warn',
  ]);
  await rename(path.join(WEB, 'dist'), old).catch(() => undefined);
  await rename(fresh, path.join(WEB, 'dist'));
  await rm(old, { recursive: true, force: true });
  say(`portal: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: PROJECT_ROOT,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`vite build exited with code ${code}`)),
    );
  });
}
