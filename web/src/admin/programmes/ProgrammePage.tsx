import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import type { Policy } from '../../api/types';
import { Loading } from '../../ui/buttons';
import { useSession } from '../../ui/Layout';
import { Money, When } from '../../ui/Money';
import { usePageTitle } from '../../ui/page';
import { ProblemMessage } from '../../ui/ProblemMessage';
import { BudgetChange } from './BudgetChange';
import { Payouts } from './Payouts';
import { RULE_GROUPS, ruleValue } from './policy-rules';
import { useRuleWords } from './rule-words';

// the chart library is loaded with the first programme page an administrator or auditor opens
const LedgerPicture = lazy(() => import('./LedgerPicture').then((m) => ({ default: m.LedgerPicture })));

/**
 * A programme: its ledger as a picture, its payout schedule and last batches, a payout run and a
 * budget change proposed for another administrator's approval.
 */
export function ProgrammePage({ id }: { id: string }) {
  const { t } = useTranslation();
  const current = useSession();
  const programme = useQuery({
    queryKey: ['programme', id],
    queryFn: () => unwrap(api.GET('/api/v1/programs/{id}', { params: { path: { id } } })),
  });
  usePageTitle(programme.data?.name ?? t('admin.programmes.title'));
  if (programme.isPending) return <Loading />;
  if (programme.error) return <ProblemMessage error={programme.error} />;
  const p = programme.data;
  return (
    <>
      <h1>{p.name}</h1>
      <p className="muted">
        {t('admin.programmes.page.meta', { authority: p.authority, year: p.year, region: p.regionCode })}
        {' · '}
        <span data-status={p.status}>{t(`admin.programmes.status.${p.status}`)}</span>
        {' · '}
        {t('admin.programmes.list.budget')} <Money fen={p.budgetFen} />
        {' · '}
        {t('admin.programmes.page.created')} <When at={p.createdAt} />
      </p>
      <section aria-labelledby="ledger-heading">
        <h2 id="ledger-heading">{t('admin.programmes.page.ledgerHeading')}</h2>
        {p.ledger ? (
          <Suspense fallback={<Loading />}>
            <LedgerPicture ledger={p.ledger} budgetFen={p.budgetFen} />
          </Suspense>
        ) : null}
      </section>
      <Payouts programmeId={p.id} canRun={current?.user.role === 'ADMIN'} />
      <BudgetChange programmeId={p.id} canPropose={current?.user.role === 'ADMIN'} />
      <section aria-labelledby="policy-heading">
        <h2 id="policy-heading">{t('admin.programmes.page.policyHeading')}</h2>
        <PolicyRules policy={p.policy} />
      </section>
    </>
  );
}

/** Every rule of the programme with its value in words, grouped as the creation form groups them. */
function PolicyRules({ policy }: { policy: Policy }) {
  const { t } = useTranslation();
  const words = useRuleWords();
  return (
    <>
      {RULE_GROUPS.map(({ group, rules }) => (
        <div key={group}>
          <h3>{t(`admin.programmes.group.${group}`)}</h3>
          <dl className="policy" data-testid={`policy-${group}`}>
            {rules.map((rule) => (
              <div key={rule.key} className="policy-rule" data-rule={rule.key}>
                <dt>{t(`admin.programmes.rule.${rule.key}.label`)}</dt>
                <dd>{words(rule, ruleValue(policy, rule))}</dd>
              </div>
            ))}
          </dl>
        </div>
      ))}
    </>
  );
}
