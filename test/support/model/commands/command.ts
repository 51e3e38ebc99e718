import fc from 'fast-check';
import { isTransient, type Answer } from '../http';
import type { Model } from '../state';
import type { World } from '../world';

/**
 * Which item an action is aimed at: mostly one the model says the action suits (in order), now and
 * then any item of the kind (out of order), whose refusal must then be a clean 4xx.
 */
export interface Aim {
  index: number;
  inOrder: boolean;
}

export const aim: fc.Arbitrary<Aim> = fc.record({
  index: fc.nat(9_999),
  inOrder: fc.oneof(
    { weight: 6, arbitrary: fc.constant(true) },
    { weight: 1, arbitrary: fc.constant(false) },
  ),
});

/**
 * Whether an aim finds its item: an in-order aim needs an item the action suits (so that steps
 * are not spent on refusals the model already expects), an out-of-order one any item.
 */
export function finds<T>(items: readonly T[], suits: (item: T) => boolean, a: Aim): boolean {
  return a.inOrder ? items.some(suits) : items.length > 0;
}

/** The item aimed at, and whether the model expects the action to be allowed on it. */
export function choose<T>(
  items: readonly T[],
  suits: (item: T) => boolean,
  a: Aim,
): { item: T; suits: boolean } {
  const suitable = items.filter(suits);
  const pool = a.inOrder && suitable.length ? suitable : items;
  const item = pool[a.index % pool.length]!;
  return { item, suits: suits(item) };
}

/**
 * One person's action (or the passing of time) as a fast-check command. Its description names
 * the person, the item and what the service answered, so a failing sequence reads as a story.
 */
export function command(
  title: string,
  applies: (m: Readonly<Model>) => boolean,
  perform: (m: Model, w: World) => Promise<string>,
): fc.AsyncCommand<Model, World> {
  let told = '';
  return {
    check: (m) => m.stepsTaken < m.stepBudget && applies(m),
    async run(m, w) {
      m.stepsTaken += 1;
      w.log(title);
      told = await perform(m, w);
      w.steps[w.stepNo - 1] = told;
    },
    toString: () => told || title,
  };
}

/** How an answer reads in a step's description. */
export function said(res: Answer<unknown> | null, outcome?: string | null): string {
  if (!res) return 'no answer in time';
  if (res.status < 300) return `${res.status}${outcome ? ` ${outcome}` : ''}`;
  return `${res.status} ${res.code ?? ''}`.trim();
}

/**
 * Judges an answer against what the model expected: a success must leave the item as the action
 * says (`becomes`), and a refusal of an action the model expected to be allowed must be explained by
 * the item having moved on meanwhile (`stillAllowed` reads it again), by another step under way, or
 * by one of the business rules the action may meet (`mayMeet`).
 */
export async function judge(
  w: World,
  what: string,
  res: Answer<unknown> | null,
  expectation: {
    allowed: boolean;
    becomes?: string | null;
    actual?: string | null;
    stillAllowed: () => Promise<boolean>;
    mayMeet?: string[];
    /** the class a wrong refusal is reported under */
    kind?: string;
  },
): Promise<void> {
  if (!res) return;
  if (res.status < 300) {
    if (expectation.becomes && expectation.actual !== expectation.becomes) {
      w.record(
        'wrong-outcome',
        `${what} answered ${res.status} but left it ${expectation.actual}, not ${expectation.becomes}`,
      );
    }
    return;
  }
  if (!expectation.allowed || isTransient(res.code) || expectation.mayMeet?.includes(res.code ?? '')) return;
  if (await expectation.stillAllowed()) {
    w.record(
      expectation.kind ?? 'refused-although-allowed',
      `${what} was refused with ${res.status} ${res.code} although the item still allows it: ${JSON.stringify(res.body).slice(0, 300)}`,
    );
  }
}
