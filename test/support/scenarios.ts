import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { withCheckCharacter } from '../../domain/credit-code';
import { ledgerViolations, type Balances } from '../../domain/ledger';
import type { PolicyInput } from '../../domain/policy';
import type { TestApi } from './api';

export interface Caller {
  token: string;
  userId: string;
}

/** A valid, unique unified social credit code for a test enterprise in the given division. */
export function creditCodeFor(division = '310115'): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  let tail = '';
  for (const byte of randomUUID().replaceAll('-', '').slice(0, 9))
    tail += alphabet[parseInt(byte, 16) % alphabet.length];
  return withCheckCharacter(`91${division}${tail}`);
}

/** Short durations so that a programme's days pass in seconds. */
export const FAST_POLICY: PolicyInput = {
  reviewReminderAfter: '1h',
  reviewEscalateAfter: '2h',
  voucherValidity: '1h',
  expiryWarnings: ['30m', '10m'],
};

export async function givenProgramme(
  api: TestApi,
  admin: Caller,
  options: { budgetFen?: number; policy?: PolicyInput; regionCode?: string; name?: string } = {},
): Promise<{ id: string; budgetFen: number }> {
  const res = await api.call<{ id: string; budgetFen: number }>('POST', '/api/v1/programs', {
    token: admin.token,
    body: {
      name: options.name ?? `上海市中小企业检测券 ${randomUUID().slice(0, 6)}`,
      authority: '上海市经济和信息化委员会',
      year: 2026,
      regionCode: options.regionCode ?? '310000',
      budgetFen: options.budgetFen ?? 100_000_000,
      policy: { ...FAST_POLICY, ...options.policy },
    },
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

export interface EnterpriseOverrides {
  regionCode?: string;
  employees?: number;
  annualRevenueFen?: number;
  tags?: string[];
  name?: string;
}

/** An SME user with a registered enterprise, through the API. */
export async function givenSme(
  api: TestApi,
  overrides: EnterpriseOverrides = {},
  locale: 'zh-CN' | 'en' = 'zh-CN',
): Promise<Caller & { enterpriseId: string; email: string }> {
  const { user, token, email } = await api.givenUser('SME', { locale });
  const regionCode = overrides.regionCode ?? '310115';
  const res = await api.call<{ id: string }>('POST', '/api/v1/enterprises', {
    token,
    body: {
      creditCode: creditCodeFor(regionCode),
      name: overrides.name ?? `上海精测电子科技有限公司 ${randomUUID().slice(0, 4)}`,
      regionCode,
      industryCode: 'C3989',
      employees: overrides.employees ?? 85,
      annualRevenueFen: overrides.annualRevenueFen ?? 4_500_000_000,
      legalRepresentative: '陈立',
      contactPhone: '021-62345678',
      address: '上海市浦东新区张江路 88 号',
      tags: overrides.tags ?? ['SPECIALIZED_INNOVATIVE'],
    },
  });
  expect(res.status, res.text).toBe(201);
  return { token, userId: user.id, enterpriseId: res.body.id, email };
}

export async function givenAdmin(api: TestApi): Promise<Caller & { email: string }> {
  const { user, token, email } = await api.givenUser('ADMIN');
  return { token, userId: user.id, email };
}

export const DEMAND = {
  standards: ['GB/T 2423.1-2008', 'iec 61000-4-2:2008'],
  category: 'TESTING',
  sampleCount: 3,
  latestCompletionDate: '2027-06-30',
  description: '工业控制主板环境与静电放电抗扰度试验',
};

export interface ApplicationBody {
  id: string;
  status: string;
  voucherId: string | null;
  eligibilityIssues: { rule: string }[];
  timeline?: { action: string }[];
}

export function apply(api: TestApi, sme: Caller, programmeId: string, requestedAmountFen = 1_000_000) {
  return api.call<ApplicationBody>('POST', '/api/v1/applications', {
    token: sme.token,
    body: { programmeId, requestedAmountFen, purpose: '产品出口前的型式试验', demand: DEMAND },
  });
}

export async function givenApplication(
  api: TestApi,
  sme: Caller,
  programmeId: string,
  requestedAmountFen = 1_000_000,
) {
  const res = await apply(api, sme, programmeId, requestedAmountFen);
  expect(res.status, res.text).toBe(201);
  return res.body;
}

export function decide(
  api: TestApi,
  admin: Caller,
  applicationId: string,
  body: object,
  headers?: Record<string, string>,
) {
  return api.call<ApplicationBody>('POST', `/api/v1/applications/${applicationId}/decision`, {
    token: admin.token,
    body,
    headers,
  });
}

export async function givenApprovedVoucher(
  api: TestApi,
  admin: Caller,
  sme: Caller,
  programmeId: string,
  amountFen = 1_000_000,
): Promise<{ applicationId: string; voucherId: string }> {
  const application = await givenApplication(api, sme, programmeId, amountFen);
  const res = await decide(api, admin, application.id, { decision: 'APPROVE' });
  expect(res.status, res.text).toBe(200);
  return { applicationId: application.id, voucherId: res.body.voucherId! };
}

/** The ledger invariants (docs/policy.md, "Budget and ledger"), from the account rows and again from the postings. */
export async function expectLedgerBalanced(api: TestApi, programmeId: string): Promise<Balances> {
  const programme = await api.deps.repos.programmes.findById(programmeId);
  const balances = await api.deps.repos.ledger.balances(programmeId);
  expect(ledgerViolations(balances, programme!.budgetFen)).toEqual([]);
  const fromPostings = await api.deps.repos.ledger.balancesFromPostings(programmeId);
  expect({ ...fromPostings, AVAILABLE: fromPostings.AVAILABLE + programme!.budgetFen }).toEqual(balances);
  return balances;
}

export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
