import { useTranslation } from 'react-i18next';
import type { Policy } from '../api/types';
import { dynamicText } from '../i18n/dynamic';
import { Money } from '../ui/Money';

/** A duration as the policy states it (`48h`, `7d`, `30s`) in words. */
export function DurationWords({ value }: { value: string }) {
  const { t } = useTranslation();
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(value);
  if (!match) return <>{value}</>;
  return <>{t(`duration.${match[2] as 'ms' | 's' | 'm' | 'h' | 'd'}`, { count: Number(match[1]) })}</>;
}

/** A ratio in basis points as a percentage: integer arithmetic, one decimal only when needed. */
export function percent(bps: number): string {
  const whole = (bps - (bps % 100)) / 100;
  const rest = bps % 100;
  return rest === 0 ? `${whole}%` : `${whole}.${String(rest).padStart(2, '0').replace(/0$/, '')}%`;
}

/** A programme's rules, each in one plain sentence, as an applicant needs to know them. */
export function PolicyWords({ policy, regionCode }: { policy: Policy; regionCode: string }) {
  const { t, i18n } = useTranslation();
  // 检测、检验和计量 / Testing, Inspection, and Metrology
  const list = (items: string[]) => new Intl.ListFormat(i18n.language, { type: 'conjunction' }).format(items);
  const regions = policy.eligibility.regions?.length ? policy.eligibility.regions : [regionCode];
  return (
    <dl className="policy">
      <dt>{t('policy.subsidy')}</dt>
      <dd>{t('policy.subsidyText', { percent: percent(policy.subsidyRatioBps) })}</dd>
      <dt>{t('policy.voucherCap')}</dt>
      <dd>
        {t('policy.voucherCapText')} <Money fen={policy.voucherCapFen} />
      </dd>
      <dt>{t('policy.annualCap')}</dt>
      <dd>
        {t('policy.annualCapText')} <Money fen={policy.enterpriseAnnualCapFen} />
      </dd>
      <dt>{t('policy.who')}</dt>
      <dd>
        {t('policy.whoText', { employees: policy.eligibility.maxEmployees, regions: list(regions) })}{' '}
        <Money fen={policy.eligibility.maxAnnualRevenueFen} />
        {policy.eligibility.requiredTags.length
          ? ` ${t('policy.tagsText', { tags: list(policy.eligibility.requiredTags.map((tag) => dynamicText(t, 'tag', tag))) })}`
          : ''}
      </dd>
      <dt>{t('policy.categories')}</dt>
      <dd>{list(policy.eligibleCategories.map((c) => dynamicText(t, 'category', c)))}</dd>
      <dt>{t('policy.validity')}</dt>
      <dd>
        {t('policy.validityText')} <DurationWords value={policy.voucherValidity} />
      </dd>
      <dt>{t('policy.oneOpen')}</dt>
      <dd>{policy.oneOpenPerEnterprise ? t('policy.oneOpenYes') : t('policy.oneOpenNo')}</dd>
      <dt>{t('policy.crossRegion')}</dt>
      <dd>{policy.crossRegionAllowed ? t('policy.crossRegionYes') : t('policy.crossRegionNo')}</dd>
      <dt>{t('policy.confirm')}</dt>
      <dd>
        {t('policy.confirmText')} <DurationWords value={policy.providerConfirmWithin} />
      </dd>
      <dt>{t('policy.acceptance')}</dt>
      <dd>
        {t('policy.acceptanceText')} <DurationWords value={policy.acceptanceWithin} />
      </dd>
    </dl>
  );
}
