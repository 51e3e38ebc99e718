import { spawn } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { databaseName, postgresConfig, withDatabase } from '../../config/database';
import { PROJECT_ROOT } from './temporal-cli';

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Creates the database named in the URL when it does not exist; true when it was created. */
export async function ensureDatabase(url: string): Promise<boolean> {
  const name = databaseName(url);
  const admin = new pg.Client(postgresConfig(withDatabase(url, 'postgres')));
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return false;
    await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
    return true;
  } finally {
    await admin.end();
  }
}

export async function dropDatabase(url: string): Promise<void> {
  const admin = new pg.Client(postgresConfig(withDatabase(url, 'postgres')));
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(databaseName(url))} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

const DONE = /All migrations have been successfully applied|No pending migrations to apply/;

/**
 * `prisma migrate deploy`: applies the committed migrations, downloading nothing. The WebAssembly
 * schema engine keeps a 10-second timer alive after its work is done, so once the CLI has reported
 * the outcome the process is not waited for.
 */
export async function migrateDeploy(url: string, onLine?: (line: string) => void): Promise<void> {
  // the Prisma 6 CLI by its path: Prisma 7's, which generates the client, has a `prisma` command too
  const prisma = path.join(PROJECT_ROOT, 'node_modules', 'prisma', 'build', 'index.js');
  const output: string[] = [];
  let done = false;
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [prisma, 'migrate', 'deploy'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATABASE_URL: url, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        output.push(line);
        onLine?.(line);
        if (DONE.test(line)) {
          done = true;
          setTimeout(() => child.kill('SIGTERM'), 300).unref();
        }
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (!done) throw new Error(`prisma migrate deploy failed (exit ${code}):\n${output.join('\n')}`);
}
