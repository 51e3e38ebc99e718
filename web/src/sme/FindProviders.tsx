import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { Button, Disclosure, DisclosurePanel, Form, Heading } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, idempotencyKey, unwrap } from '../api/client';
import type { Demand, MatchCandidate, MatchResult } from '../api/types';
import { dynamicText } from '../i18n/dynamic';
import { ActionButton, Loading } from '../ui/buttons';
import { Day, Money } from '../ui/Money';
import { notify } from '../ui/Notifications';
import { fieldErrors, ProblemMessage } from '../ui/ProblemMessage';
import { DemandFields, demandOf, draftOf, type DemandDraft } from './demand';

/**
 * Matching under the voucher: the demand (prefilled from the application), the ranked candidates with
 * their score broken into parts and the subsidy estimate, the near misses and why; then booking one.
 */
export function FindProviders({ voucherId, applicationId }: { voucherId: string; applicationId: string }) {
  const { t } = useTranslation();
  const application = useQuery({
    queryKey: ['application', applicationId],
    queryFn: () => unwrap(api.GET('/api/v1/applications/{id}', { params: { path: { id: applicationId } } })),
  });
  return (
    <section aria-labelledby="find-heading" className="panel">
      <h2 id="find-heading">{t('match.heading')}</h2>
      {application.isPending ? <Loading /> : null}
      <ProblemMessage error={application.error} />
      {application.data ? <MatchForm voucherId={voucherId} demand={application.data.demand} /> : null}
    </section>
  );
}

function MatchForm({ voucherId, demand: applied }: { voucherId: string; demand: Demand }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<DemandDraft>(() => draftOf(applied));
  const [asked, setAsked] = useState<Demand | null>(null);
  const match = useMutation({
    mutationFn: (demand: Demand) =>
      unwrap(
        api.POST('/api/v1/vouchers/{id}/matches', {
          params: { path: { id: voucherId }, query: { limit: 10, nearMisses: 10 } },
          body: demand,
        }),
      ),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const demand = demandOf(draft);
    setAsked(demand);
    match.mutate(demand);
  };
  return (
    <>
      <Form
        validationBehavior="aria"
        onSubmit={submit}
        validationErrors={fieldErrors(match.error)}
        className="form"
      >
        <DemandFields draft={draft} onChange={setDraft} prefix="" />
        <ProblemMessage error={match.error} />
        <ActionButton type="submit" pending={match.isPending}>
          {t('match.search')}
        </ActionButton>
      </Form>
      {match.data && asked ? <Results result={match.data} voucherId={voucherId} demand={asked} /> : null}
    </>
  );
}

function Results({ result, voucherId, demand }: { result: MatchResult; voucherId: string; demand: Demand }) {
  const { t } = useTranslation();
  return (
    <div aria-live="polite">
      <p role="status">
        {t('match.found', { candidates: result.totalCandidates, nearMisses: result.totalNearMisses })}{' '}
        {t('match.deadline')} <Day date={result.deadline} />
      </p>
      <h3>{t('match.candidates')}</h3>
      <ol className="candidates">
        {result.candidates.map((candidate) => (
          <Candidate key={candidate.providerId} candidate={candidate} voucherId={voucherId} demand={demand} />
        ))}
      </ol>
      {result.nearMisses.length ? (
        <>
          <h3>{t('match.nearMisses')}</h3>
          <ul className="near-misses">
            {result.nearMisses.map((miss) => (
              <li key={miss.providerId}>
                <strong>{miss.providerName}</strong> · {t('match.covers')} {miss.coveredStandards.join(', ')}
                <ul>
                  {miss.reasons.map((reason, i) => (
                    <li key={`${reason.code}-${i}`}>
                      {dynamicText(t, 'nearMiss', reason.code)}
                      {reason.standard ? ` (${reason.standard})` : ''}: {reason.message}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

function Candidate({
  candidate,
  voucherId,
  demand,
}: {
  candidate: MatchCandidate;
  voucherId: string;
  demand: Demand;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const book = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/bookings', {
          body: { voucherId, providerId: candidate.providerId, demand },
          headers: idempotencyKey(),
        }),
      ),
    onSuccess: async (booking) => {
      notify(t('match.booked', { provider: candidate.providerName }));
      await queryClient.invalidateQueries();
      await navigate({ to: '/bookings/$id', params: { id: booking.id } });
    },
  });
  const headingId = `candidate-${candidate.providerId}`;
  return (
    <li className="candidate" aria-labelledby={headingId}>
      <h4 id={headingId}>
        {candidate.rank}. {candidate.providerName}{' '}
        <span className="score">{t('match.score', { score: candidate.score })}</span>
      </h4>
      <dl className="facts compact">
        <dt>{t('match.price')}</dt>
        <dd>
          <Money fen={candidate.quotedPriceFen} />
        </dd>
        {candidate.subsidy ? (
          <>
            <dt>{t('match.subsidy')}</dt>
            <dd>
              <Money fen={candidate.subsidy.subsidyFen} />
            </dd>
            <dt>{t('match.copayment')}</dt>
            <dd>
              <Money fen={candidate.subsidy.copaymentFen} />
            </dd>
          </>
        ) : null}
        <dt>{t('match.completion')}</dt>
        <dd>
          <Day date={candidate.completionDate} />
        </dd>
        <dt>{t('match.services')}</dt>
        <dd>{candidate.lines.map((line) => line.serviceName).join('; ')}</dd>
      </dl>
      <Disclosure className="disclosure">
        <Heading level={5}>
          <Button slot="trigger" className="disclosure-trigger">
            {t('match.whyScore', { provider: candidate.providerName })}
          </Button>
        </Heading>
        <DisclosurePanel>
          <table className="table compact">
            <thead>
              <tr>
                <th scope="col">{t('match.component')}</th>
                <th scope="col">{t('match.points')}</th>
                <th scope="col">{t('match.weight')}</th>
                <th scope="col">{t('match.basis')}</th>
              </tr>
            </thead>
            <tbody>
              {candidate.components.map((component) => (
                <tr key={component.name}>
                  <th scope="row">{dynamicText(t, 'scoreComponent', component.name)}</th>
                  <td>{component.points}</td>
                  <td>{component.weight}</td>
                  <td>{component.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </DisclosurePanel>
      </Disclosure>
      <ProblemMessage error={book.error} />
      <ActionButton pending={book.isPending} onPress={() => book.mutate()}>
        {t('match.book', { provider: candidate.providerName })}
      </ActionButton>
    </li>
  );
}
