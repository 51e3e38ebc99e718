import fc from 'fast-check';
import { inspect } from '../checks';
import { sleep } from '../settle';
import { command } from './command';

/**
 * Time passes with nobody acting: deadlines fall due (confirmation, acceptance, samples, the
 * voucher's end, an accreditation's lapse, scheduled payouts). Once the processes settle, every
 * check runs.
 */
const passes = fc.constantFrom(2, 4, 8, 15).map((seconds) =>
  command(
    `${seconds} s pass`,
    // before anything exists no deadline can fall due
    (m) => m.applications.length > 0 || m.labs.some((l) => l.onboarded),
    async (_m, w) => {
      await sleep(seconds * 1000);
      const before = w.violations.length;
      await inspect(w);
      const found = w.violations.length - before;
      return `${seconds} s pass; the processes settle and every check runs${found ? ` (${found} violation(s))` : ''}`;
    },
  ),
);

export const timeCommands = [{ weight: 3, arbitrary: passes }];
