import { Bar, BarChart, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import { useTranslation } from 'react-i18next';
import type { Programme } from '../../api/types';
import { Money } from '../../ui/Money';
import { formatFen } from '../../ui/money';

type Ledger = NonNullable<Programme['ledger']>;
type Account = keyof Ledger['accounts'];

/** The accounts in the order money moves through them (docs/policy.md, "Budget and ledger"). */
export const ACCOUNT_ORDER: Account[] = ['AVAILABLE', 'RESERVED', 'COMMITTED', 'PAYABLE', 'PAID'];

/** Colours told apart by people with the common colour-vision deficiencies (Okabe–Ito). */
const COLOURS: Record<Account, string> = {
  AVAILABLE: '#56b4e9',
  RESERVED: '#e69f00',
  COMMITTED: '#cc79a7',
  PAYABLE: '#d55e00',
  PAID: '#009e73',
};

/**
 * The budget as one bar split into the five accounts, which add up to it; beside it a table with
 * each account's amount and share, which is what a screen reader reads (the bar itself is hidden
 * from it and has nothing to focus).
 */
export function LedgerPicture({ ledger, budgetFen }: { ledger: Ledger; budgetFen: number }) {
  const { t, i18n } = useTranslation();
  const share = new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 1 });
  const row = { name: 'budget', ...ledger.accounts };
  return (
    <figure className="ledger-figure" aria-labelledby="ledger-caption">
      <figcaption id="ledger-caption">
        {t('admin.programmes.page.ledgerCaption', { budget: formatFen(budgetFen, i18n.language) })}
      </figcaption>
      <div className="ledger-bar" aria-hidden="true" data-testid="ledger-bar">
        <ResponsiveContainer width="100%" height={48}>
          <BarChart
            layout="vertical"
            data={[row]}
            margin={{ top: 0, right: 0, bottom: 0, left: 0 }}
            accessibilityLayer={false}
          >
            <XAxis type="number" hide domain={[0, Math.max(budgetFen, ledger.totalFen)]} />
            <YAxis type="category" dataKey="name" hide />
            {ACCOUNT_ORDER.map((account) => (
              <Bar
                key={account}
                dataKey={account}
                stackId="ledger"
                fill={COLOURS[account]}
                className={`ledger-segment ledger-segment-${account}`}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <table className="table compact ledger-table">
        <thead>
          <tr>
            <th scope="col">{t('admin.programmes.page.account')}</th>
            <th scope="col">{t('admin.programmes.page.amount')}</th>
            <th scope="col">{t('admin.programmes.page.share')}</th>
          </tr>
        </thead>
        <tbody>
          {ACCOUNT_ORDER.map((account) => (
            <tr key={account} data-account={account}>
              <th scope="row">
                <span className="swatch" aria-hidden="true" data-colour={account} />
                {t(`admin.programmes.account.${account}`)}
                <span className="muted account-help"> — {t(`admin.programmes.accountHelp.${account}`)}</span>
              </th>
              <td data-amount>
                <Money fen={ledger.accounts[account]} />
              </td>
              <td>{budgetFen > 0 ? share.format(ledger.accounts[account] / budgetFen) : '—'}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr data-account="TOTAL">
            <th scope="row">{t('admin.programmes.page.total')}</th>
            <td data-amount>
              <Money fen={ledger.totalFen} />
            </td>
            <td>{budgetFen > 0 ? share.format(ledger.totalFen / budgetFen) : '—'}</td>
          </tr>
        </tfoot>
      </table>
      <p className={ledger.balanced ? 'notice ok' : 'problem'} role={ledger.balanced ? undefined : 'alert'}>
        {ledger.balanced ? t('admin.programmes.page.balanced') : t('admin.programmes.page.unbalanced')}
      </p>
    </figure>
  );
}
