import type { Entity } from '@backstage/catalog-model';
import type {
  CostOverview,
  CostscopeApi,
  CostSeries,
  DateRange,
  EntityCostSummary,
  IngestRun,
  ResourceCostList,
} from '@costscope/backstage-plugin-common';

/** "Now" in the tests: ranges end yesterday, 2024-05-14. */
export const NOW = new Date('2024-05-15T10:30:00Z');

/** Fakes Date only, so that promises, timers and user-event behave as usual. */
export function freezeDate(now: Date = NOW) {
  jest.useFakeTimers({
    now,
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'requestIdleCallback',
      'cancelIdleCallback',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
}

export const componentEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout-api',
    namespace: 'default',
    annotations: { 'costscope.io/cost-tags': 'service=checkout-api' },
  },
  spec: {
    type: 'service',
    owner: 'group:default/payments',
    lifecycle: 'production',
  },
};

export const systemEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: { name: 'payments', namespace: 'default' },
  spec: { owner: 'group:default/payments' },
};

export const groupEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'payments', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

export function summaryFor(
  entityRef: string,
  range: DateRange,
  overrides: Partial<EntityCostSummary> = {},
): EntityCostSummary {
  return {
    entityRef,
    from: range.from,
    to: range.to,
    currency: 'USD',
    total: '1234.567890123',
    previous: { from: '2024-03-16', to: '2024-04-14', total: '1000.000000000' },
    change: '234.567890123',
    changeRatio: 0.234567890123,
    byService: [
      {
        key: 'AmazonEC2',
        label: 'Amazon EC2',
        cost: '900.000000000',
        share: 0.729,
      },
      {
        key: 'AmazonRDS',
        label: 'Amazon RDS',
        cost: '334.567890123',
        share: 0.271,
      },
    ],
    byAccount: [{ key: '111122223333', cost: '1234.567890123', share: 1 }],
    byRegion: [{ key: 'eu-west-1', cost: '1234.567890123', share: 1 }],
    byProvider: [{ key: 'aws', cost: '1234.567890123', share: 1 }],
    byEntity: [],
    mappingRules: [
      {
        entityRef: 'component:default/checkout-api',
        origin: 'annotation',
        rule: 'service=checkout-api',
        cost: '1200.000000000',
      },
      {
        entityRef: 'component:default/checkout-api',
        origin: 'convention',
        rule: 'service=checkout-api (tag service = name)',
        cost: '34.567890123',
      },
    ],
    overlaps: [
      {
        winner: 'component:default/checkout-api',
        others: ['component:default/legacy-checkout'],
        tags: 'service=checkout-api,app=legacy',
        cost: '12.500000000',
      },
    ],
    ...overrides,
  };
}

export const unmappedSummary = (entityRef: string, range: DateRange) =>
  summaryFor(entityRef, range, {
    total: '0.000000000',
    previous: { from: '2024-03-16', to: '2024-04-14', total: '0.000000000' },
    change: '0.000000000',
    changeRatio: null,
    byService: [],
    byAccount: [],
    byRegion: [],
    byProvider: [],
    byEntity: [],
    mappingRules: [],
    overlaps: [],
  });

export function seriesFor(entityRef: string, range: DateRange): CostSeries {
  const keys = Array.from({ length: 10 }, (_, i) => `Service${i + 1}`);
  return {
    entityRef,
    from: range.from,
    to: range.to,
    currency: 'USD',
    groupBy: 'service',
    keys,
    points: [range.from, range.to].map(date => ({
      date,
      total: '55.000000000',
      values: Object.fromEntries(
        keys.map((k, i) => [k, `${10 - i}.000000000`]),
      ),
    })),
  };
}

export function resourcesFor(
  entityRef: string,
  range: DateRange,
): ResourceCostList {
  return {
    entityRef,
    from: range.from,
    to: range.to,
    currency: 'USD',
    total: '1234.567890123',
    resources: [
      {
        resourceId: 'i-0abc',
        resourceName: 'checkout, "primary"\nnode',
        resourceType: 'instance',
        provider: 'aws',
        account: '111122223333',
        region: 'eu-west-1',
        service: 'AmazonEC2',
        entityRef: 'component:default/checkout-api',
        cost: '900.000000000',
        share: 0.729,
      },
      {
        resourceId: 'db-checkout',
        resourceType: 'db',
        provider: 'aws',
        account: '111122223333',
        region: 'eu-west-1',
        service: 'AmazonRDS',
        entityRef: 'component:default/checkout-api',
        cost: '334.567890123',
        share: 0.271,
      },
    ],
  };
}

export function overviewFor(range: DateRange): CostOverview {
  return {
    from: range.from,
    to: range.to,
    currency: 'USD',
    total: '5000.000000001',
    allocated: '4000.000000000',
    unallocated: '1000.000000001',
    allocatedShare: 0.8,
    unallocatedByService: [
      {
        key: 'AmazonS3',
        label: 'Amazon S3',
        cost: '700.000000001',
        share: 0.7,
      },
      {
        key: 'AWSLambda',
        label: 'AWS Lambda',
        cost: '300.000000000',
        share: 0.3,
      },
    ],
    topUnallocatedResources: [
      {
        resourceId: 'arn:aws:s3:::orphan-logs',
        resourceName: 'orphan-logs',
        provider: 'aws',
        account: '444455556666',
        service: 'AmazonS3',
        cost: '650.000000000',
        share: 0.65,
      },
    ],
    byGroup: [
      {
        key: 'group:default/payments',
        label: 'Payments',
        cost: '2500.000000000',
        share: 0.625,
      },
      { key: 'group:default/search', cost: '1500.000000000', share: 0.375 },
    ],
    dataThrough: '2024-05-14',
  };
}

export const ingestRuns: IngestRun[] = [
  {
    id: 'run-2',
    sourceId: 'demo',
    kind: 'cost',
    trigger: 'schedule',
    status: 'succeeded',
    startedAt: '2024-05-15T02:00:00Z',
    finishedAt: '2024-05-15T02:00:12Z',
    durationMs: 12345,
    filesRead: 2,
    rowsRead: 120000,
    rowsRejected: 3,
    factsWritten: 4000,
    billingPeriods: ['2024-04', '2024-05'],
    apiCalls: {},
    apiCostUsd: '0',
    rejections: [
      {
        file: 'focus-2024-05.csv',
        line: 17,
        reason: 'BilledCost is not a number',
      },
      {
        file: 'focus-2024-05.csv',
        line: 42,
        reason: 'missing ChargePeriodStart',
      },
    ],
  },
  {
    id: 'run-1',
    sourceId: 'aws-cur',
    kind: 'cost',
    trigger: 'manual',
    status: 'failed',
    startedAt: '2024-05-14T02:00:00Z',
    durationMs: 800,
    filesRead: 0,
    rowsRead: 0,
    rowsRejected: 0,
    factsWritten: 0,
    billingPeriods: [],
    apiCalls: {},
    apiCostUsd: '0',
    rejections: [],
    error: 'AccessDenied: s3:GetObject',
  },
  {
    id: 'run-3',
    sourceId: 'aws-111122223333',
    kind: 'cost',
    trigger: 'schedule',
    status: 'succeeded',
    startedAt: '2024-05-13T02:00:00Z',
    finishedAt: '2024-05-13T02:00:03Z',
    durationMs: 3000,
    filesRead: 3,
    rowsRead: 250,
    rowsRejected: 0,
    factsWritten: 250,
    billingPeriods: ['2024-05-01'],
    daysReplaced: { from: '2024-05-09', to: '2024-05-13' },
    apiCalls: { 'ce:GetCostAndUsage': 3 },
    apiCostUsd: '0.03',
    rejections: [],
  },
];

/** A fake API answering from the fixtures. */
export function createFakeApi(
  overrides: Partial<Record<keyof CostscopeApi, jest.Mock>> = {},
): jest.Mocked<CostscopeApi> {
  return {
    getEntitySummary: jest.fn(async (ref: string, range: DateRange) =>
      summaryFor(ref, range),
    ),
    getEntitySeries: jest.fn(async (ref: string, range: DateRange) =>
      seriesFor(ref, range),
    ),
    getEntityResources: jest.fn(async (ref: string, range: DateRange) =>
      resourcesFor(ref, range),
    ),
    getOverview: jest.fn(async (range: DateRange) => overviewFor(range)),
    getIngestRuns: jest.fn(async () => ({ items: ingestRuns })),
    triggerIngest: jest.fn(async () => ({ runs: [] })),
    getEntityBudget: jest.fn(async () => ({ status: null, canEdit: false })),
    putEntityBudget: jest.fn(),
    deleteEntityBudget: jest.fn(),
    getEntityBudgetHistory: jest.fn(async () => ({ items: [] })),
    listBudgets: jest.fn(async () => ({ items: [] })),
    getAlerts: jest.fn(async () => ({ items: [] })),
    ...overrides,
  } as jest.Mocked<CostscopeApi>;
}
