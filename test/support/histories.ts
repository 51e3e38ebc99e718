import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { packageVersion } from '../../worker/versioning';

/** One folder per release (`test/histories/<version>/`): what runs of that release did. */
export const HISTORIES_DIR = path.resolve(import.meta.dirname, '..', 'histories');

/**
 * Writes a history that must not exist yet: a release's recordings are what its runs did, and a
 * later build that cannot replay them must fail the replay test, not quietly re-record them.
 */
export async function writeHistoryOnce(dir: string, name: string, json: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  try {
    await writeFile(file, json, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new Error(
        `${path.relative(process.cwd(), file)} exists: recorded histories are never overwritten. ` +
          'Record a new release’s histories after raising the version in package.json.',
        { cause: error },
      );
    }
    throw error;
  }
  return file;
}

/** Every release folder, oldest name first. */
export async function historyVersions(root = HISTORIES_DIR): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/**
 * With RECORD_HISTORIES=1 (`npm run histories:record`), keeps the history of a workflow a test
 * drove under the package's version, for the replay test to check later builds against.
 */
export async function recordHistory(client: Client, workflowId: string, name: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  await writeHistoryOnce(path.join(HISTORIES_DIR, await packageVersion()), name, historyToJSON(history));
}
