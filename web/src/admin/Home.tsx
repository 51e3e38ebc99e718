import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../ui/page';
import { Worklist } from '../ui/Worklist';

/** The administrator's home: applications, disputes, claims and providers waiting for a decision. */
export function AdminHome() {
  const { t } = useTranslation();
  usePageTitle(t('admin.home.title'));
  return (
    <>
      <h1>{t('admin.home.title')}</h1>
      <Worklist />
    </>
  );
}
