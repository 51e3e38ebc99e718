import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ReferenceLine,
  ResponsiveContainer,
  XAxis,
  YAxis,
} from 'recharts';
import { SERIES_COLOURS } from './figures';

/** Bars of one or more series over named groups, drawn without animation so that it shows at once. */
export function Bars({
  data,
  category,
  series,
  vertical,
  max,
  reference,
  format,
}: {
  data: object[];
  category: string;
  series: { key: string; name: string }[];
  vertical?: boolean;
  max?: number;
  reference?: { value: number; label: string };
  format?: (value: number) => string;
}) {
  const valueAxis = {
    type: 'number' as const,
    allowDecimals: false,
    domain: [0, max ?? 'auto'] as [number, number | 'auto'],
    tickFormatter: format,
  };
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart
        data={data}
        layout={vertical ? 'vertical' : 'horizontal'}
        accessibilityLayer={false}
        margin={{ top: 8, right: 24, bottom: 8, left: 8 }}
      >
        <CartesianGrid strokeDasharray="3 3" />
        {vertical ? (
          <>
            <XAxis {...valueAxis} />
            <YAxis type="category" dataKey={category} width={140} />
          </>
        ) : (
          <>
            <XAxis type="category" dataKey={category} />
            <YAxis {...valueAxis} />
          </>
        )}
        <Legend />
        {series.map((s, index) => (
          <Bar
            key={s.key}
            dataKey={s.key}
            name={s.name}
            fill={SERIES_COLOURS[index % SERIES_COLOURS.length]}
            isAnimationActive={false}
          />
        ))}
        {reference ? (
          <ReferenceLine
            {...(vertical ? { x: reference.value } : { y: reference.value })}
            stroke="#82071e"
            strokeDasharray="6 3"
            label={reference.label}
          />
        ) : null}
      </BarChart>
    </ResponsiveContainer>
  );
}
