import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../../ui/page';

/** A programme: its ledger as a picture, its payout schedule and last batches, and a payout run now. */
export function ProgrammePage({ id }: { id: string }) {
  const { t } = useTranslation();
  usePageTitle(t('admin.programmes.title'));
  return (
    <>
      <h1>{t('admin.programmes.title')}</h1>
      <p>{id}</p>
    </>
  );
}
