import { useTranslation } from 'react-i18next';
import type { Kpis } from '../api/types';
import { dynamicText } from '../i18n/dynamic';
import { Bars } from './bars';
import { ChartFigure, FigureTable, useCount, usePercent } from './figures';

export function ProviderRates({ report }: { report: Kpis }) {
  const { t } = useTranslation();
  const count = useCount();
  const percent = usePercent();
  const w = (key: string) => t(`auditor.reports.providers.${key}`);
  const { overall, top, publicServicePlatforms } = report.providers;
  const rows = [
    { id: 'ALL', name: w('heading'), ...overall },
    ...top.map((p) => ({ id: p.providerId, ...p })),
  ].map((p) => ({
    ...p,
    onTimePercent: p.onTimeRate === null ? null : p.onTimeRate * 100,
    disputePercent: p.disputeRate === null ? null : p.disputeRate * 100,
  }));
  return (
    <ChartFigure
      id="providers"
      heading={w('heading')}
      chart={
        <Bars
          vertical
          max={100}
          data={rows}
          category="name"
          series={[
            { key: 'onTimePercent', name: w('onTimeRate') },
            { key: 'disputePercent', name: w('disputeRate') },
          ]}
          format={(value) => `${value}%`}
        />
      }
      note={
        <>
          <p data-testid="provider-overall">
            {t('auditor.reports.providers.overall', {
              onTime: percent(overall.onTimeRate) ?? w('noRate'),
              dispute: percent(overall.disputeRate) ?? w('noRate'),
              reports: overall.reports,
              disputes: overall.disputes,
            })}
          </p>
          <p>{t('auditor.reports.providers.platforms', { count: publicServicePlatforms })}</p>
          {top.length === 0 ? <p>{w('none')}</p> : null}
        </>
      }
      table={
        <FigureTable
          caption={w('heading')}
          columns={[w('provider'), w('kind'), w('bookings'), w('onTimeRate'), w('disputeRate')]}
        >
          {top.map((p) => (
            <tr key={p.providerId} data-provider={p.providerId}>
              <th scope="row">{p.name}</th>
              <td>{dynamicText(t, 'provider.onboarding.kinds', p.kind)}</td>
              <td data-figure="bookings">{count(p.bookings)}</td>
              <td data-figure="onTimeRate">{percent(p.onTimeRate) ?? w('noRate')}</td>
              <td data-figure="disputeRate">{percent(p.disputeRate) ?? w('noRate')}</td>
            </tr>
          ))}
        </FigureTable>
      }
    />
  );
}

export function PolicyTargets({ report }: { report: Kpis }) {
  const { t, i18n } = useTranslation();
  const count = useCount();
  const percent = usePercent();
  const w = (key: string) => t(`auditor.reports.targets.${key}`);
  const rows = report.policyTargets.map((p) => ({
    ...p,
    label: i18n.language === 'en' ? p.descriptionEn : p.description,
    reached: Math.min(100, (p.share ?? 0) * 100),
  }));
  return (
    <ChartFigure
      id="targets"
      heading={w('heading')}
      chart={
        <Bars
          vertical
          max={100}
          data={rows}
          category="label"
          series={[{ key: 'reached', name: w('share') }]}
          reference={{ value: 100, label: w('target') }}
          format={(value) => `${value}%`}
        />
      }
      note={<p>{w('intro')}</p>}
      table={
        <FigureTable caption={w('heading')} columns={[w('measure'), w('value'), w('target'), w('share')]}>
          {rows.map((p) => (
            <tr key={p.key} data-target={p.key}>
              <th scope="row">{p.label}</th>
              <td data-figure="value">{count(p.value)}</td>
              <td data-figure="target">{count(p.target)}</td>
              <td data-figure="share">{percent(p.share) ?? '—'}</td>
            </tr>
          ))}
        </FigureTable>
      }
    />
  );
}
