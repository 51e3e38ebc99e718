import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import { Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { ActionButton, Loading } from '../../ui/buttons';
import type { CsvColumn } from '../../ui/csv';
import { Choice, TextInput } from '../../ui/fields';
import { useSession } from '../../ui/Layout';
import { Money, When } from '../../ui/Money';
import { formatFen } from '../../ui/money';
import { notify } from '../../ui/Notifications';
import { usePageTitle } from '../../ui/page';
import { fieldErrors, ProblemMessage } from '../../ui/ProblemMessage';
import { QueueFilters } from '../queue';
import { ALL, allPages, matchesText, queueView, sortQueue, type QueueView } from '../queue-rows';
import { QueueNav } from '../QueueNav';

type Approval = components['schemas']['Approval'];
type Kind = Approval['kind'];
type ApprovalStatus = Approval['status'];
const KINDS: Kind[] = ['CLAIM_APPROVAL', 'PAYOUT_RUN', 'BUDGET_CHANGE'];
const STATUSES: ApprovalStatus[] = ['PENDING', 'APPROVED', 'REJECTED', 'EXPIRED', 'WITHDRAWN'];

export const approvalsKey = ['approvals'] as const;

/** What approving the proposal will do, in one line. */
export function useEffectWords() {
  const { t, i18n } = useTranslation();
  const cny = (fen: number) => formatFen(fen, i18n.language);
  return (a: Approval): string => {
    if (a.claim) {
      return t('admin.approvals.effect.CLAIM_APPROVAL', {
        amount: cny(a.claim.amountFen),
        enterprise: a.claim.enterpriseName,
        provider: a.claim.providerName,
      });
    }
    if (a.payoutRun) {
      return t('admin.approvals.effect.PAYOUT_RUN', {
        count: a.payoutRun.claims,
        amount: cny(a.payoutRun.totalFen),
      });
    }
    if (a.budgetChange) {
      return t('admin.approvals.effect.BUDGET_CHANGE', {
        before: cny(a.budgetChange.budgetBeforeFen),
        after: cny(a.budgetChange.newBudgetFen),
      });
    }
    return '';
  };
}

/**
 * The second approvals queue (four eyes): every proposal that moves public money, pending ones first
 * with their deadline; one opened shows what it will do and, for another administrator, the decision.
 */
export function ApprovalsQueue({ selected }: { selected: string | null }) {
  const { t } = useTranslation();
  usePageTitle(t('admin.approvals.title'));
  const [view, setView] = useState<QueueView<ApprovalStatus>>(queueView('PENDING', 'DEADLINE'));
  const [kind, setKind] = useState<Kind | typeof ALL>(ALL);
  const effect = useEffectWords();
  const approvals = useQuery({
    queryKey: [...approvalsKey, view.status, view.programmeId, kind],
    queryFn: () =>
      allPages((cursor) =>
        unwrap(
          api.GET('/api/v1/approvals', {
            params: {
              query: {
                limit: 100,
                cursor,
                ...(view.status !== ALL ? { status: view.status } : {}),
                ...(view.programmeId !== ALL ? { programmeId: view.programmeId } : {}),
                ...(kind !== ALL ? { kind } : {}),
              },
            },
          }),
        ),
      ),
  });
  const items = sortQueue(
    (approvals.data ?? []).filter((a) =>
      matchesText(view.text, [a.programme.name, a.proposedBy.name, a.id, a.subjectId]),
    ),
    view.sort,
    (a) => ({ since: a.proposedAt, due: a.status === 'PENDING' ? a.expiresAt : null }),
  );
  const columns: CsvColumn<Approval>[] = [
    { header: 'approval_id', value: (a) => a.id },
    { header: 'kind', value: (a) => a.kind },
    { header: 'programme_id', value: (a) => a.programme.id },
    { header: 'programme', value: (a) => a.programme.name },
    { header: 'effect', value: effect },
    { header: 'proposed_by', value: (a) => a.proposedBy.name },
    { header: 'proposed_at', value: (a) => a.proposedAt },
    { header: 'expires_at', value: (a) => a.expiresAt },
    { header: 'status', value: (a) => a.status },
    { header: 'decided_by', value: (a) => a.decidedBy?.name ?? '' },
    { header: 'decided_at', value: (a) => a.decidedAt },
    { header: 'reason', value: (a) => a.reason },
  ];
  return (
    <>
      <h1>{t('admin.approvals.title')}</h1>
      <QueueNav />
      <p>{t('admin.approvals.intro')}</p>
      {selected ? <ApprovalDetail id={selected} /> : null}
      <section aria-labelledby="approvals-queue-heading">
        <h2 id="approvals-queue-heading">{t('admin.approvals.caption')}</h2>
        <QueueFilters
          queue="approvals"
          view={view}
          onChange={setView}
          statuses={STATUSES.map((s) => ({ id: s, label: t(`admin.approvals.status.${s}`) }))}
          sorts={['DEADLINE', 'NEWEST', 'OLDEST']}
          shown={approvals.data ? items : undefined}
          columns={columns}
        >
          <Choice<Kind | typeof ALL>
            name="kind"
            label={t('admin.approvals.kindFilter')}
            options={[
              { id: ALL, label: t('admin.approvals.allKinds') },
              ...KINDS.map((k) => ({ id: k, label: t(`admin.approvals.kind.${k}`) })),
            ]}
            value={kind}
            onChange={(k) => setKind(k ?? ALL)}
          />
        </QueueFilters>
        {approvals.isPending ? <Loading /> : null}
        <ProblemMessage error={approvals.error} />
        {approvals.data && items.length === 0 ? <p>{t('admin.queue.none')}</p> : null}
        {items.length ? <ApprovalTable items={items} /> : null}
      </section>
    </>
  );
}

function ApprovalTable({ items }: { items: Approval[] }) {
  const { t } = useTranslation();
  const effect = useEffectWords();
  return (
    <table className="table" data-testid="approvals-queue">
      <thead>
        <tr>
          <th scope="col">{t('admin.approvals.col.what')}</th>
          <th scope="col">{t('admin.approvals.col.effect')}</th>
          <th scope="col">{t('admin.approvals.col.proposer')}</th>
          <th scope="col">{t('admin.approvals.col.proposed')}</th>
          <th scope="col">{t('admin.approvals.col.deadline')}</th>
          <th scope="col">{t('admin.approvals.col.status')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((a) => (
          <tr key={a.id} data-approval={a.id} data-kind={a.kind}>
            <th scope="row">
              <Link
                to="/admin/approvals"
                search={{ approval: a.id }}
                aria-label={t('admin.approvals.open', {
                  kind: t(`admin.approvals.kind.${a.kind}`),
                  programme: a.programme.name,
                })}
              >
                {t(`admin.approvals.kind.${a.kind}`)}
              </Link>
              <div className="muted">{a.programme.name}</div>
            </th>
            <td>{effect(a)}</td>
            <td>
              {a.proposedBy.name}
              {a.yours && a.status === 'PENDING' ? (
                <div className="muted" data-testid="yours">
                  {t('admin.approvals.yours')}
                </div>
              ) : null}
            </td>
            <td>
              <When at={a.proposedAt} />
            </td>
            <td>{a.status === 'PENDING' ? <When at={a.expiresAt} /> : t('admin.queue.noDue')}</td>
            <td>
              <span className={`status status-${a.status.toLowerCase()}`} data-status={a.status}>
                {t(`admin.approvals.status.${a.status}`)}
              </span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One proposal: what it will do, who proposed it and by when; the decision, or the proposer's withdrawal. */
function ApprovalDetail({ id }: { id: string }) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  const approval = useQuery({
    queryKey: [...approvalsKey, 'one', id],
    queryFn: () => unwrap(api.GET('/api/v1/approvals/{id}', { params: { path: { id } } })),
  });
  useEffect(() => heading.current?.focus(), [id, approval.data?.id]);
  if (approval.isPending) return <Loading />;
  if (approval.error) return <ProblemMessage error={approval.error} />;
  const a = approval.data;
  const kind = t(`admin.approvals.kind.${a.kind}`);
  return (
    <section aria-labelledby="approval-heading" className="oversight-detail" data-testid="approval-detail">
      <h2 id="approval-heading" ref={heading} tabIndex={-1}>
        {t('admin.approvals.detail.heading', { kind, programme: a.programme.name })}
      </h2>
      <dl className="facts">
        <dt>{t('admin.approvals.col.status')}</dt>
        <dd data-status={a.status}>{t(`admin.approvals.status.${a.status}`)}</dd>
        <dt>{t('admin.approvals.detail.programme')}</dt>
        <dd>
          <Link to="/programmes/$id" params={{ id: a.programme.id }}>
            {a.programme.name}
          </Link>
        </dd>
        <dt>{t('admin.approvals.detail.proposer')}</dt>
        <dd>{a.proposedBy.name}</dd>
        <dt>{t('admin.approvals.detail.proposedAt')}</dt>
        <dd>
          <When at={a.proposedAt} />
        </dd>
        <dt>{t('admin.approvals.detail.deadline')}</dt>
        <dd>
          <When at={a.expiresAt} />
        </dd>
        {a.decidedBy ? (
          <>
            <dt>{t('admin.approvals.detail.decidedBy')}</dt>
            <dd>
              {a.decidedBy.name}
              {a.decidedAt ? (
                <>
                  {' · '}
                  <When at={a.decidedAt} />
                </>
              ) : null}
            </dd>
          </>
        ) : null}
        {a.reason ? (
          <>
            <dt>{t('admin.approvals.detail.reason')}</dt>
            <dd>{a.reason}</dd>
          </>
        ) : null}
        <ApprovalFacts approval={a} />
      </dl>
      {a.status === 'PENDING' ? a.yours ? <Withdrawal approval={a} /> : <DecisionForm approval={a} /> : null}
    </section>
  );
}

/** The figures of what the proposal will do. */
function ApprovalFacts({ approval: a }: { approval: Approval }) {
  const { t } = useTranslation();
  if (a.claim) {
    return (
      <>
        <dt>{t('admin.approvals.detail.claim')}</dt>
        <dd>
          <Link to="/admin/claims" search={{ claim: a.claim.id }}>
            {a.claim.enterpriseName} → {a.claim.providerName}
          </Link>
          {' · '}
          <Money fen={a.claim.amountFen} />
          {' · '}
          {a.claim.riskFlags.length
            ? t('admin.approvals.flags', { flags: a.claim.riskFlags.join(', ') })
            : t('admin.approvals.noFlags')}
        </dd>
        <dt>{t('admin.approvals.detail.threshold')}</dt>
        <dd>
          <Money fen={a.claim.thresholdFen} />
        </dd>
      </>
    );
  }
  if (a.payoutRun) {
    const run = a.payoutRun;
    return (
      <>
        <dt>{t('admin.approvals.detail.claimsAtProposal')}</dt>
        <dd>
          {run.claimsAtProposal} · <Money fen={run.totalFenAtProposal} />
        </dd>
        <dt>{t('admin.approvals.detail.claimsNow')}</dt>
        <dd>
          {run.claims} · <Money fen={run.totalFen} />
        </dd>
        {run.claimIds.length ? (
          <>
            <dt>{t('admin.approvals.detail.claimList')}</dt>
            <dd>
              <ul className="plain">
                {run.claimIds.map((claimId) => (
                  <li key={claimId}>
                    <Link to="/admin/claims" search={{ claim: claimId }}>
                      {claimId.slice(0, 8)}
                    </Link>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
      </>
    );
  }
  if (a.budgetChange) {
    const change = a.budgetChange;
    const tooLarge = change.deltaFen < 0 && -change.deltaFen > change.availableFen;
    return (
      <>
        <dt>{t('admin.approvals.detail.budgetBefore')}</dt>
        <dd>
          <Money fen={change.budgetBeforeFen} />
        </dd>
        <dt>{t('admin.approvals.detail.budgetAfter')}</dt>
        <dd>
          <Money fen={change.newBudgetFen} />
        </dd>
        <dt>{t('admin.approvals.detail.delta')}</dt>
        <dd>
          {change.deltaFen > 0 ? '+' : '−'}
          <Money fen={Math.abs(change.deltaFen)} />
        </dd>
        <dt>{t('admin.approvals.detail.availableNow')}</dt>
        <dd>
          <Money fen={change.availableFen} />
          {tooLarge && a.status === 'PENDING' ? (
            <p className="muted">{t('admin.approvals.detail.decreaseTooLarge')}</p>
          ) : null}
        </dd>
        <dt>{t('admin.approvals.detail.reason')}</dt>
        <dd>{change.reason}</dd>
      </>
    );
  }
  return null;
}

function useDecided(approval: Approval) {
  const queryClient = useQueryClient();
  return async (decided: Approval) => {
    queryClient.setQueryData([...approvalsKey, 'one', approval.id], decided);
    await queryClient.invalidateQueries({ queryKey: approvalsKey });
    // what the approval did: the programme's budget and ledger, its batches, the claim
    await queryClient.invalidateQueries({ queryKey: ['programme', approval.programme.id] });
    await queryClient.invalidateQueries({ queryKey: ['programmes'] });
    await queryClient.invalidateQueries({ queryKey: ['claims'] });
    if (approval.claim) await queryClient.invalidateQueries({ queryKey: ['claim', approval.claim.id] });
  };
}

/** Another administrator's decision: approve, or reject with a reason. */
function DecisionForm({ approval }: { approval: Approval }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const decided = useDecided(approval);
  const decide = useMutation({
    mutationFn: (decision: 'APPROVE' | 'REJECT') =>
      unwrap(
        api.POST('/api/v1/approvals/{id}/decision', {
          params: { path: { id: approval.id } },
          body:
            decision === 'APPROVE'
              ? { decision, ...(text.trim() ? { reason: text } : {}) }
              : { decision, reason: text },
        }),
      ),
    onSuccess: async (result) => {
      notify(t('admin.approvals.decide.decided', { status: t(`admin.approvals.status.${result.status}`) }));
      await decided(result);
    },
  });
  return (
    <Form
      className="form"
      validationBehavior="aria"
      validationErrors={fieldErrors(decide.error)}
      onSubmit={(event) => {
        event.preventDefault();
        decide.mutate('APPROVE');
      }}
    >
      <h3>{t('admin.approvals.decide.heading')}</h3>
      <TextInput
        name="reason"
        label={t('admin.approvals.decide.reason')}
        description={t('admin.approvals.decide.reasonHint')}
        multiline
        value={text}
        onChange={setText}
      />
      <ProblemMessage error={decide.error} />
      <div className="action-row">
        <ActionButton type="submit" pending={decide.isPending && decide.variables === 'APPROVE'}>
          {t('admin.approvals.decide.approve')}
        </ActionButton>
        <ActionButton
          variant="danger"
          pending={decide.isPending && decide.variables === 'REJECT'}
          onPress={() => decide.mutate('REJECT')}
        >
          {t('admin.approvals.decide.reject')}
        </ActionButton>
      </div>
    </Form>
  );
}

/** The proposer's own proposal: waiting for someone else; they may withdraw it. */
function Withdrawal({ approval }: { approval: Approval }) {
  const { t } = useTranslation();
  const current = useSession();
  const decided = useDecided(approval);
  const withdraw = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/api/v1/approvals/{id}/withdrawal', { params: { path: { id: approval.id } } })),
    onSuccess: async (result) => {
      notify(t('admin.approvals.withdrawn'));
      await decided(result);
    },
  });
  if (current?.user.id !== approval.proposedBy.id) return null;
  return (
    <div className="action-row" data-testid="own-proposal">
      <p role="status">{t('admin.approvals.ownNotice')}</p>
      <ProblemMessage error={withdraw.error} />
      <ActionButton variant="secondary" pending={withdraw.isPending} onPress={() => withdraw.mutate()}>
        {t('admin.approvals.withdraw')}
      </ActionButton>
    </div>
  );
}
