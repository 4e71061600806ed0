import { createTestDatabases } from '../__testUtils__/databases';
import { ComplianceQueries } from './ComplianceQueries';
import { FactStore } from './FactStore';
import { applyMigrations } from './migrations';
import { ComplianceResourceInput, CostFact } from './types';

jest.setTimeout(60_000);

/** A fact of `resourceId` on `day` under allocation key `allocKey`. */
function fact(
  resourceId: string,
  day: string,
  allocKey: string,
  serviceName: string,
  billedNanos: bigint,
): CostFact {
  return {
    billingPeriod: `${day.slice(0, 7)}-01`,
    usageDate: day,
    provider: 'AWS',
    billingAccountId: 'payer',
    subAccountId: '111122223333',
    region: 'eu-west-1',
    serviceName,
    resourceId,
    resourceName: `${resourceId}-name`,
    chargeCategory: 'Usage',
    currency: 'USD',
    allocKey,
    billedNanos,
    effectiveNanos: billedNanos,
    listNanos: billedNanos,
    lineCount: 1,
  };
}

/** What a test compares of a resource read, sorted by resource id. */
function shown(resources: ComplianceResourceInput[]) {
  return resources
    .map(r => ({
      resourceId: r.resourceId,
      costNanos: r.costNanos,
      service: r.service,
      billingTags: r.billingTags,
    }))
    .sort((a, b) => a.resourceId.localeCompare(b.resourceId));
}

const tags = (team: string) => JSON.stringify({ team });

describe('ComplianceQueries', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'reads the organisation month by month, sums the months and keeps the unallocated apart, on %p',
    async id => {
      const knex = await databases.init(id);
      await applyMigrations(knex);
      const store = new FactStore(knex);
      await store.addAllocationKeys(
        ['old', 'new', 'other'].map(key => ({
          allocKey: key,
          provider: 'AWS',
          subAccountId: '111122223333',
          tags: tags(key),
          unusedCommitment: false,
        })),
      );
      // Only the key with the old tags matched a rule: vm-1's November lines and vm-2 are
      // unallocated.
      await knex('costscope_alloc_rules').insert({
        id: 1,
        entity_ref: 'component:default/vm',
        origin: 'convention',
        rule: 'team=old',
      });
      await knex('costscope_alloc_keys')
        .where({ alloc_key: 'old' })
        .update({ rule_id: 1 });
      // vm-1 changes tags in November; EC2 is its main service over the whole range
      // only (4,000 + 4,000 against EBS's 6,000). vm-2 has cost in November only; a line
      // without a resource is no resource; October's first half is outside the range.
      await store.replaceBillingPeriod('src', '2026-10-01', [
        fact('vm-1', '2026-10-14', 'old', 'Amazon EC2', 999n),
        fact('vm-1', '2026-10-30', 'old', 'Amazon EC2', 2_000n),
        fact('vm-1', '2026-10-31', 'old', 'Amazon EC2', 2_000n),
      ]);
      await store.replaceBillingPeriod('src', '2026-11-01', [
        fact('vm-1', '2026-11-01', 'new', 'Amazon EBS', 3_000n),
        fact('vm-1', '2026-11-02', 'new', 'Amazon EBS', 3_000n),
        fact('vm-1', '2026-11-02', 'new', 'Amazon EC2', 4_000n),
        fact('vm-2', '2026-11-02', 'other', 'Amazon S3', 7n),
        fact('', '2026-11-02', 'other', 'Tax', 100n),
      ]);

      const read = await new ComplianceQueries(
        knex,
      ).organisationResourcesByMonth(
        { from: '2026-10-15', to: '2026-11-14' },
        'billed',
      );

      const vm2 = {
        resourceId: 'vm-2',
        costNanos: 7n,
        service: 'Amazon S3',
        billingTags: tags('other'),
      };
      expect(shown(read.resources)).toEqual([
        {
          resourceId: 'vm-1',
          costNanos: 14_000n,
          service: 'Amazon EC2',
          billingTags: tags('new'),
        },
        vm2,
      ]);
      expect(read.months.map(m => [m.month, shown(m.resources)])).toEqual([
        [
          '2026-10',
          [
            {
              resourceId: 'vm-1',
              costNanos: 4_000n,
              service: 'Amazon EC2',
              billingTags: tags('old'),
            },
          ],
        ],
        [
          '2026-11',
          [
            {
              resourceId: 'vm-1',
              costNanos: 10_000n,
              service: 'Amazon EBS',
              billingTags: tags('new'),
            },
            vm2,
          ],
        ],
      ]);
      expect(shown(read.unallocated)).toEqual([
        {
          resourceId: 'vm-1',
          costNanos: 10_000n,
          service: 'Amazon EBS',
          billingTags: tags('new'),
        },
        vm2,
      ]);
      expect(
        read.resources.find(r => r.resourceId === 'vm-1')?.resourceName,
      ).toBe('vm-1-name');
    },
  );
});
