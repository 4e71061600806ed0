import { createTestDatabases } from '../__testUtils__/databases';
import { migrationsDirectory } from './migrations';

jest.setTimeout(60_000);

const config = {
  directory: migrationsDirectory(),
  tableName: 'costscope__knex_migrations',
};
const NAME = '20261212000000_split_cost_allocation.js';

const part = {
  cluster: 'c',
  usage_date: '2026-03-01',
  provider: 'AWS',
  sub_account_id: '1',
  region: 'r',
  service_name: 's',
  currency: 'USD',
  rule_id: null,
  part_kind: 'workload',
  namespace: 'n',
  workload: 'n/w',
  billed_nanos: '1',
  effective_nanos: '1',
};

describe('split cost allocation migration', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'adds the allocated fact columns and split_by, clears source state, and goes down again on %p',
    async id => {
      const knex = await databases.init(id);
      await knex.migrate.latest(config);
      await knex.migrate.down({ ...config, name: NAME });
      expect(
        await knex.schema.hasColumn('costscope_cost_facts', 'allocated_tags'),
      ).toBe(false);
      await knex('costscope_source_state').insert({
        source_id: 'bill',
        state: '{"files":{}}',
      });
      // A part stored before the migration was split by OpenCost.
      await knex('costscope_k8s_parts').insert(part);

      await knex.migrate.latest(config);
      for (const column of [
        'allocated_method_id',
        'allocated_resource_id',
        'allocated_resource_name',
        'allocated_tags',
      ]) {
        expect(
          await knex.schema.hasColumn('costscope_cost_facts', column),
        ).toBe(true);
      }
      expect(await knex('costscope_source_state').select()).toEqual([]);
      expect(
        await knex('costscope_k8s_parts').select('split_by', 'split_resource'),
      ).toEqual([{ split_by: 'opencost', split_resource: 'nodes' }]);
      // An ARN-long allocated resource id fits.
      const long = `arn:aws:eks:us-east-1:111122223333:pod/${'x'.repeat(1900)}`;
      await knex('costscope_k8s_parts').insert({ ...part, split_by: 'bill' });
      await knex('costscope_cost_facts').insert({
        source_id: 's',
        billing_period: '2026-03-01',
        usage_date: '2026-03-01',
        provider: 'AWS',
        billing_account_id: '1',
        sub_account_id: '1',
        region: 'r',
        service_name: 's',
        resource_id: 'i-1',
        charge_category: 'Usage',
        currency: 'USD',
        alloc_key: 'k',
        billed_nanos: '1',
        effective_nanos: '1',
        line_count: 1,
        allocated_method_id: 'AWS-EKS-SplitCost',
        allocated_resource_id: long,
        allocated_tags: '{"app":"cart"}',
      });
      expect(
        await knex('costscope_cost_facts').first(
          'allocated_resource_id',
          'allocated_resource_name',
        ),
      ).toEqual({ allocated_resource_id: long, allocated_resource_name: null });

      await knex.migrate.down({ ...config, name: NAME });
      expect(
        await knex.schema.hasColumn('costscope_k8s_parts', 'split_by'),
      ).toBe(false);
      expect(
        await knex.schema.hasColumn(
          'costscope_cost_facts',
          'allocated_method_id',
        ),
      ).toBe(false);
      // The facts stay, without their split.
      expect(await knex('costscope_cost_facts').select('resource_id')).toEqual([
        { resource_id: 'i-1' },
      ]);
    },
  );
});
