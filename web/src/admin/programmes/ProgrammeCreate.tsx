import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Loading } from '../../ui/buttons';
import { usePageTitle } from '../../ui/page';

// the form reads the policy schema for its defaults: loaded when an administrator opens it
const ProgrammeForm = lazy(() => import('./ProgrammeForm').then((m) => ({ default: m.ProgrammeForm })));

/** Creating a programme: its budget and every policy rule, with the defaults shown and explained. */
export function ProgrammeCreate() {
  const { t } = useTranslation();
  usePageTitle(t('admin.programmes.create.title'));
  return (
    <>
      <h1>{t('admin.programmes.create.title')}</h1>
      <p>{t('admin.programmes.create.intro')}</p>
      <Suspense fallback={<Loading />}>
        <ProgrammeForm />
      </Suspense>
    </>
  );
}
