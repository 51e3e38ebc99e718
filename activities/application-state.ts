import type { ApplicationRecord, VoucherRecord } from '../domain/application';
import type { JsonValue } from '../domain/audit';
import { capYearRange } from '../domain/eligibility';
import type { Fen } from '../domain/money';
import type { Policy } from '../domain/policy';
import { applicationNames } from '../db/repositories/applications';
import { findProgramme, type ProgrammeRecord } from '../db/repositories/programmes';
import type { Tx } from '../db/tx';
import { refused } from './refusal';

/** The programme's deadlines, as they stood when the application was submitted (docs/policy.md). */
export type ProcessTimings = Pick<
  Policy,
  | 'reviewReminderAfter'
  | 'reviewEscalateAfter'
  | 'infoResponseWithin'
  | 'expiryWarnings'
  | 'providerConfirmWithin'
  | 'samplesWithin'
  | 'reportGrace'
  | 'acceptanceWithin'
  | 'copaymentWithin'
  | 'copaymentGrace'
  | 'dayLength'
>;

export function timingsOf(policy: Policy): ProcessTimings {
  return {
    reviewReminderAfter: policy.reviewReminderAfter,
    reviewEscalateAfter: policy.reviewEscalateAfter,
    infoResponseWithin: policy.infoResponseWithin,
    expiryWarnings: policy.expiryWarnings,
    providerConfirmWithin: policy.providerConfirmWithin,
    samplesWithin: policy.samplesWithin,
    reportGrace: policy.reportGrace,
    acceptanceWithin: policy.acceptanceWithin,
    copaymentWithin: policy.copaymentWithin,
    copaymentGrace: policy.copaymentGrace,
    dayLength: policy.dayLength,
  };
}

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

export interface VoucherSummary {
  voucherId: string;
  code: string;
  faceValueFen: Fen;
  validFrom: string;
  validUntil: string;
}

/** The part of an application its audit entries record, before and after each step. */
export function snapshot(application: ApplicationRecord): JsonValue {
  return {
    status: application.status,
    requestedAmountFen: application.requestedAmountFen,
    approvedAmountFen: application.approvedAmountFen,
    revision: application.revision,
    decisionReason: application.decisionReason,
    infoRequest: application.infoRequest,
  };
}

export function voucherSummary(voucher: VoucherRecord): VoucherSummary {
  return {
    voucherId: voucher.id,
    code: voucher.code,
    faceValueFen: voucher.faceValueFen,
    validFrom: voucher.validFrom.toISOString(),
    validUntil: voucher.validUntil.toISOString(),
  };
}

/** The calendar year (Asia/Shanghai, UTC+8 all year round) the annual cap counts in, as an instant range. */
export function yearRange(now: Date): { yearStart: Date; yearEnd: Date } {
  const { yearStart, yearEnd } = capYearRange(now);
  return { yearStart, yearEnd };
}

export async function summaryOf(tx: Tx, application: ApplicationRecord): Promise<ApplicationSummary> {
  const names = await applicationNames(tx, application);
  return {
    applicationId: application.id,
    programmeId: application.programmeId,
    programmeName: names.programmeName,
    enterpriseId: application.enterpriseId,
    enterpriseName: names.enterpriseName,
    status: application.status,
    requestedAmountFen: application.requestedAmountFen,
    revision: application.revision,
  };
}

export async function programmeOf(tx: Tx, id: string): Promise<ProgrammeRecord> {
  const programme = await findProgramme(tx, id);
  if (!programme) throw refused('NOT_FOUND', 'PROGRAMME_NOT_FOUND', `programme ${id} does not exist`);
  return programme;
}
