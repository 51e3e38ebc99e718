import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { activitiesByPlace } from '../worker/create-worker';

describe('activities by place', () => {
  const where = (place: string) => ({
    step: async (n: number) => `${place} ${n}`,
  });
  const activities = activitiesByPlace(where('remote'), where('local'));

  it('runs a local activity with the waited steps’ dependencies', async () => {
    const local = new MockActivityEnvironment({ isLocal: true });
    expect(await local.run(activities.step, 1)).toBe('local 1');
  });

  it('runs any other activity with the worker’s own', async () => {
    const remote = new MockActivityEnvironment({ isLocal: false });
    expect(await remote.run(activities.step, 2)).toBe('remote 2');
  });

  it('offers every activity of the set', () => {
    expect(Object.keys(activities)).toEqual(['step']);
  });
});
