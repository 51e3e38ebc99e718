/**
 * `npm run bench -- journeys [--n 500] [--concurrency N] [--warmup 8] [--pool-size 10] [--activity-slots 50]`
 * `npm run bench -- journeys --cluster [--n 100] [--workers 2] [--apis 2] [--shards 4]`: the production
 * shape on the dev server and on the production server on PostgreSQL, side by side (bench/lib-cluster-bench.ts).
 *
 * Whole voucher journeys through the API — SME registration, application, approval by a scripted
 * administrator, booking at a listed lab, confirmation, samples, report, acceptance, co-payment and
 * the claim's automatic approval — then, on the same Temporal server, as many runs of a bare
 * workflow with the journeys' own counts of activities, updates and timers and no business.
 * Prints JSON: the machine, the method, journeys per second and p50/p95 journey time of each, and
 * their ratio.
 */
import { parseArgs } from 'node:util';
import { bookingWorkflowId, settlementWorkflowId } from '../domain/booking';
import { barePlan, bareJourney, bareProcessIds, startBareWorker } from './lib-bare-driver';
import type { BarePlan } from './lib-bare-workflow';
import { countHistory, type ProcessCounts } from './lib-history-counts';
import { compareOnCluster } from './lib-cluster-bench';
import { businessJourney, claimApproved, prepare } from './lib-journey-driver';
import { startJourneyStack, type JourneyStack } from './lib-journey-stack';
import { measured, runPool, summary } from './lib-measure';
import { machine } from './machine';

const { values: args } = parseArgs({
  args: process.argv.slice(3),
  options: {
    n: { type: 'string', default: '500' },
    concurrency: { type: 'string' },
    warmup: { type: 'string', default: '8' },
    'pool-size': { type: 'string', default: '10' },
    'activity-slots': { type: 'string', default: '50' },
    cluster: { type: 'boolean', default: false },
    workers: { type: 'string', default: '2' },
    apis: { type: 'string', default: '2' },
    shards: { type: 'string', default: '4' },
  },
});
const n = Number(args.n);
const concurrency = Number(args.concurrency ?? args.n);
const warmup = Number(args.warmup);
const settings = {
  databasePoolSize: Number(args['pool-size']),
  maxConcurrentActivityTaskExecutions: Number(args['activity-slots']),
};
const say = (line: string) => console.error(`[bench] ${line}`);
const round = (x: number) => Math.round(x * 1000) / 1000;

async function phase(stack: JourneyStack, name: string, task: (i: number) => Promise<void>) {
  say(`${name}: ${n} journeys, ${concurrency} at a time`);
  const { result, ...resources } = await measured({ temporal: stack.temporalPid, smtp: stack.smtpPid }, () =>
    runPool(n, concurrency, task),
  );
  const out = { ...summary(result), ...resources };
  say(
    `${name}: ${out.journeysPerSecond} journeys/s, p50 ${out.journeyMs.p50} ms, p95 ${out.journeyMs.p95} ms`,
  );
  return out;
}

type Count = Exclude<keyof ProcessCounts, 'open'>;

/** Per process (voucher, booking, settlement): the mean of each count over the journeys given. */
async function meanCounts(stack: JourneyStack, journeys: string[][]) {
  const processes = await Promise.all(
    [0, 1, 2].map(async (p) => {
      const samples = await Promise.all(journeys.map((ids) => countHistory(stack.client, ids[p]!)));
      const mean = (k: Count) => round(samples.reduce((sum, s) => sum + s[k], 0) / samples.length);
      const counts: ProcessCounts = {
        activities: mean('activities'),
        localActivities: mean('localActivities'),
        updates: mean('updates'),
        timersStarted: mean('timersStarted'),
        timersFired: mean('timersFired'),
        signals: mean('signals'),
        children: mean('children'),
        workflowTasks: mean('workflowTasks'),
        events: mean('events'),
        open: samples.filter((s) => s.open).length * 2 > samples.length,
      };
      return counts;
    }),
  );
  return { voucher: processes[0]!, booking: processes[1]!, settlement: processes[2]! };
}

async function businessIds(stack: JourneyStack, bookingId: string): Promise<string[]> {
  const booking = await stack.api.repos.bookings.findById(bookingId);
  const voucher = await stack.api.repos.vouchers.findById(booking!.voucherId);
  return [voucher!.workflowId, bookingWorkflowId(bookingId), settlementWorkflowId(bookingId)];
}

/** Every `step`-th of the items, at most `count` of them, spread over the whole run. */
const spread = <T>(items: T[], count: number) =>
  items.filter((_, i) => i % Math.max(1, Math.floor(items.length / count)) === 0).slice(0, count);

type Phase = Awaited<ReturnType<typeof phase>>;

/**
 * CPU-seconds per journey of each phase, and business ÷ bare: of the whole machine (what the ratio has
 * been tracked by; it counts whatever else the machine ran meanwhile), and of the processes the run
 * started (this process with the API, the worker and the load; the Temporal server; the SMTP server),
 * which other work on the machine does not inflate, but which leaves PostgreSQL out.
 */
function cpuRatio(business: Phase, bare: Phase) {
  const perJourney = (p: Phase, seconds: number | null) =>
    seconds === null || p.journeys === 0 ? null : round(seconds / p.journeys);
  const own = (p: Phase) =>
    p.cpu.temporalServerSeconds === null
      ? null
      : p.cpu.benchProcessSeconds + p.cpu.temporalServerSeconds + (p.cpu.smtpServerSeconds ?? 0);
  const ratio = (a: number | null, b: number | null) => (a === null || !b ? null : round(a / b));
  const machine = [
    perJourney(business, business.cpu.machineBusySeconds),
    perJourney(bare, bare.cpu.machineBusySeconds),
  ];
  const processes = [perJourney(business, own(business)), perJourney(bare, own(bare))];
  return {
    definition: 'CPU-seconds per business journey ÷ CPU-seconds per bare journey, in the same run',
    machine: { business: machine[0], bare: machine[1], ratio: ratio(machine[0] ?? null, machine[1] ?? null) },
    startedProcesses: {
      business: processes[0],
      bare: processes[1],
      ratio: ratio(processes[0] ?? null, processes[1] ?? null),
    },
  };
}

async function main() {
  const stack = await startJourneyStack({ say, ...settings });
  const stops: (() => Promise<void>)[] = [() => stack.stop()];
  try {
    const setup = await prepare(stack.api, stack.db, stack.apiUrl, n + warmup);
    say(`warm-up: ${warmup} journeys`);
    await Promise.all(Array.from({ length: warmup }, (_, i) => businessJourney(setup, stack.client, n + i)));

    const done: string[] = [];
    const business = await phase(stack, 'business', async (i) => {
      const { bookingId } = await businessJourney(setup, stack.client, i);
      done.push(bookingId);
    });
    const approved = (await Promise.all(done.map((id) => claimApproved(setup, id)))).filter(Boolean).length;
    // the voucher process closes a used voucher after its booking ends: counted once that is done
    await new Promise((r) => setTimeout(r, 3_000));
    const counted = await meanCounts(
      stack,
      await Promise.all(spread(done, 50).map((id) => businessIds(stack, id))),
    );
    const plan: BarePlan = barePlan(
      ...([counted.voucher, counted.booking, counted.settlement].map((c) => ({
        ...c,
        activities: Math.round(c.activities),
        localActivities: Math.round(c.localActivities),
        updates: Math.round(c.updates),
        timersStarted: Math.round(c.timersStarted),
      })) as [ProcessCounts, ProcessCounts, ProcessCounts]),
    );

    const bareWorker = await startBareWorker(stack.connection, stack.env.TEMPORAL_NAMESPACE, settings);
    stops.unshift(bareWorker.stop);
    const run = Date.now().toString(36);
    await Promise.all(
      Array.from({ length: warmup }, (_, i) => bareJourney(stack.client, plan, `bare/${run}/w${i}`)),
    );
    const bare = await phase(stack, 'bare', (i) => bareJourney(stack.client, plan, `bare/${run}/${i}`));
    const bareCounted = await meanCounts(
      stack,
      spread(
        Array.from({ length: n }, (_, i) => i),
        50,
      ).map((i) => bareProcessIds(plan, `bare/${run}/${i}`)),
    );

    console.log(
      JSON.stringify(
        {
          benchmark: 'journeys',
          machine: machine(),
          settings: { journeys: n, concurrency, warmupJourneys: warmup, ...settings },
          method: [
            'One process runs the API, the worker and the load (as the tests do); PostgreSQL is the local server, Temporal a dev server started for the run (in-memory SQLite), mail an SMTP server in a child process that reads each message to its end and keeps nothing (bench/lib-mail-process.ts).',
            'Business: each journey through HTTP — register, login, enterprise, application, decision (an administrator token), booking, confirm, sample-received, report, accept, copayment — ending when the booking process has finished (claim created and approved automatically; every claim is checked through the API afterwards).',
            'Counting: the event histories of up to 50 of the measured journeys, spread over the run, are read once settled; per process (voucher application, booking, settlement) the mean number of ActivityTaskScheduled, local-activity MarkerRecorded, WorkflowExecutionUpdateAccepted, TimerStarted and StartChildWorkflowExecutionInitiated events, rounded, is the bare plan. Timers that start depend on timing (a wait begins before or after the next step arrives), hence means.',
            'Bare: bench/lib-bare-workflow.ts on its own worker and task queue with the same activity slots, driven with the Temporal client as the API drives the real processes: executeUpdateWithStart, one update per step (an update runs one activity, a local one while the counted local activities last, like the real handlers), one query before the report step, the voucher-shaped process starting the booking-shaped child from its last update and staying open with a timer pending, the booking-shaped one running the settlement-shaped child at its end. Activities return their input; payloads are a few bytes. The same counting is applied to 50 bare journeys.',
            'Order: warm-up, business phase, counting, bare warm-up, bare phase; the same number of journeys and the same concurrency in both phases.',
            'ratio = business journeys/s ÷ bare journeys/s (1 would mean the business work costs nothing beyond its orchestration); journey time runs from the first request to the end of the booking process.',
          ],
          countsPerJourney: { business: counted, bare: bareCounted },
          barePlan: plan,
          business: { ...business, claimsApprovedAutomatically: approved },
          bare,
          ratio: {
            definition: 'business journeys/s ÷ bare journeys/s',
            value: round(business.journeysPerSecond / bare.journeysPerSecond),
            target: 0.7,
          },
          cpuRatio: cpuRatio(business, bare),
          p50Ratio: {
            definition: 'bare p50 journey time ÷ business p50 journey time',
            value: round(bare.journeyMs.p50 / business.journeyMs.p50),
          },
        },
        null,
        2,
      ),
    );
  } finally {
    for (const stop of stops) await stop().catch((error: unknown) => console.error(error));
  }
}

if (args.cluster) {
  const result = await compareOnCluster({
    n,
    concurrency,
    warmup,
    workers: Number(args.workers),
    apis: Number(args.apis),
    shards: Number(args.shards),
    poolSize: settings.databasePoolSize,
    say,
  });
  console.log(JSON.stringify(result, null, 2));
} else {
  await main();
}
