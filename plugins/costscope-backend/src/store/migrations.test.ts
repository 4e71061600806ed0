import { createTestDatabases } from '../__testUtils__/databases';
import { applyMigrations, rollbackMigrations } from './migrations';

jest.setTimeout(60_000);

describe('migrations', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'apply, roll back and apply again on %p',
    async id => {
      const knex = await databases.init(id);
      await applyMigrations(knex);
      expect(await knex.schema.hasTable('costscope_rollup_daily')).toBe(true);

      // BIGINT nano-units keep amounts beyond float precision exactly.
      await knex('costscope_state').insert({ key: 'k', value: 'v' });
      await knex('costscope_rollup_daily').insert({
        entity_ref: '*',
        rule_id: null,
        usage_date: '2026-01-01',
        provider: 'AWS',
        sub_account_id: '1',
        region: '',
        service_name: 's',
        currency: 'USD',
        billed_nanos: '9007199254740993123',
        effective_nanos: '-1',
      });
      const row = await knex('costscope_rollup_daily').first(
        knex.raw('CAST(billed_nanos AS TEXT) as b'),
      );
      expect(row.b).toBe('9007199254740993123');

      await rollbackMigrations(knex);
      expect(await knex.schema.hasTable('costscope_rollup_daily')).toBe(false);
      expect(await knex.schema.hasTable('costscope_cost_facts')).toBe(false);
      await applyMigrations(knex);
      expect(await knex.schema.hasTable('costscope_cost_facts')).toBe(true);
    },
  );
});
