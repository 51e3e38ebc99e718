import { subsidySplit } from '@domain/subsidy';
import { parseDate, type CalendarDate } from '@internationalized/date';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, idempotencyKey, unwrap } from '../api/client';
import type { Booking, BookingProgress } from '../api/types';
import { ActionButton } from '../ui/buttons';
import { DateField, TextInput } from '../ui/fields';
import { Money } from '../ui/Money';
import { formatFen, parseYuan, yuanDigits } from '../ui/money';
import { fieldErrors, ProblemMessage } from '../ui/ProblemMessage';
import { useBookingRefresh } from '../items/booking-refresh';
import { RecordCopayment } from '../items/RecordCopayment';
import { ReportUpload } from './ReportUpload';
import './bookings.css';

/** The provider's moves on a booking, each offered only when the service says the provider may take it. */
export function ProviderBookingActions({
  booking,
  progress,
}: {
  booking: Booking;
  progress: BookingProgress;
}) {
  const may = progress.providerMay;
  return (
    <>
      {may.confirm ? <Confirm booking={booking} /> : null}
      {may.decline ? <Decline booking={booking} /> : null}
      {may.receiveSamples ? <ReceiveSamples booking={booking} /> : null}
      <ReportUpload booking={booking} may={may.uploadReport} limitBytes={progress.reportLimitBytes} />
      {may.recordCopayment ? <RecordCopayment booking={booking} words="provider.inbox.actions" /> : null}
    </>
  );
}

function Confirm({ booking }: { booking: Booking }) {
  const { t, i18n } = useTranslation();
  const refresh = useBookingRefresh(booking.id);
  const [quote, setQuote] = useState(() => yuanDigits(booking.quotedPriceFen, 'en'));
  const [startDate, setStartDate] = useState<CalendarDate | null>(() => parseDate(booking.scheduledDate));
  const quotedPriceFen = parseYuan(quote);
  const terms = booking.subsidyTerms;
  // the service's own arithmetic (domain/subsidy.ts) on the terms it gave: what confirming will commit
  const split =
    terms && quotedPriceFen !== null ? subsidySplit(quotedPriceFen, terms.ratioBps, terms.capFen) : null;
  const confirm = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/bookings/{id}/confirm', {
          params: { path: { id: booking.id } },
          body: {
            quotedPriceFen: quotedPriceFen!,
            ...(startDate && startDate.toString() !== booking.scheduledDate
              ? { startDate: startDate.toString() }
              : {}),
          },
          headers: idempotencyKey(),
        }),
      ),
    onSuccess: () => refresh(t('provider.inbox.actions.confirmed')),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (quotedPriceFen === null || !startDate) return;
    confirm.mutate();
  };
  const percent = terms
    ? new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 2 }).format(
        terms.ratioBps / 10_000,
      )
    : '';
  return (
    <section aria-labelledby="confirm-heading" className="panel">
      <h2 id="confirm-heading">{t('provider.inbox.actions.confirmHeading')}</h2>
      <p>{t('provider.inbox.actions.confirmIntro')}</p>
      <Form
        validationBehavior="aria"
        onSubmit={submit}
        validationErrors={fieldErrors(confirm.error)}
        className="form"
      >
        <TextInput
          name="quotedPriceFen"
          label={t('provider.inbox.actions.quote')}
          description={t('ui.yuanHint')}
          inputMode="decimal"
          value={quote}
          onChange={(value) => {
            setQuote(value);
            if (confirm.error) confirm.reset();
          }}
          validate={(value) => (parseYuan(value) !== null ? null : t('ui.notAnAmount'))}
          isRequired
        />
        <DateField
          name="startDate"
          label={t('provider.inbox.actions.startDate')}
          description={t('provider.inbox.actions.startDateHint')}
          value={startDate}
          onChange={setStartDate}
          isRequired
        />
        {split && terms ? (
          <div className="preview" aria-live="polite">
            <p className="preview-title">{t('provider.inbox.actions.preview')}</p>
            <dl className="facts compact">
              <dt>{t('provider.inbox.actions.previewSubsidy')}</dt>
              <dd data-testid="preview-subsidy">
                <Money fen={split.subsidyFen} />
              </dd>
              <dt>{t('provider.inbox.actions.previewCopayment')}</dt>
              <dd data-testid="preview-copayment">
                <Money fen={split.copaymentFen} />
              </dd>
            </dl>
            <p className="hint">
              {t('provider.inbox.actions.previewRule', {
                percent,
                cap: formatFen(terms.capFen, i18n.language),
              })}
            </p>
          </div>
        ) : null}
        <ProblemMessage error={confirm.error} />
        <ActionButton type="submit" pending={confirm.isPending}>
          {t('provider.inbox.actions.confirm')}
        </ActionButton>
      </Form>
    </section>
  );
}

function Decline({ booking }: { booking: Booking }) {
  const { t } = useTranslation();
  const refresh = useBookingRefresh(booking.id);
  const [reason, setReason] = useState('');
  const decline = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/bookings/{id}/decline', {
          params: { path: { id: booking.id } },
          body: { reason },
          headers: idempotencyKey(),
        }),
      ),
    onSuccess: () => refresh(t('provider.inbox.actions.declined')),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    decline.mutate();
  };
  return (
    <section aria-labelledby="decline-heading" className="panel">
      <h2 id="decline-heading">{t('provider.inbox.actions.declineHeading')}</h2>
      <p>{t('provider.inbox.actions.declineIntro')}</p>
      <Form
        validationBehavior="aria"
        onSubmit={submit}
        validationErrors={fieldErrors(decline.error)}
        className="form"
      >
        <TextInput
          name="reason"
          label={t('provider.inbox.actions.declineReason')}
          multiline
          value={reason}
          onChange={(value) => {
            setReason(value);
            if (decline.error) decline.reset();
          }}
          isRequired
        />
        <ProblemMessage error={decline.error} />
        <ActionButton type="submit" variant="danger" pending={decline.isPending}>
          {t('provider.inbox.actions.decline')}
        </ActionButton>
      </Form>
    </section>
  );
}

function ReceiveSamples({ booking }: { booking: Booking }) {
  const { t } = useTranslation();
  const refresh = useBookingRefresh(booking.id);
  const receive = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/bookings/{id}/sample-received', {
          params: { path: { id: booking.id } },
          body: {},
          headers: idempotencyKey(),
        }),
      ),
    onSuccess: () => refresh(t('provider.inbox.actions.samplesRecorded')),
  });
  return (
    <section aria-labelledby="samples-heading" className="panel">
      <h2 id="samples-heading">{t('provider.inbox.actions.samplesHeading')}</h2>
      <p>{t('provider.inbox.actions.samplesIntro')}</p>
      <ProblemMessage error={receive.error} />
      <ActionButton pending={receive.isPending} onPress={() => receive.mutate()}>
        {t('provider.inbox.actions.samplesReceived')}
      </ActionButton>
    </section>
  );
}
