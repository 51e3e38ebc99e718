import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { describeOutcome, failed, summarise, type SequenceOutcome } from './support/model/report';
import { runModel, type ModelOptions } from './support/model/run';

/**
 * Random sequences of every role's actions and of the passing of time, through the real API and a
 * real worker, checked after each passing of time and at the end of each sequence: no process
 * failed or stuck, ledgers balanced and COMMITTED what the bookings promise, every item over or
 * awaiting a named party by a date, no claim paid twice, every refusal a 4xx with a stable code,
 * every answer in time. CI runs a few sequences; `npm run soak` runs many (MODEL_* below).
 */
const env = process.env;
const options: ModelOptions = {
  runs: Number(env.MODEL_RUNS ?? 3),
  steps: Number(env.MODEL_STEPS ?? 25),
  // a fresh seed each run unless one is given; every failure prints the seed and path that replay it
  seed: env.MODEL_SEED ? Number(env.MODEL_SEED) : (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0,
  path: env.MODEL_PATH || undefined,
  deadlineMs: Number(env.MODEL_DEADLINE_MS ?? 20_000),
};
const sequences = options.path !== undefined ? 1 : options.runs;

describe('the process model', () => {
  it(
    `keeps every process sound over ${sequences} random sequence(s) of ${options.steps} steps (seed ${options.seed})`,
    async () => {
      const outcomes: SequenceOutcome[] = await runModel(options, (outcome) => {
        console.log(
          failed(outcome)
            ? describeOutcome(outcome)
            : `sequence seed ${outcome.seed} path ${outcome.path}: passed in ${outcome.seconds} s`,
        );
      });
      if (env.MODEL_REPORT) await writeFile(env.MODEL_REPORT, JSON.stringify(outcomes, null, 2));
      // the steps of each sequence are printed above, with its seed and path
      expect(outcomes.filter(failed).map(summarise)).toEqual([]);
    },
    sequences * 300_000,
  );
});
