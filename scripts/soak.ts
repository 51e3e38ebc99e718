/**
 * `npm run soak -- [model] --runs N --seed S [--steps K] [--path P] [--deadline-ms D]`: runs the process
 * model (test/process-model.e2e.test.ts) for many more sequences than CI does, through the test
 * runner, so that the run sets up its own database, Temporal dev server and mail catcher exactly as
 * the tests' global setup does. Every sequence runs even after one failed; at the end it prints
 * each failing sequence's seed, path and classes of failure, and the command that replays it
 * (`--seed S --path P` runs that one sequence again, printing its steps).
 *
 * `npm run soak -- fuzz --runs N [--seed S] [--deadline-ms D]`: runs the fuzz test at every route
 * (test/fuzz.e2e.test.ts) with N requests per role instead of CI's few, and prints what it found
 * grouped by kind and class of input, with the command that sends the same requests again.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { byClass, failed, replayCommand, type SequenceOutcome } from '../test/support/model/report';
import { PROJECT_ROOT } from './lib/temporal-cli';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string' },
    seed: { type: 'string' },
    path: { type: 'string' },
    steps: { type: 'string', default: '40' },
    'deadline-ms': { type: 'string' },
  },
});

const suite = positionals[0] ?? 'model';
if (!['model', 'fuzz'].includes(suite) || positionals.length > 1) {
  console.error(`the suite is model (the default) or fuzz, got ${positionals.join(' ')}`);
  process.exit(2);
}
const runs = values.runs ?? (suite === 'fuzz' ? '1000' : '20');

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
const vitest = path.join(PROJECT_ROOT, 'node_modules', 'vitest', 'vitest.mjs');

if (suite === 'fuzz') process.exit(await soakFuzz());

/** The fuzz test with many requests per role; what it found, grouped. */
async function soakFuzz(): Promise<number> {
  console.log(`soak: the fuzz test, ${runs} request(s) per role, seed ${seed}`);
  const child = spawn(process.execPath, [vitest, 'run', '--project', 'e2e', 'test/fuzz.e2e.test.ts'], {
    cwd: PROJECT_ROOT,
    stdio: 'inherit',
    env: {
      ...process.env,
      FUZZ_RUNS: runs,
      FUZZ_SEED: seed,
      FUZZ_DEADLINE_MS: values['deadline-ms'] ?? '5000',
      FUZZ_REPORT: reportFile,
    },
  });
  const code = await new Promise<number>((resolve) => child.once('exit', (c) => resolve(c ?? 1)));
  const text = await readFile(reportFile, 'utf8').catch(() => '');
  await rm(dir, { recursive: true, force: true });
  const findings = text
    .split('\n')
    .filter(Boolean)
    .map(
      (line) =>
        JSON.parse(line) as {
          kind: string;
          role: string;
          classes: string[];
          request: string;
          answer: string;
        },
    );
  console.log(`\n${findings.length} finding(s)`);
  const groups = new Map<string, typeof findings>();
  for (const f of findings) {
    const key = `${f.kind} [${f.classes.join(', ') || 'plausible input'}]`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  for (const [key, seen] of groups) {
    console.log(
      `  ${key}: ${seen.length}, e.g. as ${seen[0]!.role}\n    ${seen[0]!.request}\n    → ${seen[0]!.answer}`,
    );
  }
  if (findings.length)
    console.log(`the same requests again: npm run soak -- fuzz --runs ${runs} --seed ${seed}`);
  return findings.length ? 1 : code;
}

console.log(
  values.path !== undefined
    ? `replaying sequence seed ${seed} path ${values.path} (${values.steps} steps)`
    : `soak: ${runs} sequence(s) of ${values.steps} steps, seed ${seed}`,
);

const child = spawn(process.execPath, [vitest, 'run', '--project', 'e2e', 'test/process-model.e2e.test.ts'], {
  cwd: PROJECT_ROOT,
  stdio: 'inherit',
  env: {
    ...process.env,
    MODEL_RUNS: runs,
    MODEL_STEPS: values.steps,
    MODEL_SEED: seed,
    MODEL_PATH: values.path ?? '',
    MODEL_DEADLINE_MS: values['deadline-ms'] ?? '20000',
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
