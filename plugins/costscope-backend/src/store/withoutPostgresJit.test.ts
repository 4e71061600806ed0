import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/databases';
import { withoutPostgresJit } from './withoutPostgresJit';

/** What `jit` says on as many connections as the pool opens for 4 reads at once. */
async function jitSettings(knex: Knex): Promise<string[]> {
  return Promise.all(
    [1, 2, 3, 4].map(async () =>
      knex.transaction(async tx => {
        // A transaction holds its connection, so the 4 reads take 4 of them.
        const result = await tx.raw('SHOW jit');
        await tx.raw('SELECT pg_sleep(0.05)');
        return result.rows[0].jit;
      }),
    ),
  );
}

describe('withoutPostgresJit', () => {
  const databases = createTestDatabases();

  it('turns JIT off on every connection, those opened before it too, on PostgreSQL', async () => {
    const knex = await databases.init('POSTGRES_15');
    // Opened before: the server's default holds there.
    expect(await jitSettings(knex)).toEqual(['on', 'on', 'on', 'on']);
    const errors: unknown[] = [];
    withoutPostgresJit(knex, error => errors.push(error));
    expect(await jitSettings(knex)).toEqual(['off', 'off', 'off', 'off']);
    expect(errors).toEqual([]);
  });

  it('leaves SQLite alone', async () => {
    const knex = await databases.init('SQLITE_3');
    withoutPostgresJit(knex, error => {
      throw error;
    });
    expect(await knex.raw('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });
});
