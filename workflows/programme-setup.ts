import { setWorkflowOptions } from '@temporalio/workflow';
import type { ProgrammeSetup } from '../activities/programmes';
import { activities } from './activities';
import { versioningBehavior } from './kit/steps';
import { tagProcess } from './kit/search-attributes';

/**
 * Sets a new programme up: the Schedule of its payout batches, created paused, then its row, ledger
 * and audit entry, then the Schedule let run. Temporal checks the schedule first, so one it cannot
 * read fails the setup at once (type `Refused`, naming `policy.payoutSchedule`) with nothing written;
 * the API answers 400. As a workflow, a crash between the steps delays the next, never loses it.
 */
export async function programmeSetup(
  input: ProgrammeSetup,
): Promise<{ programmeId: string; payoutSchedule: string }> {
  tagProcess({ programmeId: input.id });
  const created = await activities.ensurePayoutSchedule({
    programmeId: input.id,
    schedule: input.policy.payoutSchedule,
    paused: true,
  });
  await activities.createProgramme({ ...input, payoutSchedule: created.schedule });
  await activities.resumePayoutSchedule({ programmeId: input.id });
  return { programmeId: input.id, payoutSchedule: created.schedule };
}

// short: a setup finishes on the build it started on
setWorkflowOptions(versioningBehavior('PINNED'), programmeSetup);
