import { parseDate, type CalendarDate } from '@internationalized/date';
import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { Button, Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { dynamicText } from '../i18n/dynamic';
import { zhCN } from '../i18n/zh-CN';
import { ActionButton, Loading } from '../ui/buttons';
import { fileNameOf, saveFile } from '../ui/download';
import { Choice, DateField, TextInput } from '../ui/fields';
import { When } from '../ui/Money';
import { usePageTitle } from '../ui/page';
import { ProblemMessage } from '../ui/ProblemMessage';
import { ActorName, EntityName, EntryChanges } from './audit-entry';
import { ChainVerification } from './ChainVerification';
import { endOfBeijingDay, startOfBeijingDay } from './day-range';
import './auditor.css';

export const ENTITY_TYPES = [
  'enterprise',
  'application',
  'voucher',
  'booking',
  'claim',
  'provider',
  'programme',
];

export interface AuditSearch {
  entityType?: string;
  entityId?: string;
  actorId?: string;
  action?: string;
  /** Beijing calendar days, YYYY-MM-DD, the last inclusive */
  from?: string;
  to?: string;
}

const text = (value: unknown, max: number) =>
  typeof value === 'string' && value.trim() && value.length <= max ? value.trim() : undefined;
const day = (value: unknown) =>
  typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined;

/** The explorer's filters as the address carries them; anything else is dropped. */
export function auditSearch(search: Record<string, unknown>): AuditSearch {
  const found = {
    entityType: text(search.entityType, 50),
    entityId: text(search.entityId, 100),
    actorId: text(search.actorId, 100),
    action: text(search.action, 100),
    from: day(search.from),
    to: day(search.to),
  };
  return Object.fromEntries(Object.entries(found).filter(([, v]) => v !== undefined));
}

/** The query the service takes for these filters. */
function auditQuery(search: AuditSearch) {
  return {
    entityType: search.entityType,
    entityId: search.entityId,
    actorId: search.actorId,
    action: search.action,
    from: search.from ? startOfBeijingDay(parseDate(search.from)) : undefined,
    to: search.to ? endOfBeijingDay(parseDate(search.to)) : undefined,
  };
}

const PAGE_SIZE = 50;

/** The audit log, filtered, with each entry's before and after, chain verification and export. */
export function AuditExplorer({ search }: { search: AuditSearch }) {
  const { t } = useTranslation();
  usePageTitle(t('auditor.audit.title'));
  return (
    <>
      <h1>{t('auditor.audit.title')}</h1>
      <p>{t('auditor.audit.intro')}</p>
      <ChainVerification />
      <AuditFilters key={JSON.stringify(search)} search={search} />
      <AuditEntries search={search} />
      <AuditExport search={search} />
    </>
  );
}

function AuditFilters({ search }: { search: AuditSearch }) {
  const { t } = useTranslation();
  const w = (key: string) => t(`auditor.audit.filters.${key}`);
  const navigate = useNavigate();
  const [entityType, setEntityType] = useState(search.entityType ?? 'ALL');
  const [entityId, setEntityId] = useState(search.entityId ?? '');
  const [actorId, setActorId] = useState(search.actorId ?? '');
  const [action, setAction] = useState(search.action ?? 'ALL');
  const [from, setFrom] = useState<CalendarDate | null>(search.from ? parseDate(search.from) : null);
  const [to, setTo] = useState<CalendarDate | null>(search.to ? parseDate(search.to) : null);
  const actions = Object.keys(zhCN.timeline.action);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    void navigate({
      to: '/audit',
      search: auditSearch({
        entityType: entityType === 'ALL' ? undefined : entityType,
        entityId,
        actorId,
        action: action === 'ALL' ? undefined : action,
        from: from?.toString(),
        to: to?.toString(),
      }),
    });
  };
  return (
    <section aria-labelledby="audit-filters-heading" className="panel">
      <h2 id="audit-filters-heading">{w('heading')}</h2>
      <Form className="filters-form" role="search" aria-labelledby="audit-filters-heading" onSubmit={apply}>
        <Choice
          name="entityType"
          label={w('entityType')}
          options={[
            { id: 'ALL', label: w('anyEntityType') },
            ...ENTITY_TYPES.map((id) => ({ id, label: dynamicText(t, 'auditor.audit.entityTypes', id) })),
          ]}
          value={entityType}
          onChange={(value) => setEntityType(value ?? 'ALL')}
        />
        <TextInput
          name="entityId"
          label={w('entityId')}
          description={w('entityIdHint')}
          value={entityId}
          onChange={setEntityId}
        />
        <TextInput
          name="actorId"
          label={w('actorId')}
          description={w('actorIdHint')}
          value={actorId}
          onChange={setActorId}
        />
        <Choice
          name="action"
          label={w('action')}
          options={[
            { id: 'ALL', label: w('anyAction') },
            ...actions.map((id) => ({ id, label: dynamicText(t, 'timeline.action', id) })),
          ]}
          value={action}
          onChange={(value) => setAction(value ?? 'ALL')}
        />
        <DateField name="from" label={w('from')} value={from} onChange={setFrom} />
        <DateField name="to" label={w('to')} value={to} onChange={setTo} />
        <div className="actions">
          <Button type="submit" className="button primary">
            {w('apply')}
          </Button>
          <Button className="button secondary" onPress={() => void navigate({ to: '/audit', search: {} })}>
            {w('clear')}
          </Button>
        </div>
      </Form>
    </section>
  );
}

function AuditEntries({ search }: { search: AuditSearch }) {
  const { t } = useTranslation();
  const w = (key: string, values: Record<string, unknown> = {}) => t(`auditor.audit.list.${key}`, values);
  const entries = useInfiniteQuery({
    queryKey: ['audit', search],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/audit', {
          params: { query: { ...auditQuery(search), limit: PAGE_SIZE, after: pageParam } },
        }),
      ),
    getNextPageParam: (last) => last.nextAfter ?? undefined,
  });
  const items = entries.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section aria-labelledby="audit-entries-heading" className="audit-entries">
      <h2 id="audit-entries-heading">{w('heading')}</h2>
      {entries.isPending ? <Loading /> : null}
      <ProblemMessage error={entries.error} />
      {entries.data && items.length === 0 ? <p>{w('empty')}</p> : null}
      {items.length ? (
        <div className="table-scroll">
          <table className="table" data-testid="audit-entries">
            <thead>
              <tr>
                <th scope="col">{w('seq')}</th>
                <th scope="col">{w('at')}</th>
                <th scope="col">{w('action')}</th>
                <th scope="col">{w('entity')}</th>
                <th scope="col">{w('actor')}</th>
                <th scope="col">{w('changes')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((entry) => (
                <tr key={entry.id} data-seq={entry.seq} data-entity={`${entry.entityType}/${entry.entityId}`}>
                  <th scope="row">{entry.seq}</th>
                  <td>
                    <When at={entry.at} />
                  </td>
                  <td data-action={entry.action}>{dynamicText(t, 'timeline.action', entry.action)}</td>
                  <td>
                    <EntityName entry={entry} />
                  </td>
                  <td>
                    <ActorName entry={entry} />
                  </td>
                  <td>
                    <EntryChanges entry={entry} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {items.length ? (
        <p role="status">
          {w('loaded', { count: items.length })} {entries.hasNextPage ? null : w('end')}
        </p>
      ) : null}
      {entries.hasNextPage ? (
        <ActionButton
          variant="secondary"
          pending={entries.isFetchingNextPage}
          onPress={() => void entries.fetchNextPage()}
        >
          {w('more')}
        </ActionButton>
      ) : null}
    </section>
  );
}

function AuditExport({ search }: { search: AuditSearch }) {
  const { t } = useTranslation();
  const download = useMutation({
    mutationFn: async () => {
      const answer = await api.GET('/api/v1/audit/export', {
        params: { query: auditQuery(search) },
        parseAs: 'blob',
      });
      const blob = await unwrap<Blob>(Promise.resolve(answer));
      saveFile(fileNameOf(answer.response, 'audit-log.ndjson'), blob, 'application/x-ndjson');
    },
  });
  return (
    <section aria-labelledby="audit-export-heading" className="panel">
      <h2 id="audit-export-heading">{t('auditor.audit.export.heading')}</h2>
      <p>{t('auditor.audit.export.intro')}</p>
      <ProblemMessage error={download.error} />
      <ActionButton variant="secondary" pending={download.isPending} onPress={() => download.mutate()}>
        {t('auditor.audit.export.download')}
      </ActionButton>
    </section>
  );
}
