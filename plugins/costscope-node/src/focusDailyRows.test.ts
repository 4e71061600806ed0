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

  it('reads FOCUS 1.3 split columns as the file sources do: only with a method, trimmed', () => {
    const split = {
      ...GOOD,
      allocated_method_id: ' AWS-EKS-split ',
      allocated_resource_id: 'pod/checkout-1',
      allocated_resource_name: 'NULL',
      allocated_tags: '{"app":"checkout"}',
    };
    expect(focusDailyRowToCostLine(row(split), options)).toMatchObject({
      tags: { team: 'checkout' },
      allocated: {
        methodId: 'AWS-EKS-split',
        resourceId: 'pod/checkout-1',
        tags: { app: 'checkout' },
      },
    });
    const line = focusDailyRowToCostLine(row(split), options);
    expect('allocated' in line && line.allocated).not.toHaveProperty(
      'resourceName',
    );
    // allocated columns without a method are no split
    expect(
      focusDailyRowToCostLine(
        row({ ...split, allocated_method_id: 'n/a' }),
        options,
      ),
    ).not.toHaveProperty('allocated');
    // a method without tags is a split with none
    expect(
      focusDailyRowToCostLine(row({ ...split, allocated_tags: null }), options),
    ).toMatchObject({ allocated: { methodId: 'AWS-EKS-split', tags: {} } });
  });

  it.each([
    [
      'method id is too long',
      { allocated_method_id: 'm'.repeat(256) },
      'AllocatedMethodId is longer than 255 characters',
    ],
    [
      'resource id is too long',
      { allocated_resource_id: 'r'.repeat(2049) },
      'AllocatedResourceId is longer than 2048 characters',
    ],
    [
      'resource name holds a NUL',
      { allocated_resource_name: 'a\u0000b' },
      'AllocatedResourceName contains a NUL character',
    ],
    [
      'tags are not JSON',
      { allocated_tags: '{not json' },
      'allocated tags are not JSON',
    ],
  ])('rejects a split whose %s, saying why', (_, change, reason) => {
    expect(
      focusDailyRowToCostLine(
        row({ ...GOOD, allocated_method_id: 'split', ...change }),
        options,
      ),
    ).toEqual({ rejected: reason });
  });
});
