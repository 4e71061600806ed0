import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/databases';
import { applyMigrations, migrationsDirectory } from './migrations';

jest.setTimeout(60_000);

/** Names of the indexes of a table, as the database lists them. */
async function indexNames(knex: Knex, table: string): Promise<string[]> {
  if (knex.client.config.client === 'pg') {
    const { rows } = await knex.raw(
      'SELECT indexname AS name FROM pg_indexes WHERE tablename = ?',
      [table],
    );
    return rows.map((row: { name: string }) => row.name).sort();
  }
  const rows = await knex.raw(
    "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?",
    [table],
  );
  return rows.map((row: { name: string }) => row.name).sort();
}

/** Rolls back the read path indexes migration only, whatever came after it. */
async function rollbackReadPathIndexes(knex: Knex) {
  await knex.migrate.down({
    name: '20261127000000_read_path_indexes.js',
    directory: migrationsDirectory(),
    tableName: 'costscope__knex_migrations',
  });
}

describe('read path indexes migration', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'replaces the rollup index by a covering one, indexes rules and overlapping keys, and rolls back on %p',
    async id => {
      const knex = await databases.init(id);
      await applyMigrations(knex);
      expect(await indexNames(knex, 'costscope_rollup_daily')).toContain(
        'costscope_rollup_daily_read_idx',
      );
      expect(await indexNames(knex, 'costscope_rollup_daily')).not.toContain(
        'costscope_rollup_daily_entity_idx',
      );
      expect(await indexNames(knex, 'costscope_alloc_rules')).toContain(
        'costscope_alloc_rules_entity_idx',
      );
      expect(await indexNames(knex, 'costscope_alloc_keys')).toContain(
        'costscope_alloc_keys_overlaps_idx',
      );

      // Keys with and without overlaps are stored alike; the partial index only holds the former.
      await knex('costscope_alloc_keys').insert([
        {
          alloc_key: 'a',
          provider: 'AWS',
          sub_account_id: '1',
          tags: '{}',
          rule_id: 1,
          overlaps: '["component:default/b"]',
        },
        {
          alloc_key: 'b',
          provider: 'AWS',
          sub_account_id: '1',
          tags: '{}',
          rule_id: 1,
          overlaps: null,
        },
      ]);
      const overlapping = await knex('costscope_alloc_keys')
        .where({ rule_id: 1 })
        .whereNotNull('overlaps')
        .pluck('alloc_key');
      expect(overlapping).toEqual(['a']);

      await rollbackReadPathIndexes(knex);
      expect(await indexNames(knex, 'costscope_rollup_daily')).toContain(
        'costscope_rollup_daily_entity_idx',
      );
      expect(await indexNames(knex, 'costscope_rollup_daily')).not.toContain(
        'costscope_rollup_daily_read_idx',
      );
      expect(await indexNames(knex, 'costscope_alloc_rules')).not.toContain(
        'costscope_alloc_rules_entity_idx',
      );
      expect(await indexNames(knex, 'costscope_alloc_keys')).not.toContain(
        'costscope_alloc_keys_overlaps_idx',
      );
      await applyMigrations(knex);
      expect(await indexNames(knex, 'costscope_rollup_daily')).toContain(
        'costscope_rollup_daily_read_idx',
      );
    },
  );
});
