import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../ui/page';

export function ProviderInbox() {
  const { t } = useTranslation();
  usePageTitle(t('provider.inbox.title'));
  return <h1>{t('provider.inbox.title')}</h1>;
}
