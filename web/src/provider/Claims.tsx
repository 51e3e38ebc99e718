import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Loading } from '../ui/buttons';
import { Choice } from '../ui/fields';
import { useSession } from '../ui/Layout';
import { usePageTitle } from '../ui/page';
import { ProblemMessage } from '../ui/ProblemMessage';
import { PaymentsExport } from './claims-export';
import { CLAIM_STATUSES, ClaimsTable, MoreButton, useClaims, type ClaimStatus } from './claims-list';
import { ClaimTotalsTable } from './claims-summary';
import { Transfers } from './claims-transfers';

type Filter = ClaimStatus | 'ALL';

/** The lab's money: its claims with their status and risk flags, the transfers that paid them, the export. */
export function ProviderClaims() {
  const { t } = useTranslation();
  usePageTitle(t('provider.claims.title'));
  const providerId = useSession()?.user.providerId;
  return (
    <>
      <h1>{t('provider.claims.title')}</h1>
      {providerId ? (
        <ClaimsAndPayments providerId={providerId} />
      ) : (
        <p className="notice">{t('provider.claims.noProvider')}</p>
      )}
    </>
  );
}

function ClaimsAndPayments({ providerId }: { providerId: string }) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<Filter>('ALL');
  const claims = useClaims(filter === 'ALL' ? null : filter);
  const items = claims.data?.pages.flatMap((page) => page.items) ?? [];
  // when a claim moves (approved, paid), the totals and the transfers are read again
  const version = items.map((claim) => `${claim.id}:${claim.status}`).join(',');
  return (
    <>
      <p>{t('provider.claims.intro')}</p>
      <ClaimTotalsTable providerId={providerId} version={version} />
      <section aria-labelledby="claims-heading">
        <h2 id="claims-heading">{t('provider.claims.list.heading')}</h2>
        <Choice<Filter>
          name="status"
          label={t('provider.claims.list.filter')}
          options={[
            { id: 'ALL', label: t('provider.claims.list.all') },
            ...CLAIM_STATUSES.map((status) => ({ id: status, label: t(`status.${status}`) })),
          ]}
          value={filter}
          onChange={(value) => setFilter(value ?? 'ALL')}
        />
        {claims.isPending ? <Loading /> : null}
        <ProblemMessage error={claims.error} />
        {claims.data ? <ClaimsTable claims={items} filtered={filter !== 'ALL'} /> : null}
        <MoreButton
          hasMore={claims.hasNextPage}
          pending={claims.isFetchingNextPage}
          onPress={() => void claims.fetchNextPage()}
        />
      </section>
      <Transfers providerId={providerId} version={version} />
      <PaymentsExport providerId={providerId} />
    </>
  );
}
