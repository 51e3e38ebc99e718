import { useTranslation } from 'react-i18next';
import { QueueNav } from '../QueueNav';
import { usePageTitle } from '../../ui/page';

/** Providers awaiting verification. */
export function ProvidersQueue() {
  const { t } = useTranslation();
  usePageTitle(t('admin.review.title'));
  return (
    <>
      <h1>{t('admin.review.title')}</h1>
      <QueueNav />
    </>
  );
}
