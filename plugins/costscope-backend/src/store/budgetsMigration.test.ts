import { createTestDatabases } from '../__testUtils__/databases';
import { applyMigrations, rollbackMigrations } from './migrations';

jest.setTimeout(60_000);

describe('budgets migration', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'creates, constrains and drops the budget tables on %p',
    async id => {
      const knex = await databases.init(id);
      await applyMigrations(knex);
      for (const table of [
        'costscope_budgets',
        'costscope_budget_changes',
        'costscope_alerts',
      ]) {
        expect(await knex.schema.hasTable(table)).toBe(true);
      }

      await knex('costscope_budgets').insert({
        entity_ref: 'component:default/a',
        amount_nanos: '9007199254740993123',
        currency: 'USD',
        period: 'monthly',
        thresholds: '[]',
        recipients: '[]',
        updated_at: '2026-01-01T00:00:00.000Z',
        updated_by: 'user:default/x',
      });
      const budget = await knex('costscope_budgets').first(
        knex.raw('CAST(amount_nanos AS TEXT) AS a'),
      );
      expect(budget.a).toBe('9007199254740993123');

      const alert = {
        entity_ref: 'component:default/a',
        kind: 'budget',
        period: '2026-01',
        alert_key: 'actual:80',
        amount_nanos: '1',
        reference_nanos: '2',
        currency: 'USD',
        title: 't',
        description: 'd',
        drivers: '[]',
        link: '/',
        created_at: '2026-01-01T00:00:00.000Z',
        delivered_to: '[]',
      };
      await knex('costscope_alerts').insert({ ...alert, id: 'a1' });
      // Errors of the native SQLite driver may come from another realm, so compare messages.
      const duplicate = await knex('costscope_alerts')
        .insert({ ...alert, id: 'a2' })
        .then(
          () => undefined,
          error => String(error?.message),
        );
      expect(duplicate).toMatch(/unique/i);
      await knex('costscope_alerts').insert({
        ...alert,
        id: 'a3',
        alert_key: 'actual:100',
      });

      await rollbackMigrations(knex);
      expect(await knex.schema.hasTable('costscope_alerts')).toBe(false);
      expect(await knex.schema.hasTable('costscope_budgets')).toBe(false);
      await applyMigrations(knex);
      expect(await knex.schema.hasTable('costscope_budget_changes')).toBe(true);
    },
  );
});
