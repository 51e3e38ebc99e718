import { useTranslation } from 'react-i18next';
import type { Kpis } from '../api/types';
import { dynamicText } from '../i18n/dynamic';
import { Money } from '../ui/Money';
import { formatFen } from '../ui/money';
import { Bars } from './bars';
import { ChartFigure, FigureTable, useCount, useDays } from './figures';

const ACCOUNTS = ['AVAILABLE', 'RESERVED', 'COMMITTED', 'PAYABLE', 'PAID'] as const;

export function VouchersByMonth({ report }: { report: Kpis }) {
  const { t } = useTranslation();
  const count = useCount();
  const w = (key: string) => t(`auditor.reports.vouchers.${key}`);
  const { byMonth, active, usedUp, expired, revoked } = report.vouchers;
  return (
    <ChartFigure
      id="vouchers-by-month"
      heading={w('heading')}
      chart={
        <Bars
          data={byMonth}
          category="month"
          series={[
            { key: 'issued', name: w('issued') },
            { key: 'used', name: w('used') },
            { key: 'expired', name: w('expired') },
          ]}
        />
      }
      note={
        <p>
          {byMonth.length === 0 ? `${w('none')} ` : null}
          {t('auditor.reports.vouchers.status', { active, usedUp, expired, revoked })}
        </p>
      }
      table={
        <FigureTable caption={w('heading')} columns={[w('month'), w('issued'), w('used'), w('expired')]}>
          {byMonth.map((m) => (
            <tr key={m.month} data-month={m.month}>
              <th scope="row">{m.month}</th>
              <td data-figure="issued">{count(m.issued)}</td>
              <td data-figure="used">{count(m.used)}</td>
              <td data-figure="expired">{count(m.expired)}</td>
            </tr>
          ))}
        </FigureTable>
      }
    />
  );
}

export function BudgetByAccount({ report }: { report: Kpis }) {
  const { t, i18n } = useTranslation();
  const { budget } = report;
  const name = (account: string) => t(`auditor.reports.budget.accounts.${account}`);
  const yuan = (fen: number) => formatFen(fen, i18n.language);
  return (
    <ChartFigure
      id="budget"
      heading={t('auditor.reports.budget.heading')}
      chart={
        <Bars
          vertical
          data={ACCOUNTS.map((account) => ({ account: name(account), yuan: budget.accounts[account] / 100 }))}
          category="account"
          series={[{ key: 'yuan', name: t('auditor.reports.budget.amount') }]}
          format={(value) => yuan(Math.round(value * 100))}
        />
      }
      note={
        <p className={budget.balanced ? 'notice ok' : 'problem'} data-balanced={String(budget.balanced)}>
          {t(budget.balanced ? 'auditor.reports.budget.balanced' : 'auditor.reports.budget.unbalanced')}
        </p>
      }
      table={
        <FigureTable
          caption={t('auditor.reports.budget.heading')}
          columns={[t('auditor.reports.budget.account'), t('auditor.reports.budget.amount')]}
        >
          {ACCOUNTS.map((account) => (
            <tr key={account} data-account={account}>
              <th scope="row">{name(account)}</th>
              <td data-figure="fen" data-fen={budget.accounts[account]}>
                <Money fen={budget.accounts[account]} />
              </td>
            </tr>
          ))}
          <tr data-account="TOTAL">
            <th scope="row">{t('auditor.reports.budget.total')}</th>
            <td data-figure="fen" data-fen={budget.totalFen}>
              <Money fen={budget.totalFen} />
            </td>
          </tr>
          <tr data-account="BUDGET">
            <th scope="row">{t('auditor.reports.budget.budget', { count: budget.programmes })}</th>
            <td data-figure="fen" data-fen={budget.budgetFen}>
              <Money fen={budget.budgetFen} />
            </td>
          </tr>
        </FigureTable>
      }
    />
  );
}

export function BookingsByCategory({ report }: { report: Kpis }) {
  const { t } = useTranslation();
  const count = useCount();
  const w = (key: string) => t(`auditor.reports.categories.${key}`);
  const rows = report.bookings.byCategory.map((c) => ({
    ...c,
    name: dynamicText(t, 'category', c.category),
  }));
  return (
    <ChartFigure
      id="categories"
      heading={w('heading')}
      chart={
        <Bars
          vertical
          data={rows}
          category="name"
          series={[
            { key: 'bookings', name: w('bookings') },
            { key: 'accepted', name: w('accepted') },
          ]}
        />
      }
      table={
        <FigureTable caption={w('heading')} columns={[w('category'), w('bookings'), w('accepted')]}>
          {rows.map((c) => (
            <tr key={c.category} data-category={c.category}>
              <th scope="row">{c.name}</th>
              <td data-figure="bookings">{count(c.bookings)}</td>
              <td data-figure="accepted">{count(c.accepted)}</td>
            </tr>
          ))}
        </FigureTable>
      }
    />
  );
}

export function BookingsByProvince({ report }: { report: Kpis }) {
  const { t, i18n } = useTranslation();
  const count = useCount();
  const w = (key: string) => t(`auditor.reports.regions.${key}`);
  const rows = report.bookings.byRegion.map((r) => ({
    ...r,
    label: i18n.language === 'en' ? r.nameEn : r.name,
  }));
  return (
    <ChartFigure
      id="provinces"
      heading={w('heading')}
      chart={
        <Bars
          vertical
          data={rows}
          category="label"
          series={[
            { key: 'bookings', name: w('bookings') },
            { key: 'accepted', name: w('accepted') },
          ]}
        />
      }
      note={rows.length === 0 ? <p>{w('none')}</p> : null}
      table={
        <FigureTable
          caption={w('heading')}
          columns={[w('province'), w('bookings'), w('accepted'), w('subsidy')]}
        >
          {rows.map((r) => (
            <tr key={r.provinceCode} data-province={r.provinceCode}>
              <th scope="row">{r.label}</th>
              <td data-figure="bookings">{count(r.bookings)}</td>
              <td data-figure="accepted">{count(r.accepted)}</td>
              <td data-figure="fen" data-fen={r.subsidyFen}>
                <Money fen={r.subsidyFen} />
              </td>
            </tr>
          ))}
        </FigureTable>
      }
    />
  );
}

export function StageMedians({ report }: { report: Kpis }) {
  const { t } = useTranslation();
  const count = useCount();
  const days = useDays();
  const w = (key: string) => t(`auditor.reports.stages.${key}`);
  const rows = report.stages.map((s) => ({
    ...s,
    name: dynamicText(t, 'auditor.reports.stages.names', s.stage),
  }));
  return (
    <ChartFigure
      id="stages"
      heading={w('heading')}
      chart={
        <Bars vertical data={rows} category="name" series={[{ key: 'medianDays', name: w('medianDays') }]} />
      }
      table={
        <FigureTable caption={w('heading')} columns={[w('stage'), w('count'), w('medianDays')]}>
          {rows.map((s) => (
            <tr key={s.stage} data-stage={s.stage}>
              <th scope="row">{s.name}</th>
              <td data-figure="count">{count(s.count)}</td>
              <td data-figure="medianDays">{s.medianDays === null ? w('none') : days(s.medianDays)}</td>
            </tr>
          ))}
        </FigureTable>
      }
    />
  );
}
