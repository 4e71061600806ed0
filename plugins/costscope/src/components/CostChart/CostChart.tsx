import { useMemo } from 'react';
import { Typography } from '@material-ui/core';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { addMoney, CostSeries } from '@costscope/backstage-plugin-common';
import { formatMoney } from '../../utils/format';

/** Colours of the stacked keys (Tableau 10), then grey for "Other". */
const COLORS = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
];
const OTHER_COLOR = '#bab0ac';
const OTHER_KEY = '__other__';

/** A stacked key of the chart. */
export interface ChartKey {
  dataKey: string;
  name: string;
  color: string;
}

/**
 * Turns a series into chart rows: the top `maxKeys` keys as they are, the rest summed
 * (exactly, then converted for display) into "Other".
 */
export function buildChartData(
  series: CostSeries,
  maxKeys: number = 8,
): { keys: ChartKey[]; rows: Array<Record<string, string | number>> } {
  const top = series.keys.slice(0, maxKeys);
  const rest = series.keys.slice(maxKeys);
  const keys: ChartKey[] = top.map((key, index) => ({
    dataKey: `k${index}`,
    name: key,
    color: COLORS[index % COLORS.length],
  }));
  if (rest.length > 0) {
    keys.push({ dataKey: OTHER_KEY, name: 'Other', color: OTHER_COLOR });
  }
  const rows = series.points.map(point => {
    const row: Record<string, string | number> = { date: point.date };
    top.forEach((key, index) => {
      row[`k${index}`] = Number(point.values[key] ?? 0);
    });
    if (rest.length > 0) {
      const other = rest
        .map(key => point.values[key])
        .filter((value): value is string => value !== undefined);
      row[OTHER_KEY] = other.length ? Number(addMoney(...other)) : 0;
    }
    return row;
  });
  return { keys, rows };
}

/** Props of {@link CostChart}. */
export interface CostChartProps {
  series: CostSeries;
  /** What the keys are, for the accessible label (default: the series' groupBy). */
  dimension?: string;
  height?: number;
  maxKeys?: number;
}

/** Daily cost as bars stacked by the series' keys (top 8 and "Other"). */
export function CostChart(props: CostChartProps) {
  const { series, height = 320, maxKeys = 8 } = props;
  const dimension = props.dimension ?? series.groupBy;
  const { keys, rows } = useMemo(
    () => buildChartData(series, maxKeys),
    [series, maxKeys],
  );
  const compact = useMemo(() => {
    try {
      return new Intl.NumberFormat(undefined, {
        style: 'currency',
        currency: series.currency,
        notation: 'compact',
        maximumFractionDigits: 1,
      });
    } catch {
      return new Intl.NumberFormat(undefined, { notation: 'compact' });
    }
  }, [series.currency]);

  if (series.points.length === 0) {
    return (
      <Typography color="textSecondary">
        No daily cost in this range.
      </Typography>
    );
  }

  const keyList = keys.length ? `: ${keys.map(k => k.name).join(', ')}` : '';
  const label = `Daily cost from ${series.from} to ${series.to}, stacked by ${dimension}${keyList}`;

  return (
    <div role="img" aria-label={label} data-testid="costscope-chart">
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={rows} margin={{ top: 8, right: 16, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="date" tickFormatter={(d: string) => d.slice(5)} />
          <YAxis
            width={72}
            tickFormatter={(value: number) => compact.format(value)}
          />
          <Tooltip
            formatter={(value: number | string) =>
              formatMoney(String(value), series.currency)
            }
          />
          <Legend />
          {keys.map(key => (
            <Bar
              key={key.dataKey}
              dataKey={key.dataKey}
              name={key.name}
              stackId="cost"
              fill={key.color}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
