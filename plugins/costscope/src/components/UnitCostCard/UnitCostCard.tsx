import { useMemo } from 'react';
import { Box, Typography } from '@material-ui/core';
import { CodeSnippet, InfoCard } from '@backstage/core-components';
import {
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type {
  CostQuery,
  EntityUnitCost,
} from '@costscope/backstage-plugin-common';
import { useEntityUnitCost } from '../../hooks';
import { withBasis } from '../../utils/costBasis';
import { formatUnitCost } from '../../utils/format';
import { AsyncContent } from '../AsyncContent';
import { CostFigure } from '../CostFigure';
import { CostChange } from '../CostChange';

/** Months of the trend: a year and the month before it, to compare a month with its last year. */
export const TREND_MONTHS = 13;

/** The first day of the month `TREND_MONTHS - 1` months before `to`'s month. */
export function trendStart(to: string): string {
  const year = Number(to.slice(0, 4));
  const month = Number(to.slice(5, 7)) - 1;
  return new Date(Date.UTC(year, month - (TREND_MONTHS - 1), 1))
    .toISOString()
    .slice(0, 10);
}

/** What a group's or system's page calls it, for the rolled-up wording. */
function wholeOf(entityRef: string): string {
  const kind = entityRef.slice(0, entityRef.indexOf(':')).toLocaleLowerCase();
  if (kind === 'group') return 'team';
  return kind || 'entity';
}

/** Says whose cost a rolled-up unit cost divides: the reporting entities', not the whole team's. */
export function rolledUpNote(unitCost: EntityUnitCost): string | undefined {
  if (!unitCost.rolledUp || unitCost.metric === null) return undefined;
  const n = unitCost.reportingEntities;
  const whole = wholeOf(unitCost.entityRef);
  return `${unitCost.metric} summed over the ${
    n === 1 ? 'entity' : `${n} entities`
  } below that report it, divided into the cost of ${
    n === 1 ? 'that entity' : 'those entities'
  }, not the whole ${whole}'s cost.`;
}

function EmptyState(props: { unitCost: EntityUnitCost; entityRef: string }) {
  const { unitCost, entityRef } = props;
  const whole = wholeOf(entityRef);
  const rolledUp = whole === 'team' || whole === 'system';
  const names = unitCost.metrics.map(m => m.name);
  const example = JSON.stringify(
    {
      metrics: [
        {
          entityRef,
          metric: names[0] ?? 'orders',
          values: [{ date: unitCost.to, value: '1250' }],
        },
      ],
    },
    null,
    2,
  );
  return (
    <Box data-testid="costscope-unit-cost-empty">
      <Typography variant="body2" paragraph>
        {names.length === 0
          ? 'No business metric is configured, so cost per unit cannot be shown. Name the metrics your teams count (orders, streams, active users) in app-config under costscope.unitCost.metrics.'
          : `${
              rolledUp
                ? `Neither this ${whole} nor any entity below it reports`
                : 'This entity reports no'
            } ${names.join(
              ' or ',
            )}. Send its daily values with POST /api/costscope/v1/metrics (permission costscope.metrics.write; a service token holds it), or list them in the CSV file named by costscope.unitCost.file (date,entity_ref,metric,value).`}
      </Typography>
      {names.length > 0 && (
        <CodeSnippet language="json" text={example} showCopyCodeButton />
      )}
    </Box>
  );
}

function TrendChart(props: { trend: EntityUnitCost }) {
  const { trend } = props;
  // Numbers for the chart's geometry only; every shown amount is formatted from its string.
  const rows = useMemo(
    () =>
      trend.points.map(point => ({
        period: point.period,
        unitCost: point.unitCost === null ? null : Number(point.unitCost),
        text: point.unitCost,
      })),
    [trend],
  );
  const label = `Cost per ${trend.unit} by month from ${trend.from} to ${trend.to}`;
  return (
    <div role="img" aria-label={label} data-testid="costscope-unit-cost-chart">
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={rows} margin={{ top: 8, right: 16, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="period" />
          <YAxis
            width={72}
            tickFormatter={(value: number) =>
              formatUnitCost(String(value), trend.currency)
            }
          />
          <Tooltip
            formatter={(_value: number, _name: string, item: any) =>
              item.payload.text === null
                ? 'no units'
                : formatUnitCost(item.payload.text, trend.currency)
            }
          />
          <Line
            type="monotone"
            dataKey="unitCost"
            name={`Cost per ${trend.unit}`}
            stroke="#4e79a7"
            dot={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

function Figures(props: { period: EntityUnitCost }) {
  const { period } = props;
  const { total, previous, currency } = period;
  const note = rolledUpNote(period);
  return (
    <>
      {note && (
        <Typography
          variant="body2"
          color="textSecondary"
          paragraph
          data-testid="costscope-unit-cost-rolled-up"
        >
          {note}
        </Typography>
      )}
      <Box display="flex" flexWrap="wrap" style={{ gap: 48 }} mb={2}>
        <CostFigure
          label={`${withBasis(`Cost per ${period.unit}`, period.costBasis)}, ${
            period.from
          } – ${period.to}`}
          value={
            total.unitCost === null
              ? 'no units in this range'
              : formatUnitCost(total.unitCost, currency)
          }
          testId="costscope-unit-cost"
          amount={total.unitCost ?? undefined}
          detail={`${Number(total.units).toLocaleString()} ${period.metric}`}
        />
        <CostFigure
          label="Change vs previous period"
          value={
            period.change === null ? (
              '–'
            ) : (
              <CostChange
                change={period.change}
                changeRatio={period.changeRatio}
                currency={currency}
              />
            )
          }
          detail={
            previous.unitCost === null
              ? `No units ${previous.from} – ${previous.to}`
              : `Previous: ${formatUnitCost(previous.unitCost, currency)} (${
                  previous.from
                } – ${previous.to})`
          }
        />
      </Box>
    </>
  );
}

/** Props of {@link UnitCostCard}. */
export interface UnitCostCardProps {
  entityRef: string;
  /** The Cost tab's range and basis: the figures are for it, the trend ends with it. */
  range: CostQuery;
}

/**
 * Cost per unit of the entity's business metric (cost per order): the range's figure and its
 * change against the previous range, and the monthly trend over 13 months. On a group or
 * system that reports no values itself, the metric and cost of the entities below it that do. Growing spend on
 * a growing product reads as good news here when the unit cost falls.
 */
export function UnitCostCard(props: UnitCostCardProps) {
  const { entityRef, range } = props;
  const period = useEntityUnitCost(entityRef, range);
  const trend = useEntityUnitCost(entityRef, {
    from: trendStart(range.to),
    to: range.to,
    costBasis: range.costBasis,
    // No metric named: the backend picks the same default as for the range.
    granularity: 'month',
  });
  const title = period.value?.unit
    ? withBasis(`Cost per ${period.value.unit}`, period.value.costBasis)
    : 'Unit cost';
  return (
    <InfoCard title={title}>
      <AsyncContent state={period}>
        {value =>
          value.hasValues ? (
            <>
              <Figures period={value} />
              <AsyncContent state={trend}>
                {months => <TrendChart trend={months} />}
              </AsyncContent>
            </>
          ) : (
            <EmptyState unitCost={value} entityRef={entityRef} />
          )
        }
      </AsyncContent>
    </InfoCard>
  );
}
