import { createTestDatabases } from '../__testUtils__/databases';
import { applyMigrations, rollbackMigrations } from './migrations';

jest.setTimeout(60_000);

const TABLES = [
  'costscope_recommendations',
  'costscope_recommendation_skips',
  'costscope_recommendation_dismissals',
];

describe('recommendations migration', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'creates, constrains and drops the recommendation tables on %p',
    async id => {
      const knex = await databases.init(id);
      await applyMigrations(knex);
      for (const table of TABLES) {
        expect(await knex.schema.hasTable(table)).toBe(true);
      }

      const row = {
        id: 'idle-instance:i-1',
        entity_ref: null,
        kind: 'idle-instance',
        resource_id: 'i-1',
        provider: 'AWS',
        account_id: '1',
        monthly_saving_nanos: '9007199254740993123',
        currency: 'USD',
        payload: '{}',
        computed_at: '2026-11-22T00:00:00.000Z',
      };
      await knex('costscope_recommendations').insert(row);
      const stored = await knex('costscope_recommendations').first(
        knex.raw('CAST(monthly_saving_nanos AS TEXT) AS s'),
      );
      expect(stored.s).toBe('9007199254740993123');
      // Errors of the native SQLite driver may come from another realm, so compare messages.
      const duplicate = await knex('costscope_recommendations')
        .insert(row)
        .then(
          () => undefined,
          error => String(error?.message),
        );
      expect(duplicate).toMatch(/unique|duplicate/i);
      await knex('costscope_recommendation_dismissals').insert({
        id: 'idle-instance:i-1',
        state: 'snoozed',
        reason: 'later',
        dismissed_by: 'user:default/a',
        dismissed_at: '2026-11-22T00:00:00.000Z',
        until: '2026-12-01',
        evidence: '{}',
      });
      await knex('costscope_state').insert({
        key: 'recommendations_computed_at',
        value: '2026-11-22T00:00:00.000Z',
      });

      await rollbackMigrations(knex);
      for (const table of TABLES) {
        expect(await knex.schema.hasTable(table)).toBe(false);
      }
      await applyMigrations(knex);
      expect(await knex.schema.hasTable('costscope_recommendations')).toBe(
        true,
      );
    },
  );
});
