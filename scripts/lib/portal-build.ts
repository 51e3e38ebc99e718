import { stat, readdir } from 'node:fs/promises';
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
  const { build } = await import('vite');
  await build({ configFile: path.join(WEB, 'vite.config.ts'), logLevel: 'warn' });
  say(`portal: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
