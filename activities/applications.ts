import { ApplicationFailure } from '@temporalio/activity';
import type { ApplicationRecord } from '../domain/application';
import { SYSTEM_ACTOR, type Actor } from '../domain/audit';
import type { Demand } from '../domain/demand';
import { eligibilityIssues, type EligibilityIssue } from '../domain/eligibility';
import type { Fen } from '../domain/money';
import {
  insertApplication,
  lockApplication,
  othersOf,
  updateApplication,
  type NewApplication,
} from '../db/repositories/applications';
import { lockEnterprise } from '../db/repositories/enterprises';
import { inTransaction } from '../db/tx';
import { programmeOf, snapshot, summaryOf, yearRange, type ApplicationSummary } from './application-state';
import { recordChange } from './context';
import type { ActivityDeps } from './deps';

/** The programme's deadlines, as they stood when the application was submitted. */
export interface ReviewTimings {
  reviewReminderAfter: string;
  reviewEscalateAfter: string;
  expiryWarnings: string[];
  providerConfirmWithin: string;
  reportGrace: string;
  acceptanceWithin: string;
  dayLength: string;
}

/** The workflow orders the steps; reaching one in another state is a defect, never retried. */
function expectStatus(application: ApplicationRecord, allowed: ApplicationRecord['status'][]): void {
  if (!allowed.includes(application.status)) {
    throw ApplicationFailure.nonRetryable(
      `application ${application.id} is ${application.status}, expected ${allowed.join(' or ')}`,
      'Conflict',
    );
  }
}

export function createApplicationActivities({ db, clock }: ActivityDeps) {
  return {
    /** Records the submission (once) and hands the workflow the programme's review timings. */
    async submitApplication(
      input: NewApplication & { actor: Actor; requestId: string | null },
    ): Promise<{ summary: ApplicationSummary; timings: ReviewTimings }> {
      return inTransaction(db, async (tx) => {
        const programme = await programmeOf(tx, input.programmeId);
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
        return {
          summary: await summaryOf(tx, record),
          timings: {
            reviewReminderAfter: programme.policy.reviewReminderAfter,
            reviewEscalateAfter: programme.policy.reviewEscalateAfter,
            expiryWarnings: programme.policy.expiryWarnings,
            providerConfirmWithin: programme.policy.providerConfirmWithin,
            reportGrace: programme.policy.reportGrace,
            acceptanceWithin: programme.policy.acceptanceWithin,
            dayLength: programme.policy.dayLength,
          },
        };
      });
    },

    /**
     * Checks every rule of the programme policy. Submissions of one enterprise queue on its row, so
     * two racing applications cannot both pass the one-open-application rule.
     */
    async checkEligibility(input: {
      applicationId: string;
    }): Promise<{ summary: ApplicationSummary; issues: EligibilityIssue[] }> {
      return inTransaction(db, async (tx) => {
        let application = await lockApplication(tx, input.applicationId);
        if (application.status !== 'SUBMITTED') {
          // a retried step: the outcome is already recorded
          return { summary: await summaryOf(tx, application), issues: application.eligibilityIssues };
        }
        const enterprise = await lockEnterprise(tx, application.enterpriseId);
        if (!enterprise) throw ApplicationFailure.nonRetryable('enterprise vanished', 'NotFound');
        const programme = await programmeOf(tx, application.programmeId);
        const others = await othersOf(tx, {
          programmeId: application.programmeId,
          enterpriseId: application.enterpriseId,
          excludeApplicationId: application.id,
          ...yearRange(clock.now()),
        });
        const issues = eligibilityIssues({
          enterprise,
          programme,
          policy: programme.policy,
          requestedAmountFen: application.requestedAmountFen,
          demand: application.demand,
          others,
        });
        const before = snapshot(application);
        application = await updateApplication(tx, application.id, {
          status: issues.length ? 'REJECTED' : 'UNDER_REVIEW',
          eligibilityIssues: issues,
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
        (application) => {
          if (application.status === 'REJECTED') return null;
          expectStatus(application, ['UNDER_REVIEW', 'INFO_REQUESTED']);
          return { status: 'REJECTED', decisionReason: input.reason, decidedAt: clock.now() };
        },
      );
    },

    async requestInformation(input: {
      applicationId: string;
      message: string;
      actor: Actor;
      requestId: string | null;
    }): Promise<ApplicationSummary> {
      return decide(
        input.applicationId,
        input.actor,
        input.requestId,
        'INFORMATION_REQUESTED',
        (application) => {
          if (application.status === 'INFO_REQUESTED' && application.infoRequest === input.message)
            return null;
          expectStatus(application, ['UNDER_REVIEW']);
          return { status: 'INFO_REQUESTED', infoRequest: input.message };
        },
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
        (application) => {
          if (application.revision >= input.revision) return null;
          expectStatus(application, ['INFO_REQUESTED']);
          return {
            status: 'SUBMITTED',
            revision: input.revision,
            infoRequest: null,
            requestedAmountFen: input.requestedAmountFen,
            purpose: input.purpose,
            demand: input.demand,
            decisionReason: input.note,
          };
        },
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

  /** One decision step: lock, skip when already made (a retried step), change, audit. */
  async function decide(
    applicationId: string,
    actor: Actor,
    requestId: string | null,
    action: string,
    change: (application: ApplicationRecord) => Parameters<typeof updateApplication>[2] | null,
  ): Promise<ApplicationSummary> {
    return inTransaction(db, async (tx) => {
      const application = await lockApplication(tx, applicationId);
      const changes = change(application);
      if (!changes) return summaryOf(tx, application);
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
    });
  }
}
