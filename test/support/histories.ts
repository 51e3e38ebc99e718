import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';

export const HISTORIES_DIR = path.resolve(import.meta.dirname, '..', 'histories');

/**
 * With RECORD_HISTORIES=1 (`npm run histories:record`), keeps the history of a workflow a test
 * drove, for the replay test to check later versions of the workflow code against.
 */
export async function recordHistory(client: Client, workflowId: string, name: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  await mkdir(HISTORIES_DIR, { recursive: true });
  await writeFile(path.join(HISTORIES_DIR, `${name}.json`), historyToJSON(history));
}
