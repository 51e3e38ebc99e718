import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ActionButton } from '../../ui/buttons';
import { formatInstant } from '../../ui/dates';
import { TextInput } from '../../ui/fields';
import { formatFen, parseYuan } from '../../ui/money';
import { notify } from '../../ui/Notifications';
import { fieldErrors, ProblemMessage } from '../../ui/ProblemMessage';
import { approvalsKey } from '../oversight/Approvals';
import { useLatestProposal } from './Payouts';

/**
 * A change of the programme's budget, proposed here and applied once another administrator approves
 * it (four eyes); the page shows a change awaiting approval and reads the ledger again once decided.
 */
export function BudgetChange({ programmeId, canPropose }: { programmeId: string; canPropose: boolean }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [budget, setBudget] = useState('');
  const [reason, setReason] = useState('');
  const cny = (fen: number) => formatFen(fen, i18n.language);
  const when = (iso: string) => formatInstant(iso, i18n.language);
  const { proposal, error } = useLatestProposal(programmeId, 'BUDGET_CHANGE', () => {
    void queryClient.invalidateQueries({ queryKey: ['programme', programmeId] });
    void queryClient.invalidateQueries({ queryKey: ['programmes'] });
  });
  const propose = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/programs/{id}/budget-changes', {
          params: { path: { id: programmeId } },
          body: { newBudgetFen: parseYuan(budget)!, reason },
        }),
      ),
    onSuccess: async () => {
      notify(t('admin.approvals.budget.proposed'));
      setBudget('');
      setReason('');
      await queryClient.invalidateQueries({ queryKey: approvalsKey });
    },
  });
  const pending = proposal?.status === 'PENDING' ? proposal : null;
  return (
    <section aria-labelledby="budget-change-heading">
      <h2 id="budget-change-heading">{t('admin.approvals.budget.heading')}</h2>
      <ProblemMessage error={error} />
      {pending?.budgetChange ? (
        <p role="status" data-testid="budget-proposal">
          {t('admin.approvals.budget.pending', {
            name: pending.proposedBy.name,
            before: cny(pending.budgetChange.budgetBeforeFen),
            after: cny(pending.budgetChange.newBudgetFen),
            deadline: when(pending.expiresAt),
          })}{' '}
          <Link to="/admin/approvals" search={{ approval: pending.id }}>
            {t('admin.approvals.payout.openQueue')}
          </Link>
        </p>
      ) : null}
      {canPropose && !pending ? (
        <Form
          className="form"
          validationBehavior="aria"
          validationErrors={fieldErrors(propose.error)}
          onSubmit={(event) => {
            event.preventDefault();
            if (parseYuan(budget) !== null) propose.mutate();
          }}
        >
          <p>{t('admin.approvals.budget.intro')}</p>
          <TextInput
            name="newBudgetFen"
            label={t('admin.approvals.budget.newBudget')}
            inputMode="decimal"
            isRequired
            value={budget}
            onChange={setBudget}
            validate={(v) =>
              v === '' || parseYuan(v) !== null ? null : t('admin.approvals.budget.notAmount')
            }
          />
          <TextInput
            name="reason"
            label={t('admin.approvals.budget.reason')}
            isRequired
            multiline
            value={reason}
            onChange={setReason}
          />
          <ProblemMessage error={propose.error} />
          <ActionButton type="submit" pending={propose.isPending}>
            {t('admin.approvals.budget.submit')}
          </ActionButton>
        </Form>
      ) : null}
    </section>
  );
}
