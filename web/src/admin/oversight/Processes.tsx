import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { Loading } from '../../ui/buttons';
import type { CsvColumn } from '../../ui/csv';
import { When } from '../../ui/Money';
import { formatInstant } from '../../ui/dates';
import { usePageTitle } from '../../ui/page';
import { ProblemMessage } from '../../ui/ProblemMessage';
import { QueueFilters, useProgrammeName } from '../queue';
import { ALL, matchesText, queueView, sortQueue, type QueueView } from '../queue-rows';
import { QueueNav } from '../QueueNav';

type Process = components['schemas']['ProcessNeedingAttention'];
type Kind = Process['status'];
const KINDS: Kind[] = ['FAILED', 'STUCK'];

/** One kind of process needing attention; "all" reads both. */
function useProcesses(status: Kind | typeof ALL) {
  return useQuery({
    queryKey: ['processes', status],
    queryFn: async () => {
      const kinds = status === ALL ? KINDS : [status];
      const pages = await Promise.all(
        kinds.map((kind) =>
          unwrap(api.GET('/api/v1/processes', { params: { query: { status: kind, limit: 100 } } })),
        ),
      );
      return { items: pages.flatMap((page) => page.items), more: pages.some((page) => page.nextCursor) };
    },
    refetchInterval: 15_000,
  });
}

/** Failed and stuck processes: what they are about, why, since when, and their history in Temporal. */
export function ProcessesQueue() {
  const { t } = useTranslation();
  usePageTitle(t('admin.oversight.processes.title'));
  const programmeName = useProgrammeName();
  const [view, setView] = useState<QueueView<Kind>>(queueView<Kind>(ALL, 'OLDEST'));
  const processes = useProcesses(view.status);
  const items = sortQueue(
    (processes.data?.items ?? []).filter(
      (p) =>
        (view.programmeId === ALL || p.programmeId === view.programmeId) &&
        matchesText(view.text, [p.workflowId, p.workflowType, p.reason, p.step?.activityType]),
    ),
    view.sort,
    (p) => ({ since: p.since, due: null }),
  );
  const columns: CsvColumn<Process>[] = [
    { header: 'status', value: (p) => p.status },
    { header: 'workflow_id', value: (p) => p.workflowId },
    { header: 'run_id', value: (p) => p.runId },
    { header: 'workflow_type', value: (p) => p.workflowType },
    { header: 'subject', value: (p) => (p.subject ? `${p.subject.kind} ${p.subject.id}` : '') },
    { header: 'programme_id', value: (p) => p.programmeId },
    { header: 'since', value: (p) => p.since },
    { header: 'outcome', value: (p) => p.outcome },
    { header: 'step', value: (p) => p.step?.activityType },
    { header: 'attempt', value: (p) => p.step?.attempt },
    { header: 'reason', value: (p) => p.reason },
    { header: 'history_url', value: (p) => p.workflowUrl },
  ];
  return (
    <>
      <h1>{t('admin.oversight.processes.title')}</h1>
      <QueueNav />
      <p>{t('admin.oversight.processes.intro')}</p>
      <section aria-labelledby="processes-heading">
        <h2 id="processes-heading">{t('admin.oversight.processes.caption')}</h2>
        <QueueFilters
          queue="processes"
          view={view}
          onChange={setView}
          statuses={KINDS.map((k) => ({ id: k, label: t(`admin.oversight.processes.kind.${k}`) }))}
          sorts={['OLDEST', 'NEWEST']}
          shown={processes.data ? items : undefined}
          columns={columns}
        />
        {processes.isPending ? <Loading /> : null}
        <ProblemMessage error={processes.error} />
        {processes.data && items.length === 0 ? <p>{t('admin.queue.none')}</p> : null}
        {items.length ? (
          <table className="table" data-testid="processes-queue">
            <thead>
              <tr>
                <th scope="col">{t('admin.oversight.processes.col.process')}</th>
                <th scope="col">{t('admin.oversight.processes.col.subject')}</th>
                <th scope="col">{t('admin.oversight.processes.col.programme')}</th>
                <th scope="col">{t('admin.oversight.processes.col.reason')}</th>
                <th scope="col">{t('admin.oversight.processes.col.since')}</th>
                <th scope="col">{t('admin.oversight.processes.col.history')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((p) => (
                <tr key={`${p.status}:${p.workflowId}:${p.runId}`} data-workflow-id={p.workflowId}>
                  <th scope="row">
                    <span className={`status status-${p.status.toLowerCase()}`} data-status={p.status}>
                      {t(`admin.oversight.processes.kind.${p.status}`)}
                      {p.outcome ? ` · ${t(`admin.oversight.processes.outcome.${p.outcome}`)}` : null}
                    </span>
                    <br />
                    {p.workflowType} <code>{p.workflowId}</code>
                  </th>
                  <td>
                    <Subject process={p} />
                  </td>
                  <td>
                    {p.programmeId ? (
                      <Link to="/programmes/$id" params={{ id: p.programmeId }}>
                        {programmeName(p.programmeId)}
                      </Link>
                    ) : null}
                  </td>
                  <td>
                    <span className="process-reason">{p.reason}</span>
                    {p.step ? <StepLine step={p.step} /> : null}
                  </td>
                  <td>
                    <When at={p.since} />
                  </td>
                  <td>
                    <a href={p.workflowUrl} target="_blank" rel="noreferrer">
                      {t('admin.oversight.processes.temporal')}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
    </>
  );
}

function StepLine({ step }: { step: NonNullable<Process['step']> }) {
  const { t, i18n } = useTranslation();
  return (
    <>
      <br />
      <span className="muted">
        {t('admin.oversight.processes.step', {
          activity: step.activityType,
          attempt: step.attempt,
          at: formatInstant(step.lastFailedAt, i18n.language),
        })}
      </span>
    </>
  );
}

/** The record the process is about, linked to its page where the portal has one. */
function Subject({ process }: { process: Process }) {
  const { t } = useTranslation();
  const subject = process.subject;
  if (!subject) return null;
  const label = `${t(`admin.oversight.processes.subject.${subject.kind}`)} ${subject.id.slice(0, 8)}`;
  switch (subject.kind) {
    case 'APPLICATION':
      return (
        <Link to="/applications/$id" params={{ id: subject.id }}>
          {label}
        </Link>
      );
    case 'BOOKING':
    case 'SETTLEMENT':
      return (
        <Link to="/bookings/$id" params={{ id: subject.id }}>
          {label}
        </Link>
      );
    case 'PROGRAMME':
    case 'PAYOUT':
      return (
        <Link to="/programmes/$id" params={{ id: subject.id }}>
          {label}
        </Link>
      );
    default:
      return <>{label}</>;
  }
}
