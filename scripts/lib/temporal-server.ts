import { execFile, spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from './temporal-cli';

const run = promisify(execFile);

/**
 * The production Temporal server release the project runs (docker-compose.yml names the same one).
 * Releases after it need a newer Go than the machines have.
 */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
const MODULE = 'go.temporal.io/server';
/** a folder per release, so a new release is built beside the old one, never mixed with it */
export const SERVER_TOOLS_DIR = path.join(
  PROJECT_ROOT,
  '.tools',
  `temporal-server-${TEMPORAL_SERVER_VERSION}`,
);

export interface ServerTools {
  /** the server: frontend, history, matching and worker services */
  server: string;
  /** temporal-sql-tool: creates and migrates the server's databases */
  sqlTool: string;
  /** the release's PostgreSQL schema folder (`temporal/versioned`, `visibility/versioned` inside) */
  schemaDir: string;
  source: string;
}

async function executable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function goBinary(): Promise<string | null> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, 'go');
    if (await executable(candidate)) return candidate;
  }
  return null;
}

/** The release's source in the Go module cache (fetched through the module proxy when missing). */
async function moduleDir(go: string): Promise<string> {
  const { stdout } = await run(go, ['mod', 'download', '-json', `${MODULE}@${TEMPORAL_SERVER_VERSION}`], {
    maxBuffer: 4 * 1024 * 1024,
  });
  const { Dir } = JSON.parse(stdout) as { Dir?: string };
  if (!Dir) throw new Error(`go mod download ${MODULE}@${TEMPORAL_SERVER_VERSION} named no folder`);
  return Dir;
}

async function goInstall(go: string, log: (line: string) => void): Promise<void> {
  log(
    `building the Temporal server ${TEMPORAL_SERVER_VERSION} and its sql tool with go install into ${path.relative(PROJECT_ROOT, SERVER_TOOLS_DIR)} (first time only; 10–30 minutes)`,
  );
  await new Promise<void>((resolve, reject) => {
    // nice: a build takes every core it gets, and the machine may be running tests beside it
    const child = spawn(
      'nice',
      [
        '-n',
        '19',
        go,
        'install',
        `${MODULE}/cmd/server@${TEMPORAL_SERVER_VERSION}`,
        `${MODULE}/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`,
      ],
      {
        env: { ...process.env, GOBIN: SERVER_TOOLS_DIR, GOFLAGS: '-mod=mod' },
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`go install of the Temporal server exited with ${code}`)),
    );
  });
}

/**
 * The Temporal server, its sql tool and schema: TEMPORAL_SERVER_PATH, TEMPORAL_SQL_TOOL_PATH and
 * TEMPORAL_SCHEMA_DIR when set, else the project's tools folder, built there with `go install` once.
 * Null when they are not set and there is no Go toolchain to build them.
 */
export async function resolveTemporalServer(log: (line: string) => void): Promise<ServerTools | null> {
  const configured = {
    server: process.env.TEMPORAL_SERVER_PATH,
    sqlTool: process.env.TEMPORAL_SQL_TOOL_PATH,
    schemaDir: process.env.TEMPORAL_SCHEMA_DIR,
  };
  if (configured.server && configured.sqlTool && configured.schemaDir) {
    for (const file of [configured.server, configured.sqlTool]) {
      if (!(await executable(file))) throw new Error(`${file} is not an executable file`);
    }
    return {
      server: configured.server,
      sqlTool: configured.sqlTool,
      schemaDir: configured.schemaDir,
      source: 'TEMPORAL_SERVER_PATH, TEMPORAL_SQL_TOOL_PATH, TEMPORAL_SCHEMA_DIR',
    };
  }
  const go = await goBinary();
  const server = path.join(SERVER_TOOLS_DIR, 'server');
  const sqlTool = path.join(SERVER_TOOLS_DIR, 'sql');
  const built = (await executable(server)) && (await executable(sqlTool));
  if (!built) {
    if (!go) return null;
    await goInstall(go, log);
  }
  if (!go) {
    throw new Error(
      'the Temporal server is built, but without Go its schema cannot be found: set TEMPORAL_SCHEMA_DIR',
    );
  }
  return {
    server,
    sqlTool,
    schemaDir: path.join(await moduleDir(go), 'schema', 'postgresql', 'v12'),
    source: built ? 'project tools folder (.tools)' : 'built with go install into .tools',
  };
}
