import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { Loading } from '../ui/buttons';
import { formatDay, shanghaiToday } from '../ui/dates';
import { Day, When } from '../ui/Money';
import { ProblemMessage } from '../ui/ProblemMessage';
import { Status, Timeline } from '../ui/Timeline';
import { accreditationName, type Accreditation } from './onboarding-accreditations';
import { RenewAccreditations } from './onboarding-renewal';

type Provider = components['schemas']['Provider'];

export function useProvider(id: string) {
  return useQuery({
    queryKey: ['provider', id],
    queryFn: () => unwrap(api.GET('/api/v1/providers/{id}', { params: { path: { id } } })),
  });
}

/**
 * Where the provider stands: its verification and what the administrator said, its accreditations
 * with their expiry (warned from the warning date on), renewal, and what has happened so far.
 */
export function ProviderStanding({ id }: { id: string }) {
  const { t } = useTranslation();
  const provider = useProvider(id);
  if (provider.isPending) return <Loading />;
  if (!provider.data) return <ProblemMessage error={provider.error} />;
  const p = provider.data;
  const pending = p.pendingVerification ?? null;
  return (
    <>
      <Verification provider={p} />
      <ExpiryWarnings accreditations={[...p.accreditations, ...(pending?.accreditations ?? [])]} />
      <Details provider={p} />
      <AccreditationTable heading="verified" accreditations={p.accreditations} />
      {pending ? (
        <AccreditationTable heading="pending" accreditations={pending.accreditations}>
          <p>
            {t('provider.onboarding.accreditations.submittedAt')} <When at={pending.submittedAt} />
          </p>
        </AccreditationTable>
      ) : null}
      <RenewAccreditations
        key={pending?.submissionId ?? p.status}
        providerId={p.id}
        current={pending?.accreditations ?? p.accreditations}
      />
      {p.timeline ? <Timeline entries={p.timeline} /> : null}
    </>
  );
}

function Verification({ provider }: { provider: Provider }) {
  const { t } = useTranslation();
  const reasonLabel =
    provider.status === 'DELISTED'
      ? t('provider.onboarding.status.delistedReason')
      : t('provider.onboarding.status.reason');
  return (
    <section className="panel now" aria-labelledby="verification-heading" data-testid="verification">
      <h2 id="verification-heading">
        {t('provider.onboarding.status.heading')} <Status status={provider.status} />
      </h2>
      <p>{t(`provider.onboarding.status.${provider.status}`)}</p>
      {provider.statusReason ? (
        <dl className="facts compact">
          <dt>{reasonLabel}</dt>
          <dd className="quote">{provider.statusReason}</dd>
        </dl>
      ) : null}
    </section>
  );
}

/** From an accreditation's warning date on, the page says in words that it must be renewed. */
function ExpiryWarnings({ accreditations }: { accreditations: Accreditation[] }) {
  const { t, i18n } = useTranslation();
  const seen = new Set<string>();
  const due = accreditations.filter((a) => {
    const key = `${a.kind} ${a.number} ${a.expiresAt}`;
    if (a.standing === 'VALID' || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (!due.length) return null;
  return (
    <div className="notice" role="status" data-testid="expiry-warnings">
      {due.map((a) => (
        <p key={`${a.kind} ${a.number} ${a.expiresAt}`}>
          {t(`provider.onboarding.warning.${a.standing}`, {
            accreditation: accreditationName(a),
            date: formatDay(a.expiresOn, i18n.language),
          })}
        </p>
      ))}
    </div>
  );
}

function Details({ provider }: { provider: Provider }) {
  const { t } = useTranslation();
  const label = (key: string) => t(`provider.onboarding.details.${key}`);
  return (
    <section aria-labelledby="details-heading">
      <h2 id="details-heading">{provider.name}</h2>
      <dl className="facts">
        <dt>{label('creditCode')}</dt>
        <dd>{provider.creditCode}</dd>
        <dt>{label('kind')}</dt>
        <dd>{t(`provider.onboarding.kinds.${provider.kind}`)}</dd>
        <dt>{label('regionCode')}</dt>
        <dd>{provider.regionCode}</dd>
        <dt>{label('legalRepresentative')}</dt>
        <dd>{provider.legalRepresentative}</dd>
        <dt>{label('phone')}</dt>
        <dd>{provider.phone}</dd>
        <dt>{label('address')}</dt>
        <dd>{provider.address}</dd>
      </dl>
    </section>
  );
}

function AccreditationTable({
  heading,
  accreditations,
  children,
}: {
  heading: 'verified' | 'pending';
  accreditations: Accreditation[];
  children?: ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const id = `accreditations-${heading}`;
  const column = (key: string) => t(`provider.onboarding.accreditations.${key}`);
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{column(heading)}</h2>
      {children}
      {accreditations.length === 0 ? <p>{column('none')}</p> : null}
      {accreditations.length ? (
        <table className="table" data-testid={id}>
          <thead>
            <tr>
              <th scope="col">{column('number')}</th>
              <th scope="col">{column('kind')}</th>
              <th scope="col">{column('scope')}</th>
              <th scope="col">{column('expiresOn')}</th>
              <th scope="col">{column('standing')}</th>
            </tr>
          </thead>
          <tbody>
            {accreditations.map((a) => (
              <tr key={`${a.kind} ${a.number}`} data-standing={a.standing}>
                <th scope="row">{accreditationName(a)}</th>
                <td>{t(`provider.onboarding.accreditation.kinds.${a.kind}`)}</td>
                <td>{a.scope.join(', ')}</td>
                <td>
                  <Day date={a.expiresOn} />
                </td>
                <td>
                  {t(`provider.onboarding.standing.${a.standing}`, {
                    date: formatDay(shanghaiToday(new Date(a.warningFrom)), i18n.language),
                  })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
