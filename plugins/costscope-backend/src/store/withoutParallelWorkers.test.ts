import { createTestDatabases } from '../__testUtils__/databases';
import { withoutParallelWorkers } from './withoutParallelWorkers';

describe('withoutParallelWorkers', () => {
  const databases = createTestDatabases();

  it('reads without parallel workers and leaves the connection as it was, on PostgreSQL', async () => {
    const knex = await databases.init('POSTGRES_15');
    const setting = async (db: typeof knex) =>
      (await db.raw('SHOW max_parallel_workers_per_gather')).rows[0]
        .max_parallel_workers_per_gather;
    const before = await setting(knex);
    expect(before).not.toBe('0');
    expect(await withoutParallelWorkers(knex, setting)).toBe('0');
    // SET LOCAL ends with the transaction: the pool's connections keep the default.
    const after = await Promise.all([1, 2, 3].map(() => setting(knex)));
    expect(after).toEqual([before, before, before]);
  });

  it('reads as it is on SQLite', async () => {
    const knex = await databases.init('SQLITE_3');
    expect(
      await withoutParallelWorkers(knex, db => db.raw('SELECT 2 AS two')),
    ).toEqual([{ two: 2 }]);
  });
});
