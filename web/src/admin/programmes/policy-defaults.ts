import './zod-no-eval';
import { SERVICE_CATEGORIES } from '@domain/catalog';
import { ENTERPRISE_TAGS } from '@domain/enterprise';
import { DEFAULT_POLICY } from '@domain/policy';
import { draftValue, RULES, ruleValue, type PolicyDraft, type Rule, type RuleValue } from './policy-rules';

/*
 * The service's own defaults: `DEFAULT_POLICY` is the policy schema's parse of an empty policy, so the
 * form starts where the service would. Only the form needs them (the schema brings the cron reader).
 */

export const TAGS = ENTERPRISE_TAGS;
export const CATEGORIES = SERVICE_CATEGORIES;

/** The form as the service's defaults set it. */
export function defaultDraft(): PolicyDraft {
  return Object.fromEntries(
    RULES.map((r) => [r.key, draftValue(r, ruleValue(DEFAULT_POLICY, r))]),
  ) as PolicyDraft;
}

export function defaultValue(rule: Rule): RuleValue {
  return ruleValue(DEFAULT_POLICY, rule);
}
