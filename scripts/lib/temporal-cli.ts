import { execFile, spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The newest release whose go.mod has no `replace` directive, so `go install` can build it. */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';
export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..', '..');
export const TOOLS_BIN = path.join(PROJECT_ROOT, '.tools', 'bin');

async function executable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function onPath(name: string): Promise<string | null> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir || dir.includes('node_modules')) continue;
    const candidate = path.join(dir, name);
    if (await executable(candidate)) return candidate;
  }
  return null;
}

export interface CliChoice {
  path: string;
  source: string;
}

/**
 * Finds the Temporal CLI: TEMPORAL_CLI_PATH, then `temporal` on PATH, then the project's tools
 * folder, then builds it there with `go install` (once; minutes). Null when none of these works,
 * in which case the caller may fall back to the SDK's download (needs internet).
 */
export async function resolveTemporalCli(log: (line: string) => void): Promise<CliChoice | null> {
  const configured = process.env.TEMPORAL_CLI_PATH;
  if (configured) {
    if (await executable(configured)) return { path: configured, source: 'TEMPORAL_CLI_PATH' };
    throw new Error(`TEMPORAL_CLI_PATH=${configured} is not an executable file`);
  }
  const fromPath = await onPath('temporal');
  if (fromPath) return { path: fromPath, source: 'PATH' };
  const local = path.join(TOOLS_BIN, 'temporal');
  if (await executable(local)) return { path: local, source: 'project tools folder (.tools/bin)' };

  const go = await onPath('go');
  if (!go) return null;
  log(
    `building the Temporal CLI with go install ${TEMPORAL_CLI_MODULE} into .tools/bin (first time only; a few minutes)`,
  );
  await new Promise<void>((resolve, reject) => {
    const child = spawn(go, ['install', TEMPORAL_CLI_MODULE], {
      env: { ...process.env, GOBIN: TOOLS_BIN, GOFLAGS: '-mod=mod' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`go install exited with ${code}`)),
    );
  });
  if (await executable(local)) return { path: local, source: 'built with go install into .tools/bin' };
  return null;
}

export async function temporalCliVersion(cli: string): Promise<string> {
  const { stdout } = await run(cli, ['--version']);
  return stdout.trim();
}
