import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../../ui/page';

/** The programmes, newest first, with a way to create one. */
export function AdminProgrammes() {
  const { t } = useTranslation();
  usePageTitle(t('admin.programmes.title'));
  return (
    <>
      <h1>{t('admin.programmes.title')}</h1>
    </>
  );
}
