import { ApplicationFailure } from '@temporalio/activity';
import type { Actor } from '../domain/audit';
import type { Fen } from '../domain/money';
import type { Policy } from '../domain/policy';
import { openAccounts } from '../db/repositories/ledger';
import { findProgramme, insertProgramme } from '../db/repositories/programmes';
import { inTransaction } from '../db/tx';
import { ScheduleSpecRefused } from '../infra/payout-schedules';
import { REFUSAL_TYPE, type RefusalDetail } from '../workflows/refusal';
import { recordChange } from './context';
import type { ActivityDeps } from './deps';

export interface ProgrammeSetup {
  id: string;
  name: string;
  authority: string;
  year: number;
  regionCode: string;
  budgetFen: Fen;
  policy: Policy;
  createdBy: string;
  actor: Actor;
  requestId: string | null;
}

export function createProgrammeActivities({ db, payoutSchedules, defaultPayoutSchedule }: ActivityDeps) {
  return {
    /**
     * The programme, its five ledger accounts (the whole budget AVAILABLE) and the audit entry, once,
     * with the schedule its payout Schedule was created with.
     */
    async createProgramme(
      input: ProgrammeSetup & { payoutSchedule?: string },
    ): Promise<{ created: boolean }> {
      return inTransaction(db, async (tx) => {
        if (await findProgramme(tx, input.id)) return { created: false };
        const { actor, requestId, payoutSchedule, ...programme } = input;
        const created = await insertProgramme(tx, { ...programme, payoutSchedule: payoutSchedule ?? null });
        await openAccounts(tx, created.id, created.budgetFen);
        await recordChange(tx, {
          actor,
          requestId,
          action: 'PROGRAMME_CREATED',
          entityType: 'programme',
          entityId: created.id,
          after: {
            name: created.name,
            budgetFen: created.budgetFen,
            regionCode: created.regionCode,
            year: created.year,
          },
        });
        return { created: true };
      });
    },

    /**
     * Creates the programme's payout Schedule (paused while the programme is being set up). A schedule
     * Temporal cannot read is refused at once, naming the policy field: no retry can make it readable.
     */
    async ensurePayoutSchedule(input: {
      programmeId: string;
      schedule: string | undefined;
      paused?: boolean;
    }): Promise<{ schedule: string }> {
      const schedule = input.schedule ?? defaultPayoutSchedule;
      try {
        await payoutSchedules.ensure({ programmeId: input.programmeId, schedule, paused: input.paused });
      } catch (error) {
        if (!(error instanceof ScheduleSpecRefused)) throw error;
        const issue = {
          in: 'body',
          field: 'policy.payoutSchedule',
          reason: error.message,
          code: 'invalid_schedule',
        };
        const detail: RefusalDetail = {
          kind: 'INVALID',
          code: 'INVALID_PAYOUT_SCHEDULE',
          details: { issues: [issue] },
        };
        throw ApplicationFailure.create({
          type: REFUSAL_TYPE,
          message: error.message,
          nonRetryable: true,
          details: [detail],
        });
      }
      return { schedule };
    },

    async resumePayoutSchedule(input: { programmeId: string }): Promise<void> {
      await payoutSchedules.resume(input.programmeId);
    },
  };
}
