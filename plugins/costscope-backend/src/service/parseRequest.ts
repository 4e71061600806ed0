import { InputError } from '@backstage/errors';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  ChargebackOwnerBy,
  COST_BASES,
  CostBasis,
  CostQuery,
  DateRange,
  DigestPeriod,
  SeriesGroupBy,
} from '@costscope/backstage-plugin-common';
import { z } from 'zod/v3';
import {
  DEFAULT_RANGE_DAYS,
  daysInRange,
  defaultRangeEnd,
  isCalendarDay,
} from '../lib/dates';

/** Longest range a request may ask for: a little over three years. */
export const MAX_RANGE_DAYS = 1200;

const day = (field: string) =>
  z
    .string({ invalid_type_error: `${field} must be a single date` })
    .regex(
      /^\d{4}-\d{2}-\d{2}$/,
      `${field} must be a date in the form YYYY-MM-DD`,
    )
    // Runs after a failed regex too (zod keeps going); isCalendarDay checks the form again.
    .refine(isCalendarDay, value => ({
      message: `${field} '${value}' is not a calendar date`,
    }))
    .optional();

const rangeQuery = z.object({ from: day('from'), to: day('to') });

function firstIssue(error: z.ZodError): string {
  return error.issues.map(issue => issue.message).join('; ');
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * Reads `from` and `to` (inclusive UTC days). Without them: the last 30 days up to
 * yesterday, the last day with complete billing data.
 */
export function parseRange(query: unknown, now = new Date()): DateRange {
  const parsed = rangeQuery.safeParse(query);
  if (!parsed.success) throw new InputError(firstIssue(parsed.error));
  const to = parsed.data.to ?? defaultRangeEnd(now);
  const from =
    parsed.data.from ??
    isoDay(
      new Date(
        Date.parse(`${to}T00:00:00Z`) - (DEFAULT_RANGE_DAYS - 1) * 86_400_000,
      ),
    );
  if (from > to) {
    throw new InputError(
      `from (${from}) is after to (${to}); the range must not be reversed`,
    );
  }
  const days = daysInRange(from, to);
  if (days > MAX_RANGE_DAYS) {
    throw new InputError(
      `the range spans ${days} days; at most ${MAX_RANGE_DAYS} are allowed`,
    );
  }
  return { from, to };
}

/** Reads the range and `costBasis` (left out: the configured basis applies). */
export function parseCostQuery(query: unknown, now = new Date()): CostQuery {
  const range = parseRange(query, now);
  const costBasis = (query as { costBasis?: unknown } | undefined)?.costBasis;
  if (costBasis === undefined) return range;
  if (
    typeof costBasis !== 'string' ||
    !COST_BASES.includes(costBasis as CostBasis)
  ) {
    throw new InputError(`costBasis must be one of ${COST_BASES.join(', ')}`);
  }
  return { ...range, costBasis: costBasis as CostBasis };
}

const digestQuery = z.object({
  period: z
    .enum(['week', 'month'], {
      errorMap: () => ({ message: 'period must be week or month' }),
    })
    .optional(),
  date: day('date'),
});

/**
 * Reads a digest request: `period` (week, the default, or month) and `date`, a day in the
 * period (left out: the latest complete one). A date after today is refused.
 */
export function parseDigestQuery(
  query: unknown,
  now = new Date(),
): { period: DigestPeriod; date?: string; costBasis?: CostBasis } {
  const parsed = digestQuery.safeParse(query);
  if (!parsed.success) throw new InputError(firstIssue(parsed.error));
  const { date } = parsed.data;
  if (date && date > isoDay(now)) {
    throw new InputError(`date ${date} is in the future`);
  }
  const { costBasis } = parseCostQuery(
    { costBasis: (query as { costBasis?: unknown }).costBasis },
    now,
  );
  return {
    period: parsed.data.period ?? 'week',
    ...(date ? { date } : {}),
    ...(costBasis ? { costBasis } : {}),
  };
}

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,252}$/;

/** Turns route parameters into a full entity ref, checking each part. */
export function parseEntityRefParams(params: {
  kind?: string;
  namespace?: string;
  name?: string;
}): string {
  const { kind = '', namespace = '', name = '' } = params;
  for (const [part, value] of Object.entries({ kind, namespace, name })) {
    if (!NAME.test(value)) {
      throw new InputError(
        `entity ${part} '${value.slice(0, 60)}' is not a valid entity name`,
      );
    }
  }
  return stringifyEntityRef({ kind, namespace, name }).toLocaleLowerCase(
    'en-US',
  );
}

const GROUP_BY: SeriesGroupBy[] = [
  'service',
  'account',
  'region',
  'provider',
  'cluster',
  'namespace',
  'workload',
];

export function parseGroupBy(query: { groupBy?: unknown }): SeriesGroupBy {
  const value = query.groupBy ?? 'service';
  if (typeof value !== 'string' || !GROUP_BY.includes(value as SeriesGroupBy)) {
    throw new InputError(`groupBy must be one of ${GROUP_BY.join(', ')}`);
  }
  return value as SeriesGroupBy;
}

/** Reads an optional positive integer query parameter with an upper bound. */
export function parseLimit(
  value: unknown,
  fallback: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const parsed =
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(parsed) || parsed < 1 || parsed > max) {
    throw new InputError(`limit must be an integer from 1 to ${max}`);
  }
  return parsed;
}

const ingestBody = z
  .object({ sourceId: z.string().min(1).max(200).optional() })
  .strict();

export function parseIngestBody(body: unknown): { sourceId?: string } {
  const parsed = ingestBody.safeParse(body ?? {});
  if (!parsed.success) {
    throw new InputError(`invalid ingest request: ${firstIssue(parsed.error)}`);
  }
  return parsed.data;
}

const CHARGEBACK_BY: ChargebackOwnerBy[] = ['group', 'costCenter'];

/** Reads `by` of a chargeback request: `group` (default) or `costCenter`. */
export function parseChargebackBy(query: { by?: unknown }): ChargebackOwnerBy {
  const value = query.by ?? 'group';
  if (
    typeof value !== 'string' ||
    !CHARGEBACK_BY.includes(value as ChargebackOwnerBy)
  ) {
    throw new InputError(`by must be one of ${CHARGEBACK_BY.join(', ')}`);
  }
  return value as ChargebackOwnerBy;
}
