import { describe, expect, it } from 'vitest';
import { createMetrics } from '../infra/metrics';

const series = (text: string) =>
  text
    .split('\n')
    .filter((line) => line.startsWith('processes_needing_attention{'))
    .sort();

describe('the processes_needing_attention gauge', () => {
  it('reports the failed and stuck counts at each scrape, counting once for scrapes that meet', async () => {
    const metrics = createMetrics('api');
    let counted = 0;
    let counts = { FAILED: 2, STUCK: 1 };
    metrics.processes.watch(async () => {
      counted += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return counts;
    });
    const [first, second] = await Promise.all([metrics.registry.metrics(), metrics.registry.metrics()]);
    expect(counted).toBe(1);
    expect(series(first)).toEqual([
      'processes_needing_attention{status="FAILED",service="api"} 2',
      'processes_needing_attention{status="STUCK",service="api"} 1',
    ]);
    expect(series(second)).toEqual(series(first));

    counts = { FAILED: 0, STUCK: 0 };
    expect(series(await metrics.registry.metrics())).toEqual([
      'processes_needing_attention{status="FAILED",service="api"} 0',
      'processes_needing_attention{status="STUCK",service="api"} 0',
    ]);
    expect(counted).toBe(2);
  });

  it('drops its series and says why when the counts cannot be made, rather than show stale ones', async () => {
    const errors: unknown[] = [];
    const metrics = createMetrics('api', { onError: (error) => errors.push(error) });
    let reachable = true;
    metrics.processes.watch(async () => {
      if (!reachable) throw new Error('14 UNAVAILABLE: Temporal is down');
      return { FAILED: 3, STUCK: 0 };
    });
    expect(series(await metrics.registry.metrics())).toHaveLength(2);
    reachable = false;
    expect(series(await metrics.registry.metrics())).toEqual([]);
    expect(String(errors[0])).toContain('Temporal is down');
  });
});
