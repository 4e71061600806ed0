'use strict';

// Cost Explorer GetCostAndUsage (JSON 1.1, target AWSInsightsIndexService.*) over the
// demo FOCUS lines. A member account sees its own lines; the payer sees every account's.

const {
  ServiceError,
  jsonTargetRoute,
  jsonWire,
  runOperation,
} = require('./wire');
const { compileFilter, dimension } = require('./ceFilter');
const { formatAmount } = require('./decimal');
const { requestHash, encodeToken, decodeToken } = require('./paging');
const { PAYER_ACCOUNT_ID } = require('./auth');
const { createCommitmentOperations } = require('./commitments');

const TARGET_PREFIX = 'AWSInsightsIndexService.';
const DAY = 86400000;
const invalid = message => new ServiceError('ValidationException', message);

const METRICS = {
  UnblendedCost: { of: l => l.billed, unit: 'USD' },
  NetUnblendedCost: { of: l => l.billed, unit: 'USD' },
  BlendedCost: { of: l => l.billed, unit: 'USD' },
  AmortizedCost: { of: l => l.effective, unit: 'USD' },
  NetAmortizedCost: { of: l => l.effective, unit: 'USD' },
  // mixed units (hours, GB, requests...) add up to a number without a unit, as in CE
  UsageQuantity: { of: l => l.quantity, unit: 'N/A' },
};

const FAULTS = {
  throttle: () =>
    new ServiceError('LimitExceededException', 'Rate exceeded', {
      status: 400,
    }),
  'server-error': () =>
    new ServiceError('InternalFailure', 'Internal failure', { status: 500 }),
  deny: ({ operation }) =>
    new ServiceError(
      'AccessDeniedException',
      `User is not authorized to perform: ce:${operation}`,
      { status: 403 },
    ),
};

// --- dates ----------------------------------------------------------------------
const dayMs = s => Date.parse(`${s}T00:00:00Z`);
const isoDay = t => new Date(t).toISOString().slice(0, 10);
const nextMonth = t => {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};

function checkDate(s, name) {
  if (
    typeof s !== 'string' ||
    !/^\d{4}-\d{2}-\d{2}$/.test(s) ||
    Number.isNaN(dayMs(s)) ||
    isoDay(dayMs(s)) !== s
  )
    throw invalid(`TimePeriod.${name} must be a date YYYY-MM-DD, got '${s}'`);
  return dayMs(s);
}

/** The periods of [start, end): one per day, or per calendar month clipped to the range. */
function periods(start, end, granularity) {
  const out = [];
  for (let t = start; t < end; ) {
    const next =
      granularity === 'DAILY' ? t + DAY : Math.min(nextMonth(t), end);
    out.push({ start: t, end: next });
    t = next;
  }
  return out;
}

// --- request --------------------------------------------------------------------
function parseGroupBy(groupBy = []) {
  if (!Array.isArray(groupBy)) throw invalid('GroupBy must be a list');
  if (groupBy.length > 2)
    throw invalid('You can only group by up to 2 dimensions or tags');
  return groupBy.map(({ Type, Key }) => {
    if (Type === 'TAG') {
      if (!Key) throw invalid('GroupBy TAG needs a Key');
      return { Type, Key, value: l => `${Key}$${l.tags[Key] || ''}` };
    }
    if (Type === 'DIMENSION') return { Type, Key, value: dimension(Key) };
    throw invalid(`GroupBy Type must be DIMENSION or TAG, got ${Type}`);
  });
}

/** The request's TimePeriod as [start, end) in ms, checked as CE checks it. */
function parseTimePeriod(p) {
  const tp = p.TimePeriod || {};
  const start = checkDate(tp.Start, 'Start');
  const end = checkDate(tp.End, 'End');
  if (start >= end)
    throw invalid('Start date (and hour) should be before end date (and hour)');
  return { start, end };
}

function parseRequest(p) {
  const { start, end } = parseTimePeriod(p);
  if (p.Granularity !== 'DAILY' && p.Granularity !== 'MONTHLY')
    throw invalid(
      `Granularity must be DAILY or MONTHLY (HOURLY is not enabled), got ${p.Granularity}`,
    );
  if (!Array.isArray(p.Metrics) || !p.Metrics.length)
    throw invalid('Metrics must not be empty');
  for (const m of p.Metrics)
    if (!METRICS[m]) throw invalid(`Metric ${m} is not supported`);
  return {
    start,
    end,
    granularity: p.Granularity,
    metrics: p.Metrics,
    groupBy: parseGroupBy(p.GroupBy),
    filter: compileFilter(p.Filter),
  };
}

// --- aggregation ----------------------------------------------------------------
function metricsOf(sums, metrics) {
  return Object.fromEntries(
    metrics.map((m, i) => [
      m,
      { Amount: formatAmount(sums[i]), Unit: METRICS[m].unit },
    ]),
  );
}

function addLine(sums, line, metrics) {
  metrics.forEach((m, i) => {
    sums[i] += METRICS[m].of(line);
  });
}

/** Groups of one period, sorted by their keys. */
function groupsOf(lines, q) {
  const byKey = new Map();
  for (const l of lines) {
    const keys = q.groupBy.map(g => g.value(l));
    const k = keys.join('\u0000');
    if (!byKey.has(k)) byKey.set(k, { keys, sums: q.metrics.map(() => 0n) });
    addLine(byKey.get(k).sums, l, q.metrics);
  }
  return [...byKey.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, g]) => ({ Keys: g.keys, Metrics: metricsOf(g.sums, q.metrics) }));
}

function totalOf(lines, q) {
  const sums = q.metrics.map(() => 0n);
  for (const l of lines) addLine(sums, l, q.metrics);
  return metricsOf(sums, q.metrics);
}

/**
 * Page items in answer order: one per group, or one per period that has no group
 * (group: null), or, without GroupBy, one per period carrying its Total.
 */
function answerItems(data, q, visible, isEstimated) {
  const items = [];
  for (const p of periods(q.start, q.end, q.granularity)) {
    const lines = [];
    for (let t = p.start; t < p.end; t += DAY)
      for (const l of data.byDay.get(isoDay(t)) || [])
        if (visible(l) && q.filter(l)) lines.push(l);
    const period = {
      TimePeriod: { Start: isoDay(p.start), End: isoDay(p.end) },
      Estimated: isEstimated(p),
    };
    if (!q.groupBy.length) {
      items.push({ period, total: totalOf(lines, q), group: null });
      continue;
    }
    const groups = groupsOf(lines, q);
    if (!groups.length) items.push({ period, group: null });
    for (const group of groups) items.push({ period, group });
  }
  return items;
}

/** Items from `offset` up to `pageSize` groups (periods without groups do not count). */
function pageOf(items, offset, pageSize) {
  let i = offset;
  let groups = 0;
  while (i < items.length) {
    if (items[i].group) {
      if (groups === pageSize) break;
      groups += 1;
    }
    i += 1;
  }
  return {
    slice: items.slice(offset, i),
    next: i < items.length ? i : undefined,
  };
}

function resultsByTime(slice, hasGroupBy) {
  const out = [];
  for (const item of slice) {
    let last = out[out.length - 1];
    if (!last || last.TimePeriod.Start !== item.period.TimePeriod.Start) {
      last = {
        TimePeriod: item.period.TimePeriod,
        Total: hasGroupBy ? {} : item.total,
        Groups: [],
        Estimated: item.period.Estimated,
      };
      out.push(last);
    }
    if (item.group) last.Groups.push(item.group);
  }
  return out;
}

/** Real CE names linked accounts in DimensionValueAttributes when grouping by them. */
function accountAttributes(results, q, accountNames) {
  const i = q.groupBy.findIndex(
    g => g.Type === 'DIMENSION' && g.Key === 'LINKED_ACCOUNT',
  );
  if (i < 0) return [];
  const ids = new Set(results.flatMap(r => r.Groups.map(g => g.Keys[i])));
  return [...ids].sort().map(id => ({
    Value: id,
    Attributes: { description: accountNames.get(id) || id },
  }));
}

// --- service ----------------------------------------------------------------------
function indexByDay(lines) {
  const byDay = new Map();
  for (const l of lines) {
    if (!byDay.has(l.day)) byDay.set(l.day, []);
    byDay.get(l.day).push(l);
  }
  return byDay;
}

/**
 * @param {{ billing: ReturnType<import('./data').loadBilling>, pageSize: number, estimatedDays: number, reservationMonths?: object[] }} options
 */
function createCostExplorer({
  billing,
  pageSize,
  estimatedDays,
  reservationMonths,
}) {
  const data = { ...billing, byDay: indexByDay(billing.lines) };
  const estimatedFrom = dayMs(billing.lastDay) - (estimatedDays - 1) * DAY;
  const isEstimated = p => estimatedDays > 0 && p.end - DAY >= estimatedFrom;
  const wire = jsonWire({ version: '1.1' });
  const cache = new Map(); // request hash -> items, so paging does not re-aggregate

  function getCostAndUsage(params, ctx) {
    const q = parseRequest(params);
    const hash = requestHash(ctx, 'GetCostAndUsage', params, 'NextPageToken');
    const offset = decodeToken(params.NextPageToken, hash, {
      invalid: () =>
        new ServiceError(
          'InvalidNextTokenException',
          'Invalid pagination token',
        ),
      changed: () =>
        new ServiceError(
          'RequestChangedException',
          'Your request parameters changed between pages. Try again with the old parameters or without a pagination token.',
        ),
    });
    const visible =
      ctx.accountId === PAYER_ACCOUNT_ID
        ? () => true
        : l => l.account === ctx.accountId;
    if (!cache.has(hash)) {
      if (cache.size >= 32) cache.delete(cache.keys().next().value);
      cache.set(hash, answerItems(data, q, visible, isEstimated));
    }
    const items = cache.get(hash);
    const { slice, next } = q.groupBy.length
      ? pageOf(items, offset, pageSize)
      : { slice: items.slice(offset), next: undefined };
    const results = resultsByTime(slice, q.groupBy.length > 0);
    return {
      GroupDefinitions: q.groupBy.map(({ Type, Key }) => ({ Type, Key })),
      ResultsByTime: results,
      DimensionValueAttributes: accountAttributes(
        results,
        q,
        data.accountNames,
      ),
      ...(next !== undefined ? { NextPageToken: encodeToken(next, hash) } : {}),
    };
  }

  const OPERATIONS = {
    GetCostAndUsage: getCostAndUsage,
    ...createCommitmentOperations({
      billing,
      pageSize,
      reservationMonths,
      parseTimePeriod,
      periods,
      isoDay,
    }),
  };

  return {
    name: 'ce',
    route: jsonTargetRoute(TARGET_PREFIX, wire),
    handle: (operation, params, ctx) =>
      runOperation(
        OPERATIONS,
        operation,
        params,
        ctx,
        'UnknownOperationException',
      ),
    faultError: (kind, request) => FAULTS[kind](request),
  };
}

module.exports = { createCostExplorer, METRICS };
