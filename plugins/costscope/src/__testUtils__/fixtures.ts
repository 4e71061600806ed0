import type { Entity } from '@backstage/catalog-model';
import type {
  Budget,
  BudgetChange,
  BudgetListItem,
  BudgetState,
  BudgetStatus,
  CostAlert,
  CostOverview,
  CostscopeApi,
  CostSeries,
  CostQuery,
  DateRange,
  EntityCostSummary,
  IngestRun,
  ResourceCostList,
  UnitCostQuery,
} from '@costscope/backstage-plugin-common';
import { digestFor } from './digestFixtures';
import { unitCostFor } from './unitCostFixtures';
import { kubernetesFor } from './kubernetesFixtures';
import { commitmentsFor } from './commitmentFixtures';

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
  range: CostQuery,
  overrides: Partial<EntityCostSummary> = {},
): EntityCostSummary {
  return {
    entityRef,
    from: range.from,
    to: range.to,
    currency: 'USD',
    costBasis: range.costBasis ?? 'effective',
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
    byChargeCategory: [
      { key: 'Usage', cost: '1300.000000000', share: 1.053 },
      { key: 'Tax', cost: '34.567890123', share: 0.028 },
      { key: 'Credit', cost: '-100.000000000', share: -0.081 },
    ],
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

export const unmappedSummary = (entityRef: string, range: CostQuery) =>
  summaryFor(entityRef, range, {
    total: '0.000000000',
    previous: { from: '2024-03-16', to: '2024-04-14', total: '0.000000000' },
    change: '0.000000000',
    changeRatio: null,
    byService: [],
    byAccount: [],
    byRegion: [],
    byProvider: [],
    byChargeCategory: [],
    byEntity: [],
    mappingRules: [],
    overlaps: [],
  });

export function seriesFor(entityRef: string, range: CostQuery): CostSeries {
  const keys = Array.from({ length: 10 }, (_, i) => `Service${i + 1}`);
  return {
    entityRef,
    from: range.from,
    to: range.to,
    currency: 'USD',
    costBasis: range.costBasis ?? 'effective',
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
  range: CostQuery,
): ResourceCostList {
  return {
    entityRef,
    from: range.from,
    to: range.to,
    currency: 'USD',
    costBasis: range.costBasis ?? 'effective',
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

export function overviewFor(range: CostQuery): CostOverview {
  return {
    from: range.from,
    to: range.to,
    currency: 'USD',
    costBasis: range.costBasis ?? 'effective',
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
    byChargeCategory: [
      { key: 'Usage', cost: '4800.000000001', share: 0.96 },
      { key: 'Tax', cost: '400.000000000', share: 0.08 },
      { key: 'Credit', cost: '-200.000000000', share: -0.04 },
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
    filesSkipped: 0,
    inputs: [],
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
    filesSkipped: 0,
    inputs: [],
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
    filesSkipped: 0,
    inputs: [],
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

/** A UI budget of 1200 USD a month on checkout-api. */
export const uiBudget: Budget = {
  entityRef: 'component:default/checkout-api',
  amount: '1200.000000000',
  currency: 'USD',
  period: 'monthly',
  thresholds: [
    { kind: 'actual', percent: 50 },
    { kind: 'actual', percent: 80 },
    { kind: 'actual', percent: 100 },
    { kind: 'forecast', percent: 100 },
  ],
  recipients: [],
  source: 'ui',
  updatedAt: '2024-05-02T09:00:00Z',
  updatedBy: 'user:default/jane',
};

/** Spend, forecast and crossed thresholds of each state, for May 2024 (data through the 14th). */
const STATE_FIGURES: Record<
  BudgetState,
  Pick<
    BudgetStatus,
    'spent' | 'percentUsed' | 'dailyRate' | 'forecast' | 'crossed'
  >
> = {
  ok: {
    spent: '300.000000000',
    percentUsed: 25,
    dailyRate: '21.430000000',
    forecast: {
      amount: '664.300000000',
      low: '610.000000000',
      high: '720.000000000',
      method: 'weekday-median',
    },
    crossed: [],
  },
  warning: {
    spent: '700.000000000',
    percentUsed: 58.3,
    dailyRate: '50.000000000',
    forecast: {
      amount: '1100.000000000',
      low: '1050.000000000',
      high: '1180.000000000',
      method: 'weekday-median',
    },
    crossed: [{ kind: 'actual', percent: 50 }],
  },
  'forecast-over': {
    spent: '900.000000000',
    percentUsed: 75,
    dailyRate: '64.290000000',
    forecast: {
      amount: '1450.000000000',
      low: '1380.000000000',
      high: '1530.000000000',
      method: 'weekday-median',
    },
    crossed: [
      { kind: 'actual', percent: 50 },
      { kind: 'forecast', percent: 100 },
    ],
  },
  over: {
    spent: '1250.500000000',
    percentUsed: 104.2,
    dailyRate: '89.320000000',
    forecast: {
      amount: '2100.000000000',
      low: '1990.000000000',
      high: '2230.000000000',
      method: 'weekday-median',
    },
    crossed: [
      { kind: 'actual', percent: 50 },
      { kind: 'actual', percent: 80 },
      { kind: 'actual', percent: 100 },
      { kind: 'forecast', percent: 100 },
    ],
  },
};

/** A budget status in the given state, for May 2024 with data through 2024-05-14. */
export function budgetStatusFor(
  state: BudgetState,
  overrides: Partial<BudgetStatus> = {},
): BudgetStatus {
  return {
    budget: uiBudget,
    costBasis: 'effective',
    period: { from: '2024-05-01', to: '2024-06-01' },
    dataThrough: '2024-05-14',
    daysLeft: 17,
    state,
    ...STATE_FIGURES[state],
    ...overrides,
  };
}

/** The changes of checkout-api's UI budget, newest first. */
export const budgetChanges: BudgetChange[] = [
  {
    id: 'change-2',
    entityRef: 'component:default/checkout-api',
    at: '2024-05-02T09:00:00Z',
    by: 'user:default/jane',
    action: 'updated',
    before: { amount: '1000.000000000', period: 'monthly', currency: 'USD' },
    after: { amount: '1200.000000000', period: 'monthly', currency: 'USD' },
  },
  {
    id: 'change-1',
    entityRef: 'component:default/checkout-api',
    at: '2024-04-01T08:00:00Z',
    by: 'user:default/sam',
    action: 'created',
    after: { amount: '1000.000000000', period: 'monthly', currency: 'USD' },
  },
];

/** Budgets across the organisation, one in each state. */
export const budgetList: BudgetListItem[] = [
  {
    entityRef: 'component:default/checkout-api',
    title: 'Checkout API',
    status: budgetStatusFor('ok'),
  },
  {
    entityRef: 'group:default/payments',
    status: budgetStatusFor('over', {
      budget: {
        ...uiBudget,
        entityRef: 'group:default/payments',
        amount: '1200.000000000',
        source: 'annotation',
      },
    }),
  },
  {
    entityRef: 'system:default/search',
    status: budgetStatusFor('warning', {
      budget: {
        ...uiBudget,
        entityRef: 'system:default/search',
        source: 'config',
        period: 'quarterly',
        amount: '5000.000000000',
      },
      period: { from: '2024-04-01', to: '2024-07-01' },
      spent: '2915.000000000',
      percentUsed: 58.3,
      daysLeft: 47,
    }),
  },
  {
    entityRef: 'component:default/search-api',
    status: budgetStatusFor('forecast-over'),
  },
];

/** A budget alert with its drivers, and an anomaly. */
export const costAlerts: CostAlert[] = [
  {
    id: 'alert-2',
    entityRef: 'component:default/checkout-api',
    kind: 'budget',
    period: '2024-05',
    threshold: { kind: 'actual', percent: 80 },
    amount: '980.000000000',
    reference: '1200.000000000',
    currency: 'USD',
    title: 'checkout-api reached 80% of its monthly budget',
    description: 'Spent 980.00 of 1200.00 USD by 2024-05-14.',
    drivers: [
      {
        serviceName: 'Amazon EC2',
        amount: '600.000000000',
        change: '150.000000000',
      },
      {
        serviceName: 'Amazon RDS',
        resourceId: 'db-checkout',
        amount: '200.000000000',
        change: '-20.000000000',
      },
    ],
    link: '/catalog/default/component/checkout-api/cost',
    createdAt: '2024-05-14T06:00:00Z',
    deliveredTo: ['notifications', 'webhook'],
  },
  {
    id: 'alert-1',
    entityRef: 'group:default/payments',
    kind: 'anomaly',
    period: '2024-05-10',
    amount: '400.000000000',
    reference: '120.000000000',
    currency: 'USD',
    title: 'Unusual spend for payments on 2024-05-10',
    description: 'The day cost 400.00 USD against an expected 120.00 USD.',
    drivers: [],
    link: '/catalog/default/group/payments/cost',
    createdAt: '2024-05-11T06:00:00Z',
    deliveredTo: [],
  },
];

/** Compliance with no policy configured: nothing required, nothing to report. */
function emptyCompliance(entityRef: string, range: DateRange) {
  return {
    entityRef,
    ...range,
    currency: 'USD',
    policy: { rules: [], keyCaseInsensitive: true },
    resources: { total: 0, compliant: 0 },
    cost: { total: '0.000000000', compliant: '0.000000000' },
    compliantShareByCount: null,
    compliantShareByCost: null,
    outOfScope: { resources: 0, cost: '0.000000000' },
    rejectedTags: 0,
    byKey: [],
    nonCompliant: [],
  };
}

/** A fake API answering from the fixtures. */
export function createFakeApi(
  overrides: Partial<Record<keyof CostscopeApi, jest.Mock>> = {},
): jest.Mocked<CostscopeApi> {
  return {
    getEntitySummary: jest.fn(async (ref: string, range: CostQuery) =>
      summaryFor(ref, range),
    ),
    getEntitySeries: jest.fn(async (ref: string, range: CostQuery) =>
      seriesFor(ref, range),
    ),
    getEntityResources: jest.fn(async (ref: string, range: CostQuery) =>
      resourcesFor(ref, range),
    ),
    getOverview: jest.fn(async (range: CostQuery) => overviewFor(range)),
    getCommitments: jest.fn(async (range: DateRange) => commitmentsFor(range)),
    getIngestRuns: jest.fn(async () => ({ items: ingestRuns })),
    triggerIngest: jest.fn(async () => ({ runs: [] })),
    getEntityBudget: jest.fn(async () => ({ status: null, canEdit: false })),
    putEntityBudget: jest.fn(),
    deleteEntityBudget: jest.fn(),
    getEntityBudgetHistory: jest.fn(async () => ({ items: [] })),
    listBudgets: jest.fn(async () => ({ items: [] })),
    getAlerts: jest.fn(async () => ({ items: [] })),
    // Compliance and savings answer "nothing to report"; their own fixtures say more.
    getEntityCompliance: jest.fn(async (ref: string, range: DateRange) =>
      emptyCompliance(ref, range),
    ),
    getOrganisationCompliance: jest.fn(async (range: DateRange) => ({
      ...emptyCompliance('*', range),
      byAccount: [],
      byService: [],
      trend: [],
      unallocated: { cost: '0.000000000', top: [] },
    })),
    getChargeback: jest.fn(async (query: CostQuery & { by: any }) => ({
      ...query,
      currency: 'USD',
      costBasis: query.costBasis ?? ('effective' as const),
      total: '0.000000000',
      sharedCost: 'own-line' as const,
      lines: [],
    })),
    getChargebackCsv: jest.fn(async () => ''),
    getEntityRecommendations: jest.fn(async (ref: string) => ({
      entityRef: ref,
      currency: 'USD',
      totalMonthlySaving: '0.000000000',
      items: [],
      dismissed: [],
    })),
    getRecommendations: jest.fn(async () => ({
      entityRef: 'organization',
      currency: 'USD',
      totalMonthlySaving: '0.000000000',
      items: [],
      dismissed: [],
    })),
    setRecommendationState: jest.fn(),
    getEntityDigest: jest.fn(async (ref: string, query: { period: any }) =>
      digestFor(ref, query.period),
    ),
    // No metric reported: the unit cost card shows how to add one.
    getEntityUnitCost: jest.fn(async (ref: string, query: UnitCostQuery) =>
      unitCostFor(ref, query, { hasValues: false }),
    ),
    postUnitMetrics: jest.fn(),
    getEntityKubernetes: jest.fn(async (ref: string, range: DateRange) =>
      kubernetesFor(ref, range),
    ),
    ...overrides,
  } as jest.Mocked<CostscopeApi>;
}
