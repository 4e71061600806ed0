import { CostFact } from '../ingest/DailyAggregator';
import { createTestDatabases } from '../__testUtils__/databases';
import { ComplianceQueries } from './ComplianceQueries';
import { FactStore } from './FactStore';
import { applyMigrations } from './migrations';

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
    lineCount: 1,
  };
}

const byId = (a: { resourceId: string }, b: { resourceId: string }) =>
  a.resourceId.localeCompare(b.resourceId);

describe('ComplianceQueries', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'reads a range month by month as it reads the whole range, on %p',
    async id => {
      const knex = await databases.init(id);
      await applyMigrations(knex);
      const store = new FactStore(knex);
      await store.addAllocationKeys(
        ['old', 'new', 'other'].map(key => ({
          allocKey: key,
          provider: 'AWS',
          subAccountId: '111122223333',
          tags: JSON.stringify({ team: key }),
        })),
      );
      // vm-1 changes tags in November; EC2 is its main service over the whole range
      // only (4,000 + 4,000 against EBS's 6,000). vm-2 has cost in November only; a line
      // without a resource is no resource.
      await store.replaceBillingPeriod('src', '2026-10-01', [
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
      const queries = new ComplianceQueries(knex);
      const range = { from: '2026-10-15', to: '2026-11-14' };

      const read = await queries.organisationResourcesByMonth(range);

      expect(read.resources.sort(byId)).toEqual(
        (await queries.organisationResources(range)).sort(byId),
      );
      expect(read.resources.find(r => r.resourceId === 'vm-1')).toMatchObject({
        costNanos: 14_000n,
        service: 'Amazon EC2',
        billingTags: JSON.stringify({ team: 'new' }),
      });
      expect(read.months.map(m => m.month)).toEqual(['2026-10', '2026-11']);
      for (const [month, part] of [
        [read.months[0], { from: '2026-10-15', to: '2026-10-31' }],
        [read.months[1], { from: '2026-11-01', to: '2026-11-14' }],
      ] as const) {
        expect(month.resources.sort(byId)).toEqual(
          (await queries.organisationResources(part)).sort(byId),
        );
      }
    },
  );
});
