import { createTestDatabases } from '../__testUtils__/databases';
import { applyMigrations, rollbackMigrations } from './migrations';

jest.setTimeout(60_000);

describe('unit metrics migration', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'creates, keys and drops costscope_unit_metrics on %p',
    async id => {
      const knex = await databases.init(id);
      await applyMigrations(knex);
      expect(await knex.schema.hasTable('costscope_unit_metrics')).toBe(true);

      const row = {
        entity_ref: 'component:default/a',
        metric: 'orders',
        day: '2026-01-01',
        // Beyond 2^53: the column must keep every digit.
        value_nanos: '9007199254740993123',
        updated_at: '2026-01-02T00:00:00.000Z',
        source: 'api',
      };
      await knex('costscope_unit_metrics').insert(row);
      const stored = await knex('costscope_unit_metrics').first(
        knex.raw('CAST(value_nanos AS TEXT) AS v'),
      );
      expect(stored.v).toBe('9007199254740993123');
      // Errors of the native SQLite driver may come from another realm, so compare messages.
      const duplicate = await knex('costscope_unit_metrics')
        .insert({ ...row, value_nanos: '1' })
        .then(
          () => undefined,
          error => String(error?.message),
        );
      expect(duplicate).toMatch(/unique|duplicate/i);
      await knex('costscope_unit_metrics').insert({
        ...row,
        day: '2026-01-02',
      });

      await rollbackMigrations(knex);
      expect(await knex.schema.hasTable('costscope_unit_metrics')).toBe(false);
      await applyMigrations(knex);
      expect(await knex.schema.hasTable('costscope_unit_metrics')).toBe(true);
    },
  );
});
