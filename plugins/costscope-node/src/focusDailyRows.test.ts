import { FOCUS_DAILY_COLUMNS, focusDailyRowToCostLine } from './focusDailyRows';

const options = {
  defaultProvider: 'AWS',
  parseTags: (text: string) => JSON.parse(text),
};

function row(values: Partial<Record<string, string | null>>) {
  return FOCUS_DAILY_COLUMNS.map(column => values[column]);
}

const GOOD = {
  charge_date: '2026-03-01',
  billing_period_start: '2026-03-01',
  sub_account_id: '111122223333',
  service_name: 'Amazon Elastic Compute Cloud',
  currency: 'EUR',
  commitment_discount_status: 'Unused',
  tags: '{"team":"checkout"}',
  billed_cost: '12.000000000001',
  effective_cost: '-0.5',
};

describe('focusDailyRowToCostLine', () => {
  it('takes the sums as written and fills what a row leaves out', () => {
    expect(focusDailyRowToCostLine(row(GOOD), options)).toEqual({
      chargeDate: '2026-03-01',
      billingPeriod: '2026-03-01',
      provider: 'AWS',
      billingAccountId: '',
      subAccountId: '111122223333',
      serviceName: 'Amazon Elastic Compute Cloud',
      chargeCategory: 'Usage',
      currency: 'EUR',
      billedCost: '12.000000000001',
      effectiveCost: '-0.5',
      commitmentDiscountStatus: 'Unused',
      tags: { team: 'checkout' },
    });
  });

  it.each([
    [{ charge_date: '2026-3-1' }, "charge date '2026-3-1' is not a day"],
    [{ billing_period_start: null }, 'no billing period start'],
    [{ currency: 'euro' }, "currency 'euro' is not an ISO code"],
    [{ billed_cost: '1e3' }, "billed_cost '1e3' is not a decimal"],
    [{ list_cost: 'n/a' }, "list_cost 'n/a' is not a decimal"],
    [{ tags: '{not json' }, 'tags are not JSON'],
  ])('rejects %p, saying why', (change, reason) => {
    expect(
      focusDailyRowToCostLine(row({ ...GOOD, ...change }), options),
    ).toEqual({ rejected: reason });
  });

  it('rejects tags the engine cannot read as key/value pairs', () => {
    expect(
      focusDailyRowToCostLine(row(GOOD), {
        ...options,
        parseTags: () => undefined,
      }),
    ).toEqual({ rejected: 'tags are not key/value pairs' });
  });
});
