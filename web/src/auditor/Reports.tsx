import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import type { Kpis } from '../api/types';
import { Loading } from '../ui/buttons';
import { Money, When } from '../ui/Money';
import { usePageTitle } from '../ui/page';
import { ProblemMessage } from '../ui/ProblemMessage';
import { useCount } from './figures';
import {
  BookingsByCategory,
  BookingsByProvince,
  BudgetByAccount,
  StageMedians,
  VouchersByMonth,
} from './report-charts';
import { PolicyTargets, ProviderRates } from './report-performance';
import { ReportFilters, type ReportSearch } from './report-filters';
import { SettlementsDownload } from './SettlementsDownload';

/** The KPI dashboard and the settlements download, for auditors and administrators. */
export function ReportsDashboard({ search }: { search: ReportSearch }) {
  const { t } = useTranslation();
  usePageTitle(t('auditor.reports.title'));
  const kpis = useQuery({
    queryKey: ['kpis', search],
    queryFn: () => unwrap(api.GET('/api/v1/reports/kpis', { params: { query: { ...search, top: 10 } } })),
  });
  return (
    <>
      <h1>{t('auditor.reports.title')}</h1>
      <p>{t('auditor.reports.intro')}</p>
      {/* the form starts again from the address whenever the conditions change there */}
      <ReportFilters key={JSON.stringify(search)} search={search} />
      {kpis.isPending ? <Loading /> : null}
      <ProblemMessage error={kpis.error} />
      {kpis.data ? <Dashboard report={kpis.data} /> : null}
      <SettlementsDownload key={search.programmeId ?? 'ALL'} programmeId={search.programmeId} />
    </>
  );
}

function Dashboard({ report }: { report: Kpis }) {
  const { t } = useTranslation();
  const count = useCount();
  const figures: { key: string; value: ReactNode }[] = [
    { key: 'enterprisesServed', value: count(report.enterprisesServed) },
    { key: 'issued', value: count(report.vouchers.issued) },
    { key: 'used', value: count(report.vouchers.used) },
    { key: 'faceValue', value: <Money fen={report.vouchers.faceValueFen} /> },
    { key: 'bookings', value: count(report.bookings.total) },
    { key: 'accepted', value: count(report.bookings.accepted) },
    { key: 'subsidy', value: <Money fen={report.bookings.subsidyFen} /> },
  ];
  return (
    <div data-testid="dashboard">
      <section aria-labelledby="summary-heading">
        <h2 id="summary-heading">{t('auditor.reports.summary.heading')}</h2>
        <p className="muted">
          {t('auditor.reports.generatedAt')} <When at={report.generatedAt} />
        </p>
        <dl className="summary-figures">
          {figures.map((figure) => (
            <div key={figure.key} data-summary={figure.key}>
              <dt>{t(`auditor.reports.summary.${figure.key}`)}</dt>
              <dd>{figure.value}</dd>
            </div>
          ))}
        </dl>
      </section>
      <div className="report-grid">
        <VouchersByMonth report={report} />
        <BudgetByAccount report={report} />
        <BookingsByCategory report={report} />
        <BookingsByProvince report={report} />
        <StageMedians report={report} />
        <ProviderRates report={report} />
      </div>
      <PolicyTargets report={report} />
    </div>
  );
}
