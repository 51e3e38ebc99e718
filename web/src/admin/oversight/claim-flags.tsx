import { Link } from '@tanstack/react-router';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { components } from '../../api/schema';
import { dynamicText } from '../../i18n/dynamic';
import { formatFen } from '../../ui/money';
import { formatInstant } from '../../ui/dates';

type RiskFlag = components['schemas']['RiskFlag'];

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/** The evidence behind a flag, as the service recorded it when it raised the flag. */
function Evidence({ flag, t, locale }: { flag: RiskFlag; t: TFunction; locale: string }): ReactNode {
  const d = flag.details;
  const fen = (key: string) => (typeof d[key] === 'number' ? formatFen(d[key], locale) : null);
  const instant = (key: string) => (typeof d[key] === 'string' ? formatInstant(d[key], locale) : '?');
  const field = (name: string) => dynamicText(t, 'provider.claims.sharedField', name);
  switch (flag.code) {
    case 'RELATED_PARTY': {
      const fields = strings(d.sharedFields);
      const [enterprise, provider] = [strings(d.enterpriseValues), strings(d.providerValues)];
      // a claim flagged before the values were recorded names the fields only
      if (enterprise.length !== fields.length || provider.length !== fields.length) {
        return t('admin.oversight.claims.evidence.sharedOnly', {
          fields: fields.map(field).join(locale === 'en' ? ', ' : '、'),
        });
      }
      return (
        <ul>
          {fields.map((name, i) => (
            <li key={name} data-shared-field={name}>
              {t('admin.oversight.claims.evidence.sharedValue', {
                field: field(name),
                enterprise: enterprise[i],
                provider: provider[i],
              })}
            </li>
          ))}
        </ul>
      );
    }
    case 'PRICE_ABOVE_CATALOG': {
      const [quoted, catalog] = [d.quotedPriceFen, d.catalogPriceFen];
      if (typeof quoted !== 'number' || typeof catalog !== 'number') return null;
      return t('admin.oversight.claims.evidence.price', {
        quoted: formatFen(quoted, locale),
        catalog: formatFen(catalog, locale),
        excess: formatFen(quoted - catalog, locale),
      });
    }
    case 'DUPLICATE_REPORT':
      return (
        <>
          {t('admin.oversight.claims.evidence.duplicate')}{' '}
          <ul>
            {strings(d.claimIds).map((id) => (
              <li key={id}>
                <Link to="/admin/claims" search={{ claim: id }}>
                  {t('admin.oversight.claims.evidence.duplicateLink', { id: id.slice(0, 8) })}
                </Link>
              </li>
            ))}
          </ul>
        </>
      );
    case 'OUTSIDE_VALIDITY':
      return t('admin.oversight.claims.evidence.validity', {
        from: instant('serviceFrom'),
        to: instant('serviceTo'),
        validFrom: instant('validFrom'),
        validUntil: instant('validUntil'),
      });
    case 'ANNUAL_CAP_EXCEEDED':
      return t('admin.oversight.claims.evidence.cap', {
        claimed: fen('claimedThisYearFen'),
        amount: fen('claimAmountFen'),
        cap: fen('annualCapFen'),
      });
    case 'COPAYMENT_NOT_RECORDED':
      return t('admin.oversight.claims.evidence.copayment', { amount: fen('copaymentFen') });
    default:
      return flag.message;
  }
}

/** Each flag: what it means, and the evidence for it. */
export function FlagEvidence({ flags }: { flags: RiskFlag[] }) {
  const { t, i18n } = useTranslation();
  if (flags.length === 0) return <p>{t('admin.oversight.claims.detail.noFlags')}</p>;
  return (
    <ul className="risk-evidence">
      {flags.map((flag) => (
        <li key={flag.code} data-risk-flag={flag.code}>
          <strong>{dynamicText(t, 'provider.claims.riskFlag', flag.code)}</strong>
          <div className="risk-evidence-detail">
            <Evidence flag={flag} t={t} locale={i18n.language} />
          </div>
        </li>
      ))}
    </ul>
  );
}

/** The flags' names, for the list. */
export function flagNames(flags: RiskFlag[], t: TFunction): string {
  return flags.map((flag) => dynamicText(t, 'provider.claims.riskFlag', flag.code)).join(' · ');
}
