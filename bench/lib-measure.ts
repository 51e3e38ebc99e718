import { readFile } from 'node:fs/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { percentiles } from './machine';

/** Runs `count` tasks, at most `width` at a time: the time of each, the failures, the wall time. */
export async function runPool(count: number, width: number, task: (i: number) => Promise<void>) {
  const times: number[] = [];
  const failures: string[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(width, count) }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        try {
          await task(i);
          times.push(performance.now() - t0);
        } catch (error) {
          failures.push(error instanceof Error ? error.message : String(error));
        }
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, times, failures };
}

/** Busy and total CPU time of the whole machine (all cores), from /proc/stat, in seconds. */
export async function machineCpu(): Promise<{ busy: number; total: number } | null> {
  const stat = await readFile('/proc/stat', 'utf8').catch(() => null);
  const fields = stat?.split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number);
  if (!fields) return null;
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: (total - idle) / 100, total: total / 100 };
}

export async function processCpu(pid: number | null): Promise<number | null> {
  if (!pid) return null;
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields ? (Number(fields[11]) + Number(fields[12])) / 100 : null;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Where the CPU went while `run` ran: this process (API, worker, load), the Temporal server, the
 * SMTP server, the whole machine (PostgreSQL and anything else running on it included), and how
 * late this process's event loop ran its callbacks.
 */
export async function measured<T>(
  pids: { temporal: number | null; smtp: number | null },
  run: () => Promise<T>,
) {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  const own = process.cpuUsage();
  const [temporal, smtp, machine] = [
    await processCpu(pids.temporal),
    await processCpu(pids.smtp),
    await machineCpu(),
  ];
  loop.enable();
  const result = await run();
  loop.disable();
  const ownAfter = process.cpuUsage(own);
  const [temporalAfter, smtpAfter, machineAfter] = [
    await processCpu(pids.temporal),
    await processCpu(pids.smtp),
    await machineCpu(),
  ];
  const spent = (before: number | null, after: number | null) =>
    before === null || after === null ? null : round(after - before);
  return {
    result,
    cpu: {
      benchProcessSeconds: round((ownAfter.user + ownAfter.system) / 1e6),
      temporalServerSeconds: spent(temporal, temporalAfter),
      smtpServerSeconds: spent(smtp, smtpAfter),
      machineBusySeconds: machine && machineAfter ? round(machineAfter.busy - machine.busy) : null,
      machineCapacitySeconds: machine && machineAfter ? round(machineAfter.total - machine.total) : null,
    },
    eventLoopDelayMs: { p50: round(loop.percentile(50) / 1e6), p99: round(loop.percentile(99) / 1e6) },
  };
}

export function summary(result: Awaited<ReturnType<typeof runPool>>) {
  return {
    journeys: result.times.length,
    failures: result.failures.length,
    firstFailures: [...new Set(result.failures)].slice(0, 3),
    seconds: round(result.seconds),
    journeysPerSecond: round(result.times.length / result.seconds),
    journeyMs: percentiles(result.times),
  };
}
