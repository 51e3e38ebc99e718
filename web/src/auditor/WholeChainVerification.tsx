import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import type { AuditVerificationRun } from '../api/types';
import { dynamicText } from '../i18n/dynamic';
import { ActionButton } from '../ui/buttons';
import { When } from '../ui/Money';
import { ProblemMessage } from '../ui/ProblemMessage';
import { BrokenEntry } from './ChainVerification';

const latestKey = ['audit-verifications', 'latest'];

/**
 * The whole chain verified in the background: started here (or by the nightly schedule), followed while
 * it runs, its result once done. The service runs one at a time; starting while one runs shows that one.
 */
export function WholeChainVerification() {
  const { t } = useTranslation();
  const w = (key: string, values?: Record<string, unknown>) => t(`auditor.audit.whole.${key}`, values ?? {});
  const queryClient = useQueryClient();
  const latest = useQuery({
    queryKey: latestKey,
    queryFn: async () => {
      const page = await unwrap(api.GET('/api/v1/audit/verifications', { params: { query: { limit: 20 } } }));
      return page.items.find((run) => run.kind === 'FULL') ?? null;
    },
    refetchInterval: (query) => (query.state.data?.state === 'RUNNING' ? 1000 : false),
  });
  const start = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/audit/verifications')),
    onSuccess: (run) => queryClient.setQueryData(latestKey, run),
  });
  const run = latest.data ?? null;
  const running = run?.state === 'RUNNING';
  return (
    <section aria-labelledby="whole-chain-heading" className="panel" data-whole-chain={run?.state ?? 'none'}>
      <h3 id="whole-chain-heading">{w('heading')}</h3>
      <p>{w('intro')}</p>
      <ActionButton pending={start.isPending} onPress={() => start.mutate()}>
        {running ? w('follow') : w('start')}
      </ActionButton>
      <ProblemMessage error={start.error ?? latest.error} />
      {run ? <RunState run={run} /> : null}
      {run?.state === 'BROKEN' && run.break ? <BrokenEntry at={run.break} /> : null}
    </section>
  );
}

function RunState({ run }: { run: AuditVerificationRun }) {
  const { t } = useTranslation();
  const w = (key: string, values?: Record<string, unknown>) => t(`auditor.audit.whole.${key}`, values ?? {});
  const counts = { checked: run.checked.toLocaleString(), total: run.total.toLocaleString() };
  return (
    <div role="status" aria-live="polite">
      <dl className="facts compact">
        <dt>{w('state')}</dt>
        <dd data-run-state={run.state}>{dynamicText(t, 'auditor.audit.whole.states', run.state)}</dd>
        <dt>{w('startedBy')}</dt>
        <dd>{run.startedBy === null ? w('bySchedule') : w('byUser')}</dd>
        <dt>{w('startedAt')}</dt>
        <dd>
          <When at={run.startedAt} />
        </dd>
        <dt>{w('progress')}</dt>
        <dd>
          <progress value={run.checked} max={Math.max(run.total, 1)} aria-label={w('progress')} />{' '}
          <span data-progress>{w('checkedOf', counts)}</span>
          {run.entriesPerSecond !== null
            ? ` · ${w('rate', { rate: run.entriesPerSecond.toLocaleString() })}`
            : null}
        </dd>
        {run.finishedAt ? (
          <>
            <dt>{w('finishedAt')}</dt>
            <dd>
              <When at={run.finishedAt} />
            </dd>
          </>
        ) : null}
      </dl>
      {run.state === 'VALID' ? (
        <p className="notice ok">{w('valid', { count: run.checked, to: run.toSeq })}</p>
      ) : null}
      {run.state === 'BROKEN' ? (
        <p className="problem">
          {t('auditor.audit.verify.broken', {
            count: run.checked,
            seq: run.break?.seq ?? '?',
            reason: dynamicText(t, 'auditor.audit.verify.reasons', run.break?.reason ?? ''),
          })}
        </p>
      ) : null}
      {run.state === 'FAILED' ? <p className="problem">{w('failed')}</p> : null}
    </div>
  );
}
