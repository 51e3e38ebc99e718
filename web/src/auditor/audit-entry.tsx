import { Link } from '@tanstack/react-router';
import { Button, Disclosure, DisclosurePanel, Heading } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../api/types';
import { dynamicText } from '../i18n/dynamic';

type Json = unknown;

const isRecord = (value: Json): value is Record<string, Json> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const same = (a: Json, b: Json) => JSON.stringify(a) === JSON.stringify(b);

/** The fields an entry changed: each top-level field whose value differs, with both values. */
export function changedFields(before: Json, after: Json): { field: string; before: Json; after: Json }[] {
  if (isRecord(before) || isRecord(after)) {
    const b = isRecord(before) ? before : {};
    const a = isRecord(after) ? after : {};
    return [...new Set([...Object.keys(b), ...Object.keys(a)])]
      .filter((field) => !same(b[field], a[field]))
      .map((field) => ({ field, before: b[field], after: a[field] }));
  }
  return same(before, after) ? [] : [{ field: '', before, after }];
}

function Value({ value }: { value: Json }) {
  const { t } = useTranslation();
  if (value === undefined || value === null)
    return <span className="muted">{t('auditor.audit.diff.none')}</span>;
  return <span className="diff-value">{typeof value === 'string' ? value : JSON.stringify(value)}</span>;
}

/** What an entry changed, field by field, and both values whole on request. */
export function EntryChanges({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const w = (key: string, values: Record<string, string> = {}) => t(`auditor.audit.diff.${key}`, values);
  const fields = changedFields(entry.before, entry.after);
  return (
    <div data-changes={entry.seq}>
      {fields.length === 0 ? (
        <p>{w('unchanged')}</p>
      ) : (
        <table className="table compact diff-table">
          <thead>
            <tr>
              <th scope="col">{w('field')}</th>
              <th scope="col">{w('before')}</th>
              <th scope="col">{w('after')}</th>
            </tr>
          </thead>
          <tbody>
            {fields.map((f) => (
              <tr key={f.field} data-field={f.field}>
                <th scope="row">
                  <code>{f.field}</code>
                </th>
                <td data-side="before">
                  <Value value={f.before} />
                </td>
                <td data-side="after">
                  <Value value={f.after} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Disclosure className="disclosure">
        <Heading level={4}>
          <Button slot="trigger" className="disclosure-trigger">
            {w('raw')} · {t('auditor.audit.list.seq')} {entry.seq}
          </Button>
        </Heading>
        <DisclosurePanel>
          <div className="json-pair">
            <div>
              <p>{w('before')}</p>
              <pre>{JSON.stringify(entry.before ?? null, null, 2)}</pre>
            </div>
            <div>
              <p>{w('after')}</p>
              <pre>{JSON.stringify(entry.after ?? null, null, 2)}</pre>
            </div>
          </div>
          <p className="muted">
            <span className="hash">
              {w('hash', { hash: entry.hash.slice(0, 16), prev: entry.prevHash.slice(0, 16) })}
            </span>
            {entry.workflowId ? <> · {w('workflow', { id: entry.workflowId })}</> : null}
            {entry.requestId ? <> · {w('request', { id: entry.requestId })}</> : null}
          </p>
        </DisclosurePanel>
      </Disclosure>
    </div>
  );
}

const ITEM_PAGES: Record<string, string> = {
  application: '/applications/$id',
  voucher: '/vouchers/$id',
  booking: '/bookings/$id',
  programme: '/programmes/$id',
};

/** The item an entry is about, linked to its page where the portal has one. */
export function EntityName({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const type = dynamicText(t, 'auditor.audit.entityTypes', entry.entityType);
  const page = ITEM_PAGES[entry.entityType];
  return (
    <>
      {type}{' '}
      {page ? (
        <Link to={page} params={{ id: entry.entityId }} className="code">
          {entry.entityId}
        </Link>
      ) : (
        <span className="code">{entry.entityId}</span>
      )}
    </>
  );
}

/** Who acted: a role and its user, or the system. */
export function ActorName({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  if (!entry.actor.userId) return <>{dynamicText(t, 'actor', entry.actor.role)}</>;
  return (
    <>
      {dynamicText(t, 'actor', entry.actor.role)} <span className="code">{entry.actor.userId}</span>
    </>
  );
}
