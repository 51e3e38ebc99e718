import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { ActionButton, Loading } from '../../ui/buttons';
import { Money, When } from '../../ui/Money';
import { notify } from '../../ui/Notifications';
import { formatInstant } from '../../ui/dates';
import { ProblemMessage } from '../../ui/ProblemMessage';
import { approvalsKey } from '../oversight/Approvals';
import { useScheduleWords } from './rule-words';

type Approval = components['schemas']['Approval'];

/**
 * The latest proposal of a kind for the programme (a pending one first), read again while it waits
 * for the second administrator; `onDecided` hears once when one seen pending is decided.
 */
export function useLatestProposal(
  programmeId: string,
  kind: 'PAYOUT_RUN' | 'BUDGET_CHANGE',
  onDecided: (proposal: Approval) => void,
) {
  // the proposal last seen pending, and who to tell once it is decided
  const waiting = useRef<string | null>(null);
  const decided = useRef(onDecided);
  useEffect(() => {
    decided.current = onDecided;
  }, [onDecided]);
  const latest = useQuery({
    queryKey: [...approvalsKey, kind, programmeId],
    queryFn: async () => {
      const page = await unwrap(
        api.GET('/api/v1/approvals', { params: { query: { kind, programmeId, limit: 1 } } }),
      );
      const proposal = page.items[0] ?? null;
      if (proposal?.status === 'PENDING') waiting.current = proposal.id;
      else if (proposal && waiting.current === proposal.id) {
        waiting.current = null;
        decided.current(proposal);
      }
      return proposal;
    },
    refetchInterval: (query) => (query.state.data?.status === 'PENDING' ? 2000 : false),
  });
  const proposal = latest.data ?? null;
  return { proposal, error: latest.error };
}

/** How many of the last batches the page lists. */
const LAST_BATCHES = 10;
/** A run asked for is followed this long at most; the schedule's own runs show on the next visit. */
const FOLLOW_MS = 120_000;

export const batchesKey = (programmeId: string) => ['programme', programmeId, 'payout-batches'];

/**
 * The programme's payout schedule and its last batches; for an administrator, a payout run proposed
 * now (four eyes: another administrator approves it under Second approvals). Once approved the run
 * goes on in the background, so the page follows it until a new batch has completed, then reads the
 * ledger again.
 */
export function Payouts({ programmeId, canRun }: { programmeId: string; canRun: boolean }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const scheduleWords = useScheduleWords();
  const when = (iso: string) => formatInstant(iso, i18n.language);
  // the batches known when the run was asked for, while the page follows it
  const [following, setFollowing] = useState<{ known: Set<string>; until: number } | null>(null);
  const batches = useQuery({
    queryKey: batchesKey(programmeId),
    queryFn: async () => {
      const page = await unwrap(
        api.GET('/api/v1/programs/{id}/payout-batches', {
          params: { path: { id: programmeId }, query: { limit: LAST_BATCHES } },
        }),
      );
      const done = page.items.some(
        (b) => following && !following.known.has(b.id) && b.status === 'COMPLETED',
      );
      if (following && (done || Date.now() > following.until)) {
        // the run is over: the ledger it moved is read again
        setFollowing(null);
        void queryClient.invalidateQueries({ queryKey: ['programme', programmeId], exact: true });
        void queryClient.invalidateQueries({ queryKey: ['programmes'] });
      }
      return page;
    },
    refetchInterval: (query) =>
      following || query.state.data?.items.some((b) => b.status === 'RUNNING') ? 1000 : false,
  });
  const items = batches.data?.items;

  const { proposal, error: proposalError } = useLatestProposal(programmeId, 'PAYOUT_RUN', (decided) => {
    if (decided.status !== 'APPROVED') return;
    notify(t('admin.programmes.page.runStarted'));
    setFollowing({ known: new Set((items ?? []).map((b) => b.id)), until: Date.now() + FOLLOW_MS });
  });
  const run = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/api/v1/programs/{id}/payout-runs', { params: { path: { id: programmeId } } })),
    onSuccess: async () => {
      notify(t('admin.approvals.payout.proposed'));
      await queryClient.invalidateQueries({ queryKey: approvalsKey });
    },
  });
  const pending = proposal?.status === 'PENDING' ? proposal : null;

  const schedule = batches.data?.schedule;
  return (
    <section aria-labelledby="payouts-heading">
      <h2 id="payouts-heading">{t('admin.programmes.page.payoutHeading')}</h2>
      {batches.isPending ? <Loading /> : null}
      <ProblemMessage error={batches.error} />
      {schedule ? (
        <dl className="policy" data-testid="payout-schedule">
          <dt>{t('admin.programmes.page.schedule')}</dt>
          <dd>
            {schedule.serviceDefault
              ? t('admin.programmes.page.serviceDefault', { schedule: scheduleWords(schedule.expression) })
              : scheduleWords(schedule.expression)}
          </dd>
          <dt>{t('admin.programmes.page.nextRun')}</dt>
          <dd>
            {schedule.nextRunAt ? <When at={schedule.nextRunAt} /> : t('admin.programmes.page.noNextRun')}
          </dd>
        </dl>
      ) : null}
      {canRun ? (
        <div className="action-row">
          <p>
            {t('admin.programmes.page.runIntro')} {t('admin.approvals.payout.intro')}
          </p>
          <ActionButton
            pending={run.isPending || following !== null}
            isDisabled={pending !== null}
            onPress={() => run.mutate()}
          >
            {t('admin.approvals.payout.propose')}
          </ActionButton>
          {pending ? (
            <p role="status" data-testid="payout-proposal">
              {t('admin.approvals.payout.pending', {
                name: pending.proposedBy.name,
                at: when(pending.proposedAt),
                deadline: when(pending.expiresAt),
              })}{' '}
              <Link to="/admin/approvals" search={{ approval: pending.id }}>
                {t('admin.approvals.payout.openQueue')}
              </Link>
            </p>
          ) : null}
          <ProblemMessage error={proposalError} />
          {following ? (
            <p role="status" className="muted">
              {t('admin.programmes.page.running')}
            </p>
          ) : null}
          <ProblemMessage error={run.error} />
        </div>
      ) : null}
      <h3 id="batches-heading">{t('admin.programmes.page.batchesHeading')}</h3>
      {items?.length === 0 ? <p>{t('admin.programmes.page.noBatches')}</p> : null}
      {items?.length ? (
        <table className="table" aria-labelledby="batches-heading" data-testid="payout-batches">
          <thead>
            <tr>
              <th scope="col">{t('admin.programmes.page.batch.startedAt')}</th>
              <th scope="col">{t('admin.programmes.page.batch.status')}</th>
              <th scope="col">{t('admin.programmes.page.batch.transfers')}</th>
              <th scope="col">{t('admin.programmes.page.batch.claims')}</th>
              <th scope="col">{t('admin.programmes.page.batch.total')}</th>
              <th scope="col">{t('admin.programmes.page.batch.completedAt')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((batch) => (
              <tr key={batch.id} data-batch={batch.id}>
                <th scope="row">
                  <When at={batch.startedAt} />
                </th>
                <td data-status={batch.status}>{t(`admin.programmes.page.batchStatus.${batch.status}`)}</td>
                <td>
                  {t('admin.programmes.page.transfersSent', {
                    sent: batch.transfersSent,
                    total: batch.transfers,
                  })}
                </td>
                <td>{batch.claims}</td>
                <td>
                  <Money fen={batch.totalFen} />
                </td>
                <td>{batch.completedAt ? <When at={batch.completedAt} /> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
