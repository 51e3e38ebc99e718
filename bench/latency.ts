/**
 * `npm run bench -- latency [--duration 60] [--rate 0.2] [--capacity J/s] [--capacity-n 40]
 *   [--capacity-concurrency 20] [--arrivals poisson|fixed] [--seed 1] [--warmup 4] [--traces 10]
 *   [--think 0] [--processes separate|one]`
 *
 * How long each click takes: whole voucher journeys through the API (bench/lib-journey-driver.ts),
 * every HTTP request timed by route, in two open-loop phases — idle (journeys started at a low rate,
 * so that they hardly overlap) and half capacity (journeys started at half the journeys/s a short
 * closed-loop phase of the same run reached, or `--capacity`). Prints JSON: the machine, the method,
 * the settings, p50/p95/p99 per route and phase, the targets of the actions that move a process with
 * `met` flags, and where an update's time goes inside its process, read from the event histories.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Client } from '@temporalio/client';
import type { ApiDeps } from '../api/deps';
import type { Db } from '../db/client';
import { bookingWorkflowId } from '../domain/booking';
import {
  businessJourney,
  observeRequests,
  prepare,
  type RequestTiming,
  type Setup,
} from './lib-journey-driver';
import { startJourneyStack } from './lib-journey-stack';
import { measured, runPool, summary } from './lib-measure';
import { benchBundle, measuredShape, startShapeStack } from './lib-shape-stack';
import { summariseTraces, updateTraces, type UpdateTrace } from './lib-update-breakdown';
import { ACTION_ROUTES, TARGET_P95_MS } from './lib-latency-targets';
import { machine, percentiles } from './machine';

const { values: args } = parseArgs({
  args: process.argv.slice(3),
  options: {
    duration: { type: 'string', default: '60' },
    rate: { type: 'string', default: '0.2' },
    capacity: { type: 'string' },
    'capacity-n': { type: 'string', default: '40' },
    'capacity-concurrency': { type: 'string', default: '20' },
    arrivals: { type: 'string', default: 'poisson' },
    seed: { type: 'string', default: '1' },
    warmup: { type: 'string', default: '4' },
    traces: { type: 'string', default: '10' },
    think: { type: 'string', default: '0' },
    'pool-size': { type: 'string', default: '10' },
    'activity-slots': { type: 'string', default: '50' },
    processes: { type: 'string', default: 'separate' },
  },
});
if (!(Number(args.think) >= 0)) throw new Error(`--think is seconds, 0 or more, not ${args.think}`);
if (args.processes !== 'separate' && args.processes !== 'one')
  throw new Error(`--processes is separate or one, not ${args.processes}`);
const settings = {
  phaseSeconds: Number(args.duration),
  idleJourneysPerSecond: Number(args.rate),
  capacityGiven: args.capacity === undefined ? null : Number(args.capacity),
  capacityJourneys: Number(args['capacity-n']),
  capacityConcurrency: Number(args['capacity-concurrency']),
  arrivals: args.arrivals === 'fixed' ? ('fixed' as const) : ('poisson' as const),
  seed: Number(args.seed),
  warmupJourneys: Number(args.warmup),
  tracedJourneys: Number(args.traces),
  thinkSeconds: Number(args.think),
  databasePoolSize: Number(args['pool-size']),
  maxConcurrentActivityTaskExecutions: Number(args['activity-slots']),
  processes: args.processes,
};
const say = (line: string) => console.error(`[bench] ${line}`);

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const route = (t: RequestTiming) => `${t.method} ${t.path.replace(UUID, ':id')}`;

/** mulberry32: the same seed gives the same arrival times. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** When each journey starts, in ms from the phase's start: a fixed interval, or a Poisson process. */
function schedule(rate: number, seconds: number, next: () => number): number[] {
  const at: number[] = [];
  for (let t = 0; ;) {
    t += settings.arrivals === 'fixed' ? 1000 / rate : (-Math.log(1 - next()) * 1000) / rate;
    // at least one journey, so that a short phase at a low rate still measures every action
    if (t >= seconds * 1000) return at.length ? at : [0];
    at.push(t);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** What the phases need of the service under load, however its processes are laid out. */
interface LatencyStack {
  api: ApiDeps;
  db: Db;
  apiUrl: string;
  client: Client;
  /** runs `run`, and says where the CPU went meanwhile */
  measure<T>(run: () => Promise<T>): Promise<{ result: T } & Record<string, unknown>>;
  /** the API process's metrics in Prometheus text (reading them starts the event-loop delay anew) */
  apiMetrics(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * `separate`: the API and the worker each in a process of its own, as `npm start` runs them, the load
 * in this one. `one`: the API, the worker and the load in this process, as the tests run them.
 */
async function startLatencyStack(): Promise<LatencyStack> {
  if (settings.processes === 'one') {
    const stack = await startJourneyStack({ say, ...settings });
    return {
      ...stack,
      measure: (run) => measured({ temporal: stack.temporalPid, smtp: stack.smtpPid }, run),
      apiMetrics: () => stack.api.metrics.registry.metrics(),
    };
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vouchers-bench-latency-'));
  try {
    const stack = await startShapeStack({
      kind: 'dev server',
      workers: 1,
      apis: 1,
      shards: 1,
      poolSize: settings.databasePoolSize,
      bundlePath: await benchBundle(dir),
      say,
    });
    return {
      ...stack,
      measure: (run) => measuredShape(stack, run),
      apiMetrics: async () => {
        const res = await fetch(`${stack.apiUrl}/metrics`, {
          headers: { authorization: `Bearer ${stack.metricsToken}` },
        });
        if (!res.ok) throw new Error(`GET /metrics: ${res.status}`);
        return res.text();
      },
      stop: async () => {
        await stack.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

interface Journeys {
  setup: Setup;
  stack: LatencyStack;
  /** journey numbers, unique over the run */
  next: () => number;
}

/** Journeys started on a schedule, never waiting for earlier ones; the requests of each timed by route. */
async function openLoop(j: Journeys, name: string, rate: number, next: () => number) {
  const starts = schedule(rate, settings.phaseSeconds, next);
  say(`${name}: ${starts.length} journeys at ${rate.toFixed(3)}/s over ${settings.phaseSeconds} s`);
  const timings: RequestTiming[] = [];
  const bookings: string[] = [];
  const failures: string[] = [];
  const lateStartsMs: number[] = [];
  await j.stack.apiMetrics();
  const { result, ...resources } = await j.stack.measure(async () => {
    observeRequests((t) => timings.push(t));
    const t0 = performance.now();
    const running = starts.map(async (at) => {
      await sleep(at - (performance.now() - t0));
      lateStartsMs.push(performance.now() - t0 - at);
      try {
        bookings.push(
          (await businessJourney(j.setup, j.stack.client, j.next(), settings.thinkSeconds * 1000)).bookingId,
        );
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
      }
    });
    await Promise.all(running);
    observeRequests(null);
    return (performance.now() - t0) / 1000;
  });
  const apiEventLoopDelayMs = loopDelayOf(await j.stack.apiMetrics());
  return {
    timings,
    bookings,
    report: {
      journeysPerSecondOffered: rate,
      journeysStarted: starts.length,
      journeysCompleted: bookings.length,
      failures: failures.length,
      firstFailures: [...new Set(failures)].slice(0, 3),
      seconds: Math.round(result * 10) / 10,
      startLatenessMs: percentiles(lateStartsMs),
      apiEventLoopDelayMs,
      ...resources,
    },
  };
}

/**
 * How long the API's event loop was held up during a phase (every request waits while it is):
 * prom-client's histogram of the time between ticks of a 10 ms timer, which each reading of the
 * metrics starts anew; 10 is a loop never held up.
 */
function loopDelayOf(metrics: string): { p99: number; max: number } {
  const seconds = (name: string) => {
    // `name{service="api"} 0.012`
    const value = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(metrics)?.[1];
    if (value === undefined) throw new Error(`the API's metrics have no ${name}`);
    return Math.round(Number(value) * 10_000) / 10;
  };
  return {
    p99: seconds('nodejs_eventloop_lag_p99_seconds'),
    max: seconds('nodejs_eventloop_lag_max_seconds'),
  };
}

function byRoute(timings: RequestTiming[]) {
  const routes = new Map<string, number[]>();
  for (const t of timings) routes.set(route(t), [...(routes.get(route(t)) ?? []), t.ms]);
  return Object.fromEntries([...routes].sort().map(([r, ms]) => [r, percentiles(ms)]));
}

/**
 * Each action's wait split by the API's Server-Timing: p50 and p95 of each phase, and of what the
 * load generator saw beyond the API's own time (the connection, the request and answer in transit).
 */
function splitOf(timings: RequestTiming[]): Record<string, Record<string, { p50: number; p95: number }>> {
  const actions = ACTION_ROUTES.map((r) => {
    const answered = timings.filter((t) => route(t) === r);
    const phases = new Map<string, number[]>();
    const add = (name: string, ms: number) => phases.set(name, [...(phases.get(name) ?? []), ms]);
    for (const t of answered) {
      const inside = Object.entries(t.server);
      for (const [name, ms] of inside) add(name, ms);
      const app = t.server.app;
      if (app !== undefined) {
        add('other', app - inside.filter(([n]) => n !== 'app').reduce((sum, [, ms]) => sum + ms, 0));
        add('outside', t.ms - app);
      }
    }
    const summary = Object.fromEntries(
      [...phases].map(([name, ms]) => {
        const p = percentiles(ms);
        return [name, { p50: Math.round(p.p50 * 10) / 10, p95: Math.round(p.p95 * 10) / 10 }];
      }),
    );
    return [r, summary] as const;
  });
  return Object.fromEntries(actions);
}

function verdict(routes: ReturnType<typeof byRoute>, targetMs: number) {
  const actions = Object.fromEntries(
    ACTION_ROUTES.map((r) => {
      const p = routes[r];
      return [r, { ...(p ?? { n: 0 }), targetP95Ms: targetMs, met: p !== undefined && p.p95 <= targetMs }];
    }),
  );
  return { actions, met: Object.values(actions).every((a) => a.met) };
}

/** Where the updates of some journeys spent their time inside their processes. */
async function breakdown(stack: LatencyStack, bookingIds: string[]) {
  const traces: UpdateTrace[] = [];
  for (const bookingId of bookingIds.slice(0, settings.tracedJourneys)) {
    const booking = await stack.api.repos.bookings.findById(bookingId);
    const voucher = booking && (await stack.api.repos.vouchers.findById(booking.voucherId));
    if (!voucher) continue;
    traces.push(...(await updateTraces(stack.client, voucher.workflowId)));
    traces.push(...(await updateTraces(stack.client, bookingWorkflowId(bookingId))));
  }
  return summariseTraces(traces);
}

async function main() {
  const stack = await startLatencyStack();
  try {
    const setup = await prepare(stack.api, stack.db, stack.apiUrl, 2_000);
    let journey = 0;
    const j: Journeys = { setup, stack, next: () => journey++ };
    say(`warm-up: ${settings.warmupJourneys} journeys`);
    await Promise.all(
      Array.from({ length: settings.warmupJourneys }, () => businessJourney(setup, stack.client, j.next())),
    );

    let capacity: { journeysPerSecond: number; measured: object | null };
    if (settings.capacityGiven !== null) {
      capacity = { journeysPerSecond: settings.capacityGiven, measured: null };
    } else {
      say(`capacity: ${settings.capacityJourneys} journeys, ${settings.capacityConcurrency} at a time`);
      const run = await runPool(settings.capacityJourneys, settings.capacityConcurrency, async () => {
        await businessJourney(setup, stack.client, j.next());
      });
      const measuredRun = summary(run);
      capacity = { journeysPerSecond: measuredRun.journeysPerSecond, measured: measuredRun };
      say(`capacity: ${capacity.journeysPerSecond} journeys/s`);
    }

    const next = random(settings.seed);
    const idle = await openLoop(j, 'idle', settings.idleJourneysPerSecond, next);
    const half = await openLoop(j, 'half capacity', capacity.journeysPerSecond / 2, next);
    const idleRoutes = byRoute(idle.timings);
    const halfRoutes = byRoute(half.timings);
    const idleVerdict = verdict(idleRoutes, TARGET_P95_MS.idle);
    const halfVerdict = verdict(halfRoutes, TARGET_P95_MS.halfCapacity);

    console.log(
      JSON.stringify(
        {
          benchmark: 'latency',
          machine: machine(),
          settings,
          method: [
            settings.processes === 'separate'
              ? 'The API and the worker each run in a process of their own, started as `npm start` starts them (the API reached directly, the worker loading a bundle made for the run); the load runs in this process. PostgreSQL is the local server, Temporal a dev server started for the run (in-memory SQLite), mail an SMTP relay in a child process that keeps nothing.'
              : 'One process runs the API, the worker and the load (as the tests do); PostgreSQL is the local server, Temporal a dev server started for the run (in-memory SQLite), mail an SMTP server in a child process (bench/lib-mail-process.ts).',
            'A journey is the one of `npm run bench -- journeys`: register, confirm the e-mail, login, enterprise, application, decision (an administrator), booking, confirm, sample-received, report, accept, copayment, then waiting for the booking process to finish (claim approved automatically).',
            'Capacity: journeys/s of a closed-loop phase (capacity-n journeys, capacity-concurrency at a time), unless --capacity gives it.',
            'Two open-loop phases, each `duration` seconds of arrivals (Poisson with the seed, or a fixed interval): idle at `rate` journeys/s, then half capacity. A journey starts at its time whatever earlier ones are doing; the phase ends when its last journey has. With --think, each journey of these phases waits that many seconds after every answer before its next click (the capacity phase never waits).',
            'Every HTTP request is timed in the load generator from sending to the whole answer read, and grouped by method and path template; the actions that move a process are held to the targets (p95).',
            "split: each action's wait by the API's Server-Timing header, p50 and p95 per phase: auth (token and session), limit (rate-limit counter), read (the booking or voucher the step is on, before it), match (POST /bookings: the provider's terms and capacity), process (the Temporal call handing the step to its process and waiting for its answer), view (the booking read back for the answer), other (the rest of the API's time: parsing, the application's reads, the report's checks), app (the API's whole time), outside (the load generator's time beyond the API's: connection, transit, reading the answer).",
            "apiEventLoopDelayMs: the API process's event-loop delay over each phase, p99 and max (prom-client's histogram of perf_hooks.monitorEventLoopDelay at 10 ms resolution, read from the API's metrics before and after the phase). Each figure is the time between two ticks of a 10 ms timer: 10 means the loop was never held up, 30 that it was held up for 20 ms, while every request waited.",
            'inProcess: for up to `traces` journeys of the idle phase, each update of the voucher and booking processes from the scheduling of the workflow task that accepted it to its completion, read from the event history (server timestamps); medianRun and slowestRun list the events of the median and the slowest one in ms from that start.',
          ],
          capacity,
          phases: {
            idle: {
              ...idle.report,
              routes: idleRoutes,
              ...idleVerdict,
              split: splitOf(idle.timings),
              inProcess: await breakdown(stack, idle.bookings),
            },
            halfCapacity: {
              ...half.report,
              routes: halfRoutes,
              ...halfVerdict,
              split: splitOf(half.timings),
            },
          },
          targets: {
            idleP95Ms: TARGET_P95_MS.idle,
            halfCapacityP95Ms: TARGET_P95_MS.halfCapacity,
            met: idleVerdict.met && halfVerdict.met,
          },
        },
        null,
        2,
      ),
    );
  } finally {
    await stack.stop();
  }
}

await main();
