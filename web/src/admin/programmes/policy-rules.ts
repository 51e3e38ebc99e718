import type { Policy } from '../../api/types';
import { parseYuan, yuanDigits } from '../../ui/money';

/**
 * Every rule of a programme's policy as the pages show and edit it, grouped as the form asks for them.
 */
export type RuleKind =
  'percent' | 'fen' | 'count' | 'duration' | 'durations' | 'regions' | 'flag' | 'tags' | 'categories';

export type RuleKey =
  | 'subsidyRatioBps'
  | 'voucherCapFen'
  | 'enterpriseAnnualCapFen'
  | 'autoApproveClaimsBelowFen'
  | 'secondApprovalAboveFen'
  | 'maxEmployees'
  | 'maxAnnualRevenueFen'
  | 'regions'
  | 'requiredTags'
  | 'eligibleCategories'
  | 'oneOpenPerEnterprise'
  | 'voucherValidity'
  | 'expiryWarnings'
  | 'crossRegionAllowed'
  | 'crossRegionAreas'
  | 'reviewReminderAfter'
  | 'reviewEscalateAfter'
  | 'infoResponseWithin'
  | 'providerConfirmWithin'
  | 'samplesWithin'
  | 'reportGrace'
  | 'acceptanceWithin'
  | 'copaymentWithin'
  | 'copaymentGrace'
  | 'dayLength'
  | 'approvalsExpireAfter';

export interface Rule {
  key: RuleKey;
  kind: RuleKind;
  /** where the rule sits in the policy: the field name the service's refusals use, after `policy.` */
  path: string;
}

export type RuleGroup = 'money' | 'eligibility' | 'vouchers' | 'deadlines';

const rule = (key: RuleKey, kind: RuleKind, path: string = key): Rule => ({ key, kind, path });

export const RULE_GROUPS: { group: RuleGroup; rules: Rule[] }[] = [
  {
    group: 'money',
    rules: [
      rule('subsidyRatioBps', 'percent'),
      rule('voucherCapFen', 'fen'),
      rule('enterpriseAnnualCapFen', 'fen'),
      rule('autoApproveClaimsBelowFen', 'fen'),
      rule('secondApprovalAboveFen', 'fen'),
    ],
  },
  {
    group: 'eligibility',
    rules: [
      rule('maxEmployees', 'count', 'eligibility.maxEmployees'),
      rule('maxAnnualRevenueFen', 'fen', 'eligibility.maxAnnualRevenueFen'),
      rule('regions', 'regions', 'eligibility.regions'),
      rule('requiredTags', 'tags', 'eligibility.requiredTags'),
      rule('eligibleCategories', 'categories'),
      rule('oneOpenPerEnterprise', 'flag'),
    ],
  },
  {
    group: 'vouchers',
    rules: [
      rule('voucherValidity', 'duration'),
      rule('expiryWarnings', 'durations'),
      rule('crossRegionAllowed', 'flag'),
      rule('crossRegionAreas', 'regions'),
    ],
  },
  {
    group: 'deadlines',
    rules: [
      rule('reviewReminderAfter', 'duration'),
      rule('reviewEscalateAfter', 'duration'),
      rule('infoResponseWithin', 'duration'),
      rule('providerConfirmWithin', 'duration'),
      rule('samplesWithin', 'duration'),
      rule('reportGrace', 'duration'),
      rule('acceptanceWithin', 'duration'),
      rule('copaymentWithin', 'duration'),
      rule('copaymentGrace', 'duration'),
      rule('dayLength', 'duration'),
      rule('approvalsExpireAfter', 'duration'),
    ],
  },
];

export const RULES: Rule[] = RULE_GROUPS.flatMap((g) => g.rules);

/** A rule's value as the policy holds it (undefined: a rule the policy leaves to the programme region). */
export type RuleValue = number | string | boolean | string[] | undefined;

export function ruleValue(policy: Policy, rule: Rule): RuleValue {
  const [first, second] = rule.path.split('.') as [string, string | undefined];
  const holder = policy as unknown as Record<string, unknown>;
  const value = second ? (holder[first] as Record<string, unknown>)[second] : holder[first];
  return value as RuleValue;
}

/** A rule's value in the form: text for what is typed, a flag, or the codes ticked. */
export type DraftValue = string | boolean | string[];
export type PolicyDraft = Record<RuleKey, DraftValue>;

/** `5000` basis points → `"50"`, `1250` → `"12.5"` */
export function percentText(bps: number): string {
  const whole = Math.trunc(bps / 100);
  const rest = bps % 100;
  return rest === 0 ? String(whole) : `${whole}.${String(rest).padStart(2, '0').replace(/0$/, '')}`;
}

/** `"12.5"` → `1250` basis points, or null when it is not a percentage with at most two decimals */
export function parsePercent(text: string): number | null {
  const match = /^(\d{1,3})(?:\.(\d{1,2}))?\s*%?$/.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

export function parseCount(text: string): number | null {
  return /^\d{1,9}$/.test(text.trim()) ? Number(text.trim()) : null;
}

/** Codes or durations typed in one field, separated by commas or spaces. */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,，、;；]+/)
    .map((part) => part.trim())
    .filter(Boolean);
}

export function draftValue(rule: Rule, value: RuleValue): DraftValue {
  switch (rule.kind) {
    case 'percent':
      return percentText(value as number);
    case 'fen':
      return yuanDigits(value as number)
        .replaceAll(',', '')
        .replace(/\.00$/, '');
    case 'count':
      return String(value);
    case 'duration':
      return value as string;
    case 'durations':
    case 'regions':
      return ((value as string[] | undefined) ?? []).join(', ');
    case 'flag':
      return value as boolean;
    case 'tags':
    case 'categories':
      return [...(value as string[])];
  }
}

/** What the page can tell is not even a value of the rule's kind (the service judges the rest). */
export function draftProblem(rule: Rule, value: DraftValue): 'percent' | 'amount' | 'count' | null {
  if (typeof value !== 'string') return null;
  if (rule.kind === 'percent') return parsePercent(value) === null ? 'percent' : null;
  if (rule.kind === 'fen') return parseYuan(value) === null ? 'amount' : null;
  if (rule.kind === 'count') return parseCount(value) === null ? 'count' : null;
  return null;
}

function inputValue(rule: Rule, value: DraftValue): unknown {
  switch (rule.kind) {
    case 'percent':
      return parsePercent(value as string);
    case 'fen':
      return parseYuan(value as string);
    case 'count':
      return parseCount(value as string);
    case 'duration':
      return (value as string).trim();
    case 'durations':
    case 'regions':
      return splitList(value as string);
    default:
      return value;
  }
}

/**
 * The policy to send, every rule set; the payout schedule is left out when the service's default is to
 * apply, and the applicants' regions when the programme region is.
 */
export function policyInput(draft: PolicyDraft, payoutSchedule: string | undefined): Policy {
  const policy: Record<string, unknown> = {};
  const eligibility: Record<string, unknown> = {};
  for (const r of RULES) {
    const value = inputValue(r, draft[r.key]);
    // no regions named: the programme region is the rule, as the service reads an absent list
    if (r.key === 'regions' && (value as string[]).length === 0) continue;
    const [first, second] = r.path.split('.') as [string, string | undefined];
    if (second) eligibility[second] = value;
    else policy[first] = value;
  }
  return {
    ...policy,
    eligibility,
    ...(payoutSchedule === undefined ? {} : { payoutSchedule }),
  } as Policy;
}
