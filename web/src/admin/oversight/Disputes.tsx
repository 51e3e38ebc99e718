import { useTranslation } from 'react-i18next';
import { QueueNav } from '../QueueNav';
import { usePageTitle } from '../../ui/page';

/** Disputed reports waiting for a resolution. */
export function DisputesQueue() {
  const { t } = useTranslation();
  usePageTitle(t('admin.oversight.title'));
  return (
    <>
      <h1>{t('admin.oversight.title')}</h1>
      <QueueNav />
    </>
  );
}
