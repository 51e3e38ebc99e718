import { z } from 'zod';
import { DURATION_PATTERN, durationMs, MAX_DURATION } from './duration';

// Apart from duration.ts, which the workflows import: a workflow's code is loaded again for every run,
// and a schema there would load zod with it each time.

export const DurationSchema = z
  .string()
  .regex(DURATION_PATTERN, {
    error: 'must be a whole number followed by ms, s, m, h or d, e.g. "48h" or "7d"',
  })
  // refinements run even when the pattern failed: guard before converting
  .refine((value) => !DURATION_PATTERN.test(value) || durationMs(value) > 0, {
    error: 'must be longer than zero',
  })
  .refine((value) => !DURATION_PATTERN.test(value) || durationMs(value) <= durationMs(MAX_DURATION), {
    error: `must be at most ${MAX_DURATION} (ten years)`,
  })
  .meta({ id: 'Duration', example: '48h' });
