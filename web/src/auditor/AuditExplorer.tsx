import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../ui/page';

/** The audit log, filtered, with chain verification and export. */
export function AuditExplorer() {
  const { t } = useTranslation();
  usePageTitle(t('auditor.audit.title'));
  return (
    <>
      <h1>{t('auditor.audit.title')}</h1>
    </>
  );
}
