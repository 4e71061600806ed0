import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/databases';
import { applyMigrations, migrationsDirectory } from './migrations';
import { ComplianceQueries } from './ComplianceQueries';

jest.setTimeout(60_000);

const MIGRATION = '20261212000010_alloc_keys_rule_index.js';

async function indexNames(knex: Knex): Promise<string[]> {
  if (knex.client.config.client === 'pg') {
    const { rows } = await knex.raw(
      'SELECT indexname AS name FROM pg_indexes WHERE tablename = ?',
      ['costscope_alloc_keys'],
    );
    return rows.map((row: { name: string }) => row.name);
  }
  const rows = await knex.raw(
    "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?",
    ['costscope_alloc_keys'],
  );
  return rows.map((row: { name: string }) => row.name);
}

describe('allocation keys by rule migration', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'indexes keys by rule and rolls back on %p',
    async id => {
      const knex = await databases.init(id);
      await applyMigrations(knex);
      expect(await indexNames(knex)).toContain('costscope_alloc_keys_rule_idx');
      await knex.migrate.down({
        name: MIGRATION,
        directory: migrationsDirectory(),
        tableName: 'costscope__knex_migrations',
      });
      expect(await indexNames(knex)).not.toContain(
        'costscope_alloc_keys_rule_idx',
      );
    },
  );

  it('lets SQLite read a team’s facts by key and day, not every fact of the range', async () => {
    const knex = await databases.init('SQLITE_3');
    await applyMigrations(knex);
    const query = new ComplianceQueries(knex);
    const plans: string[] = [];
    knex.on('query', ({ sql }: { sql: string }) => {
      if (sql.includes('costscope_cost_facts')) plans.push(sql);
    });
    await query.entityResources(
      'group:default/team',
      { from: '2026-10-01', to: '2026-10-31' },
      'effective',
    );
    expect(plans).toHaveLength(1);
    const rows = await knex.raw(`EXPLAIN QUERY PLAN ${plans[0]}`, [
      '2026-10-01',
      '2026-10-31',
      '',
      'group:default/team',
    ]);
    const steps = rows.map((row: { detail: string }) => row.detail).join('\n');
    expect(steps).toContain('costscope_alloc_keys_rule_idx');
    expect(steps).toContain('costscope_cost_facts_key_idx');
  });
});
