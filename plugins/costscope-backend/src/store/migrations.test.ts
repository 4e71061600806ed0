import fs from 'node:fs';
import knexFactory from 'knex';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  applyMigrations,
  migrationsDirectory,
  rollbackMigrations,
} from './migrations';

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

describe('migrations from several instances at once', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'four first starts on one empty database all succeed on %p',
    async id => {
      const knex = await databases.init(id);
      // On PostgreSQL each start has its own pool, as separate backend instances do; the
      // in-memory SQLite database exists only behind its one connection.
      const separatePools = knex.client.config.client === 'pg';
      const starts = Array.from({ length: 4 }, () =>
        separatePools
          ? knexFactory({ ...knex.client.config, pool: { min: 0, max: 2 } })
          : knex,
      );
      try {
        await Promise.all(starts.map(instance => applyMigrations(instance)));
      } finally {
        if (separatePools) {
          await Promise.all(starts.map(instance => instance.destroy()));
        }
      }
      const migrationFiles = fs
        .readdirSync(migrationsDirectory())
        .filter(file => file.endsWith('.js'));
      const [{ n }] = await knex('costscope__knex_migrations').count({
        n: '*',
      });
      expect(Number(n)).toBe(migrationFiles.length);
    },
  );

  it.each(databases.eachSupportedId())(
    'recovers when two first starts each added a lock row, on %p',
    async id => {
      const knex = await databases.init(id);
      await applyMigrations(knex);
      // What knex's check-then-insert leaves when two instances create the lock table at
      // once. knex takes the lock even with nothing to migrate, and its lock update would
      // change two rows and be refused until the wait ran out.
      await knex('costscope__knex_migrations_lock').insert({ is_locked: 0 });
      await applyMigrations(knex, { waitMs: 5_000 });
      const locks = await knex('costscope__knex_migrations_lock').select(
        'is_locked',
      );
      expect(locks).toEqual([{ is_locked: 0 }]);
    },
  );

  it.each(databases.eachSupportedId())(
    'names the lock that a killed instance left behind on %p',
    async id => {
      const knex = await databases.init(id);
      await applyMigrations(knex);
      await knex('costscope__knex_migrations_lock').update({ is_locked: 1 });
      await expect(applyMigrations(knex, { waitMs: 300 })).rejects.toThrow(
        'UPDATE costscope__knex_migrations_lock SET is_locked = 0',
      );
    },
  );
});
