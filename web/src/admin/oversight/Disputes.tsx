import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import { Form, Label, Radio, RadioGroup } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import type { Booking } from '../../api/types';
import { ReportDownload } from '../../items/ReportDownload';
import { ActionButton, Loading } from '../../ui/buttons';
import type { CsvColumn } from '../../ui/csv';
import { TextInput } from '../../ui/fields';
import { Money, When } from '../../ui/Money';
import { formatFen } from '../../ui/money';
import { usePageTitle } from '../../ui/page';
import { fieldErrors, ProblemMessage } from '../../ui/ProblemMessage';
import { Status } from '../../ui/Timeline';
import { QueueFilters } from '../queue';
import { ALL, matchesText, queueView, sortQueue, type QueueView } from '../queue-rows';
import { QueueNav } from '../QueueNav';

type Dispute = components['schemas']['Dispute'];
type Resolution = components['schemas']['DisputeResolution']['resolution'];
const RESOLUTIONS: Resolution[] = ['UPHOLD', 'RETEST', 'CANCEL_REFUND'];

/** Disputed reports: open ones first; one opened shows the report, both sides, and the resolution. */
export function DisputesQueue({ selected }: { selected: string | null }) {
  const { t } = useTranslation();
  usePageTitle(t('admin.oversight.disputes.title'));
  const [view, setView] = useState<QueueView<Dispute['status']>>(queueView('OPEN', 'DEADLINE'));
  const disputes = useQuery({
    queryKey: ['disputes', view.status, view.programmeId],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/disputes', {
          params: {
            query: {
              limit: 100,
              ...(view.status !== ALL ? { status: view.status } : {}),
              ...(view.programmeId !== ALL ? { programmeId: view.programmeId } : {}),
            },
          },
        }),
      ),
  });
  const items = sortQueue(
    (disputes.data?.items ?? []).filter((d) =>
      matchesText(view.text, [d.enterpriseName, d.providerName, d.reason, d.id, d.bookingId]),
    ),
    view.sort,
    (d) => ({ since: d.createdAt, due: d.dueAt }),
  );
  const open = disputes.data?.items.find((d) => d.id === selected) ?? null;
  const columns: CsvColumn<Dispute>[] = [
    { header: 'dispute_id', value: (d) => d.id },
    { header: 'booking_id', value: (d) => d.bookingId },
    { header: 'programme_id', value: (d) => d.programmeId },
    { header: 'enterprise', value: (d) => d.enterpriseName },
    { header: 'provider', value: (d) => d.providerName },
    { header: 'reason', value: (d) => d.reason },
    { header: 'status', value: (d) => d.status },
    { header: 'resolution', value: (d) => d.resolution },
    { header: 'raised_at', value: (d) => d.createdAt },
    { header: 'due_at', value: (d) => d.dueAt },
    { header: 'resolved_at', value: (d) => d.resolvedAt },
  ];
  return (
    <>
      <h1>{t('admin.oversight.disputes.title')}</h1>
      <QueueNav />
      <p>{t('admin.oversight.disputes.intro')}</p>
      {selected ? <DisputeDetail id={selected} dispute={open} pending={disputes.isPending} /> : null}
      <section aria-labelledby="disputes-queue-heading">
        <h2 id="disputes-queue-heading">{t('admin.oversight.disputes.caption')}</h2>
        <QueueFilters
          queue="disputes"
          view={view}
          onChange={setView}
          statuses={(['OPEN', 'RESOLVED'] as const).map((s) => ({ id: s, label: t(`status.${s}`) }))}
          sorts={['DEADLINE', 'OLDEST']}
          shown={disputes.data ? items : undefined}
          columns={columns}
        />
        {disputes.isPending ? <Loading /> : null}
        <ProblemMessage error={disputes.error} />
        {disputes.data && items.length === 0 ? <p>{t('admin.queue.none')}</p> : null}
        {items.length ? (
          <table className="table" data-testid="disputes-queue">
            <thead>
              <tr>
                <th scope="col">{t('admin.oversight.disputes.col.dispute')}</th>
                <th scope="col">{t('admin.oversight.disputes.col.provider')}</th>
                <th scope="col">{t('admin.oversight.disputes.col.reason')}</th>
                <th scope="col">{t('admin.oversight.disputes.col.raised')}</th>
                <th scope="col">{t('admin.oversight.disputes.col.due')}</th>
                <th scope="col">{t('admin.oversight.disputes.col.status')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <tr key={d.id} data-dispute={d.id}>
                  <th scope="row">
                    <Link
                      to="/admin/disputes"
                      search={{ dispute: d.id }}
                      aria-label={t('admin.oversight.disputes.openDispute', { enterprise: d.enterpriseName })}
                    >
                      {d.enterpriseName}
                    </Link>
                  </th>
                  <td>{d.providerName}</td>
                  <td>{d.reason}</td>
                  <td>
                    <When at={d.createdAt} />
                  </td>
                  <td>{d.dueAt ? <When at={d.dueAt} /> : t('admin.queue.noDue')}</td>
                  <td>
                    <Status status={d.status} />
                    {d.resolution ? ` · ${t(`admin.oversight.disputes.resolution.${d.resolution}`)}` : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
    </>
  );
}

/** The disputed booking: its report, the enterprise's words, the provider's side, and the resolution. */
function DisputeDetail({ id, dispute, pending }: { id: string; dispute: Dispute | null; pending: boolean }) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  const disputeOfId = useQuery({
    queryKey: ['dispute', id],
    enabled: !pending && dispute === null,
    // a dispute not in the list shown (another status): looked up among all
    queryFn: async () => {
      const all = await unwrap(api.GET('/api/v1/disputes', { params: { query: { limit: 100 } } }));
      return all.items.find((d) => d.id === id) ?? null;
    },
  });
  const d = dispute ?? disputeOfId.data ?? null;
  const booking = useQuery({
    queryKey: ['booking', d?.bookingId],
    enabled: d !== null,
    queryFn: () => unwrap(api.GET('/api/v1/bookings/{id}', { params: { path: { id: d!.bookingId } } })),
  });
  useEffect(() => heading.current?.focus(), [id, booking.data?.id]);
  if (pending || disputeOfId.isLoading || booking.isLoading) return <Loading />;
  if (!d) return <ProblemMessage error={disputeOfId.error} />;
  if (booking.error || !booking.data) return <ProblemMessage error={booking.error} />;
  const b = booking.data;
  return (
    <section aria-labelledby="dispute-heading" className="oversight-detail" data-testid="dispute-detail">
      <h2 id="dispute-heading" ref={heading} tabIndex={-1}>
        {t('admin.oversight.disputes.detail.heading', {
          enterprise: d.enterpriseName,
          provider: d.providerName,
        })}
      </h2>
      <dl className="facts">
        <dt>{t('admin.oversight.disputes.col.status')}</dt>
        <dd>
          <Status status={d.status} /> · <Status status={b.status} />
        </dd>
        <dt>{t('admin.oversight.disputes.detail.booking')}</dt>
        <dd>
          <Link to="/bookings/$id" params={{ id: b.id }}>
            {b.id.slice(0, 8)}
          </Link>
        </dd>
        <dt>{t('admin.oversight.disputes.detail.standards')}</dt>
        <dd>{b.standards.join(', ')}</dd>
        <dt>{t('admin.oversight.disputes.detail.samples')}</dt>
        <dd>{b.sampleCount}</dd>
        <dt>{t('admin.oversight.disputes.detail.quoted')}</dt>
        <dd>
          <Money fen={b.quotedPriceFen} />
        </dd>
        <dt>{t('admin.oversight.disputes.detail.subsidy')}</dt>
        <dd>
          <Money fen={b.subsidyFen} />
        </dd>
        <dt>{t('admin.oversight.disputes.col.raised')}</dt>
        <dd>
          <When at={d.createdAt} />
        </dd>
        {d.dueAt ? (
          <>
            <dt>{t('admin.oversight.disputes.col.due')}</dt>
            <dd>
              <When at={d.dueAt} />
            </dd>
          </>
        ) : null}
      </dl>
      {b.report ? <ReportDownload booking={b} /> : null}
      <h3>{t('admin.oversight.disputes.detail.smeWords')}</h3>
      <blockquote className="words" data-testid="sme-words">
        {d.reason}
      </blockquote>
      <h3>{t('admin.oversight.disputes.detail.providerWords')}</h3>
      <p>{t('admin.oversight.disputes.detail.providerNone')}</p>
      {d.status === 'OPEN' ? (
        <ResolutionForm dispute={d} booking={b} />
      ) : (
        <p role="status">
          {t('admin.oversight.disputes.detail.resolvedAs', {
            resolution: d.resolution ? t(`admin.oversight.disputes.resolution.${d.resolution}`) : '',
            note: d.note ?? '',
          })}
        </p>
      )}
    </section>
  );
}

function ResolutionForm({ dispute, booking }: { dispute: Dispute; booking: Booking }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [resolution, setResolution] = useState<Resolution | null>(null);
  const [note, setNote] = useState('');
  const resolve = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/disputes/{id}/resolution', {
          params: { path: { id: dispute.id } },
          body: { resolution: resolution!, note },
        }),
      ),
    onSuccess: async (resolved) => {
      queryClient.setQueryData(['booking', booking.id], resolved);
      await queryClient.invalidateQueries({ queryKey: ['disputes'] });
      await queryClient.invalidateQueries({ queryKey: ['dispute', dispute.id] });
    },
  });
  const subsidy = formatFen(booking.subsidyFen, i18n.language);
  return (
    <Form
      className="form"
      validationBehavior="aria"
      validationErrors={fieldErrors(resolve.error)}
      onSubmit={(event) => {
        event.preventDefault();
        if (resolution) resolve.mutate();
      }}
    >
      <h3>{t('admin.oversight.disputes.resolve.heading')}</h3>
      <RadioGroup
        className="field"
        name="resolution"
        isRequired
        value={resolution}
        onChange={(value) => setResolution(value as Resolution)}
      >
        <Label>{t('admin.oversight.disputes.resolve.choice')}</Label>
        <div className="radio-column">
          {RESOLUTIONS.map((r) => (
            <Radio key={r} value={r} className="radio resolution-choice" data-resolution={r}>
              <span>{t(`admin.oversight.disputes.resolution.${r}`)}</span>
              <span className="consequence">
                {t(`admin.oversight.disputes.consequence.${r}`, { subsidy })}
              </span>
            </Radio>
          ))}
        </div>
      </RadioGroup>
      <TextInput
        name="note"
        label={t('admin.oversight.disputes.resolve.note')}
        description={t('admin.oversight.disputes.resolve.noteHint')}
        isRequired
        multiline
        value={note}
        onChange={setNote}
      />
      {resolution ? (
        <p className="consequence-summary" role="status">
          {t(`admin.oversight.disputes.consequence.${resolution}`, { subsidy })}
        </p>
      ) : null}
      <ProblemMessage error={resolve.error} />
      <ActionButton
        type="submit"
        pending={resolve.isPending}
        isDisabled={resolution === null}
        variant={resolution === 'CANCEL_REFUND' ? 'danger' : 'primary'}
      >
        {t('admin.oversight.disputes.resolve.submit')}
      </ActionButton>
    </Form>
  );
}
