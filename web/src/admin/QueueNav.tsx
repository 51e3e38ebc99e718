import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';

/** The administrator's work queues, one link each; the current one is marked. */
export const QUEUES = [
  { to: '/admin/applications', label: 'nav.queue.applications' },
  { to: '/admin/providers', label: 'nav.queue.providers' },
  { to: '/admin/claims', label: 'nav.queue.claims' },
  { to: '/admin/disputes', label: 'nav.queue.disputes' },
  { to: '/admin/processes', label: 'nav.queue.processes' },
  { to: '/admin/approvals', label: 'nav.queue.approvals' },
] as const;

export function QueueNav() {
  const { t } = useTranslation();
  return (
    <nav aria-label={t('nav.queues')} className="queue-nav">
      <ul>
        {QUEUES.map((queue) => (
          <li key={queue.to}>
            <Link to={queue.to} activeProps={{ 'aria-current': 'page' }}>
              {t(queue.label)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
