import { useTranslation } from 'react-i18next';
import { QueueNav } from '../QueueNav';
import { usePageTitle } from '../../ui/page';

/** Applications under review, waiting for the administrator. */
export function ApplicationsQueue() {
  const { t } = useTranslation();
  usePageTitle(t('admin.review.title'));
  return (
    <>
      <h1>{t('admin.review.title')}</h1>
      <QueueNav />
    </>
  );
}
