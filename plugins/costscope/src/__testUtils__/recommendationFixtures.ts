import { ResponseError } from '@backstage/errors';
import {
  addMoney,
  moneyToNanos,
  type Recommendation,
  type RecommendationList,
  type RecommendationSkip,
  type RecommendationStateInput,
} from '@costscope/backstage-plugin-common';
import { createFakeApi } from './fixtures';

/** The entity of the card tests. */
export const RECOMMENDATIONS_ENTITY_REF = 'component:default/checkout-api';

function recommendation(
  overrides: Partial<Recommendation> &
    Pick<Recommendation, 'id' | 'kind' | 'resourceId' | 'monthlySaving'>,
): Recommendation {
  return {
    provider: 'AWS',
    resourceKind: 'instance',
    accountId: '111122223333',
    region: 'us-east-1',
    entityRef: RECOMMENDATIONS_ENTITY_REF,
    action: 'Do something',
    reason: 'Because.',
    evidence: {},
    currency: 'USD',
    confidence: 'medium',
    priceSource: 'billing',
    state: 'open',
    ...overrides,
  };
}

/** An over-provisioned instance that reports memory: the largest saving. */
export const resizeRecommendation = recommendation({
  id: 'overprovisioned-instance:i-0a1b2c3d4e5f60001',
  kind: 'overprovisioned-instance',
  resourceId: 'i-0a1b2c3d4e5f60001',
  resourceName: 'checkout-api-1',
  action: 'Resize from m6i.2xlarge to m6i.xlarge',
  reason:
    'CPU averaged 12.4%, p95 31.2% and maximum 44.8% of 8 vCPUs over 14 days.',
  evidence: {
    cpu: { average: 12.4, p95: 31.2, maximum: 44.8 },
    memory: { average: 20.5, p95: 28, maximum: 35.1 },
    hours: 336,
    lookbackDays: 14,
  },
  currentType: 'm6i.2xlarge',
  suggestedType: 'm6i.xlarge',
  currentMonthlyCost: '280.320000000',
  monthlySaving: '140.160000000',
  confidence: 'high',
  priceSource: 'billing',
});

/** An idle instance without memory metrics, priced at the on-demand list price. */
export const idleRecommendation = recommendation({
  id: 'idle-instance:i-0a1b2c3d4e5f60002',
  kind: 'idle-instance',
  resourceId: 'i-0a1b2c3d4e5f60002',
  resourceName: 'checkout-worker-old',
  action: 'Stop the instance, or terminate it if nobody needs it',
  reason: 'CPU averaged 1.2% and never went above 4.9% in 120 hours.',
  evidence: {
    cpu: { average: 1.2, p95: 3.4, maximum: 4.9 },
    hours: 120,
    lookbackDays: 14,
  },
  currentType: 't3.large',
  currentMonthlyCost: '60.736000000',
  monthlySaving: '60.736000000',
  confidence: 'medium',
  priceSource: 'price-table',
});

const PAYER = '999988887777';

/**
 * The payer's Savings Plan purchase as the organisation sees it (unallocated, the whole saving):
 * a floor of 2.1952 an hour less 0.2752 of rightsizing (the resize, 140.16 / 730 = 0.192, and
 * the idle instance, 60.736 / 730 = 0.0832) covers 1.92 an hour: commit 1.92 x 0.72 = 1.3824,
 * save 1.92 x 0.28 x 730 = 392.448 a month.
 */
export const orgPurchaseRecommendation: Recommendation = (() => {
  const { entityRef: _unallocated, ...purchase } = recommendation({
    id: `savings-plan-purchase:aws:${PAYER}`,
    kind: 'savings-plan-purchase',
    resourceId: PAYER,
    resourceName: `Compute Savings Plan, payer ${PAYER}`,
    resourceKind: 'payer',
    accountId: PAYER,
    region: 'global',
    action: `Buy a 12-month Compute Savings Plan (no upfront) on payer ${PAYER}: commit 1.3824 USD an hour`,
    reason:
      'Eligible on-demand usage (EC2 instances, Fargate, Lambda) never fell under 2.1952 USD an hour in the 30 complete days 2024-04-15 to 2024-05-14.',
    evidence: { lookbackDays: 30 },
    currentMonthlyCost: '1401.600000000',
    monthlySaving: '392.448000000',
    confidence: 'medium',
    priceSource: 'billing',
    savingsPlan: {
      scope: 'payer',
      payerAccountId: PAYER,
      lookbackDays: 30,
      window: { from: '2024-04-15', to: '2024-05-14' },
      eligibleOnDemandCost: '10000.000000000',
      hourlyOnDemandFloor: '2.195200000',
      hourlyRightsizingSaving: '0.275200000',
      sizedAfter: [
        'idle-instance:i-0a1b2c3d4e5f60002',
        'overprovisioned-instance:i-0a1b2c3d4e5f60001',
      ],
      hourlyOnDemandCovered: '1.920000000',
      monthlyOnDemandCovered: '1401.600000000',
      hourlyCommitment: '1.382400000',
      discountPercent: 28,
      termMonths: 12,
      upfrontPercent: 0,
      upfrontPayment: '0.000000000',
      expectedUtilizationPercent: 100,
      expectedCoveragePercent: 13.82,
      breakEvenMonth: 1,
    },
  });
  return purchase;
})();

/** The purchase on the entity's page: its share, 1000 of 10000 (10 %), saves 39.2448. */
export const purchaseRecommendation: Recommendation = {
  ...orgPurchaseRecommendation,
  share: {
    entityRef: RECOMMENDATIONS_ENTITY_REF,
    eligibleOnDemandCost: '1000.000000000',
    totalEligibleOnDemandCost: '10000.000000000',
    percent: 10,
    monthlySaving: '39.244800000',
  },
};

/** An unattached volume without a name. */
export const volumeRecommendation = recommendation({
  id: 'unattached-volume:vol-0abc0000000000001',
  kind: 'unattached-volume',
  resourceId: 'vol-0abc0000000000001',
  resourceKind: 'volume',
  action: 'Snapshot the volume if its data matters, then delete it',
  reason: 'The 100 GiB gp3 volume is attached to nothing.',
  evidence: { sizeGiB: 100, resourceState: 'available' },
  currentType: 'gp3',
  monthlySaving: '8.000000000',
  confidence: 'high',
  priceSource: 'price-table',
});

export const addressRecommendation = recommendation({
  id: 'unassociated-address:eipalloc-0123456789',
  kind: 'unassociated-address',
  resourceId: 'eipalloc-0123456789',
  resourceKind: 'address',
  action: 'Release the Elastic IP address',
  reason: 'The address is associated with nothing.',
  monthlySaving: '3.650000000',
  confidence: 'high',
  priceSource: 'price-table',
});

/** The sixth recommendation: beyond a card's default five. */
export const snapshotRecommendation = recommendation({
  id: 'old-snapshot:snap-0123456789',
  kind: 'old-snapshot',
  resourceId: 'snap-0123456789',
  resourceName: 'checkout-db-backup',
  resourceKind: 'snapshot',
  action: 'Delete the snapshot if nobody needs it',
  reason: 'Created 200 days ago (older than 90 days).',
  evidence: { sizeGiB: 50, ageDays: 200 },
  monthlySaving: '2.500000000',
  confidence: 'medium',
  priceSource: 'price-table',
});

/** Open recommendations, largest saving first. */
export const openRecommendations: Recommendation[] = [
  resizeRecommendation,
  idleRecommendation,
  purchaseRecommendation,
  volumeRecommendation,
  addressRecommendation,
  snapshotRecommendation,
];

export const snoozedRecommendation = recommendation({
  id: 'overprovisioned-instance:i-0a1b2c3d4e5f60009',
  kind: 'overprovisioned-instance',
  resourceId: 'i-0a1b2c3d4e5f60009',
  resourceName: 'checkout-batch',
  action: 'Resize from c6i.2xlarge to c6i.xlarge',
  reason: 'CPU p95 20%.',
  monthlySaving: '22.000000000',
  state: 'snoozed',
  dismissal: {
    state: 'snoozed',
    reason: 'Black Friday load test next week',
    by: 'user:default/jane',
    at: '2024-05-10T09:00:00Z',
    until: '2024-06-01',
  },
});

export const dismissedRecommendation = recommendation({
  id: 'unattached-volume:vol-0dead000000000001',
  kind: 'unattached-volume',
  resourceId: 'vol-0dead000000000001',
  resourceKind: 'volume',
  action: 'Snapshot the volume if its data matters, then delete it',
  reason: 'Attached to nothing.',
  monthlySaving: '4.000000000',
  state: 'dismissed',
  dismissal: {
    state: 'dismissed',
    reason: 'Kept for a restore drill',
    by: 'user:default/sam',
    at: '2024-05-02T12:00:00Z',
  },
});

export const skippedResources: RecommendationSkip[] = [
  {
    provider: 'AWS',
    resourceId: 'i-0gpu000000000001',
    resourceName: 'fraud-gpu-1',
    resourceKind: 'instance',
    accountId: '111122223333',
    region: 'us-east-1',
    code: 'accelerated',
    message: 'Accelerated instances are not judged.',
  },
  {
    provider: 'AWS',
    resourceId: 'i-0new000000000001',
    resourceKind: 'instance',
    accountId: '111122223333',
    region: 'us-east-1',
    kind: 'overprovisioned-instance',
    code: 'insufficient-data',
    message: 'Only 12 hours of CPU data, 30 needed.',
  },
];

/** Sum of the open recommendations' savings: 254.2908. */
export const OPEN_TOTAL = '254.290800000';

/** What a recommendation saves in a list: an entity's share of a purchase, else the whole. */
const savingOf = (r: Recommendation) =>
  r.share?.monthlySaving ?? r.monthlySaving;

/**
 * Builds a list the way the backend does: open ones by saving (an entity's share of a purchase
 * by its share), their exact total.
 */
export function recommendationListFor(
  entityRef: string,
  recommendations: Recommendation[],
  extra: Partial<RecommendationList> = {},
): RecommendationList {
  const bySaving = (a: Recommendation, b: Recommendation) => {
    const x = moneyToNanos(savingOf(a));
    const y = moneyToNanos(savingOf(b));
    if (x !== y) return x > y ? -1 : 1;
    return a.id.localeCompare(b.id);
  };
  const items = recommendations.filter(r => r.state === 'open').sort(bySaving);
  return {
    entityRef,
    currency: 'USD',
    totalMonthlySaving: addMoney('0', ...items.map(savingOf)),
    items,
    dismissed: recommendations.filter(r => r.state !== 'open').sort(bySaving),
    computedAt: '2024-05-15T06:00:00Z',
    ...extra,
  };
}

/** Requests of a Kubernetes workload far above its use (kubernetes-requests). */
export const kubernetesRequestsRecommendation = recommendation({
  id: 'kubernetes-requests:prod/shop/checkout-api',
  kind: 'kubernetes-requests',
  provider: 'Kubernetes',
  resourceId: 'prod/shop/checkout-api',
  resourceName: 'shop/checkout-api',
  resourceKind: 'workload',
  accountId: 'prod',
  region: 'global',
  action:
    'Lower the cpu and memory requests of shop/checkout-api on cluster prod',
  reason:
    'Over 14 days it used 20% of the cpu and 40% of the memory it requested.',
  evidence: {
    lookbackDays: 14,
    kubernetes: {
      cluster: 'prod',
      namespace: 'shop',
      days: 14,
      cpuUsagePercent: 20,
      ramUsagePercent: 40,
      cpuSharePercent: 66.67,
      ramSharePercent: 33.33,
    },
  },
  currentMonthlyCost: '912.500000000',
  monthlySaving: '669.166666667',
  confidence: 'high',
  priceSource: 'billing',
});

/** The card's list: six open recommendations, two set aside, two resources not judged. */
export const entityRecommendations: RecommendationList = recommendationListFor(
  RECOMMENDATIONS_ENTITY_REF,
  [...openRecommendations, snoozedRecommendation, dismissedRecommendation],
  { skipped: skippedResources },
);

/** The organisation's list: recommendations of several entities, one unallocated. */
export const orgRecommendations: RecommendationList = recommendationListFor(
  'organization',
  [
    resizeRecommendation,
    { ...idleRecommendation, entityRef: 'component:default/search-api' },
    orgPurchaseRecommendation,
    { ...volumeRecommendation, entityRef: 'system:default/payments' },
  ],
);

/**
 * A fake API whose recommendations live in memory: setting a state moves one between the open and
 * the set-aside lists, as the backend does, so that a reload shows the new total.
 */
export function recommendationApi(
  initial: RecommendationList = entityRecommendations,
  overrides: Parameters<typeof createFakeApi>[0] = {},
) {
  let recommendations = [...initial.items, ...initial.dismissed];
  const list = (entityRef: string) =>
    recommendationListFor(entityRef, recommendations, {
      skipped: initial.skipped,
      computedAt: initial.computedAt,
      ...(initial.prices ? { prices: initial.prices } : {}),
    });
  return createFakeApi({
    getEntityRecommendations: jest.fn(async (entityRef: string) =>
      list(entityRef),
    ),
    getRecommendations: jest.fn(async () => list('organization')),
    setRecommendationState: jest.fn(
      async (id: string, input: RecommendationStateInput) => {
        const found = recommendations.find(r => r.id === id);
        if (!found) throw new Error(`No recommendation ${id}`);
        const updated: Recommendation =
          input.state === 'open'
            ? { ...found, state: 'open', dismissal: undefined }
            : {
                ...found,
                state: input.state,
                dismissal: {
                  state: input.state,
                  reason: input.reason ?? '',
                  by: 'user:default/guest',
                  at: '2024-05-15T10:30:00Z',
                  ...(input.until ? { until: input.until } : {}),
                },
              };
        recommendations = recommendations.map(r => (r.id === id ? updated : r));
        return updated;
      },
    ),
    ...overrides,
  });
}

/** A ResponseError as the client throws it, with the server's message in its body. */
export async function responseError(
  status: number,
  statusText: string,
  name: string,
  message: string,
): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        request: { method: 'PUT', url: '/recommendations' },
        response: { statusCode: status },
      }),
      {
        status,
        statusText,
        headers: { 'content-type': 'application/json' },
      },
    ),
  );
}
