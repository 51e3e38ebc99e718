import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../ui/page';

export function ProviderClaims() {
  const { t } = useTranslation();
  usePageTitle(t('provider.claims.title'));
  return <h1>{t('provider.claims.title')}</h1>;
}
