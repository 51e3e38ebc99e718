import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ACTION_ROUTES } from '../bench/lib-latency-targets';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');

interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  n: number;
}

/**
 * The latency benchmark at a tiny setting, as a user runs it: it finishes, and what it prints says, per
 * phase, how long each action that moves a process took. No timing is asserted here (the targets are the
 * benchmark's own verdict, on a quiet machine); only that every action was measured and judged.
 */
describe('npm run bench -- latency', () => {
  it('times every action of the journeys in both phases and judges each against its target', async () => {
    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        'bench/run.ts',
        'latency',
        ...['--duration', '6', '--rate', '0.5', '--capacity', '0.6', '--arrivals', 'fixed'],
        ...['--warmup', '1', '--traces', '2'],
      ],
      { cwd: ROOT, maxBuffer: 16 * 1024 * 1024, timeout: 240_000 },
    );
    const result = JSON.parse(stdout) as {
      benchmark: string;
      machine: { cores: number };
      settings: { phaseSeconds: number };
      capacity: { journeysPerSecond: number };
      phases: Record<
        'idle' | 'halfCapacity',
        {
          failures: number;
          routes: Record<string, Percentiles>;
          actions: Record<string, Percentiles & { targetP95Ms: number; met: boolean }>;
          inProcess?: Record<string, { inProcessMs: Percentiles; medianRun: string[]; slowestRun: string[] }>;
          split: Record<string, Record<string, { p50: number; p95: number }>>;
        }
      >;
      targets: { idleP95Ms: number; halfCapacityP95Ms: number; met: boolean };
    };

    expect(result).toMatchObject({
      benchmark: 'latency',
      settings: { phaseSeconds: 6 },
      capacity: { journeysPerSecond: 0.6 },
      targets: { idleP95Ms: 100, halfCapacityP95Ms: 300 },
    });
    expect(typeof result.targets.met).toBe('boolean');
    expect(result.machine.cores).toBeGreaterThan(0);
    for (const [phase, target] of [
      ['idle', 100],
      ['halfCapacity', 300],
    ] as const) {
      const measured = result.phases[phase];
      expect(measured.failures, phase).toBe(0);
      expect(Object.keys(measured.actions).sort(), phase).toEqual([...ACTION_ROUTES].sort());
      for (const route of ACTION_ROUTES) {
        const action = measured.actions[route]!;
        expect(action.n, `${phase} ${route}`).toBeGreaterThan(0);
        expect(action.p95).toBeGreaterThanOrEqual(action.p50);
        expect(action).toMatchObject({ targetP95Ms: target, met: action.p95 <= target });
        expect(measured.routes[route]).toMatchObject({ n: action.n });
        // the API's own account of the wait (its Server-Timing header): each phase within the whole
        const split = measured.split[route]!;
        expect(Object.keys(split), `${phase} ${route}`).toEqual(
          expect.arrayContaining(['auth', 'limit', 'process', 'other', 'app', 'outside']),
        );
        for (const part of ['auth', 'limit', 'process', 'other'])
          expect(split[part]!.p50, `${phase} ${route} ${part}`).toBeLessThanOrEqual(split.app!.p50);
        expect(split.process!.p50).toBeGreaterThan(0);
        // each request's time in the API is within its time at the client, so the medians are too
        expect(split.app!.p50).toBeLessThanOrEqual(action.p50 + 0.1);
      }
    }
    // where the updates' time went, read from their processes' histories
    const inProcess = result.phases.idle.inProcess!;
    expect(Object.keys(inProcess)).toEqual(
      expect.arrayContaining(['submission', 'decide', 'book', 'confirm', 'accept', 'copayment']),
    );
    expect(inProcess.confirm!.medianRun.at(-1)).toMatch(/workflowExecutionUpdateCompleted$/);
    expect(inProcess.confirm!.slowestRun.at(-1)).toMatch(/workflowExecutionUpdateCompleted$/);
  }, 300_000);
});
