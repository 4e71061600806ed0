import { ResponseError } from '@backstage/errors';
import type {
  ChargebackOwnerBy,
  ChargebackReport,
  ComplianceTotals,
  CostscopeApi,
  CostQuery,
  DateRange,
  EntityCompliance,
  NonCompliantResource,
  OrganisationCompliance,
  TagPolicyDescription,
} from '@costscope/backstage-plugin-common';
import { createFakeApi } from './fixtures';

/** The policy of the fixtures: three required tags. */
export const tagPolicy: TagPolicyDescription = {
  keyCaseInsensitive: false,
  scope: 'providers AWS',
  rules: [
    { key: 'team', aliases: [] },
    {
      key: 'environment',
      aliases: ['env', 'stage'],
      allowed: 'one of: prod, staging, dev',
    },
    {
      key: 'cost-center',
      aliases: [],
      allowed: 'matching CC-[0-9]{4}',
      scope: 'resource types instance',
    },
  ],
};

/** No `costscope.tagPolicy` in app-config: the backend answers an empty rule list. */
export const noTagPolicy: TagPolicyDescription = {
  keyCaseInsensitive: true,
  rules: [],
};

function totals(
  compliant: number,
  total: number,
  compliantCost: string,
  totalCost: string,
  shareByCount: number | null,
  shareByCost: number | null,
): ComplianceTotals {
  return {
    resources: { total, compliant },
    cost: { total: totalCost, compliant: compliantCost },
    compliantShareByCount: shareByCount,
    compliantShareByCost: shareByCost,
  };
}

/** Non-compliant resources of checkout-api, highest cost first. */
export const nonCompliantResources: NonCompliantResource[] = [
  {
    resourceId: 'i-0abc',
    resourceName: 'checkout-node',
    resourceType: 'instance',
    provider: 'AWS',
    accountId: '111122223333',
    service: 'AmazonEC2',
    cost: '450.000000000',
    violations: [
      { key: 'team', problem: 'missing' },
      {
        key: 'environment',
        problem: 'case-mismatch',
        foundKey: 'env',
        value: 'Prod',
        allowed: 'one of: prod, staging, dev',
      },
      {
        key: 'cost-center',
        problem: 'not-allowed',
        value: '4711',
        allowed: 'matching CC-[0-9]{4}',
      },
    ],
    tagsUsed: 'inventory',
    tagSources: {
      billing: { team: 'payments', env: 'Prod', 'cost-center': '4711' },
      inventory: { env: 'Prod', 'cost-center': '4711' },
    },
    disagreement: 'tag team removed in inventory, still in billing data',
  },
  {
    resourceId: 'vol-0def',
    resourceType: 'volume',
    provider: 'AWS',
    accountId: '111122223333',
    service: 'AmazonEC2',
    cost: '215.500000000',
    violations: [
      {
        key: 'team',
        problem: 'case-mismatch',
        foundKey: 'Team',
        allowed: "key spelled 'team'",
      },
      { key: 'environment', problem: 'empty', foundKey: 'stage' },
    ],
    tagsUsed: 'billing',
    tagSources: { billing: { Team: 'payments', stage: ' ' } },
  },
  {
    resourceId: 'arn:aws:s3:::checkout-logs',
    resourceName: 'checkout-logs',
    resourceType: 'bucket',
    provider: 'AWS',
    accountId: '444455556666',
    service: 'AmazonS3',
    cost: '100.000000000',
    violations: [],
    tagsUsed: 'none',
    tagSources: {},
    unreadableTags: 'Tags is not valid JSON: Unexpected token } at 14',
  },
];

/** Compliance of an entity: 12 of 15 resources, $1,234.50 of $2,000.00. */
export function entityComplianceFor(
  entityRef: string,
  range: CostQuery,
  overrides: Partial<EntityCompliance> = {},
): EntityCompliance {
  return {
    entityRef,
    from: range.from,
    to: range.to,
    currency: 'USD',
    costBasis: range.costBasis ?? 'effective',
    ...totals(12, 15, '1234.500000000', '2000.000000000', 0.8, 0.6173),
    policy: tagPolicy,
    outOfScope: { resources: 2, cost: '50.250000000' },
    rejectedTags: 1,
    byKey: [
      {
        key: 'team',
        missingCount: 1,
        missingCost: '450.000000000',
        invalidCount: 1,
        invalidCost: '215.500000000',
      },
      {
        key: 'environment',
        missingCount: 1,
        missingCost: '215.500000000',
        invalidCount: 1,
        invalidCost: '450.000000000',
      },
      {
        key: 'cost-center',
        missingCount: 0,
        missingCost: '0.000000000',
        invalidCount: 1,
        invalidCost: '450.000000000',
      },
    ],
    nonCompliant: nonCompliantResources,
    ...overrides,
  };
}

/** Every resource of the entity complies. */
export function allCompliantFor(
  entityRef: string,
  range: DateRange,
): EntityCompliance {
  return entityComplianceFor(entityRef, range, {
    ...totals(15, 15, '2000.000000000', '2000.000000000', 1, 1),
    outOfScope: { resources: 0, cost: '0.000000000' },
    rejectedTags: 0,
    byKey: tagPolicy.rules.map(rule => ({
      key: rule.key,
      missingCount: 0,
      missingCost: '0.000000000',
      invalidCount: 0,
      invalidCost: '0.000000000',
    })),
    nonCompliant: [],
  });
}

/** Organisation-wide compliance with unallocated spend and likely owners. */
export function organisationComplianceFor(
  range: CostQuery,
  overrides: Partial<OrganisationCompliance> = {},
): OrganisationCompliance {
  return {
    from: range.from,
    to: range.to,
    currency: 'USD',
    costBasis: range.costBasis ?? 'effective',
    ...totals(80, 100, '7500.000000000', '10000.000000000', 0.8, 0.75),
    policy: tagPolicy,
    outOfScope: { resources: 4, cost: '120.000000000' },
    rejectedTags: 0,
    byAccount: [
      {
        key: '444455556666',
        label: 'data-prod',
        ...totals(20, 40, '3000.000000000', '5000.000000000', 0.5, 0.6),
      },
      {
        key: '111122223333',
        ...totals(60, 60, '4500.000000000', '5000.000000000', 1, 0.9),
      },
    ],
    byService: [
      {
        key: 'AmazonS3',
        ...totals(5, 10, '100.000000000', '1600.000000000', 0.5, 0.0625),
      },
      {
        key: 'AmazonEC2',
        ...totals(75, 90, '7400.000000000', '8400.000000000', 0.8333, 0.881),
      },
    ],
    byKey: [
      {
        key: 'team',
        missingCount: 12,
        missingCost: '1800.000000000',
        invalidCount: 3,
        invalidCost: '200.000000000',
      },
      {
        key: 'environment',
        missingCount: 2,
        missingCost: '300.000000000',
        invalidCount: 5,
        invalidCost: '400.000000000',
      },
    ],
    trend: [
      {
        month: '2024-04',
        ...totals(70, 100, '6000.000000000', '9000.000000000', 0.7, 0.6667),
      },
      {
        month: '2024-05',
        ...totals(80, 100, '7500.000000000', '10000.000000000', 0.8, 0.75),
      },
    ],
    unallocated: {
      cost: '1500.123456789',
      top: [
        {
          resourceId: 'i-0orphan',
          resourceName: 'checkout-api-worker',
          provider: 'AWS',
          accountId: '111122223333',
          service: 'AmazonEC2',
          cost: '800.000000000',
          tags: { owner: 'payments', Name: 'checkout-api-worker' },
          likelyOwner: {
            ownerRef: 'group:default/payments',
            entityRef: 'component:default/checkout-api',
            confidence: 'high',
            evidence: [
              {
                kind: 'tag',
                detail: 'tag owner=payments matches group payments',
              },
              {
                kind: 'name',
                detail:
                  'name checkout-api-worker starts with component checkout-api',
              },
            ],
          },
        },
        {
          resourceId: 'vol-0lost',
          provider: 'AWS',
          accountId: '444455556666',
          service: 'AmazonEC2',
          cost: '300.000000000',
          tags: {},
          likelyOwner: {
            ownerRef: 'group:default/search',
            confidence: 'low',
            evidence: [
              {
                kind: 'account',
                detail: 'account 444455556666 is mapped to group search',
              },
            ],
          },
        },
        {
          resourceId: 'eipalloc-0nobody',
          provider: 'AWS',
          service: 'AmazonVPC',
          cost: '12.000000000',
          tags: {},
        },
      ],
    },
    ...overrides,
  };
}

/** A chargeback report whose lines add up to the bill, 1000.000000000. */
export function chargebackFor(
  query: CostQuery & { by: ChargebackOwnerBy },
  overrides: Partial<ChargebackReport> = {},
): ChargebackReport {
  const byTeam = query.by === 'group';
  return {
    from: query.from,
    to: query.to,
    by: query.by,
    currency: 'USD',
    costBasis: query.costBasis ?? 'effective',
    total: '1000.000000000',
    sharedCost: 'own-line',
    lines: [
      {
        month: '2024-04',
        owner: byTeam ? 'group:default/payments' : 'CC-4711',
        ownerName: byTeam ? 'Payments' : undefined,
        service: 'AmazonEC2',
        kind: 'allocated',
        cost: '600.123456789',
      },
      {
        month: '2024-04',
        owner: byTeam ? 'group:default/search' : 'CC-0815',
        ownerName: byTeam ? 'Search' : undefined,
        service: 'AmazonRDS',
        kind: 'shared',
        cost: '300.000000000',
      },
      {
        month: '2024-05',
        owner: '',
        service: 'AmazonS3',
        kind: 'unallocated',
        cost: '99.876543211',
      },
    ],
    ...overrides,
  };
}

/**
 * The CSV the server streams for a chargeback: quoted cells, CRLF line ends and an exact
 * total line, so that a test can tell the server's text from a rebuilt one.
 */
export function chargebackCsvFor(
  query: CostQuery & { by: ChargebackOwnerBy },
): string {
  const basis = query.costBasis ?? 'effective';
  return [
    'month,owner,owner_name,service,kind,cost,currency,cost_basis',
    `2024-04,${
      query.by === 'group' ? 'group:default/payments' : 'CC-4711'
    },"Payments, ""core""",AmazonEC2,allocated,600.123456789,USD,${basis}`,
    `2024-04,group:default/search,Search,AmazonRDS,shared,300.000000000,USD,${basis}`,
    `2024-05,,,AmazonS3,unallocated,99.876543211,USD,${basis}`,
    `total,,,,total,1000.000000000,USD,${basis}`,
    '',
  ].join('\r\n');
}

/** A ResponseError as the client throws it, with the server's message in its body. */
export async function responseError(
  status: number,
  message: string,
  name = 'InputError',
): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        request: { method: 'GET', url: '/api/costscope' },
        response: { statusCode: status },
      }),
      {
        status,
        statusText: status >= 500 ? 'Internal Server Error' : 'Bad Request',
        headers: { 'content-type': 'application/json' },
      },
    ),
  );
}

/** The fake API of fixtures.ts, answering the compliance and chargeback calls too. */
export function createComplianceApi(
  overrides: Partial<Record<keyof CostscopeApi, jest.Mock>> = {},
): jest.Mocked<CostscopeApi> {
  return createFakeApi({
    getEntityCompliance: jest.fn(async (ref: string, range: DateRange) =>
      entityComplianceFor(ref, range),
    ),
    getOrganisationCompliance: jest.fn(async (range: DateRange) =>
      organisationComplianceFor(range),
    ),
    getChargeback: jest.fn(
      async (query: DateRange & { by: ChargebackOwnerBy }) =>
        chargebackFor(query),
    ),
    getChargebackCsv: jest.fn(
      async (query: DateRange & { by: ChargebackOwnerBy }) =>
        chargebackCsvFor(query),
    ),
    ...overrides,
  });
}

/** The text of a Blob (jsdom's Blob may lack `text()`). */
export function readBlob(blob: Blob): Promise<string> {
  if (typeof blob.text === 'function') return blob.text();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error);
    reader.readAsText(blob);
  });
}
