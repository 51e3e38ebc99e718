import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { Loading } from '../ui/buttons';
import { Money } from '../ui/Money';
import { usePageTitle } from '../ui/page';
import { ProblemMessage } from '../ui/ProblemMessage';
import { DurationWords, percent } from './PolicyWords';

/** The programmes open for applications, each with the few rules that decide whether to apply. */
export function Programmes() {
  const { t } = useTranslation();
  usePageTitle(t('programmes.title'));
  const list = useQuery({
    queryKey: ['programmes', 'ACTIVE'],
    queryFn: () =>
      unwrap(api.GET('/api/v1/programs', { params: { query: { status: 'ACTIVE', limit: 100 } } })),
  });
  return (
    <>
      <h1>{t('programmes.title')}</h1>
      <p>{t('programmes.intro')}</p>
      {list.isPending ? <Loading /> : null}
      <ProblemMessage error={list.error} />
      {list.data?.items.length === 0 ? <p>{t('programmes.none')}</p> : null}
      <ul className="cards">
        {list.data?.items.map((programme) => (
          <li key={programme.id} className="card">
            <h2>
              <Link to="/sme/programmes/$id" params={{ id: programme.id }}>
                {programme.name}
              </Link>
            </h2>
            <p className="muted">
              {programme.authority} · {programme.year}
            </p>
            <p>
              {t('programmes.summary', {
                percent: percent(programme.policy.subsidyRatioBps),
              })}{' '}
              <Money fen={programme.policy.voucherCapFen} />
              {' · '}
              {t('programmes.validity')} <DurationWords value={programme.policy.voucherValidity} />
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}
