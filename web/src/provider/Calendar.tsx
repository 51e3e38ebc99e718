import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../ui/page';

export function ProviderCalendar() {
  const { t } = useTranslation();
  usePageTitle(t('provider.calendar.title'));
  return <h1>{t('provider.calendar.title')}</h1>;
}
