import type { Actor } from '../domain/audit';
import type { Fen } from '../domain/money';
import type { Policy } from '../domain/policy';
import { openAccounts } from '../db/repositories/ledger';
import { findProgramme, insertProgramme } from '../db/repositories/programmes';
import { inTransaction } from '../db/tx';
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
    /** The programme, its five ledger accounts (the whole budget AVAILABLE) and the audit entry, once. */
    async createProgramme(input: ProgrammeSetup): Promise<{ created: boolean }> {
      return inTransaction(db, async (tx) => {
        if (await findProgramme(tx, input.id)) return { created: false };
        const { actor, requestId, ...programme } = input;
        const created = await insertProgramme(tx, programme);
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

    async ensurePayoutSchedule(input: {
      programmeId: string;
      schedule: string | undefined;
    }): Promise<{ schedule: string }> {
      const schedule = input.schedule ?? defaultPayoutSchedule;
      await payoutSchedules.ensure({ programmeId: input.programmeId, schedule });
      return { schedule };
    },
  };
}
