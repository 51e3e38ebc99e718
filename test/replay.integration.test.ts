import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { HISTORIES_DIR, historyVersions } from './support/histories';

/**
 * Workflow histories recorded from real runs of every release (`test/histories/<version>/`,
 * `npm run histories:record`) must replay against the current workflow code: a change that would
 * break runs already in flight fails here.
 */
describe('recorded workflow histories of every release replay against the current code', async () => {
  const versions = await historyVersions();
  const files = (
    await Promise.all(
      versions.map(async (version) =>
        (await readdir(path.join(HISTORIES_DIR, version)))
          .filter((f) => f.endsWith('.json'))
          .sort()
          .map((f) => path.join(version, f)),
      ),
    )
  ).flat();

  it('has recorded histories of each release to replay', () => {
    expect(versions.length).toBeGreaterThanOrEqual(1);
    for (const version of versions) {
      expect(files.filter((f) => f.startsWith(`${version}${path.sep}`)).length, version).toBeGreaterThan(0);
    }
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  it.each(files)('%s replays without non-determinism', async (file) => {
    const history = historyFromJSON(JSON.parse(await readFile(path.join(HISTORIES_DIR, file), 'utf8')));
    const result = await Worker.runReplayHistory(
      { workflowBundle: { codePath: inject('services').workflowBundlePath } },
      history,
      `replay-${file.replace(/\.json$/, '').replaceAll(path.sep, '-')}`,
    );
    expect(result).toBeUndefined();
  });
});
