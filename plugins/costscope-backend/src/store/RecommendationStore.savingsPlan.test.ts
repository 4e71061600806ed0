import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/databases';
import { applyMigrations } from './migrations';
import { RecommendationStore } from './RecommendationStore';

jest.setTimeout(60_000);

const COMPONENT = 'component:default/checkout-api';
const SYSTEM = 'system:default/checkout';
const OTHER = 'component:default/ledger';
const PAYER = '999988887777';
const WINDOW = { from: '2026-11-01', to: '2026-11-02' };

/** Two components, one of them in a system; rule 1 -> COMPONENT, 2 -> OTHER, k0 unallocated. */
async function seed(knex: Knex) {
  await knex('costscope_entity_ancestors').insert(
    [
      [COMPONENT, COMPONENT],
      [COMPONENT, SYSTEM],
      [SYSTEM, SYSTEM],
      [OTHER, OTHER],
    ].map(([entity_ref, ancestor_ref]) => ({ entity_ref, ancestor_ref })),
  );
  await knex('costscope_alloc_rules').insert([
    { id: 1, entity_ref: COMPONENT, origin: 'convention', rule: 'x' },
    { id: 2, entity_ref: OTHER, origin: 'annotation', rule: 'y' },
  ]);
  await knex('costscope_alloc_keys').insert(
    [
      ['k1', 1],
      ['k2', 2],
      ['k0', null],
    ].map(([alloc_key, rule_id]) => ({
      alloc_key,
      provider: 'AWS',
      sub_account_id: '1',
      tags: '{}',
      rule_id,
    })),
  );
  const fact = (
    day: string,
    key: string,
    list: string,
    extra: Record<string, unknown> = {},
  ) => ({
    source_id: 's',
    billing_period: '2026-11-01',
    usage_date: day,
    provider: 'AWS',
    billing_account_id: PAYER,
    sub_account_id: 'A1',
    region: 'us-east-1',
    service_name: 'Amazon Elastic Compute Cloud',
    resource_id: 'i-1',
    resource_type: 'Instance',
    charge_category: 'Usage',
    currency: 'USD',
    alloc_key: key,
    billed_nanos: list,
    effective_nanos: list,
    list_nanos: list,
    line_count: 1,
    ...extra,
  });
  await knex('costscope_cost_facts').insert([
    // eligible: EC2 instances (by type or by id), Fargate, Lambda
    fact('2026-11-01', 'k1', '4503599627370497'),
    fact('2026-11-01', 'k1', '4503599627370497', { resource_type: null }),
    fact('2026-11-01', 'k2', '30', {
      service_name: 'Amazon Elastic Container Service',
      resource_id: 'arn:aws:ecs:svc',
      resource_type: 'Service',
    }),
    fact('2026-11-02', 'k0', '7', {
      service_name: 'AWS Lambda',
      resource_id: 'arn:aws:lambda:fn',
      resource_type: 'Function',
    }),
    fact('2026-11-02', 'k1', '5', { sub_account_id: 'A2' }),
    fact('2026-11-02', 'k2', '11', { provider: 'aws' }),
    // not eligible: covered, not usage, another service, a NAT gateway, GCP, EUR, outside
    fact('2026-11-01', 'k1', '1000', { commitment_status: 'Used' }),
    fact('2026-11-01', 'k1', '1000', { charge_category: 'Tax' }),
    fact('2026-11-01', 'k1', '1000', {
      service_name: 'Amazon Relational Database Service',
    }),
    fact('2026-11-01', 'k1', '1000', {
      resource_id: 'nat-1',
      resource_type: 'NAT Gateway',
    }),
    fact('2026-11-01', 'k1', '1000', { provider: 'Google Cloud' }),
    fact('2026-11-01', 'k1', '1000', { currency: 'EUR' }),
    fact('2026-10-31', 'k1', '1000'),
    fact('2026-11-03', 'k1', '1000'),
  ]);
}

describe('RecommendationStore, Savings Plan usage', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'reads eligible on-demand usage per account and day, and per entity, on %p',
    async id => {
      const knex = await databases.init(id);
      await applyMigrations(knex);
      const store = new RecommendationStore(knex);
      expect(await store.factDays()).toEqual({});
      expect(await store.eligibleOnDemandDaily(WINDOW, 'USD')).toEqual([]);
      await seed(knex);

      expect(await store.factDays()).toEqual({
        first: '2026-10-31',
        last: '2026-11-03',
      });
      const daily = await store.eligibleOnDemandDaily(WINDOW, 'USD');
      const key = (r: {
        provider: string;
        subAccountId: string;
        usageDate?: string;
      }) => `${r.provider}|${r.subAccountId}|${r.usageDate ?? ''}`;
      expect([...daily].sort((a, b) => (key(a) < key(b) ? -1 : 1))).toEqual([
        {
          provider: 'AWS',
          billingAccountId: PAYER,
          subAccountId: 'A1',
          usageDate: '2026-11-01',
          // 2 x 4503599627370497 + 30: exact beyond a double
          listNanos: 9007199254741024n,
        },
        {
          provider: 'AWS',
          billingAccountId: PAYER,
          subAccountId: 'A1',
          usageDate: '2026-11-02',
          listNanos: 7n,
        },
        {
          provider: 'AWS',
          billingAccountId: PAYER,
          subAccountId: 'A2',
          usageDate: '2026-11-02',
          listNanos: 5n,
        },
        {
          provider: 'aws',
          billingAccountId: PAYER,
          subAccountId: 'A1',
          usageDate: '2026-11-02',
          listNanos: 11n,
        },
      ]);

      const totals = async (entityRef?: string) =>
        Object.fromEntries(
          (await store.eligibleOnDemandTotals(WINDOW, 'USD', entityRef)).map(
            r => [key(r), r.listNanos],
          ),
        );
      const all = await totals();
      expect(all).toEqual({
        'AWS|A1|': 9007199254741031n,
        'AWS|A2|': 5n,
        'aws|A1|': 11n,
      });
      const component = await totals(COMPONENT);
      expect(component).toEqual({
        'AWS|A1|': 9007199254740994n,
        'AWS|A2|': 5n,
      });
      // the system sees its component's part; refs compare without case
      expect(await totals('System:default/Checkout')).toEqual(component);
      const other = await totals(OTHER);
      expect(other).toEqual({ 'AWS|A1|': 30n, 'aws|A1|': 11n });
      // the entities' parts and the unallocated 7 (Lambda on k0) add up to the whole
      expect(
        component['AWS|A1|'] + other['AWS|A1|'] + 7n + component['AWS|A2|'],
      ).toBe(all['AWS|A1|'] + all['AWS|A2|']);
      expect(await totals('component:default/nothing')).toEqual({});
    },
  );
});
