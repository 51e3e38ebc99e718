import { randomUUID } from 'node:crypto';
import { applicationMay } from '../domain/application';
import type { Actor } from '../domain/audit';
import { localDate, yearOf } from '../domain/calendar';
import { formatYuan, type Fen } from '../domain/money';
import { validityWindow, voucherCode } from '../domain/voucher';
import { lockApplication, othersOf, updateApplication } from '../db/repositories/applications';
import { lockEnterprise } from '../db/repositories/enterprises';
import { InsufficientFunds, move } from '../db/repositories/ledger';
import { findVoucherOfApplication, insertVoucher } from '../db/repositories/vouchers';
import { inTransaction } from '../db/tx';
import { programmeOf, snapshot, voucherSummary, yearRange, type VoucherSummary } from './application-state';
import { recordChange } from './context';
import type { ActivityDeps } from './deps';
import { refused } from './refusal';

export type ApprovalResult =
  | { ok: true; voucher: VoucherSummary }
  | {
      ok: false;
      code: 'BUDGET_EXHAUSTED' | 'ANNUAL_CAP_EXCEEDED';
      message: string;
      details: Record<string, number>;
    };

export function createApprovalActivities({ db, clock }: ActivityDeps) {
  return {
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
          if (!applicationMay('approve', application.status)) {
            throw refused('CONFLICT', 'NOT_UNDER_REVIEW', `the application is ${application.status}`, {
              status: application.status,
            });
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
              message: `the enterprise has ${formatYuan(usedThisYearFen)} of its ${formatYuan(cap)} annual cap in use; approve at most ${formatYuan(Math.max(0, cap - usedThisYearFen))}`,
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
            oneOpenRule: programme.policy.oneOpenPerEnterprise,
          });
          const approved = await updateApplication(tx, application.id, {
            status: 'APPROVED',
            approvedAmountFen: input.amountFen,
            decisionReason: input.note,
            decidedAt: now,
            dueAt: null,
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
            message: `the programme has ${formatYuan(error.balanceFen)} available; approving ${formatYuan(input.amountFen)} would overspend it — approve a lower amount, reject, or wait for budget to be released`,
            details: { availableFen: error.balanceFen, amountFen: input.amountFen },
          };
        }
        throw error;
      }
    },
  };
}
