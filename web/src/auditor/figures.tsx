import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import './auditor.css';

/** A whole count in the reader's language: 12,345. */
export function useCount(): (value: number) => string {
  const { i18n } = useTranslation();
  const format = new Intl.NumberFormat(i18n.language);
  return (value) => format.format(value);
}

/** A fraction the service gives with four decimals, as a percentage with up to two: 0.0002 → 0.02%. */
export function usePercent(): (value: number | null) => string | null {
  const { i18n } = useTranslation();
  const format = new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 2 });
  return (value) => (value === null ? null : format.format(value));
}

/** Days with the service's two decimals. */
export function useDays(): (value: number) => string {
  const { i18n } = useTranslation();
  const format = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 2 });
  return (value) => format.format(value);
}

/** Chart colours, each at least 3:1 against white. */
export const SERIES_COLOURS = ['#0b5cad', '#1a7f37', '#b42318', '#8250df', '#9a6700'];

/**
 * A chart with its figures as a table: the chart is a picture for sighted readers, hidden from assistive
 * technology; the table beneath, captioned, carries every number it draws.
 */
export function ChartFigure({
  id,
  heading,
  chart,
  table,
  note,
}: {
  id: string;
  heading: string;
  chart: ReactNode;
  table: ReactNode;
  note?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby={`${id}-heading`} className="panel report-section" data-report={id}>
      <h2 id={`${id}-heading`}>{heading}</h2>
      <figure className="chart-figure">
        <div className="chart" aria-hidden="true">
          {chart}
        </div>
        <figcaption className="visually-hidden">{t('auditor.reports.chart.figureNote')}</figcaption>
      </figure>
      {note}
      <div className="table-scroll">{table}</div>
    </section>
  );
}

/** A table of figures with its caption and column headings; the first cell of each row heads it. */
export function FigureTable({
  caption,
  columns,
  children,
}: {
  caption: string;
  columns: string[];
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <table className="table compact figures">
      <caption>{t('auditor.reports.chart.tableOf', { what: caption })}</caption>
      <thead>
        <tr>
          {columns.map((column) => (
            <th scope="col" key={column}>
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}
