import { createTestDatabases } from '../__testUtils__/databases';
import { dayBounds } from './dayBounds';

jest.setTimeout(60_000);

describe('dayBounds', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'finds the first and last day of the rows selected on %p',
    async id => {
      const knex = await databases.init(id);
      await knex.schema.createTable('days', table => {
        table.string('entity_ref');
        table.string('usage_date', 10);
        table.index(['entity_ref', 'usage_date']);
      });
      const rows = (entityRef: string) => () =>
        knex('days').where({ entity_ref: entityRef });
      expect(await dayBounds(rows('a'))).toEqual({});
      await knex('days').insert([
        { entity_ref: 'a', usage_date: '2026-03-04' },
        { entity_ref: 'a', usage_date: '2025-12-31' },
        { entity_ref: 'a', usage_date: '2026-11-30' },
        { entity_ref: 'b', usage_date: '2024-01-01' },
        { entity_ref: 'b', usage_date: '2027-01-01' },
      ]);
      expect(await dayBounds(rows('a'))).toEqual({
        first: '2025-12-31',
        last: '2026-11-30',
      });
      expect(await dayBounds(() => knex('days'))).toEqual({
        first: '2024-01-01',
        last: '2027-01-01',
      });
    },
  );
});
