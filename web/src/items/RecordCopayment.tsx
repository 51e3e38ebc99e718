import { now, type ZonedDateTime } from '@internationalized/date';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, idempotencyKey, unwrap } from '../api/client';
import type { Booking } from '../api/types';
import { ActionButton } from '../ui/buttons';
import { SERVICE_TIME_ZONE } from '../ui/dates';
import { DateField, TextInput } from '../ui/fields';
import { Money } from '../ui/Money';
import { fieldErrors, ProblemMessage } from '../ui/ProblemMessage';
import { useBookingRefresh } from './booking-refresh';

/**
 * Records the co-payment on a booking: the SME says what it paid, the provider what it received. The
 * form is the same; `words` names the catalog group that says it from that party's side.
 */
export function RecordCopayment({
  booking,
  words,
}: {
  booking: Booking;
  words: 'actions' | 'provider.inbox.actions';
}) {
  const { t } = useTranslation();
  const refresh = useBookingRefresh(booking.id);
  const [reference, setReference] = useState('');
  const [paidAt, setPaidAt] = useState<ZonedDateTime | null>(() =>
    now(SERVICE_TIME_ZONE).set({ second: 0, millisecond: 0 }),
  );
  const record = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/bookings/{id}/copayment', {
          params: { path: { id: booking.id } },
          body: { reference, paidAt: paidAt ? paidAt.toDate().toISOString() : '' },
          headers: idempotencyKey(),
        }),
      ),
    onSuccess: () => refresh(t(`${words}.copaymentRecorded`)),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    record.mutate();
  };
  return (
    <section aria-labelledby="copayment-heading" className="panel">
      <h2 id="copayment-heading">{t(`${words}.copaymentHeading`)}</h2>
      <p>
        {t(`${words}.copaymentIntro`)} <Money fen={booking.copaymentFen} />
      </p>
      <Form
        validationBehavior="aria"
        onSubmit={submit}
        validationErrors={fieldErrors(record.error)}
        className="form"
      >
        <TextInput
          name="reference"
          label={t(`${words}.copaymentReference`)}
          description={t(`${words}.copaymentReferenceHint`)}
          value={reference}
          onChange={(value) => {
            setReference(value);
            // an edit answers the refusal: it goes, and nothing below the field moves under the pointer
            if (record.error) record.reset();
          }}
          isRequired
        />
        <DateField
          name="paidAt"
          label={t(`${words}.copaymentPaidAt`)}
          granularity="minute"
          value={paidAt}
          onChange={setPaidAt}
          isRequired
        />
        <ProblemMessage error={record.error} />
        <ActionButton type="submit" pending={record.isPending}>
          {t(`${words}.recordCopayment`)}
        </ActionButton>
      </Form>
    </section>
  );
}
