'use strict';

// Cost Explorer's commitment reports over the demo FOCUS lines: GetSavingsPlansCoverage,
// GetSavingsPlansUtilization (from the Savings Plan lines of the demo) and
// GetReservationCoverage, GetReservationUtilization (the demo has no reservations: coverage
// counts every EC2 instance hour on demand unless the fake was given `reservationMonths`).
// Monthly granularity only; amounts are exact decimal strings, percentages too.

const { ServiceError } = require('./wire');
const { compileFilter } = require('./ceFilter');
const { formatAmount, parseDecimal, SCALE } = require('./decimal');
const { requestHash, encodeToken, decodeToken } = require('./paging');
const { PAYER_ACCOUNT_ID } = require('./auth');

const invalid = message => new ServiceError('ValidationException', message);
const unavailable = () =>
  new ServiceError('DataUnavailableException', 'Data is not available');

/** part / total x 100 with 10 decimals (truncated), like CE's percentage strings; '0' for 0 / 0. */
function percent(part, total) {
  if (total === 0n) return '0';
  const scaled = (part * 100n * 10n ** 10n) / total;
  const s = scaled.toString().padStart(11, '0');
  return `${s.slice(0, -10)}.${s.slice(-10)}`;
}

const isoMonth = t => new Date(t).toISOString().slice(0, 7);

/**
 * @param {{
 *   billing: ReturnType<import('./data').loadBilling>,
 *   pageSize: number,
 *   reservationMonths?: Array<{ month: string, accountId: string, purchasedHours: string,
 *     usedHours: string, amortizedFee: string, onDemandCostOfUsedHours: string }>,
 *   parseTimePeriod: (p: object) => { start: number, end: number },
 *   periods: (start: number, end: number, granularity: string) => Array<{ start: number, end: number }>,
 *   isoDay: (t: number) => string,
 * }} options
 */
function createCommitmentOperations({
  billing,
  pageSize,
  reservationMonths = [],
  parseTimePeriod,
  periods,
  isoDay,
}) {
  // Lines by month; commitments are monthly here, so a month is the unit of every sum.
  const byMonth = new Map();
  for (const l of billing.lines) {
    const month = l.day.slice(0, 7);
    if (!byMonth.has(month)) byMonth.set(month, []);
    byMonth.get(month).push(l);
  }
  const reserved = reservationMonths.map(r => ({
    month: r.month,
    account: r.accountId,
    purchasedHours: parseDecimal(r.purchasedHours),
    usedHours: parseDecimal(r.usedHours),
    amortizedFee: parseDecimal(r.amortizedFee),
    onDemandCostOfUsedHours: parseDecimal(r.onDemandCostOfUsedHours),
  }));

  function parse(params, { metrics } = {}) {
    const { start, end } = parseTimePeriod(params);
    const granularity = params.Granularity ?? 'MONTHLY';
    if (granularity !== 'MONTHLY' && granularity !== 'DAILY')
      throw invalid(
        `Granularity must be DAILY or MONTHLY, got ${params.Granularity}`,
      );
    if (granularity === 'DAILY')
      throw invalid('fake AWS: commitment reports are MONTHLY only');
    if (params.GroupBy && params.GroupBy.length)
      throw invalid('fake AWS: GroupBy is not supported on commitment reports');
    if (metrics && params.Metrics !== undefined) {
      if (!Array.isArray(params.Metrics))
        throw invalid('Metrics must be a list');
      for (const m of params.Metrics)
        if (!metrics.includes(m))
          throw invalid(`Metric ${m} is not supported for this operation`);
    }
    if (params.MaxResults !== undefined) {
      if (!Number.isInteger(params.MaxResults) || params.MaxResults < 1)
        throw invalid('MaxResults must be a positive integer');
    }
    return {
      months: periods(start, end, 'MONTHLY'),
      filter: compileFilter(params.Filter),
      limit: Math.min(params.MaxResults ?? pageSize, pageSize),
    };
  }

  function visibleTo(ctx) {
    return ctx.accountId === PAYER_ACCOUNT_ID
      ? () => true
      : account => account === ctx.accountId;
  }

  function linesOf(p, q, ctx) {
    const visible = visibleTo(ctx);
    return (byMonth.get(isoMonth(p.start)) || []).filter(
      l => visible(l.account) && q.filter(l),
    );
  }

  const timePeriod = p => ({ Start: isoDay(p.start), End: isoDay(p.end) });

  /** A page of `items` from the token's offset; the token is bound to the request. */
  function page(items, params, ctx, operation, tokenKey, limit) {
    const hash = requestHash(ctx, operation, params, tokenKey);
    const offset = decodeToken(params[tokenKey], hash, {
      invalid: () =>
        new ServiceError(
          'InvalidNextTokenException',
          'Invalid pagination token',
        ),
      changed: () =>
        new ServiceError(
          'InvalidNextTokenException',
          'The pagination token belongs to another request',
        ),
    });
    const next = offset + limit;
    return {
      slice: items.slice(offset, next),
      token: next < items.length ? encodeToken(next, hash) : undefined,
    };
  }

  // --- Savings Plans ------------------------------------------------------------
  function spSums(lines) {
    let covered = 0n; // on-demand equivalent of the usage a plan covered
    let onDemand = 0n; // eligible usage nothing covered, at on-demand price
    let used = 0n; // commitment the covered usage used (amortized)
    let commitment = 0n; // the plans' recurring fees
    for (const l of lines) {
      if (l.recordType === 'SavingsPlanCoveredUsage') {
        if (l.commitmentStatus === 'Unused') continue;
        covered += l.list;
        used += l.effective;
      } else if (l.recordType === 'SavingsPlanRecurringFee') {
        commitment += l.billed;
      } else if (l.instanceUsage) {
        onDemand += l.list || l.billed;
      }
    }
    return { covered, onDemand, used, commitment };
  }

  function getSavingsPlansCoverage(params, ctx) {
    const q = parse(params, { metrics: ['SpendCoveredBySavingsPlans'] });
    const items = q.months.map(p => {
      const s = spSums(linesOf(p, q, ctx));
      const total = s.covered + s.onDemand;
      return {
        Attributes: {},
        Coverage: {
          SpendCoveredBySavingsPlans: formatAmount(s.covered),
          OnDemandCost: formatAmount(s.onDemand),
          TotalCost: formatAmount(total),
          CoveragePercentage: percent(s.covered, total),
        },
        TimePeriod: timePeriod(p),
      };
    });
    const { slice, token } = page(
      items,
      params,
      ctx,
      'GetSavingsPlansCoverage',
      'NextToken',
      q.limit,
    );
    return {
      SavingsPlansCoverages: slice,
      ...(token ? { NextToken: token } : {}),
    };
  }

  function spUtilization(s) {
    const unused = s.commitment - s.used;
    return {
      Utilization: {
        TotalCommitment: formatAmount(s.commitment),
        UsedCommitment: formatAmount(s.used),
        UnusedCommitment: formatAmount(unused),
        UtilizationPercentage: percent(s.used, s.commitment),
      },
      Savings: {
        NetSavings: formatAmount(s.covered - s.commitment),
        OnDemandCostEquivalent: formatAmount(s.covered),
      },
      AmortizedCommitment: {
        AmortizedRecurringCommitment: formatAmount(s.commitment),
        AmortizedUpfrontCommitment: formatAmount(0n),
        TotalAmortizedCommitment: formatAmount(s.commitment),
      },
    };
  }

  function getSavingsPlansUtilization(params, ctx) {
    const q = parse(params);
    if (params.MaxResults !== undefined || params.NextToken !== undefined)
      throw invalid('GetSavingsPlansUtilization does not page');
    const total = { covered: 0n, onDemand: 0n, used: 0n, commitment: 0n };
    const byTime = [];
    for (const p of q.months) {
      const s = spSums(linesOf(p, q, ctx));
      if (s.commitment === 0n) continue; // no plan active that month
      for (const k of Object.keys(total)) total[k] += s[k];
      byTime.push({ TimePeriod: timePeriod(p), ...spUtilization(s) });
    }
    if (!byTime.length) throw unavailable();
    return {
      SavingsPlansUtilizationsByTime: byTime,
      Total: spUtilization(total),
    };
  }

  // --- reservations -------------------------------------------------------------
  function reservedOf(p, q, ctx) {
    const visible = visibleTo(ctx);
    const month = isoMonth(p.start);
    return reserved.filter(
      r =>
        r.month === month &&
        visible(r.account) &&
        q.filter({ account: r.account, service: '', region: '', tags: {} }),
    );
  }

  function riSums(p, q, ctx) {
    const s = {
      onDemandHours: 0n,
      onDemandCost: 0n,
      reservedHours: 0n,
      purchasedHours: 0n,
      fee: 0n,
      onDemandCostOfUsedHours: 0n,
    };
    for (const l of linesOf(p, q, ctx)) {
      if (!l.instanceUsage) continue;
      s.onDemandHours += l.quantity;
      s.onDemandCost += l.billed;
    }
    for (const r of reservedOf(p, q, ctx)) {
      s.reservedHours += r.usedHours;
      s.purchasedHours += r.purchasedHours;
      s.fee += r.amortizedFee;
      s.onDemandCostOfUsedHours += r.onDemandCostOfUsedHours;
    }
    return s;
  }

  const hours = v => formatAmount(v).replace(/\.?0+$/, '') || '0';

  function riCoverage(s) {
    const total = s.onDemandHours + s.reservedHours;
    return {
      CoverageHours: {
        OnDemandHours: hours(s.onDemandHours),
        ReservedHours: hours(s.reservedHours),
        TotalRunningHours: hours(total),
        CoverageHoursPercentage: percent(s.reservedHours, total),
      },
      CoverageCost: { OnDemandCost: formatAmount(s.onDemandCost) },
    };
  }

  function getReservationCoverage(params, ctx) {
    const q = parse(params, {
      metrics: ['Hour', 'Unit', 'Cost'],
    });
    const sums = q.months.map(p => ({ p, s: riSums(p, q, ctx) }));
    const items = sums.map(({ p, s }) => ({
      TimePeriod: timePeriod(p),
      Groups: [],
      Total: riCoverage(s),
    }));
    const { slice, token } = page(
      items,
      params,
      ctx,
      'GetReservationCoverage',
      'NextPageToken',
      q.limit,
    );
    const all = sums.reduce((acc, { s }) => {
      for (const k of Object.keys(s)) acc[k] = (acc[k] || 0n) + s[k];
      return acc;
    }, {});
    return {
      CoveragesByTime: slice,
      Total: riCoverage(all),
      ...(token ? { NextPageToken: token } : {}),
    };
  }

  function riUtilization(s) {
    const unusedHours = s.purchasedHours - s.reservedHours;
    // the fee of the hours nothing used, pro rata
    const unusedCost =
      s.purchasedHours === 0n ? 0n : (s.fee * unusedHours) / s.purchasedHours;
    const net = s.onDemandCostOfUsedHours - s.fee;
    const perHour =
      s.reservedHours === 0n
        ? 0n
        : (s.onDemandCostOfUsedHours * SCALE) / s.reservedHours;
    const potential = (perHour * s.purchasedHours) / SCALE - s.fee;
    return {
      UtilizationPercentage: percent(s.reservedHours, s.purchasedHours),
      PurchasedHours: hours(s.purchasedHours),
      TotalActualHours: hours(s.reservedHours),
      UnusedHours: hours(unusedHours),
      OnDemandCostOfRIHoursUsed: formatAmount(s.onDemandCostOfUsedHours),
      NetRISavings: formatAmount(net),
      TotalPotentialRISavings: formatAmount(potential),
      AmortizedUpfrontFee: formatAmount(0n),
      AmortizedRecurringFee: formatAmount(s.fee),
      TotalAmortizedFee: formatAmount(s.fee),
      RICostForUnusedHours: formatAmount(unusedCost),
      RealizedSavings: formatAmount(net),
      UnrealizedSavings: formatAmount(potential - net),
    };
  }

  function getReservationUtilization(params, ctx) {
    const q = parse(params);
    const byTime = [];
    const all = {};
    for (const p of q.months) {
      const s = riSums(p, q, ctx);
      if (s.purchasedHours === 0n) continue; // no reservation that month
      for (const k of Object.keys(s)) all[k] = (all[k] || 0n) + s[k];
      byTime.push({
        TimePeriod: timePeriod(p),
        Groups: [],
        Total: riUtilization(s),
      });
    }
    if (!byTime.length) throw unavailable();
    const { slice, token } = page(
      byTime,
      params,
      ctx,
      'GetReservationUtilization',
      'NextPageToken',
      q.limit,
    );
    return {
      UtilizationsByTime: slice,
      Total: riUtilization(all),
      ...(token ? { NextPageToken: token } : {}),
    };
  }

  return {
    GetSavingsPlansCoverage: getSavingsPlansCoverage,
    GetSavingsPlansUtilization: getSavingsPlansUtilization,
    GetReservationCoverage: getReservationCoverage,
    GetReservationUtilization: getReservationUtilization,
  };
}

module.exports = { createCommitmentOperations, percent };
