import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { dynamicText } from '../../i18n/dynamic';
import { Loading } from '../../ui/buttons';
import { Money, When } from '../../ui/Money';
import { formatFen } from '../../ui/money';
import { ProblemMessage } from '../../ui/ProblemMessage';
import { Status } from '../../ui/Timeline';

type Review = components['schemas']['ApplicationReview'];
type Check = components['schemas']['EligibilityCheck'];

/** The facts a rule compared, in the reader's words and money. */
function checkFacts(check: Check, t: TFunction, locale: string): string {
  const d = check.details;
  const fen = (key: string) => (typeof d[key] === 'number' ? formatFen(d[key], locale) : '');
  const list = (key: string, group?: string) => {
    const values = Array.isArray(d[key]) ? (d[key] as unknown[]).map(String) : [];
    if (values.length === 0) return t('admin.review.none');
    const words = group ? values.map((v) => dynamicText(t, group, v)) : values;
    return words.join(locale === 'en' ? ', ' : '、');
  };
  return t(`admin.review.ruleFacts.${check.rule}`, {
    defaultValue: check.message,
    ...d,
    annualRevenue: fen('annualRevenueFen'),
    maxAnnualRevenue: fen('maxAnnualRevenueFen'),
    requested: fen('requestedAmountFen'),
    voucherCap: fen('voucherCapFen'),
    used: fen('usedThisYearFen'),
    cap: fen('enterpriseAnnualCapFen'),
    eligibleRegions: list('eligibleRegions'),
    requiredTags: list('requiredTags', 'tag'),
    missingTags: list('missingTags', 'tag'),
    programmeStatus:
      typeof d.programmeStatus === 'string'
        ? dynamicText(t, 'admin.review.programmeStatus', d.programmeStatus)
        : '',
    category: typeof d.category === 'string' ? dynamicText(t, 'category', d.category) : '',
    eligibleCategories: list('eligibleCategories', 'category'),
  });
}

function Checks({ review }: { review: Review }) {
  const { t, i18n } = useTranslation();
  return (
    <table className="table review-checks">
      <caption>
        {t('admin.review.facts.rulesHeading')}{' '}
        <span className="muted">
          ({t('admin.review.facts.checkedAt')} <When at={review.checkedAt} />)
        </span>
      </caption>
      <thead>
        <tr>
          <th scope="col">{t('admin.review.facts.rule')}</th>
          <th scope="col">{t('admin.review.facts.result')}</th>
          <th scope="col">{t('admin.review.facts.facts')}</th>
        </tr>
      </thead>
      <tbody>
        {review.checks.map((check) => (
          <tr key={check.rule} data-rule={check.rule} data-passed={check.passed}>
            <th scope="row">{dynamicText(t, 'admin.review.rule', check.rule)}</th>
            <td className={check.passed ? 'check-passed' : 'check-failed'}>
              {t(check.passed ? 'admin.review.facts.passed' : 'admin.review.facts.failed')}
            </td>
            <td>{checkFacts(check, t, i18n.language)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AnnualCap({ review }: { review: Review }) {
  const { t } = useTranslation();
  const cap = review.annualCap;
  return (
    <section aria-labelledby={`cap-${review.applicationId}`}>
      <h4 id={`cap-${review.applicationId}`}>{t('admin.review.facts.capHeading', { year: cap.year })}</h4>
      <dl className="facts" data-testid="annual-cap">
        <dt>{t('admin.review.facts.cap')}</dt>
        <dd>
          <Money fen={cap.capFen} />
        </dd>
        <dt>{t('admin.review.facts.granted')}</dt>
        <dd data-testid="cap-granted">
          <Money fen={cap.grantedFen} />
        </dd>
        <dt>{t('admin.review.facts.request')}</dt>
        <dd>
          <Money fen={cap.requestedFen} />
        </dd>
        <dt>{t('admin.review.facts.remaining')}</dt>
        <dd>
          <Money fen={cap.remainingFen} />
        </dd>
        <dt>{t('admin.review.facts.budget')}</dt>
        <dd>
          <Money fen={review.availableBudgetFen} />
        </dd>
      </dl>
    </section>
  );
}

function History({ review }: { review: Review }) {
  const { t } = useTranslation();
  const id = `history-${review.applicationId}`;
  return (
    <section aria-labelledby={id}>
      <h4 id={id}>{t('admin.review.facts.historyHeading')}</h4>
      {review.history.length === 0 ? (
        <p>{t('admin.review.facts.noHistory')}</p>
      ) : (
        <table className="table" data-testid="history">
          <thead>
            <tr>
              <th scope="col">{t('admin.review.applications.programme')}</th>
              <th scope="col">{t('admin.review.applications.submitted')}</th>
              <th scope="col">{t('admin.review.applications.requested')}</th>
              <th scope="col">{t('admin.review.applications.status')}</th>
              <th scope="col">{t('admin.review.facts.voucher')}</th>
            </tr>
          </thead>
          <tbody>
            {review.history.map((entry) => (
              <tr key={entry.id}>
                <th scope="row">
                  <Link to="/applications/$id" params={{ id: entry.id }}>
                    {entry.programmeName}
                  </Link>
                </th>
                <td>
                  <When at={entry.createdAt} />
                </td>
                <td>
                  <Money fen={entry.requestedAmountFen} />
                </td>
                <td>
                  <Status status={entry.status} />
                  {entry.decisionReason ? <div className="muted">{entry.decisionReason}</div> : null}
                </td>
                <td>
                  {entry.voucher ? (
                    <>
                      <Link to="/vouchers/$id" params={{ id: entry.voucher.id }}>
                        {entry.voucher.code}
                      </Link>{' '}
                      <Money fen={entry.voucher.faceValueFen} /> <Status status={entry.voucher.status} />
                    </>
                  ) : (
                    t('admin.review.facts.noVoucher')
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The rules checked now, the annual cap's use and the enterprise's history, read from the service. */
export function ReviewFacts({ applicationId, version }: { applicationId: string; version: string }) {
  const { t } = useTranslation();
  const review = useQuery({
    queryKey: ['application-review', applicationId, version],
    queryFn: () =>
      unwrap(api.GET('/api/v1/applications/{id}/review', { params: { path: { id: applicationId } } })),
  });
  return (
    <section aria-label={t('admin.review.facts.heading')} className="review-facts">
      {review.isPending ? <Loading /> : null}
      <ProblemMessage error={review.error} />
      {review.data ? (
        <>
          <Checks review={review.data} />
          <AnnualCap review={review.data} />
          <History review={review.data} />
        </>
      ) : null}
    </section>
  );
}
