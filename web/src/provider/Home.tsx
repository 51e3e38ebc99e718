import { useTranslation } from 'react-i18next';
import { useSession } from '../ui/Layout';
import { usePageTitle } from '../ui/page';
import { Worklist } from '../ui/Worklist';
import { ClaimsSummary } from './claims-summary';

/** The lab's home: the bookings waiting for its move, soonest deadline first, and where its claims stand. */
export function ProviderHome() {
  const { t } = useTranslation();
  usePageTitle(t('provider.home.title'));
  const current = useSession();
  return (
    <>
      <h1>{t('provider.home.title')}</h1>
      {current?.user.providerId ? <Worklist /> : <p className="notice">{t('provider.home.noProvider')}</p>}
      {current?.user.providerId ? <ClaimsSummary providerId={current.user.providerId} /> : null}
    </>
  );
}
