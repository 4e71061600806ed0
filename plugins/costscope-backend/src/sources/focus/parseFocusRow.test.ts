import { FocusRecord, parseFocusRow } from './parseFocusRow';

const RECORD: FocusRecord = {
  BilledCost: '0',
  EffectiveCost: '7.20',
  BillingCurrency: 'USD',
  ChargePeriodStart: '2026-03-01T00:00:00Z',
  ChargeCategory: 'Usage',
};

describe('parseFocusRow, ListCost', () => {
  it('reads ListCost as the line list cost, digits as written', () => {
    const parsed = parseFocusRow(
      { ...RECORD, ListCost: '10.000000001' },
      'USD',
    );
    expect(parsed).toMatchObject({
      line: {
        billedCost: '0',
        effectiveCost: '7.20',
        listCost: '10.000000001',
      },
    });
  });

  it.each([undefined, '', 'NULL'])(
    'counts a line without a list price (%p) at its billed cost',
    listCost => {
      const parsed = parseFocusRow({ ...RECORD, ListCost: listCost }, 'USD');
      expect(parsed).toMatchObject({ line: { listCost: '0' } });
    },
  );

  it.each([
    ['lots', "ListCost 'lots' is not a number"],
    ['1e30', "ListCost '1e30' is out of range"],
  ])('rejects ListCost %p, naming the column', (listCost, reason) => {
    expect(parseFocusRow({ ...RECORD, ListCost: listCost }, 'USD')).toEqual({
      reason,
    });
  });
});

describe('parseFocusRow, commitments', () => {
  const plan = 'arn:aws:savingsplans::1:savingsplan/sp-1';

  it.each([
    [{ CommitmentDiscountStatus: 'Used' }, 'Used'],
    [{ CommitmentDiscountStatus: 'unused' }, 'Unused'],
    [{ ChargeSubcategory: 'Used Commitment' }, 'Used'],
    [{ ChargeSubcategory: 'Unused Commitment' }, 'Unused'],
    [{}, 'Used'],
  ])('reads %p as %p', (columns, status) => {
    const parsed = parseFocusRow(
      { ...RECORD, CommitmentDiscountId: plan, ...columns },
      'USD',
    );
    expect(parsed).toMatchObject({
      line: { commitmentDiscountId: plan, commitmentDiscountStatus: status },
    });
  });

  it('gives a purchase or a line without a commitment no status', () => {
    const purchase = parseFocusRow(
      { ...RECORD, ChargeCategory: 'Purchase', CommitmentDiscountId: plan },
      'USD',
    );
    expect(purchase).toMatchObject({ line: { commitmentDiscountId: plan } });
    expect('line' in purchase && purchase.line.commitmentDiscountStatus).toBe(
      undefined,
    );
    const onDemand = parseFocusRow(
      { ...RECORD, ChargeSubcategory: 'On-Demand' },
      'USD',
    );
    expect('line' in onDemand && onDemand.line).not.toHaveProperty(
      'commitmentDiscountStatus',
    );
  });

  it('rejects a status it does not know, naming it', () => {
    expect(
      parseFocusRow(
        { ...RECORD, CommitmentDiscountStatus: 'Partially used' },
        'USD',
      ),
    ).toEqual({
      reason: "CommitmentDiscountStatus 'Partially used' is not Used or Unused",
    });
  });
});

describe('parseFocusRow, FOCUS 1.2 pricing currency', () => {
  const EUR = { ...RECORD, BillingCurrency: 'EUR' };

  it('reads the effective cost in another pricing currency, digits as written', () => {
    const parsed = parseFocusRow(
      {
        ...EUR,
        PricingCurrency: 'usd',
        PricingCurrencyEffectiveCost: '7.776000000001',
      },
      undefined,
    );
    expect(parsed).toMatchObject({
      line: {
        currency: 'EUR',
        pricing: { currency: 'USD', effectiveCost: '7.776000000001' },
      },
    });
  });

  it.each([
    [
      'the same as the billing currency',
      { PricingCurrency: 'EUR', PricingCurrencyEffectiveCost: '7.20' },
    ],
    ['without an amount', { PricingCurrency: 'USD' }],
    ['absent', {}],
  ])('leaves pricing out when it is %s', (_, columns) => {
    const parsed = parseFocusRow({ ...EUR, ...columns }, undefined);
    expect('line' in parsed && parsed.line.pricing).toBeUndefined();
    expect(parsed).toHaveProperty('line');
  });

  it.each([
    [
      { PricingCurrency: 'dollars' },
      "PricingCurrency 'dollars' is not an ISO 4217 code",
    ],
    [
      { PricingCurrency: 'USD', PricingCurrencyEffectiveCost: 'lots' },
      "PricingCurrencyEffectiveCost 'lots' is not a number",
    ],
  ])('rejects a malformed value %p, naming the column', (columns, reason) => {
    expect(parseFocusRow({ ...EUR, ...columns }, undefined)).toEqual({
      reason,
    });
  });
});

describe('parseFocusRow, FOCUS 1.3 split cost allocation', () => {
  const SPLIT: FocusRecord = {
    ...RECORD,
    ResourceId: 'i-node-1',
    Tags: '{"eks:cluster-name":"prod"}',
    AllocatedMethodId: 'aws-eks-split-cost',
    AllocatedResourceId: 'pod/shop/checkout-api-7d9f',
    AllocatedResourceName: 'checkout-api-7d9f',
    AllocatedTags:
      '{"aws:eks:namespace":"shop","backstage.io/kubernetes-id":"checkout-api","canary":true}',
  };

  it('reads the split: method, allocated resource and its tags as strings', () => {
    expect(parseFocusRow(SPLIT, 'USD')).toMatchObject({
      line: {
        resourceId: 'i-node-1',
        tags: { 'eks:cluster-name': 'prod' },
        allocated: {
          methodId: 'aws-eks-split-cost',
          resourceId: 'pod/shop/checkout-api-7d9f',
          resourceName: 'checkout-api-7d9f',
          tags: {
            'aws:eks:namespace': 'shop',
            'backstage.io/kubernetes-id': 'checkout-api',
            canary: 'true',
          },
        },
      },
    });
  });

  it("reads AllocatedMethodDetails' elements, numbers as exact text, x_ keys left out", () => {
    expect(
      parseFocusRow(
        {
          ...SPLIT,
          AllocatedMethodDetails:
            '{"Elements":[{"AllocatedRatio":0.05,"UsageUnit":"CPU","UsageQuantity":0.5,"x_Basis":"request"},' +
            '{"AllocatedRatio":"0.1","UsageUnit":"Memory","UsageQuantity":4}],"x_Version":2}',
        },
        'USD',
      ),
    ).toMatchObject({
      line: {
        allocated: {
          methodId: 'aws-eks-split-cost',
          methodDetails: {
            elements: [
              {
                allocatedRatio: '0.05',
                usageUnit: 'CPU',
                usageQuantity: '0.5',
              },
              {
                allocatedRatio: '0.1',
                usageUnit: 'Memory',
                usageQuantity: '4',
              },
            ],
          },
        },
      },
    });
    // Details of a line without a method are no split's: not read, not checked.
    const plain = parseFocusRow(
      {
        ...SPLIT,
        AllocatedMethodId: undefined,
        AllocatedMethodDetails: 'not json',
      },
      'USD',
    );
    expect('line' in plain && plain.line.allocated).toBeUndefined();
  });

  it.each([
    ['no method', { AllocatedMethodId: undefined }],
    ['a NULL method', { AllocatedMethodId: 'NULL' }],
  ])('is no split with %s, whatever the other columns say', (_, columns) => {
    const parsed = parseFocusRow({ ...SPLIT, ...columns }, 'USD');
    expect(parsed).toHaveProperty('line');
    expect('line' in parsed && parsed.line.allocated).toBeUndefined();
  });

  it('keeps a split without allocated resource or tags', () => {
    expect(
      parseFocusRow(
        {
          ...SPLIT,
          AllocatedResourceId: '',
          AllocatedResourceName: undefined,
          AllocatedTags: undefined,
        },
        'USD',
      ),
    ).toMatchObject({
      line: { allocated: { methodId: 'aws-eks-split-cost', tags: {} } },
    });
  });

  it.each([
    [{ AllocatedTags: '{"a":' }, 'AllocatedTags is not valid JSON'],
    [{ AllocatedTags: '["a"]' }, 'AllocatedTags is not a JSON object'],
    [
      { AllocatedTags: '{"a":{"b":1}}' },
      "AllocatedTags value of 'a' is not a scalar",
    ],
    [
      { AllocatedResourceId: 'x'.repeat(2049) },
      'AllocatedResourceId is longer than 2048 characters',
    ],
    [
      { AllocatedMethodDetails: '{"Elements":[{"AllocatedRatio":0.5}' },
      'AllocatedMethodDetails is not valid JSON',
    ],
    [
      { AllocatedMethodDetails: '[{"AllocatedRatio":0.5}]' },
      'AllocatedMethodDetails is not a JSON object',
    ],
    [
      { AllocatedMethodDetails: '{"elements":[]}' },
      'AllocatedMethodDetails has no Elements array',
    ],
    [
      { AllocatedMethodDetails: '{"Elements":[{"AllocatedRatio":"half"}]}' },
      'AllocatedMethodDetails Elements[0].AllocatedRatio is not a number',
    ],
    [
      {
        AllocatedMethodDetails:
          '{"Elements":[{"UsageUnit":"CPU"},{"UsageQuantity":2}]}',
      },
      'AllocatedMethodDetails Elements[1] has a UsageQuantity without a UsageUnit',
    ],
  ])('rejects %p, naming the column', (columns, reason) => {
    expect(parseFocusRow({ ...SPLIT, ...columns }, 'USD')).toEqual({ reason });
  });
});
