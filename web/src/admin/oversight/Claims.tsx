import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import { Form, Label, Radio, RadioGroup } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { ActionButton, Loading } from '../../ui/buttons';
import type { CsvColumn } from '../../ui/csv';
import { formatInstant } from '../../ui/dates';
import { TextInput } from '../../ui/fields';
import { useSession } from '../../ui/Layout';
import { Day, Money, When } from '../../ui/Money';
import { formatFen } from '../../ui/money';
import { usePageTitle } from '../../ui/page';
import { fieldErrors, ProblemMessage } from '../../ui/ProblemMessage';
import { Status } from '../../ui/Timeline';
import { QueueFilters } from '../queue';
import { ALL, matchesText, queueView, sortQueue, type QueueView } from '../queue-rows';
import { QueueNav } from '../QueueNav';
import { FlagEvidence, flagNames } from './claim-flags';

type Claim = components['schemas']['Claim'];
type ClaimStatus = Claim['status'];
const STATUSES: ClaimStatus[] = ['PENDING_REVIEW', 'APPROVED', 'REJECTED', 'PAID'];

/** Claims under review, with their risk flags; one opened shows the evidence and takes the decision. */
export function ClaimsQueue({ selected }: { selected: string | null }) {
  const { t } = useTranslation();
  usePageTitle(t('admin.oversight.claims.title'));
  const [view, setView] = useState<QueueView<ClaimStatus>>(queueView('PENDING_REVIEW', 'OLDEST'));
  const claims = useInfiniteQuery({
    queryKey: ['claims', 'admin', view.status, view.programmeId],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/claims', {
          params: {
            query: {
              limit: 100,
              cursor: pageParam,
              ...(view.status !== ALL ? { status: view.status } : {}),
              ...(view.programmeId !== ALL ? { programmeId: view.programmeId } : {}),
            },
          },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const items = sortQueue(
    (claims.data?.pages.flatMap((page) => page.items) ?? []).filter((c) =>
      matchesText(view.text, [
        c.contract.enterpriseName,
        c.contract.providerName,
        c.contract.voucherCode,
        c.id,
        c.bookingId,
      ]),
    ),
    view.sort,
    (c) => ({ since: c.createdAt, due: c.awaiting?.dueAt ?? null }),
  );
  const columns: CsvColumn<Claim>[] = [
    { header: 'claim_id', value: (c) => c.id },
    { header: 'booking_id', value: (c) => c.bookingId },
    { header: 'programme_id', value: (c) => c.programmeId },
    { header: 'enterprise', value: (c) => c.contract.enterpriseName },
    { header: 'provider', value: (c) => c.contract.providerName },
    { header: 'voucher_code', value: (c) => c.contract.voucherCode },
    { header: 'amount_fen', value: (c) => c.amountFen },
    { header: 'status', value: (c) => c.status },
    { header: 'risk_flags', value: (c) => c.riskFlags.map((f) => f.code).join(' ') },
    { header: 'created_at', value: (c) => c.createdAt },
    { header: 'due_at', value: (c) => c.awaiting?.dueAt },
  ];
  return (
    <>
      <h1>{t('admin.oversight.claims.title')}</h1>
      <QueueNav />
      <p>{t('admin.oversight.claims.intro')}</p>
      {selected ? <ClaimReview id={selected} /> : null}
      <section aria-labelledby="claims-queue-heading">
        <h2 id="claims-queue-heading">{t('admin.oversight.claims.caption')}</h2>
        <QueueFilters
          queue="claims"
          view={view}
          onChange={setView}
          statuses={STATUSES.map((s) => ({ id: s, label: t(`status.${s}`) }))}
          sorts={['OLDEST', 'DEADLINE']}
          shown={claims.data ? items : undefined}
          columns={columns}
        />
        {claims.isPending ? <Loading /> : null}
        <ProblemMessage error={claims.error} />
        {claims.data && items.length === 0 ? <p>{t('admin.queue.none')}</p> : null}
        {items.length ? <ClaimRows claims={items} /> : null}
        {claims.hasNextPage ? (
          <ActionButton
            variant="secondary"
            pending={claims.isFetchingNextPage}
            onPress={() => void claims.fetchNextPage()}
          >
            {t('admin.queue.more')}
          </ActionButton>
        ) : null}
      </section>
    </>
  );
}

function ClaimRows({ claims }: { claims: Claim[] }) {
  const { t } = useTranslation();
  return (
    <table className="table" data-testid="claims-queue">
      <thead>
        <tr>
          <th scope="col">{t('admin.oversight.claims.col.claim')}</th>
          <th scope="col">{t('admin.oversight.claims.col.provider')}</th>
          <th scope="col">{t('admin.oversight.claims.col.amount')}</th>
          <th scope="col">{t('admin.oversight.claims.col.flags')}</th>
          <th scope="col">{t('admin.oversight.claims.col.created')}</th>
          <th scope="col">{t('admin.oversight.claims.col.due')}</th>
          <th scope="col">{t('admin.oversight.claims.col.status')}</th>
        </tr>
      </thead>
      <tbody>
        {claims.map((c) => (
          <tr key={c.id} data-claim={c.id}>
            <th scope="row">
              <Link
                to="/admin/claims"
                search={{ claim: c.id }}
                aria-label={t('admin.oversight.claims.openClaim', { enterprise: c.contract.enterpriseName })}
              >
                {c.contract.enterpriseName}
              </Link>
              <br />
              <span className="code">{c.contract.voucherCode}</span>
            </th>
            <td>{c.contract.providerName}</td>
            <td>
              <Money fen={c.amountFen} />
            </td>
            <td>{c.riskFlags.length ? flagNames(c.riskFlags, t) : t('admin.oversight.claims.noFlags')}</td>
            <td>
              <When at={c.createdAt} />
            </td>
            <td>{c.awaiting?.dueAt ? <When at={c.awaiting.dueAt} /> : t('admin.queue.noDue')}</td>
            <td>
              <Status status={c.status} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One claim: the job as performed, each flag with its evidence, and the decision. */
function ClaimReview({ id }: { id: string }) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  const claim = useQuery({
    queryKey: ['claim', id],
    queryFn: () => unwrap(api.GET('/api/v1/claims/{id}', { params: { path: { id } } })),
  });
  // opened from the list or a link: the reader is taken to it
  useEffect(() => heading.current?.focus(), [id, claim.data?.id]);
  if (claim.isPending) return <Loading />;
  if (claim.error) return <ProblemMessage error={claim.error} />;
  const c = claim.data;
  const k = c.contract;
  return (
    <section aria-labelledby="claim-review-heading" className="oversight-detail" data-testid="claim-review">
      <h2 id="claim-review-heading" ref={heading} tabIndex={-1}>
        {t('admin.oversight.claims.detail.heading', {
          enterprise: k.enterpriseName,
          provider: k.providerName,
        })}
      </h2>
      <dl className="facts">
        <dt>{t('admin.oversight.claims.col.status')}</dt>
        <dd>
          <Status status={c.status} />
          {c.autoApproved ? ` · ${t('admin.oversight.claims.detail.autoApproved')}` : null}
        </dd>
        <dt>{t('admin.oversight.claims.detail.voucher')}</dt>
        <dd className="code">{k.voucherCode}</dd>
        <dt>{t('admin.oversight.claims.detail.booking')}</dt>
        <dd>
          <Link to="/bookings/$id" params={{ id: c.bookingId }}>
            {k.lines.map((line) => line.serviceName).join('、') || c.bookingId}
          </Link>{' '}
          · <Day date={k.lines[0]?.startDate ?? k.sampleReceivedAt.slice(0, 10)} />
        </dd>
        <dt>{t('admin.oversight.claims.detail.quoted')}</dt>
        <dd>
          <Money fen={k.quotedPriceFen} />
        </dd>
        <dt>{t('admin.oversight.claims.detail.catalog')}</dt>
        <dd>
          <Money fen={k.catalogPriceFen} />
        </dd>
        <dt>{t('admin.oversight.claims.detail.subsidy')}</dt>
        <dd>
          <Money fen={c.amountFen} />
        </dd>
        <dt>{t('admin.oversight.claims.detail.copayment')}</dt>
        <dd>
          <Money fen={k.copaymentFen} /> · {c.paymentReference}
        </dd>
        <dt>{t('admin.oversight.claims.detail.reported')}</dt>
        <dd>
          <When at={k.reportedAt} />
        </dd>
        <dt>{t('admin.oversight.claims.detail.reportSha')}</dt>
        <dd>
          <code className="hash">{c.reportSha256}</code>
        </dd>
        {c.secondApproval.required ? (
          <>
            <dt>{t('admin.approvals.claim.heading')}</dt>
            <dd data-testid="second-approval">
              <SecondApproval claim={c} />
            </dd>
          </>
        ) : null}
        {c.decisionReason ? (
          <>
            <dt>{t('admin.oversight.claims.detail.decidedAt')}</dt>
            <dd>
              {c.decidedAt ? <When at={c.decidedAt} /> : null} ·{' '}
              {t('admin.oversight.claims.detail.decided', { reason: c.decisionReason })}
            </dd>
          </>
        ) : null}
      </dl>
      <h3>{t('admin.oversight.claims.detail.flagsHeading')}</h3>
      <FlagEvidence flags={c.riskFlags} />
      {c.status === 'PENDING_REVIEW' ? <DecisionForm claim={c} /> : null}
    </section>
  );
}

/** Above the programme's threshold: who approved first and by when a second administrator must. */
function SecondApproval({ claim }: { claim: Claim }) {
  const { t, i18n } = useTranslation();
  const current = useSession();
  const first = claim.secondApproval.firstApproval;
  const threshold = formatFen(claim.secondApproval.thresholdFen, i18n.language);
  if (!first) return <>{t('admin.approvals.claim.required', { threshold })}</>;
  return (
    <>
      {t('admin.approvals.claim.first', {
        name: first.by.name,
        at: formatInstant(first.at, i18n.language),
        deadline: formatInstant(first.expiresAt, i18n.language),
      })}
      {first.by.id === current?.user.id ? (
        <p role="status" data-testid="first-approval-mine">
          {t('admin.approvals.claim.mine')}
        </p>
      ) : null}
    </>
  );
}

function DecisionForm({ claim }: { claim: Claim }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [decision, setDecision] = useState<'APPROVE' | 'REJECT'>('APPROVE');
  const [text, setText] = useState('');
  const decide = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/claims/{id}/decision', {
          params: { path: { id: claim.id } },
          body:
            decision === 'APPROVE'
              ? { decision, ...(text.trim() ? { note: text } : {}) }
              : { decision, reason: text },
        }),
      ),
    onSuccess: async (decided) => {
      queryClient.setQueryData(['claim', claim.id], decided);
      await queryClient.invalidateQueries({ queryKey: ['claims'] });
    },
  });
  return (
    <Form
      className="form"
      validationBehavior="aria"
      validationErrors={fieldErrors(decide.error)}
      onSubmit={(event) => {
        event.preventDefault();
        decide.mutate();
      }}
    >
      <h3>{t('admin.oversight.claims.decide.heading')}</h3>
      <RadioGroup
        className="field"
        name="decision"
        value={decision}
        onChange={(value) => {
          // a note and a reason are different words: the text starts afresh
          setDecision(value as 'APPROVE' | 'REJECT');
          setText('');
          decide.reset();
        }}
      >
        <Label>{t('admin.oversight.claims.decide.decision')}</Label>
        <div className="radio-column">
          <Radio value="APPROVE" className="radio">
            {t('admin.oversight.claims.decide.approve')}
          </Radio>
          <Radio value="REJECT" className="radio">
            {t('admin.oversight.claims.decide.reject')}
          </Radio>
        </div>
      </RadioGroup>
      <TextInput
        name={decision === 'APPROVE' ? 'note' : 'reason'}
        label={t(`admin.oversight.claims.decide.${decision === 'APPROVE' ? 'note' : 'reason'}`)}
        description={decision === 'REJECT' ? t('admin.oversight.claims.decide.reasonHint') : undefined}
        isRequired={decision === 'REJECT'}
        multiline
        value={text}
        onChange={setText}
      />
      <ProblemMessage error={decide.error} />
      <ActionButton
        type="submit"
        pending={decide.isPending}
        variant={decision === 'REJECT' ? 'danger' : 'primary'}
      >
        {t('admin.oversight.claims.decide.submit')}
      </ActionButton>
    </Form>
  );
}
