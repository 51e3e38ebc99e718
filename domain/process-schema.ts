import { z } from 'zod';
import { AFTER_DUE, AWAITED_ACTIONS, PARTIES, type Awaiting } from './process';

// Apart from process.ts, which the workflows import: a workflow's code is loaded again for every run,
// and a schema there would load zod with it each time.

/** What an open item waits for. `dueAt` is when the process acts on its own if nobody does. */
export const AwaitingSchema = z
  .object({
    party: z.enum(PARTIES).meta({ description: 'who is expected to act next; SYSTEM: the service itself' }),
    action: z.enum(AWAITED_ACTIONS).meta({ description: 'what they are expected to do' }),
    dueAt: z.iso.datetime().meta({
      description: 'by when; then the process reminds, escalates or acts on its own (docs/processes.md)',
    }),
    afterDue: z
      .enum(AFTER_DUE)
      .nullable()
      .meta({ description: 'what the process does when the deadline passes; null when it only waits' }),
  })
  .meta({
    id: 'Awaiting',
    description: 'what a process item waits for, from whom, by when',
  }) satisfies z.ZodType<Awaiting>;
