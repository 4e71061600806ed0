import { createTestDatabases } from '../__testUtils__/databases';
import { migrationsDirectory } from './migrations';

jest.setTimeout(60_000);

const config = {
  directory: migrationsDirectory(),
  tableName: 'costscope__knex_migrations',
};

describe('Kubernetes split migration', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'adds and removes the split tables and rollup columns on %p',
    async id => {
      const knex = await databases.init(id);
      await knex.migrate.latest(config);
      for (const table of [
        'costscope_opencost_days',
        'costscope_k8s_split_facts',
        'costscope_k8s_parts',
      ]) {
        expect(await knex.schema.hasTable(table)).toBe(true);
      }
      for (const column of ['k8s_cluster', 'k8s_namespace', 'k8s_workload']) {
        expect(
          await knex.schema.hasColumn('costscope_rollup_daily', column),
        ).toBe(true);
      }
      // Exact beyond 2^53, as every amount column.
      await knex('costscope_k8s_parts').insert({
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
        billed_nanos: '9007199254740993123',
        effective_nanos: '-9007199254740993123',
      });
      const part = await knex('costscope_k8s_parts').first(
        knex.raw('CAST(billed_nanos AS TEXT) AS b'),
        knex.raw('CAST(effective_nanos AS TEXT) AS e'),
      );
      expect(part).toEqual({
        b: '9007199254740993123',
        e: '-9007199254740993123',
      });

      // Down: only this migration's tables and columns go.
      await knex.migrate.down({
        ...config,
        name: '20261206000000_kubernetes_split.js',
      });
      expect(await knex.schema.hasTable('costscope_k8s_parts')).toBe(false);
      expect(await knex.schema.hasTable('costscope_opencost_days')).toBe(false);
      expect(
        await knex.schema.hasColumn('costscope_rollup_daily', 'k8s_cluster'),
      ).toBe(false);
      expect(await knex.schema.hasTable('costscope_rollup_daily')).toBe(true);
      await knex.migrate.latest(config);
      expect(await knex.schema.hasTable('costscope_k8s_split_facts')).toBe(
        true,
      );
    },
  );
});
