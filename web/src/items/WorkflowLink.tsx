import { useTranslation } from 'react-i18next';
import { useSession } from '../ui/Layout';

/** Administrators and auditors open an item's process history in the Temporal UI. */
export function WorkflowLink({ url, workflowId }: { url: string; workflowId: string }) {
  const { t } = useTranslation();
  const role = useSession()?.user.role;
  if (role !== 'ADMIN' && role !== 'AUDITOR') return null;
  return (
    <p className="workflow-link">
      <a href={url} target="_blank" rel="noreferrer">
        {t('item.workflowLink')}
      </a>{' '}
      <code>{workflowId}</code>
    </p>
  );
}
