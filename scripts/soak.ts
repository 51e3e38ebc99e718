/**
 * `npm run soak -- --runs N --seed S [--steps K] [--path P] [--deadline-ms D]`: runs the process
 * model (test/process-model.e2e.test.ts) for many more sequences than CI does, through the test
 * runner, so that the run sets up its own database, Temporal dev server and mail catcher exactly as
 * the tests' global setup does. Every sequence runs even after one failed; at the end it prints
 * each failing sequence's seed, path and classes of failure, and the command that replays it
 * (`--seed S --path P` runs that one sequence again, printing its steps).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { byClass, failed, replayCommand, type SequenceOutcome } from '../test/support/model/report';
import { PROJECT_ROOT } from './lib/temporal-cli';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    seed: { type: 'string' },
    path: { type: 'string' },
    steps: { type: 'string', default: '40' },
    'deadline-ms': { type: 'string', default: '20000' },
  },
});

const positive = (name: string, value: string | undefined) => {
  if (value !== undefined && !/^\d+$/.test(value)) {
    console.error(`--${name} must be a whole number, got ${value}`);
    process.exit(2);
  }
  return value;
};
positive('runs', values.runs);
positive('steps', values.steps);
positive('path', values.path);
positive('deadline-ms', values['deadline-ms']);
if (values.seed !== undefined && !/^-?\d+$/.test(values.seed)) {
  console.error(`--seed must be an integer, got ${values.seed}`);
  process.exit(2);
}
const seed = values.seed ?? String((Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0);

const dir = await mkdtemp(path.join(os.tmpdir(), 'vouchers-soak-'));
const reportFile = path.join(dir, 'report.json');
console.log(
  values.path !== undefined
    ? `replaying sequence seed ${seed} path ${values.path} (${values.steps} steps)`
    : `soak: ${values.runs} sequence(s) of ${values.steps} steps, seed ${seed}`,
);

const vitest = path.join(PROJECT_ROOT, 'node_modules', 'vitest', 'vitest.mjs');
const child = spawn(process.execPath, [vitest, 'run', '--project', 'e2e', 'test/process-model.e2e.test.ts'], {
  cwd: PROJECT_ROOT,
  stdio: 'inherit',
  env: {
    ...process.env,
    MODEL_RUNS: values.runs,
    MODEL_STEPS: values.steps,
    MODEL_SEED: seed,
    MODEL_PATH: values.path ?? '',
    MODEL_DEADLINE_MS: values['deadline-ms'],
    MODEL_REPORT: reportFile,
  },
});
const code = await new Promise<number>((resolve) => child.once('exit', (c) => resolve(c ?? 1)));

const outcomes = JSON.parse(await readFile(reportFile, 'utf8').catch(() => '[]')) as SequenceOutcome[];
await rm(dir, { recursive: true, force: true });
const failures = outcomes.filter(failed);
console.log(`\n${outcomes.length} sequence(s) run, ${failures.length} failed`);
const classes = new Map<string, SequenceOutcome[]>();
for (const o of failures) {
  console.log(`  seed ${o.seed} path ${o.path}: ${[...byClass(o.violations).keys()].join(', ') || o.error}`);
  for (const kind of byClass(o.violations).keys()) classes.set(kind, [...(classes.get(kind) ?? []), o]);
}
if (classes.size) console.log('classes of failure, each with a sequence that shows it:');
for (const [kind, seen] of classes) {
  console.log(`  ${kind}: ${seen.length} sequence(s); replay: ${replayCommand(seen[0]!)}`);
}
process.exit(outcomes.length === 0 ? code || 1 : failures.length ? 1 : 0);
