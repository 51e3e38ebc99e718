import { Link } from '@tanstack/react-router';
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
  if (!current?.user.providerId) {
    return (
      <>
        <h1>{t('provider.home.title')}</h1>
        <p className="notice">{t('provider.home.noProvider')}</p>
        <Link to="/provider/onboarding" className="button primary">
          {t('provider.onboarding.register.heading')}
        </Link>
      </>
    );
  }
  return (
    <>
      <h1>{t('provider.home.title')}</h1>
      <Worklist />
      <ClaimsSummary providerId={current.user.providerId} />
    </>
  );
}
