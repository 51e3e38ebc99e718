import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeHistoryOnce } from './support/histories';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('recorded histories', () => {
  it('are kept per release and never overwritten', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'histories-'));
    const release = path.join(dir, '0.2.0');
    const file = await writeHistoryOnce(release, 'booking-settled', '{"events":[1]}');
    expect(file).toBe(path.join(release, 'booking-settled.json'));

    await expect(writeHistoryOnce(release, 'booking-settled', '{"events":[2]}')).rejects.toThrow(
      /booking-settled\.json exists: recorded histories are never overwritten.*raising the version in package\.json/,
    );
    expect(await readFile(file, 'utf8')).toBe('{"events":[1]}');
    // the next release records beside it
    await writeHistoryOnce(path.join(dir, '0.3.0'), 'booking-settled', '{"events":[3]}');
    expect(await readFile(file, 'utf8')).toBe('{"events":[1]}');
  });
});
