import type { ProgrammeSetup } from '../activities/programmes';
import { activities } from './activities';

/**
 * Sets a new programme up: its row, ledger and audit entry, then the Schedule of its payout
 * batches. As a workflow, a crash between the two steps delays the second, never loses it.
 */
export async function programmeSetup(
  input: ProgrammeSetup,
): Promise<{ programmeId: string; payoutSchedule: string }> {
  await activities.createProgramme(input);
  const { schedule } = await activities.ensurePayoutSchedule({
    programmeId: input.id,
    schedule: input.policy.payoutSchedule,
  });
  return { programmeId: input.id, payoutSchedule: schedule };
}
