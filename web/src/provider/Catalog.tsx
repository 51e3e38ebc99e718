import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../ui/page';

export function ProviderCatalog() {
  const { t } = useTranslation();
  usePageTitle(t('provider.catalog.title'));
  return <h1>{t('provider.catalog.title')}</h1>;
}
