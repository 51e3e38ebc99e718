import fc from 'fast-check';
import { inspect } from './checks';
import { anyStep } from './commands';
import { failed, type SequenceOutcome } from './report';
import { World } from './world';
import { worldSpec } from './world-spec';

/** What a sequence throws when its checks found something: the violations are the report. */
class SequenceViolations extends Error {}

export interface ModelOptions {
  /** sequences to run: paths 0 … runs − 1 of the seed */
  runs: number;
  /** actions (and passings of time) per sequence */
  steps: number;
  seed: number;
  /** one sequence only, to replay it */
  path?: string;
  /** how long any request may take before it counts as hanging */
  deadlineMs: number;
}

/**
 * Runs the model: each sequence is fast-check's run `path` of `seed`, so that any one can be
 * replayed alone. Sequences run one after another, each against a world of its own, and every
 * sequence runs even after one failed, so that a soak finds every class of failure it can.
 *
 * The steps are a fixed-length array of commands run by `fc.asyncModelRun` rather than
 * `fc.commands`: a sequence costs a minute of a real stack, so it is never shrunk (the only thing
 * `fc.commands` adds), and a fixed length keeps the time a run takes predictable.
 */
export async function runModel(
  options: ModelOptions,
  onSequence: (outcome: SequenceOutcome) => void = () => undefined,
): Promise<SequenceOutcome[]> {
  const paths = options.path !== undefined ? [options.path] : [...Array(options.runs).keys()].map(String);
  const outcomes: SequenceOutcome[] = [];
  for (const path of paths) {
    const outcome = await runSequence(options, path);
    outcomes.push(outcome);
    onSequence(outcome);
  }
  return outcomes;
}

async function runSequence(options: ModelOptions, path: string): Promise<SequenceOutcome> {
  const started = Date.now();
  const outcome: SequenceOutcome = {
    seed: options.seed,
    path,
    stepBudget: options.steps,
    seconds: 0,
    steps: [],
    violations: [],
    error: null,
  };
  // steps that find nothing to act on are skipped and cost nothing: draw plenty, take `steps`
  const steps = fc.array(anyStep, { minLength: options.steps * 10, maxLength: options.steps * 10 });
  const property = fc.asyncProperty(worldSpec, steps, async (spec, commands) => {
    const world = await World.start(spec, {
      label: `${options.seed}-${path}`,
      deadlineMs: options.deadlineMs,
      steps: options.steps,
    });
    outcome.steps = world.steps;
    outcome.violations = world.violations;
    try {
      world.log(
        `the world: programmes ${world.model.programmes.map((p) => `${p.key} ${JSON.stringify({ budgetFen: p.budgetFen, ...p.policy })}`).join('; ')}; ${world.model.smes.length} SMEs; labs ${world.model.labs.map((l) => `${l.key} at ${l.unitPriceFen} fen a sample`).join(', ')}`,
      );
      await fc.asyncModelRun(() => ({ model: world.model, real: world }), commands);
      world.log('the sequence ends; the processes settle and every check runs');
      await inspect(world);
    } finally {
      await world.stop();
    }
    if (failed(outcome)) throw new SequenceViolations(`${outcome.violations.length} violation(s)`);
  });
  const details = await fc.check(property, { seed: options.seed, path, numRuns: 1, endOnFailure: true });
  if (details.failed && !(details.errorInstance instanceof SequenceViolations)) {
    const error = details.errorInstance;
    outcome.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
  }
  outcome.seconds = Math.round((Date.now() - started) / 1000);
  return outcome;
}
