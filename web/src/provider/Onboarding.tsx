import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../ui/page';

export function ProviderOnboarding() {
  const { t } = useTranslation();
  usePageTitle(t('provider.onboarding.title'));
  return <h1>{t('provider.onboarding.title')}</h1>;
}
