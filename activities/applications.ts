import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import type { ApplicationRecord, VoucherRecord } from '../domain/application';
import { SYSTEM_ACTOR, type Actor, type JsonValue } from '../domain/audit';
import { localDate, yearOf } from '../domain/calendar';
import type { Demand } from '../domain/demand';
import { eligibilityIssues, type EligibilityIssue } from '../domain/eligibility';
import type { Fen } from '../domain/money';
import { validityWindow, voucherCode } from '../domain/voucher';
import {
  insertApplication,
  lockApplication,
  othersOf,
  updateApplication,
  type NewApplication,
} from '../db/repositories/applications';
import { lockEnterprise } from '../db/repositories/enterprises';
import { InsufficientFunds, move } from '../db/repositories/ledger';
import { findProgramme, type ProgrammeRecord } from '../db/repositories/programmes';
import { findVoucherOfApplication, insertVoucher } from '../db/repositories/vouchers';
import { inTransaction, type Tx } from '../db/tx';
import { recordChange } from './context';
import type { ActivityDeps } from './deps';

/** What the workflow and the e-mails need to know about an application after each step. */
export interface ApplicationSummary {
  applicationId: string;
  programmeId: string;
  programmeName: string;
  enterpriseId: string;
  enterpriseName: string;
  status: ApplicationRecord['status'];
  requestedAmountFen: Fen;
  revision: number;
}

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

export interface VoucherSummary {
  voucherId: string;
  code: string;
  faceValueFen: Fen;
  validFrom: string;
  validUntil: string;
}

export type ApprovalResult =
  | { ok: true; voucher: VoucherSummary }
  | {
      ok: false;
      code: 'BUDGET_EXHAUSTED' | 'ANNUAL_CAP_EXCEEDED';
      message: string;
      details: Record<string, number>;
    };

const yuan = (fen: Fen) => `${(fen / 100).toFixed(2)} CNY`;

function snapshot(application: ApplicationRecord): JsonValue {
  return {
    status: application.status,
    requestedAmountFen: application.requestedAmountFen,
    approvedAmountFen: application.approvedAmountFen,
    revision: application.revision,
    decisionReason: application.decisionReason,
    infoRequest: application.infoRequest,
  };
}

function voucherSummary(voucher: VoucherRecord): VoucherSummary {
  return {
    voucherId: voucher.id,
    code: voucher.code,
    faceValueFen: voucher.faceValueFen,
    validFrom: voucher.validFrom.toISOString(),
    validUntil: voucher.validUntil.toISOString(),
  };
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

/** The calendar year (Asia/Shanghai, UTC+8 all year round) the annual cap counts in, as an instant range. */
function yearRange(now: Date): { yearStart: Date; yearEnd: Date } {
  const year = yearOf(localDate(now));
  return {
    yearStart: new Date(`${year}-01-01T00:00:00+08:00`),
    yearEnd: new Date(`${year + 1}-01-01T00:00:00+08:00`),
  };
}

export function createApplicationActivities({ db, clock }: ActivityDeps) {
  async function summaryOf(tx: Tx, application: ApplicationRecord): Promise<ApplicationSummary> {
    const [programme, enterprise] = await Promise.all([
      tx.programme.findUniqueOrThrow({ where: { id: application.programmeId }, select: { name: true } }),
      tx.enterprise.findUniqueOrThrow({ where: { id: application.enterpriseId }, select: { name: true } }),
    ]);
    return {
      applicationId: application.id,
      programmeId: application.programmeId,
      programmeName: programme.name,
      enterpriseId: application.enterpriseId,
      enterpriseName: enterprise.name,
      status: application.status,
      requestedAmountFen: application.requestedAmountFen,
      revision: application.revision,
    };
  }

  async function programmeOf(tx: Tx, id: string): Promise<ProgrammeRecord> {
    const programme = await findProgramme(tx, id);
    if (!programme) throw ApplicationFailure.nonRetryable(`programme ${id} does not exist`, 'NotFound');
    return programme;
  }

  return {
    /** Records the submission (once) and hands the workflow the programme's review timings. */
    async submitApplication(
      input: NewApplication & { actor: Actor; requestId: string | null },
    ): Promise<{ summary: ApplicationSummary; timings: ReviewTimings }> {
      return inTransaction(db, async (tx) => {
        const programme = await programmeOf(tx, input.programmeId);
        const { actor, requestId, ...application } = input;
        const { record, created } = await insertApplication(tx, application);
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

    /**
     * Approves (possibly a lower amount): reserves the budget and issues the voucher in one
     * transaction. Refuses, moving nothing, when the programme's available budget or the
     * enterprise's annual cap cannot take the amount.
     */
    async approveApplication(input: {
      applicationId: string;
      amountFen: Fen;
      note: string | null;
      actor: Actor;
      requestId: string | null;
    }): Promise<ApprovalResult> {
      try {
        return await inTransaction(db, async (tx): Promise<ApprovalResult> => {
          const application = await lockApplication(tx, input.applicationId);
          const existing = await findVoucherOfApplication(tx, application.id);
          if (existing) return { ok: true, voucher: voucherSummary(existing) };
          if (application.status !== 'UNDER_REVIEW') {
            throw ApplicationFailure.nonRetryable(`application is ${application.status}`, 'Conflict');
          }
          await lockEnterprise(tx, application.enterpriseId);
          const programme = await programmeOf(tx, application.programmeId);
          const now = clock.now();
          const { usedThisYearFen } = await othersOf(tx, {
            programmeId: application.programmeId,
            enterpriseId: application.enterpriseId,
            excludeApplicationId: application.id,
            ...yearRange(now),
          });
          const cap = programme.policy.enterpriseAnnualCapFen;
          if (usedThisYearFen + input.amountFen > cap) {
            return {
              ok: false,
              code: 'ANNUAL_CAP_EXCEEDED',
              message: `the enterprise has ${yuan(usedThisYearFen)} of its ${yuan(cap)} annual cap in use; approve at most ${yuan(Math.max(0, cap - usedThisYearFen))}`,
              details: { usedThisYearFen, enterpriseAnnualCapFen: cap, amountFen: input.amountFen },
            };
          }

          const voucherId = randomUUID();
          await move(tx, {
            programmeId: programme.id,
            movement: 'RESERVE',
            amountFen: input.amountFen,
            idempotencyKey: `application/${application.id}/reserve`,
            memo: `voucher for application ${application.id}`,
            voucherId,
          });
          const voucher = await insertVoucher(tx, {
            id: voucherId,
            code: voucherCode(voucherId, yearOf(localDate(now))),
            applicationId: application.id,
            programmeId: programme.id,
            enterpriseId: application.enterpriseId,
            faceValueFen: input.amountFen,
            ...validityWindow(now, programme.policy),
            workflowId: application.workflowId,
            issuedAt: now,
          });
          const approved = await updateApplication(tx, application.id, {
            status: 'APPROVED',
            approvedAmountFen: input.amountFen,
            decisionReason: input.note,
            decidedAt: now,
          });
          await recordChange(tx, {
            actor: input.actor,
            requestId: input.requestId,
            action: 'APPLICATION_APPROVED',
            entityType: 'application',
            entityId: application.id,
            before: snapshot(application),
            after: snapshot(approved),
          });
          await recordChange(tx, {
            actor: input.actor,
            requestId: input.requestId,
            action: 'VOUCHER_ISSUED',
            entityType: 'voucher',
            entityId: voucher.id,
            after: {
              code: voucher.code,
              faceValueFen: voucher.faceValueFen,
              validUntil: voucher.validUntil.toISOString(),
              reservedFromBudgetFen: input.amountFen,
            },
          });
          return { ok: true, voucher: voucherSummary(voucher) };
        });
      } catch (error) {
        if (error instanceof InsufficientFunds) {
          return {
            ok: false,
            code: 'BUDGET_EXHAUSTED',
            message: `the programme has ${yuan(error.balanceFen)} available; approving ${yuan(input.amountFen)} would overspend it — approve a lower amount, reject, or wait for budget to be released`,
            details: { availableFen: error.balanceFen, amountFen: input.amountFen },
          };
        }
        throw error;
      }
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
