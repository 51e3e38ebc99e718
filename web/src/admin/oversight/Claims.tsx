import { useTranslation } from 'react-i18next';
import { QueueNav } from '../QueueNav';
import { usePageTitle } from '../../ui/page';

/** Claims under review, with their risk flags. */
export function ClaimsQueue() {
  const { t } = useTranslation();
  usePageTitle(t('admin.oversight.title'));
  return (
    <>
      <h1>{t('admin.oversight.title')}</h1>
      <QueueNav />
    </>
  );
}
