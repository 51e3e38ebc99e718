import type { Violation } from './http';

/** What one sequence did and what its checks found. */
export interface SequenceOutcome {
  seed: number;
  path: string;
  /** the sequence's length, which its generation depends on */
  stepBudget: number;
  seconds: number;
  steps: string[];
  violations: Violation[];
  /** an exception that stopped the sequence (the model's own or the harness's) */
  error: string | null;
}

export const failed = (o: SequenceOutcome) => o.violations.length > 0 || o.error !== null;

export const replayCommand = (o: Pick<SequenceOutcome, 'seed' | 'path' | 'stepBudget'>) =>
  `npm run soak -- --seed ${o.seed} --path ${o.path} --steps ${o.stepBudget}`;

/** Violations grouped by class, each once, in the order they were first seen. */
export function byClass(violations: Violation[]): Map<string, Violation[]> {
  const classes = new Map<string, Violation[]>();
  const seen = new Set<string>();
  for (const v of violations) {
    const key = `${v.kind}\n${v.detail}`;
    if (seen.has(key)) continue;
    seen.add(key);
    classes.set(v.kind, [...(classes.get(v.kind) ?? []), v]);
  }
  return classes;
}

/** One line per class of what a sequence's checks found, for the test's own failure message. */
export function summarise(o: SequenceOutcome): string {
  const classes = [...byClass(o.violations)].map(
    ([kind, list]) => `${kind} ×${list.length}: ${list[0]!.detail.slice(0, 200)}`,
  );
  return [
    `seed ${o.seed} path ${o.path} (${replayCommand(o)})`,
    ...(o.error ? [`stopped by: ${o.error.slice(0, 300)}`] : []),
    ...classes,
  ].join('\n  ');
}

/** A failing sequence as a person replays it: seed, path, the steps taken, what broke after which step. */
export function describeOutcome(o: SequenceOutcome, shownPerClass = 3): string {
  const lines = [
    `sequence seed ${o.seed} path ${o.path}: ${failed(o) ? 'FAILED' : 'passed'} after ${o.seconds} s — replay: ${replayCommand(o)}`,
    'steps:',
    ...o.steps.map((s, i) => `  ${String(i + 1).padStart(3)}. ${s}`),
  ];
  if (o.error) lines.push(`stopped by: ${o.error}`);
  const classes = byClass(o.violations);
  if (classes.size) lines.push('violations by class:');
  for (const [kind, list] of classes) {
    lines.push(`  [${kind}] ×${list.length}`);
    for (const v of list.slice(0, shownPerClass)) lines.push(`     after step ${v.step}: ${v.detail}`);
    if (list.length > shownPerClass) lines.push(`     … ${list.length - shownPerClass} more`);
  }
  return lines.join('\n');
}
