import { Budget, BudgetThreshold } from '@costscope/backstage-plugin-common';
import { computeBudgetStatus } from './budgetStatus';
import { DEFAULT_THRESHOLDS } from './parseBudgetInput';
import { fromEpochDay, toEpochDay } from './series';

/** The same amount (nano-units) every day in [from, to). */
function constant(
  from: string,
  to: string,
  nanos: bigint,
): Map<string, bigint> {
  const daily = new Map<string, bigint>();
  for (let d = toEpochDay(from); d < toEpochDay(to); d++) {
    daily.set(fromEpochDay(d), nanos);
  }
  return daily;
}

function budget(
  amount: string,
  thresholds: BudgetThreshold[] = [...DEFAULT_THRESHOLDS],
  period: Budget['period'] = 'monthly',
): Budget {
  return {
    entityRef: 'component:default/checkout',
    amount,
    currency: 'USD',
    period,
    thresholds,
    recipients: [],
    source: 'ui',
  };
}

const TEN = 10_000_000_000n;
// 10.00 a day from 2026-01-01; data through 2026-03-20: March has 20 known days (200.00)
// and 11 ahead (110.00), so the forecast is 310.00 with an empty interval.
const daily = constant('2026-01-01', '2026-03-21', TEN);
const today = '2026-03-21';

describe('computeBudgetStatus', () => {
  it('is ok well under the budget', () => {
    const status = computeBudgetStatus({
      budget: budget('1000'),
      daily,
      today,
    });
    expect(status).toEqual({
      budget: budget('1000'),
      period: { from: '2026-03-01', to: '2026-04-01' },
      dataThrough: '2026-03-20',
      spent: '200.000000000',
      percentUsed: 20,
      dailyRate: '10.000000000',
      forecast: {
        amount: '310.000000000',
        low: '310.000000000',
        high: '310.000000000',
        method: 'weekday-median',
      },
      daysLeft: 11,
      state: 'ok',
      crossed: [],
    });
  });

  it('warns when an actual threshold under 100 % is crossed', () => {
    // 200 / 350 = 57.14 %; forecast 310 < 350.
    const status = computeBudgetStatus({ budget: budget('350'), daily, today });
    expect(status.state).toBe('warning');
    expect(status.percentUsed).toBe(57.1);
    expect(status.crossed).toEqual([{ kind: 'actual', percent: 50 }]);
  });

  it('is forecast-over when the forecast passes the budget and a forecast threshold', () => {
    // 200 / 300 = 66.67 %; forecast 310 / 300 = 103.3 %.
    const status = computeBudgetStatus({ budget: budget('300'), daily, today });
    expect(status.state).toBe('forecast-over');
    expect(status.percentUsed).toBe(66.7);
    expect(status.crossed).toEqual([
      { kind: 'actual', percent: 50 },
      { kind: 'forecast', percent: 100 },
    ]);
  });

  it('is not forecast-over without a crossed forecast threshold', () => {
    const thresholds: BudgetThreshold[] = [
      { kind: 'actual', percent: 50 },
      { kind: 'forecast', percent: 110 },
    ];
    // forecast 310 / 300 = 103.3 % < 110 %.
    const status = computeBudgetStatus({
      budget: budget('300', thresholds),
      daily,
      today,
    });
    expect(status.state).toBe('warning');
    expect(status.crossed).toEqual([{ kind: 'actual', percent: 50 }]);
  });

  it('counts a forecast threshold under 100 % but needs the forecast over the budget', () => {
    // forecast 310 / 320 = 96.9 %: crosses forecast 90 but stays under the budget.
    const status = computeBudgetStatus({
      budget: budget('320', [
        { kind: 'actual', percent: 80 },
        { kind: 'forecast', percent: 90 },
      ]),
      daily,
      today,
    });
    expect(status.state).toBe('ok');
    expect(status.crossed).toEqual([{ kind: 'forecast', percent: 90 }]);
  });

  it('is over when spent reaches the budget exactly', () => {
    const status = computeBudgetStatus({ budget: budget('200'), daily, today });
    expect(status.state).toBe('over');
    expect(status.percentUsed).toBe(100);
    expect(status.crossed).toEqual(DEFAULT_THRESHOLDS);
  });

  it('compares thresholds exactly in nano-units', () => {
    // 80 % of 250.000000001 is 200.0000000008: 200.000000000 falls just short.
    const status = computeBudgetStatus({
      budget: budget('250.000000001', [{ kind: 'actual', percent: 80 }]),
      daily,
      today,
    });
    expect(status.crossed).toEqual([]);
    expect(status.percentUsed).toBe(80);
    expect(
      computeBudgetStatus({
        budget: budget('250', [{ kind: 'actual', percent: 80 }]),
        daily,
        today,
      }).crossed,
    ).toEqual([{ kind: 'actual', percent: 80 }]);
  });

  it('keeps odd daily amounts exact', () => {
    // 10.333333333 a day: 20 days = 206.66666666, 31 days = 320.333333323.
    const odd = constant('2026-01-01', '2026-03-21', 10_333_333_333n);
    const status = computeBudgetStatus({
      budget: budget('1000'),
      daily: odd,
      today,
    });
    expect(status.spent).toBe('206.666666660');
    expect(status.forecast.amount).toBe('320.333333323');
    expect(status.dailyRate).toBe('10.333333333');
    expect(status.percentUsed).toBe(20.7);
  });

  it('shows the finished period on the first day of the next', () => {
    const full = constant('2026-01-01', '2026-04-01', TEN);
    const status = computeBudgetStatus({
      budget: budget('300'),
      daily: full,
      today: '2026-04-01',
    });
    expect(status).toMatchObject({
      period: { from: '2026-03-01', to: '2026-04-01' },
      dataThrough: '2026-03-31',
      spent: '310.000000000',
      forecast: { amount: '310.000000000' },
      daysLeft: 0,
      state: 'over',
      percentUsed: 103.3,
    });
  });

  it('covers quarters and years with the days left to their end', () => {
    const quarter = computeBudgetStatus({
      budget: budget('1000', [], 'quarterly'),
      daily,
      today,
    });
    // Jan 31 + Feb 28 + 20 days of March = 79 days known, 11 left in the quarter.
    expect(quarter.period).toEqual({ from: '2026-01-01', to: '2026-04-01' });
    expect(quarter.spent).toBe('790.000000000');
    expect(quarter.forecast.amount).toBe('900.000000000');
    expect(quarter.daysLeft).toBe(11);
    expect(quarter.percentUsed).toBe(79);
    expect(quarter.state).toBe('ok');

    const year = computeBudgetStatus({
      budget: budget('3650', [], 'annual'),
      daily,
      today,
    });
    expect(year.period).toEqual({ from: '2026-01-01', to: '2027-01-01' });
    expect(year.daysLeft).toBe(286);
    expect(year.forecast.amount).toBe('3650.000000000');
  });

  it('reports the last day with data, and nothing spent without data', () => {
    const gap = constant('2026-01-01', '2026-03-18', TEN);
    expect(
      computeBudgetStatus({ budget: budget('1000'), daily: gap, today })
        .dataThrough,
    ).toBe('2026-03-17');

    const none = computeBudgetStatus({
      budget: budget('1000'),
      daily: new Map(),
      today,
    });
    expect(none).toMatchObject({
      spent: '0.000000000',
      percentUsed: 0,
      forecast: { amount: '0.000000000' },
      state: 'ok',
      crossed: [],
    });
    expect(none.dataThrough).toBeUndefined();
  });
});
