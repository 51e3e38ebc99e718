import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, idempotencyKey, unwrap } from '../api/client';
import type { Booking, BookingProgress } from '../api/types';
import { ActionButton } from '../ui/buttons';
import { TextInput } from '../ui/fields';
import { fieldErrors, ProblemMessage } from '../ui/ProblemMessage';
import { useBookingRefresh } from '../items/booking-refresh';
import { RecordCopayment } from '../items/RecordCopayment';

/** The SME's moves on a booking, each offered only when the service says it is the SME's turn. */
export function BookingActions({ booking, progress }: { booking: Booking; progress: BookingProgress }) {
  const action = progress.awaiting?.party === 'SME' ? progress.awaiting.action : null;
  return (
    <>
      {action === 'ACCEPT_OR_DISPUTE_REPORT' ? <AcceptOrDispute booking={booking} /> : null}
      {action === 'RECORD_COPAYMENT' ? <RecordCopayment booking={booking} words="actions" /> : null}
      {progress.mayCancel ? <Cancel booking={booking} /> : null}
    </>
  );
}

function AcceptOrDispute({ booking }: { booking: Booking }) {
  const { t } = useTranslation();
  const refresh = useBookingRefresh(booking.id);
  const [reason, setReason] = useState('');
  const accept = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/bookings/{id}/accept', {
          params: { path: { id: booking.id } },
          body: {},
          headers: idempotencyKey(),
        }),
      ),
    onSuccess: () => refresh(t('actions.accepted')),
  });
  const dispute = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/bookings/{id}/dispute', {
          params: { path: { id: booking.id } },
          body: { reason },
          headers: idempotencyKey(),
        }),
      ),
    onSuccess: () => refresh(t('actions.disputed')),
  });
  const submitDispute = (event: FormEvent) => {
    event.preventDefault();
    dispute.mutate();
  };
  return (
    <section aria-labelledby="decide-report-heading" className="panel">
      <h2 id="decide-report-heading">{t('actions.reportHeading')}</h2>
      <p>{t('actions.reportIntro')}</p>
      <ProblemMessage error={accept.error} />
      <ActionButton pending={accept.isPending} onPress={() => accept.mutate()}>
        {t('actions.accept')}
      </ActionButton>
      <Form
        validationBehavior="aria"
        onSubmit={submitDispute}
        validationErrors={fieldErrors(dispute.error)}
        className="form"
      >
        <TextInput
          name="reason"
          label={t('actions.disputeReason')}
          multiline
          value={reason}
          onChange={(value) => {
            setReason(value);
            // an edit answers the refusal: it goes, and nothing below the field moves under the pointer
            if (dispute.error) dispute.reset();
          }}
          isRequired
        />
        <ProblemMessage error={dispute.error} />
        <ActionButton type="submit" variant="danger" pending={dispute.isPending}>
          {t('actions.dispute')}
        </ActionButton>
      </Form>
    </section>
  );
}

function Cancel({ booking }: { booking: Booking }) {
  const { t } = useTranslation();
  const refresh = useBookingRefresh(booking.id);
  const [reason, setReason] = useState('');
  const cancel = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/bookings/{id}/cancel', {
          params: { path: { id: booking.id } },
          body: { reason },
          headers: idempotencyKey(),
        }),
      ),
    onSuccess: () => refresh(t('actions.cancelled')),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    cancel.mutate();
  };
  return (
    <section aria-labelledby="cancel-heading" className="panel">
      <h2 id="cancel-heading">{t('actions.cancelHeading')}</h2>
      <p>{t('actions.cancelIntro')}</p>
      <Form
        validationBehavior="aria"
        onSubmit={submit}
        validationErrors={fieldErrors(cancel.error)}
        className="form"
      >
        <TextInput
          name="reason"
          label={t('actions.cancelReason')}
          multiline
          value={reason}
          onChange={(value) => {
            setReason(value);
            if (cancel.error) cancel.reset();
          }}
          isRequired
        />
        <ProblemMessage error={cancel.error} />
        <ActionButton type="submit" variant="danger" pending={cancel.isPending}>
          {t('actions.cancel')}
        </ActionButton>
      </Form>
    </section>
  );
}
