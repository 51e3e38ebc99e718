import { condition, setHandler } from '@temporalio/workflow';
import type { ApplicationStatus } from '../domain/application';
import { activities } from './activities';
import {
  decideUpdate,
  resubmitUpdate,
  revokeUpdate,
  stateQuery,
  submissionUpdate,
  type DecisionInput,
} from './application-messages';
import { caller, type ApplicationRun } from './application-run';
import { voucherRevokedSignal } from './booking';
import { refuse } from './refusal';

/** Runs one action at a time: the validators refuse others while `busy`. */
async function exclusively<T>(run: ApplicationRun, action: () => Promise<T>): Promise<T> {
  run.busy = true;
  try {
    return await action();
  } finally {
    run.busy = false;
  }
}

/** Queries and the updates of the review: decision, resubmission, revocation. */
export function registerApplicationHandlers(run: ApplicationRun): void {
  const { state, applicationId } = run;

  setHandler(stateQuery, () => state);
  setHandler(submissionUpdate, async () => {
    await condition(() => run.checked);
    return state;
  });

  setHandler(
    decideUpdate,
    (decision) =>
      exclusively(run, async () => {
        if (decision.decision === 'APPROVE') {
          const result = await activities.approveApplication({
            applicationId,
            amountFen: decision.amountFen ?? run.summary.requestedAmountFen,
            note: decision.note ?? null,
            actor: decision.actor,
            requestId: decision.requestId,
          });
          if (!result.ok) refuse('BUSINESS_RULE', result.code, result.message, result.details);
          state.status = 'APPROVED';
          state.voucher = { ...result.voucher, status: 'ACTIVE' };
          run.notices.push({ kind: 'approved', voucher: result.voucher });
        } else if (decision.decision === 'REJECT') {
          await activities.rejectApplication({ applicationId, reason: decision.reason, ...caller(decision) });
          state.status = 'REJECTED';
          run.notices.push({ kind: 'rejected', reason: decision.reason });
        } else {
          await activities.requestInformation({
            applicationId,
            message: decision.message,
            ...caller(decision),
          });
          state.status = 'INFO_REQUESTED';
          run.notices.push({ kind: 'infoRequested', message: decision.message, revision: state.revision });
        }
        return state;
      }),
    {
      validator: (decision: DecisionInput) => {
        if (run.busy)
          refuse(
            'CONFLICT',
            'DECISION_IN_PROGRESS',
            'another decision on this application is being recorded',
          );
        const allowed: ApplicationStatus[] =
          decision.decision === 'REJECT' ? ['UNDER_REVIEW', 'INFO_REQUESTED'] : ['UNDER_REVIEW'];
        if (!allowed.includes(state.status)) {
          refuse(
            'CONFLICT',
            'NOT_UNDER_REVIEW',
            `the application is ${state.status}; it can no longer be decided this way`,
            {
              status: state.status,
            },
          );
        }
        if (
          decision.decision === 'APPROVE' &&
          decision.amountFen !== undefined &&
          decision.amountFen > run.summary.requestedAmountFen
        ) {
          refuse(
            'BUSINESS_RULE',
            'AMOUNT_ABOVE_REQUEST',
            'an administrator may approve the requested amount or less',
            {
              requestedAmountFen: run.summary.requestedAmountFen,
              amountFen: decision.amountFen,
            },
          );
        }
      },
    },
  );

  setHandler(
    resubmitUpdate,
    async (resubmission) => {
      await exclusively(run, async () => {
        const { actor, requestId, ...changes } = resubmission;
        run.summary = await activities.resubmitApplication({
          applicationId,
          revision: state.revision + 1,
          ...changes,
          actor,
          requestId,
        });
        state.revision = run.summary.revision;
        state.status = 'SUBMITTED';
        run.checked = false;
      });
      // answer with the outcome of the new eligibility check
      await condition(() => run.checked);
      return state;
    },
    {
      validator: (_resubmission) => {
        if (run.busy)
          refuse('CONFLICT', 'DECISION_IN_PROGRESS', 'the application is being updated; try again shortly');
        if (state.status !== 'INFO_REQUESTED') {
          refuse(
            'CONFLICT',
            'NO_INFORMATION_REQUESTED',
            `the application is ${state.status}; nothing was asked of the applicant`,
            {
              status: state.status,
            },
          );
        }
      },
    },
  );

  setHandler(
    revokeUpdate,
    ({ reason, actor, requestId }) =>
      exclusively(run, async () => {
        for (const child of run.openBookings.values()) await child.signal(voucherRevokedSignal, { reason });
        const closure = await activities.revokeVoucher({
          voucherId: state.voucher!.voucherId,
          reason,
          actor,
          requestId,
        });
        state.voucher = { ...state.voucher!, status: closure.status };
        run.notices.push({ kind: 'revoked', reason, releasedFen: closure.releasedFen });
        return state;
      }),
    {
      validator: (_revocation) => {
        if (run.busy || run.closing)
          refuse('CONFLICT', 'DECISION_IN_PROGRESS', 'the voucher is being updated; try again shortly');
        if (state.voucher?.status !== 'ACTIVE') {
          refuse(
            'CONFLICT',
            'VOUCHER_NOT_ACTIVE',
            `the voucher is ${state.voucher?.status ?? 'not issued'}; only an active voucher can be revoked`,
          );
        }
      },
    },
  );
}
