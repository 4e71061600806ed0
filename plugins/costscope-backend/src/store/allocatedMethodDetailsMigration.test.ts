import { createTestDatabases } from '../__testUtils__/databases';
import { migrationsDirectory } from './migrations';

jest.setTimeout(60_000);

const config = {
  directory: migrationsDirectory(),
  tableName: 'costscope__knex_migrations',
};
const NAME = '20261213000000_allocated_method_details.js';

describe('allocated method details migration', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'adds allocated_method_details, clears source state, and goes down again on %p',
    async id => {
      const knex = await databases.init(id);
      await knex.migrate.latest(config);
      await knex.migrate.down({ ...config, name: NAME });
      expect(
        await knex.schema.hasColumn(
          'costscope_cost_facts',
          'allocated_method_details',
        ),
      ).toBe(false);
      await knex('costscope_source_state').insert({
        source_id: 'bill',
        state: '{"files":{}}',
      });

      await knex.migrate.latest(config);
      expect(
        await knex.schema.hasColumn(
          'costscope_cost_facts',
          'allocated_method_details',
        ),
      ).toBe(true);
      // Stored exports are read once more, so that their split facts get the details.
      expect(await knex('costscope_source_state').select()).toEqual([]);
    },
  );
});
