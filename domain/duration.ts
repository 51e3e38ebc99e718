const UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
export const DURATION_PATTERN = /^(\d{1,9})(ms|s|m|h|d)$/;

/** A duration such as `48h`, `7d`, `30s` (tests run programmes whose days last seconds). */
export type Duration = `${number}${keyof typeof UNITS}`;

export function isDuration(value: string): boolean {
  return DURATION_PATTERN.test(value);
}

export function durationMs(duration: string): number {
  const match = DURATION_PATTERN.exec(duration);
  if (!match) throw new Error(`not a duration: ${duration}`);
  return Number(match[1]) * UNITS[match[2] as keyof typeof UNITS];
}

/**
 * The longest duration any setting takes: ten years. Deadlines are computed as dates and run as
 * Temporal timers; far beyond a programme's life they would only overflow a date (e.g. `999999999d`).
 */
export const MAX_DURATION = '3650d';
