import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { businessJourney, claimApproved, prepare } from './lib-journey-driver';
import { runPool, summary } from './lib-measure';
import { benchBundle, measuredShape, startShapeStack, type TemporalKind } from './lib-shape-stack';
import { machine } from './machine';

const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * `npm run bench -- journeys --cluster`: the same journeys through the production shape (W workers,
 * A API instances behind the round-robin front), once on the dev server and once on the production
 * server on PostgreSQL, one after the other in one run.
 */
export async function compareOnCluster(options: {
  n: number;
  concurrency: number;
  warmup: number;
  workers: number;
  apis: number;
  shards: number;
  poolSize: number;
  say: (line: string) => void;
}) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vouchers-bench-cluster-'));
  try {
    const bundlePath = await benchBundle(dir);
    const phases: Record<string, unknown> = {};
    for (const kind of ['dev server', 'cluster'] as TemporalKind[]) {
      options.say(`${kind}: starting ${options.workers} workers, ${options.apis} API instances, the front`);
      const stack = await startShapeStack({ ...options, kind, bundlePath });
      try {
        const setup = await prepare(stack.api, stack.db, stack.apiUrl, options.n + options.warmup);
        options.say(`${kind}: warm-up, ${options.warmup} journeys`);
        await Promise.all(
          Array.from({ length: options.warmup }, (_, i) =>
            businessJourney(setup, stack.client, options.n + i),
          ),
        );
        const done: string[] = [];
        options.say(`${kind}: ${options.n} journeys, ${options.concurrency} at a time`);
        const { result, cpuSeconds } = await measuredShape(stack, () =>
          runPool(options.n, options.concurrency, async (i) => {
            done.push((await businessJourney(setup, stack.client, i)).bookingId);
          }),
        );
        const approved = (await Promise.all(done.map((id) => claimApproved(setup, id)))).filter(
          Boolean,
        ).length;
        const out = summary(result);
        const perJourney = Object.fromEntries(
          Object.entries(cpuSeconds).map(([k, v]) => [k, out.journeys ? round(v / out.journeys) : null]),
        );
        options.say(
          `${kind}: ${out.journeysPerSecond} journeys/s, p50 ${out.journeyMs.p50} ms, p95 ${out.journeyMs.p95} ms, ` +
            `${perJourney.machineBusy} CPU s per journey (machine)`,
        );
        phases[kind] = {
          ...out,
          claimsApprovedAutomatically: approved,
          cpuSeconds,
          cpuSecondsPerJourney: perJourney,
        };
      } finally {
        await stack.stop();
      }
    }
    return {
      benchmark: 'journeys --cluster',
      machine: machine(),
      settings: {
        journeys: options.n,
        concurrency: options.concurrency,
        warmupJourneys: options.warmup,
        workers: options.workers,
        apiInstances: options.apis,
        historyShards: options.shards,
        databasePoolSize: options.poolSize,
      },
      method: [
        'Both phases run the production shape: worker and API processes started as `npm run cluster` starts them, the load sent through the round-robin front (scripts/lib/front.ts), mail to an SMTP relay process that keeps nothing, a fresh application database on the local PostgreSQL.',
        'dev server: `temporal server start-dev` (SQLite in memory). cluster: the Temporal server release docker-compose.yml runs, on the same PostgreSQL, in databases of the run, with the given history shards, schema set up by infra/temporal/schema.sh.',
        'Journeys as in `npm run bench -- journeys` (register, login, enterprise, application, approval, booking, confirm, samples, report, accept, co-payment, until the booking process has finished); every claim is checked through the API afterwards.',
        'CPU: seconds of each process (from /proc) over the measured phase, and the whole machine (PostgreSQL included) from /proc/stat; per journey = ÷ journeys. Other work on the machine counts in machineBusy.',
      ],
      phases,
      ratio: {
        definition: 'cluster journeys/s ÷ dev server journeys/s',
        value: round(
          (phases.cluster as { journeysPerSecond: number }).journeysPerSecond /
            (phases['dev server'] as { journeysPerSecond: number }).journeysPerSecond,
        ),
      },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
