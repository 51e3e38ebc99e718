import { useMutation, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import type { AuditVerification } from '../api/types';
import { dynamicText } from '../i18n/dynamic';
import { Loading } from '../ui/buttons';
import { ActionButton } from '../ui/buttons';
import { When } from '../ui/Money';
import { ProblemMessage } from '../ui/ProblemMessage';
import { ActorName, EntityName, EntryChanges } from './audit-entry';
import { WholeChainVerification } from './WholeChainVerification';

/**
 * The everyday check: the service re-computes the entries added since the last verification and says
 * whether the chain holds; on a break, shows the entry that breaks it. Below it, the whole chain in the
 * background.
 */
export function ChainVerification() {
  const { t } = useTranslation();
  const w = (key: string) => t(`auditor.audit.verify.${key}`);
  const verify = useMutation({ mutationFn: () => unwrap(api.GET('/api/v1/audit/verify')) });
  const result = verify.data;
  return (
    <section aria-labelledby="verify-heading" className="panel">
      <h2 id="verify-heading">{w('heading')}</h2>
      <p>{w('intro')}</p>
      <ActionButton pending={verify.isPending} onPress={() => verify.mutate()}>
        {w('run')}
      </ActionButton>
      <ProblemMessage error={verify.error} />
      {result ? (
        <p
          role="status"
          className={result.valid ? 'notice ok' : 'problem'}
          data-chain={result.valid ? 'intact' : 'broken'}
        >
          {result.valid
            ? t('auditor.audit.verify.valid', { count: result.checked })
            : t('auditor.audit.verify.broken', {
                count: result.checked,
                seq: result.break?.seq ?? '?',
                reason: dynamicText(t, 'auditor.audit.verify.reasons', result.break?.reason ?? ''),
              })}
        </p>
      ) : null}
      {result ? (
        <p data-verified-range>
          {Number(result.toSeq) < Number(result.fromSeq)
            ? w('nothingNew')
            : t(result.incremental ? 'auditor.audit.verify.rangeSince' : 'auditor.audit.verify.rangeAll', {
                from: result.fromSeq,
                to: result.toSeq,
              })}
        </p>
      ) : null}
      {result?.break ? <BrokenEntry at={result.break} /> : null}
      <WholeChainVerification />
    </section>
  );
}

/** The first entry that does not match, read back by its number. */
export function BrokenEntry({ at }: { at: NonNullable<AuditVerification['break']> }) {
  const { t } = useTranslation();
  const entry = useQuery({
    queryKey: ['audit-entry', at.seq, at.id],
    queryFn: async () => {
      const page = await unwrap(
        api.GET('/api/v1/audit', {
          params: { query: { after: (BigInt(at.seq) - 1n).toString(), limit: 1 } },
        }),
      );
      return page.items.find((item) => item.id === at.id) ?? null;
    },
  });
  const found = entry.data;
  return (
    <article className="panel broken-entry" aria-labelledby="broken-entry-heading" data-broken-seq={at.seq}>
      <h3 id="broken-entry-heading">
        {t('auditor.audit.verify.firstBad')}: {t('auditor.audit.list.seq')} {at.seq}
      </h3>
      {entry.isPending ? <Loading /> : null}
      <ProblemMessage error={entry.error} />
      {found ? (
        <>
          <dl className="facts compact">
            <dt>{t('auditor.audit.list.at')}</dt>
            <dd>
              <When at={found.at} />
            </dd>
            <dt>{t('auditor.audit.list.action')}</dt>
            <dd>{dynamicText(t, 'timeline.action', found.action)}</dd>
            <dt>{t('auditor.audit.list.entity')}</dt>
            <dd>
              <EntityName entry={found} />
            </dd>
            <dt>{t('auditor.audit.list.actor')}</dt>
            <dd>
              <ActorName entry={found} />
            </dd>
          </dl>
          <EntryChanges entry={found} />
          <p>
            <Link to="/audit" search={{ entityType: found.entityType, entityId: found.entityId }}>
              {t('auditor.audit.verify.showEntity')}
            </Link>
          </p>
        </>
      ) : null}
    </article>
  );
}
