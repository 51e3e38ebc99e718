import { useTranslation } from 'react-i18next';
import { Colleagues } from '../account/Colleagues';
import { useSession } from '../ui/Layout';
import { usePageTitle } from '../ui/page';
import { RegisterProvider } from './onboarding-register';
import { ProviderStanding } from './onboarding-status';

/** A user without a provider registers one; a provider's staff see where it stands and renew. */
export function ProviderOnboarding() {
  const { t } = useTranslation();
  usePageTitle(t('provider.onboarding.title'));
  const providerId = useSession()?.user.providerId;
  return (
    <>
      <h1>{t('provider.onboarding.title')}</h1>
      {providerId ? (
        <>
          <ProviderStanding id={providerId} />
          <Colleagues />
        </>
      ) : (
        <RegisterProvider />
      )}
    </>
  );
}
