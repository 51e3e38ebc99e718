import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowsPath } from '../../worker/create-worker';

const noop = () => undefined;
const quiet = { log: noop, trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error };

/**
 * The workflow bundle the worker runs: the one WORKFLOW_BUNDLE_PATH names, or one made now into
 * the data folder. The stack needs its code to know the build id it will make current.
 */
export async function workflowBundle(
  dataDir: string,
  configured: string | undefined,
): Promise<{ path: string; code: string; made: boolean }> {
  if (configured) return { path: configured, code: await readFile(configured, 'utf8'), made: false };
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: quiet });
  const file = path.join(dataDir, 'workflow-bundle.js');
  await writeFile(file, code);
  return { path: file, code, made: true };
}
