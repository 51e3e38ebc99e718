import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { HISTORIES_DIR } from './support/histories';

/**
 * Workflow histories recorded from real runs (`npm run histories:record`) must replay against the
 * current workflow code: a change that would break workflows already running fails here.
 */
describe('recorded workflow histories replay against the current code', async () => {
  const files = (await readdir(HISTORIES_DIR)).filter((f) => f.endsWith('.json')).sort();

  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  it.each(files)('%s replays without non-determinism', async (file) => {
    const history = historyFromJSON(JSON.parse(await readFile(path.join(HISTORIES_DIR, file), 'utf8')));
    const result = await Worker.runReplayHistory(
      { workflowBundle: { codePath: inject('services').workflowBundlePath } },
      history,
      `replay-${path.basename(file, '.json')}`,
    );
    expect(result).toBeUndefined();
  });
});
