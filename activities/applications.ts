import {
  expectApplicationStep,
  type ApplicationRecord,
  type ApplicationStepName,
} from '../domain/application';
import { SYSTEM_ACTOR, type Actor } from '../domain/audit';
import type { Demand } from '../domain/demand';
import { durationMs } from '../domain/duration';
import { eligibilityIssues, type EligibilityIssue } from '../domain/eligibility';
import type { Fen } from '../domain/money';
import {
  insertApplication,
  lockApplication,
  othersOf,
  updateApplication,
  type NewApplication,
} from '../db/repositories/applications';
import { lockEnterprise, type EnterpriseRecord } from '../db/repositories/enterprises';
import type { ProgrammeRecord } from '../db/repositories/programmes';
import { inTransaction, type Tx } from '../db/tx';
import {
  programmeOf,
  snapshot,
  summaryOf,
  timingsOf,
  yearRange,
  type ApplicationSummary,
  type ProcessTimings,
} from './application-state';
import { recordChange } from './context';
import type { ActivityDeps } from './deps';
import { checkingStatus, refused } from './refusal';

export function createApplicationActivities({ db, clock }: ActivityDeps) {
  /** Writes the application and its audit entry, once: a retried step finds the application as it is. */
  async function recordSubmission(
    tx: Tx,
    input: NewApplication & { actor: Actor; requestId: string | null },
    programme: ProgrammeRecord,
  ): Promise<ApplicationRecord> {
    const { actor, requestId, ...application } = input;
    const { record, created } = await insertApplication(tx, {
      ...application,
      oneOpenRule: programme.policy.oneOpenPerEnterprise,
    });
    if (created) {
      await recordChange(tx, {
        actor,
        requestId,
        action: 'APPLICATION_SUBMITTED',
        entityType: 'application',
        entityId: record.id,
        after: snapshot(record),
      });
    }
    return record;
  }

  /**
   * Checks a submitted revision against every rule of its programme's policy and records the outcome:
   * under review until `decideBy`, or rejected with the rules it failed. The caller holds the
   * enterprise's row, so that the enterprise's other business cannot change meanwhile.
   */
  async function checkIn(
    tx: Tx,
    checked: {
      application: ApplicationRecord;
      enterprise: EnterpriseRecord;
      programme: ProgrammeRecord;
      decideBy: Date;
    },
  ): Promise<{ summary: ApplicationSummary; issues: EligibilityIssue[] }> {
    const { enterprise, programme, decideBy } = checked;
    const others = await othersOf(tx, {
      programmeId: checked.application.programmeId,
      enterpriseId: checked.application.enterpriseId,
      excludeApplicationId: checked.application.id,
      ...yearRange(clock.now()),
    });
    const issues = eligibilityIssues({
      enterprise,
      programme,
      policy: programme.policy,
      requestedAmountFen: checked.application.requestedAmountFen,
      demand: checked.application.demand,
      others,
    });
    const before = snapshot(checked.application);
    const application = await updateApplication(tx, checked.application.id, {
      status: issues.length ? 'REJECTED' : 'UNDER_REVIEW',
      eligibilityIssues: issues,
      dueAt: issues.length ? null : decideBy,
      ...(issues.length ? { decidedAt: clock.now(), decisionReason: 'not eligible' } : {}),
    });
    await recordChange(tx, {
      actor: SYSTEM_ACTOR,
      action: issues.length ? 'APPLICATION_INELIGIBLE' : 'APPLICATION_UNDER_REVIEW',
      entityType: 'application',
      entityId: application.id,
      before,
      after: { ...(snapshot(application) as object), eligibilityIssues: issues.map((i) => i.rule) },
    });
    return { summary: await summaryOf(tx, application), issues };
  }

  return {
    /** Records the submission (once) and hands the workflow the programme's review timings. */
    async submitApplication(
      input: NewApplication & { actor: Actor; requestId: string | null },
    ): Promise<{ summary: ApplicationSummary; timings: ProcessTimings }> {
      return inTransaction(db, async (tx) => {
        const programme = await programmeOf(tx, input.programmeId);
        const record = await recordSubmission(tx, input, programme);
        return {
          summary: await summaryOf(tx, record),
          timings: timingsOf(programme.policy),
        };
      });
    },

    /**
     * The submission and its eligibility check in one transaction, so that the submitter's wait holds
     * one step: the application is recorded (once) and moved to review or rejected with every rule it
     * failed. The enterprise's row is locked before the application is written, so that submissions
     * of one enterprise queue there, as in `checkEligibility`, and two racing applications cannot
     * both pass the one-open-application rule.
     */
    async submitAndCheckApplication(
      input: NewApplication & {
        actor: Actor;
        requestId: string | null;
        /** when the process took the submission: the review is escalated from then on */
        submittedAt: string;
      },
    ): Promise<{ summary: ApplicationSummary; timings: ProcessTimings; issues: EligibilityIssue[] }> {
      return inTransaction(db, async (tx) => {
        const programme = await programmeOf(tx, input.programmeId);
        const timings = timingsOf(programme.policy);
        const enterprise = await lockEnterprise(tx, input.enterpriseId);
        if (!enterprise) throw refused('NOT_FOUND', 'ENTERPRISE_NOT_FOUND', 'the enterprise does not exist');
        const { submittedAt, ...submission } = input;
        const record = await recordSubmission(tx, submission, programme);
        if (record.status !== 'SUBMITTED') {
          // a retried step: the outcome is already recorded
          return { summary: await summaryOf(tx, record), timings, issues: record.eligibilityIssues };
        }
        const decideBy = new Date(Date.parse(submittedAt) + durationMs(timings.reviewEscalateAfter));
        return { ...(await checkIn(tx, { application: record, enterprise, programme, decideBy })), timings };
      });
    },

    /**
     * Checks every rule of the programme policy, for a resubmitted revision (and, in runs that began
     * before `submitAndCheckApplication`, the first). Submissions of one enterprise queue on its row,
     * so two racing applications cannot both pass the one-open-application rule.
     */
    async checkEligibility(input: {
      applicationId: string;
      /** when the review is escalated if nobody decides */
      decideBy: string;
    }): Promise<{ summary: ApplicationSummary; issues: EligibilityIssue[] }> {
      return inTransaction(db, async (tx) => {
        const application = await lockApplication(tx, input.applicationId);
        if (application.status !== 'SUBMITTED') {
          // a retried step: the outcome is already recorded
          return { summary: await summaryOf(tx, application), issues: application.eligibilityIssues };
        }
        const enterprise = await lockEnterprise(tx, application.enterpriseId);
        if (!enterprise) throw refused('NOT_FOUND', 'ENTERPRISE_NOT_FOUND', 'the enterprise does not exist');
        const programme = await programmeOf(tx, application.programmeId);
        return checkIn(tx, { application, enterprise, programme, decideBy: new Date(input.decideBy) });
      });
    },

    async rejectApplication(input: {
      applicationId: string;
      reason: string;
      actor: Actor;
      requestId: string | null;
    }): Promise<ApplicationSummary> {
      return decide(
        input.applicationId,
        input.actor,
        input.requestId,
        'APPLICATION_REJECTED',
        'reject',
        (application) => application.status === 'REJECTED',
        () => ({ status: 'REJECTED', decisionReason: input.reason, decidedAt: clock.now(), dueAt: null }),
      );
    },

    async requestInformation(input: {
      applicationId: string;
      message: string;
      /** when the application closes if the applicant does not answer */
      answerBy: string;
      actor: Actor;
      requestId: string | null;
    }): Promise<ApplicationSummary> {
      return decide(
        input.applicationId,
        input.actor,
        input.requestId,
        'INFORMATION_REQUESTED',
        'requestInformation',
        (application) => application.status === 'INFO_REQUESTED' && application.infoRequest === input.message,
        () => ({ status: 'INFO_REQUESTED', infoRequest: input.message, dueAt: new Date(input.answerBy) }),
      );
    },

    /** The SME's answer to a request for information: a new revision, checked again from the start. */
    async resubmitApplication(input: {
      applicationId: string;
      revision: number;
      note: string;
      requestedAmountFen?: Fen;
      purpose?: string;
      demand?: Demand;
      actor: Actor;
      requestId: string | null;
    }): Promise<ApplicationSummary> {
      return decide(
        input.applicationId,
        input.actor,
        input.requestId,
        'APPLICATION_RESUBMITTED',
        'resubmit',
        (application) => application.revision >= input.revision,
        () => ({
          status: 'SUBMITTED',
          dueAt: null,
          revision: input.revision,
          infoRequest: null,
          requestedAmountFen: input.requestedAmountFen,
          purpose: input.purpose,
          demand: input.demand,
          decisionReason: input.note,
        }),
      );
    },

    /** The applicant did not answer the request for information in time: the application closes. */
    async lapseApplication(input: { applicationId: string; reason: string }): Promise<ApplicationSummary> {
      return decide(
        input.applicationId,
        SYSTEM_ACTOR,
        null,
        'APPLICATION_LAPSED',
        'lapse',
        (application) => application.status === 'REJECTED',
        () => ({ status: 'REJECTED', decisionReason: input.reason, decidedAt: clock.now(), dueAt: null }),
      );
    },

    /** A reminder or escalation was sent: the timeline says so. */
    async recordApplicationEvent(input: {
      applicationId: string;
      action: string;
      note: string;
    }): Promise<void> {
      await inTransaction(db, (tx) =>
        recordChange(tx, {
          actor: SYSTEM_ACTOR,
          action: input.action,
          entityType: 'application',
          entityId: input.applicationId,
          after: { note: input.note },
        }),
      );
    },
  };

  /**
   * One decision step: lock; answer at once when already made (a retried step); refuse when the
   * status does not allow the step (domain/application.ts); change; audit.
   */
  async function decide(
    applicationId: string,
    actor: Actor,
    requestId: string | null,
    action: string,
    step: ApplicationStepName,
    done: (application: ApplicationRecord) => boolean,
    change: () => Parameters<typeof updateApplication>[2],
  ): Promise<ApplicationSummary> {
    return checkingStatus(() =>
      inTransaction(db, async (tx) => {
        const application = await lockApplication(tx, applicationId);
        if (done(application)) return summaryOf(tx, application);
        expectApplicationStep(step, application.status);
        const changes = change();
        const updated = await updateApplication(tx, applicationId, changes);
        await recordChange(tx, {
          actor,
          requestId,
          action,
          entityType: 'application',
          entityId: applicationId,
          before: snapshot(application),
          after: snapshot(updated),
        });
        return summaryOf(tx, updated);
      }),
    );
  }
}
