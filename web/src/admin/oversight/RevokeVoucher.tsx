import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import type { Voucher } from '../../api/types';
import { ActionButton } from '../../ui/buttons';
import { TextInput } from '../../ui/fields';
import { Day, Money } from '../../ui/Money';
import { formatFen } from '../../ui/money';
import { fieldErrors, ProblemMessage } from '../../ui/ProblemMessage';
import { Status } from '../../ui/Timeline';

type Plan = components['schemas']['RevocationPlan'];
type PlannedBooking = Plan['bookings'][number];

/** While the bookings the revocation stops are still stopping, the outcome looks again every few seconds. */
const FOLLOW_MS = 2_000;

/**
 * Revoking a voucher: first what it will do to each booking (the service's plan, by the rule the
 * revocation applies), then the reason and the confirmation, then the outcome as the bookings stop.
 */
export function RevokeVoucher({ voucher }: { voucher: Voucher }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [asked, setAsked] = useState(false);
  const [reason, setReason] = useState('');
  const [revokedPlan, setRevokedPlan] = useState<Plan | null>(null);
  const plan = useQuery({
    queryKey: ['revocation', voucher.id],
    enabled: asked && voucher.status === 'ACTIVE',
    queryFn: () =>
      unwrap(api.GET('/api/v1/vouchers/{id}/revocation', { params: { path: { id: voucher.id } } })),
  });
  const revoke = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/vouchers/{id}/revoke', { params: { path: { id: voucher.id } }, body: { reason } }),
      ),
    onSuccess: async (revoked) => {
      setRevokedPlan(plan.data ?? null);
      queryClient.setQueryData(['voucher', voucher.id], revoked);
      await queryClient.invalidateQueries({ queryKey: ['bookings', { voucherId: voucher.id }] });
    },
  });
  if (revokedPlan) return <Outcome voucherId={voucher.id} plan={revokedPlan} />;
  if (voucher.status !== 'ACTIVE') return null;
  return (
    <section aria-labelledby="revoke-heading" className="oversight-detail" data-testid="revoke-voucher">
      <h2 id="revoke-heading">{t('admin.oversight.revoke.heading')}</h2>
      <p>{t('admin.oversight.revoke.intro')}</p>
      {!asked ? (
        <ActionButton variant="secondary" pending={false} onPress={() => setAsked(true)}>
          {t('admin.oversight.revoke.preview')}
        </ActionButton>
      ) : null}
      <ProblemMessage error={plan.error} />
      {plan.isFetching && !plan.data ? <p>{t('ui.loading')}</p> : null}
      {plan.data ? (
        <>
          <h3>{t('admin.oversight.revoke.planHeading')}</h3>
          <PlanTable bookings={plan.data.bookings} />
          <ul className="revocation-totals" data-testid="revocation-totals">
            <li>
              {t('admin.oversight.revoke.balance', {
                amount: formatFen(plan.data.balanceFen, i18n.language),
              })}
            </li>
            <li>
              <strong>
                {t('admin.oversight.revoke.returned', {
                  amount: formatFen(plan.data.returnedFen, i18n.language),
                })}
              </strong>
            </li>
            {plan.data.standingFen > 0 ? (
              <li>
                {t('admin.oversight.revoke.standing', {
                  amount: formatFen(plan.data.standingFen, i18n.language),
                })}
              </li>
            ) : null}
          </ul>
          <Form
            className="form"
            validationBehavior="aria"
            validationErrors={fieldErrors(revoke.error)}
            onSubmit={(event) => {
              event.preventDefault();
              revoke.mutate();
            }}
          >
            <TextInput
              name="reason"
              label={t('admin.oversight.revoke.reason')}
              description={t('admin.oversight.revoke.reasonHint')}
              isRequired
              multiline
              value={reason}
              onChange={setReason}
            />
            <ProblemMessage error={revoke.error} />
            <ActionButton type="submit" variant="danger" pending={revoke.isPending}>
              {t('admin.oversight.revoke.confirm')}
            </ActionButton>
          </Form>
        </>
      ) : null}
    </section>
  );
}

function PlanTable({ bookings, now }: { bookings: PlannedBooking[]; now?: Map<string, string> }) {
  const { t } = useTranslation();
  if (bookings.length === 0) return <p>{t('admin.oversight.revoke.noBookings')}</p>;
  return (
    <table className="table" data-testid="revocation-plan">
      <caption>{t('admin.oversight.revoke.caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('admin.oversight.revoke.col.booking')}</th>
          <th scope="col">{t('admin.oversight.revoke.col.status')}</th>
          <th scope="col">{t('admin.oversight.revoke.col.claim')}</th>
          <th scope="col">{t('admin.oversight.revoke.col.subsidy')}</th>
          <th scope="col">{t('admin.oversight.revoke.col.effect')}</th>
          {now ? <th scope="col">{t('admin.oversight.revoke.now')}</th> : null}
        </tr>
      </thead>
      <tbody>
        {bookings.map((b) => (
          <tr key={b.bookingId} data-booking={b.bookingId} data-effect={b.effect}>
            <th scope="row">
              <Link to="/bookings/$id" params={{ id: b.bookingId }}>
                {b.providerName} · <Day date={b.scheduledDate} />
              </Link>
              <br />
              <span className="muted">{b.standards.join(', ')}</span>
            </th>
            <td>
              <Status status={b.status} />
            </td>
            <td>{b.claim ? <Status status={b.claim.status} /> : t('admin.oversight.revoke.noClaim')}</td>
            <td>
              <Money fen={b.subsidyFen} />
            </td>
            <td>{t(`admin.oversight.revoke.effect.${b.effect}`)}</td>
            {now ? (
              <td data-testid="status-now">
                <Status status={now.get(b.bookingId) ?? b.status} />
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** After the revocation: each booking of the plan with where it stands now, followed until they stopped. */
function Outcome({ voucherId, plan }: { voucherId: string; plan: Plan }) {
  const { t } = useTranslation();
  const stopping = new Set(
    plan.bookings
      .filter((b) => b.effect === 'CANCEL' || b.effect === 'REJECT_CLAIM_AND_CANCEL')
      .map((b) => b.bookingId),
  );
  const bookings = useQuery({
    queryKey: ['bookings', { voucherId }, 'revocation-outcome'],
    queryFn: () => unwrap(api.GET('/api/v1/bookings', { params: { query: { voucherId, limit: 100 } } })),
    refetchInterval: (query) =>
      query.state.data?.items.some((b) => stopping.has(b.id) && b.status !== 'CANCELLED') ? FOLLOW_MS : false,
  });
  const now = new Map((bookings.data?.items ?? []).map((b) => [b.id, b.status]));
  return (
    <section
      aria-labelledby="revoke-outcome-heading"
      className="oversight-detail"
      data-testid="revocation-outcome"
    >
      <h2 id="revoke-outcome-heading">{t('admin.oversight.revoke.outcomeHeading')}</h2>
      <p role="status">{t('admin.oversight.revoke.done')}</p>
      <ProblemMessage error={bookings.error} />
      <PlanTable bookings={plan.bookings} now={now} />
    </section>
  );
}
