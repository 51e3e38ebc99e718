import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import type { WorkItem } from '../api/types';
import { dynamicText } from '../i18n/dynamic';
import { Loading } from './buttons';
import { When } from './Money';
import { ProblemMessage } from './ProblemMessage';
import { Status } from './Timeline';

function ItemLink({ item }: { item: WorkItem }) {
  const { t } = useTranslation();
  const label = `${dynamicText(t, 'kind', item.kind)} · ${item.title}`;
  switch (item.kind) {
    case 'APPLICATION':
      return (
        <Link to="/applications/$id" params={{ id: item.id }}>
          {label}
        </Link>
      );
    case 'VOUCHER':
      return (
        <Link to="/vouchers/$id" params={{ id: item.id }}>
          {label}
        </Link>
      );
    case 'BOOKING':
      return (
        <Link to="/bookings/$id" params={{ id: item.id }}>
          {label}
        </Link>
      );
    case 'APPROVAL':
      return (
        <Link to="/admin/approvals" search={{ approval: item.id }}>
          {label}
        </Link>
      );
    default:
      return <>{label}</>;
  }
}

/** "What awaits me": the service's list of the caller's open steps, soonest deadline first. */
export function Worklist() {
  const { t } = useTranslation();
  const worklist = useQuery({
    queryKey: ['worklist'],
    queryFn: () => unwrap(api.GET('/api/v1/worklist')),
  });
  return (
    <section aria-labelledby="worklist-heading">
      <h2 id="worklist-heading">{t('worklist.heading')}</h2>
      {worklist.isPending ? <Loading /> : null}
      <ProblemMessage error={worklist.error} />
      {worklist.data && worklist.data.items.length === 0 ? <p>{t('worklist.empty')}</p> : null}
      {worklist.data && worklist.data.items.length > 0 ? (
        <table className="table">
          <caption className="visually-hidden">{t('worklist.heading')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('worklist.item')}</th>
              <th scope="col">{t('worklist.status')}</th>
              <th scope="col">{t('worklist.action')}</th>
              <th scope="col">{t('worklist.due')}</th>
            </tr>
          </thead>
          <tbody>
            {worklist.data.items.map((item) => (
              <tr key={`${item.kind}-${item.id}`}>
                <th scope="row">
                  <ItemLink item={item} />
                </th>
                <td>
                  <Status status={item.status} />
                </td>
                <td className="capitalise">{dynamicText(t, 'awaited', item.awaiting.action)}</td>
                <td>{item.awaiting.dueAt ? <When at={item.awaiting.dueAt} /> : t('worklist.noDeadline')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
