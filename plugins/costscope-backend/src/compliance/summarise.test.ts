import { ConfigReader } from '@backstage/config';
import { addMoney, moneyToNanos } from '@costscope/backstage-plugin-common';
import { ComplianceResourceInput } from '../store/types';
import {
  complianceBreakdown,
  evaluateResources,
  exactShare,
  summariseEntityCompliance,
  summariseOrganisationCompliance,
} from './summarise';
import { readTagPolicy, TagPolicy } from './tagPolicy';

const policy: TagPolicy = readTagPolicy(
  new ConfigReader({
    costscope: {
      tagPolicy: {
        scope: { providers: ['AWS'] },
        requiredTags: [
          { key: 'team' },
          {
            key: 'environment',
            aliases: ['env'],
            allowedValues: ['prod', 'dev'],
          },
        ],
      },
    },
  }),
)!;

function resource(
  resourceId: string,
  cost: string,
  extra: Partial<ComplianceResourceInput> = {},
): ComplianceResourceInput {
  return {
    resourceId,
    provider: 'AWS',
    accountId: '111122223333',
    service: 'Amazon EC2',
    costNanos: moneyToNanos(cost),
    ...extra,
  };
}

const resources: ComplianceResourceInput[] = [
  resource('i-ok', '0.1', { billingTags: '{"team":"payments","env":"prod"}' }),
  resource('i-ok2', '0.2', {
    billingTags: '{"team":"payments"}',
    inventoryTags: { team: 'payments', environment: 'dev' },
  }),
  resource('i-noenv', '10.000000001', {
    billingTags: { team: 'search', env: 'Prod' },
    service: 'Amazon RDS',
  }),
  resource('i-bare', '10.000000001', { billingTags: null, accountId: '999' }),
  resource('i-broken', '3', { billingTags: '{"team":' }),
  resource('i-broken-rescued', '1', {
    billingTags: '{"team":',
    inventoryTags: { team: 'search', env: 'prod' },
  }),
  resource('azure-vm', '1000', { provider: 'Azure', billingTags: '{}' }),
];

describe('exactShare', () => {
  it('rounds half to even at 4 decimals, from BigInt', () => {
    expect(exactShare(1n, 3n)).toBe(0.3333);
    expect(exactShare(2n, 3n)).toBe(0.6667);
    expect(exactShare(1n, 20000n)).toBe(0);
    expect(exactShare(3n, 20000n)).toBe(0.0002);
    expect(exactShare(5n, 5n)).toBe(1);
    expect(exactShare(0n, 0n)).toBeNull();
    expect(exactShare(1n, -5n)).toBeNull();
  });

  it('stays exact beyond float precision', () => {
    // 10^12 currency units in nanos is 10^21, far past 2^53.
    const whole = 10n ** 21n + 1n;
    const part = 10n ** 21n / 3n;
    expect(exactShare(part, whole)).toBe(0.3333);
  });
});

describe('summariseEntityCompliance', () => {
  const summary = summariseEntityCompliance({
    entityRef: 'component:default/checkout',
    from: '2026-01-01',
    to: '2026-01-31',
    currency: 'USD',
    costBasis: 'billed',
    policy,
    resources,
  });

  it('counts in-scope resources and sums cost exactly', () => {
    expect(summary.resources).toEqual({ total: 6, compliant: 3 });
    // 0.1 + 0.2 + 1 exactly, not 0.30000000000000004 + 1.
    expect(summary.cost.compliant).toBe('1.300000000');
    expect(summary.cost.total).toBe(
      addMoney('0.1', '0.2', '10.000000001', '10.000000001', '3', '1'),
    );
    expect(summary.cost.total).toBe('24.300000002');
    expect(summary.compliantShareByCount).toBe(0.5);
    // 1.3 / 24.300000002 = 0.053497942...
    expect(summary.compliantShareByCost).toBe(0.0535);
  });

  it('keeps resources outside the scope out of the totals', () => {
    expect(summary.outOfScope).toEqual({
      resources: 1,
      cost: '1000.000000000',
    });
  });

  it('counts malformed billing tags without failing', () => {
    expect(summary.rejectedTags).toBe(2);
  });

  it('lists the non-compliant resources by cost, highest first, ties by id', () => {
    expect(summary.nonCompliant.map(r => [r.resourceId, r.cost])).toEqual([
      ['i-bare', '10.000000001'],
      ['i-noenv', '10.000000001'],
      ['i-broken', '3.000000000'],
    ]);
    expect(summary.nonCompliant[0]).toEqual({
      resourceId: 'i-bare',
      provider: 'AWS',
      accountId: '999',
      service: 'Amazon EC2',
      cost: '10.000000001',
      violations: [
        { key: 'team', problem: 'missing' },
        { key: 'environment', problem: 'missing' },
      ],
      tagsUsed: 'billing',
      tagSources: {},
    });
    expect(summary.nonCompliant[1].violations).toEqual([
      {
        key: 'environment',
        problem: 'case-mismatch',
        foundKey: 'env',
        value: 'Prod',
        allowed: 'one of: prod, dev',
      },
    ]);
    expect(summary.nonCompliant[2]).toEqual(
      expect.objectContaining({
        resourceId: 'i-broken',
        violations: [],
        tagsUsed: 'none',
        unreadableTags: 'Tags is not valid JSON',
      }),
    );
  });

  it('breaks down by key', () => {
    expect(summary.byKey).toEqual([
      {
        key: 'team',
        missingCount: 1,
        missingCost: '10.000000001',
        invalidCount: 0,
        invalidCost: '0.000000000',
      },
      {
        key: 'environment',
        missingCount: 1,
        missingCost: '10.000000001',
        invalidCount: 1,
        invalidCost: '10.000000001',
      },
    ]);
  });

  it('describes the policy for the card', () => {
    expect(summary.policy.rules.map(r => r.key)).toEqual([
      'team',
      'environment',
    ]);
    expect(summary.policy.scope).toBe('providers AWS');
  });

  it('reports a disagreement between billing and inventory', () => {
    const compliantNow = summariseEntityCompliance({
      entityRef: 'component:default/x',
      from: '2026-01-01',
      to: '2026-01-31',
      currency: 'USD',
      costBasis: 'billed',
      policy,
      resources: [
        resource('i-fixed-today', '5', {
          billingTags: '{"env":"prod","Name":"web"}',
          inventoryTags: { env: 'prod', team: 'payments', Name: 'web-1' },
        }),
        resource('i-broken-today', '6', {
          billingTags: '{"env":"prod","team":"payments"}',
          inventoryTags: { env: 'prod' },
        }),
      ],
    });
    expect(compliantNow.resources).toEqual({ total: 2, compliant: 1 });
    expect(compliantNow.nonCompliant).toEqual([
      expect.objectContaining({
        resourceId: 'i-broken-today',
        tagsUsed: 'inventory',
        tagSources: {
          billing: { env: 'prod', team: 'payments' },
          inventory: { env: 'prod' },
        },
        // Name is not a policy key, so its change is not reported.
        disagreement: 'tag team removed in inventory, still in billing data',
      }),
    ]);
  });

  it('caps the list but not the counts', () => {
    const capped = summariseEntityCompliance({
      entityRef: 'component:default/checkout',
      from: '2026-01-01',
      to: '2026-01-31',
      currency: 'USD',
      costBasis: 'billed',
      policy,
      resources,
      maxNonCompliant: 1,
    });
    expect(capped.nonCompliant.map(r => r.resourceId)).toEqual(['i-bare']);
    expect(capped.resources).toEqual({ total: 6, compliant: 3 });
  });

  it('gives null shares for an entity without resources', () => {
    const empty = summariseEntityCompliance({
      entityRef: 'component:default/none',
      from: '2026-01-01',
      to: '2026-01-31',
      currency: 'USD',
      costBasis: 'billed',
      policy,
      resources: [],
    });
    expect(empty).toEqual(
      expect.objectContaining({
        resources: { total: 0, compliant: 0 },
        cost: { total: '0.000000000', compliant: '0.000000000' },
        compliantShareByCount: null,
        compliantShareByCost: null,
        nonCompliant: [],
      }),
    );
  });

  it('handles negative costs (credits) exactly', () => {
    const withCredit = summariseEntityCompliance({
      entityRef: 'component:default/x',
      from: '2026-01-01',
      to: '2026-01-31',
      currency: 'USD',
      costBasis: 'billed',
      policy,
      resources: [
        resource('a', '10', { billingTags: { team: 't', env: 'dev' } }),
        resource('b', '-2.5', { billingTags: {} }),
      ],
    });
    expect(withCredit.cost).toEqual({
      total: '7.500000000',
      compliant: '10.000000000',
    });
    expect(withCredit.compliantShareByCost).toBe(1.3333);
  });
});

describe('complianceBreakdown', () => {
  const evaluated = evaluateResources(resources, policy);

  it('splits by account, most non-compliant cost first', () => {
    const byAccount = complianceBreakdown(evaluated, 'account', {
      '111122223333': 'prod',
    });
    expect(byAccount.map(i => [i.key, i.label, i.resources, i.cost])).toEqual([
      [
        '111122223333',
        'prod',
        { total: 5, compliant: 3 },
        { total: '14.300000001', compliant: '1.300000000' },
      ],
      [
        '999',
        undefined,
        { total: 1, compliant: 0 },
        { total: '10.000000001', compliant: '0.000000000' },
      ],
    ]);
  });

  it('splits by service, with a key for resources without one', () => {
    const byService = complianceBreakdown(
      evaluateResources(
        [...resources, resource('x', '1', { service: undefined })],
        policy,
      ),
      'service',
    );
    expect(byService.map(i => [i.key, i.label])).toEqual([
      ['Amazon EC2', undefined],
      ['Amazon RDS', undefined],
      ['', '(no service)'],
    ]);
  });
});

describe('summariseOrganisationCompliance', () => {
  it('puts the org view together', () => {
    const org = summariseOrganisationCompliance({
      from: '2026-01-01',
      to: '2026-02-28',
      currency: 'USD',
      costBasis: 'billed',
      policy,
      resources,
      months: [
        { month: '2026-01', resources: resources.slice(0, 2) },
        { month: '2026-02', resources: resources.slice(2) },
      ],
      unallocated: {
        costNanos: moneyToNanos('25.5'),
        top: [
          resource('i-small', '1', { billingTags: '{"owner":"Payments"}' }),
          resource('i-big', '20', {
            resourceName: 'checkout-api-worker-1',
            inventoryTags: { Name: 'checkout-api-worker-1' },
          }),
        ],
      },
      entities: [
        { ref: 'group:default/payments', name: 'payments', kind: 'Group' },
        {
          ref: 'component:default/checkout-api',
          name: 'checkout-api',
          kind: 'Component',
          ownerRef: 'group:default/payments',
        },
      ],
    });
    expect(org.resources).toEqual({ total: 6, compliant: 3 });
    expect(org.trend).toEqual([
      expect.objectContaining({
        month: '2026-01',
        resources: { total: 2, compliant: 2 },
        compliantShareByCount: 1,
      }),
      expect.objectContaining({
        month: '2026-02',
        resources: { total: 4, compliant: 1 },
      }),
    ]);
    expect(org.byAccount.map(a => a.key)).toEqual(['111122223333', '999']);
    expect(org.byService.map(s => s.key)).toEqual(['Amazon EC2', 'Amazon RDS']);
    expect(org.byKey).toHaveLength(2);
    expect(org.unallocated.cost).toBe('25.500000000');
    expect(
      org.unallocated.top.map(r => [r.resourceId, r.likelyOwner?.ownerRef]),
    ).toEqual([
      ['i-big', 'group:default/payments'],
      ['i-small', 'group:default/payments'],
    ]);
    expect(org.unallocated.top[0].tags).toEqual({
      Name: 'checkout-api-worker-1',
    });
  });
});
