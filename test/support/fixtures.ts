import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

const FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures');
const noop = () => undefined;
const quiet = { log: noop, trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error };

/** Bundles test-only workflows (`test/fixtures/<file>`) apart from the product's; answers the bundle's path. */
export async function bundleFixture(file: string): Promise<{ path: string; code: string }> {
  const { code } = await bundleWorkflowCode({ workflowsPath: path.join(FIXTURES, file), logger: quiet });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vouchers-fixture-'));
  const bundlePath = path.join(dir, `${path.basename(file, '.ts')}.js`);
  await writeFile(bundlePath, code);
  return { path: bundlePath, code };
}
