import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../ui/page';

/** The KPI dashboard and the settlements download, for auditors and administrators. */
export function ReportsDashboard() {
  const { t } = useTranslation();
  usePageTitle(t('auditor.reports.title'));
  return (
    <>
      <h1>{t('auditor.reports.title')}</h1>
    </>
  );
}
