import { Knex } from 'knex';
import { isSqlite } from './isSqlite';

/**
 * Runs a read of much of the organisation for background work (a digest run's reads of a
 * whole period) without PostgreSQL's parallel workers, in a transaction of its own. With
 * them a read of a month took two more processes for a second or more, and pages read
 * meanwhile waited for a core: on the 10,000-component benchmark the team page's p95 during
 * a digest run was 1.7 to 2.2 times its p95 alone with them, 1.27 without. Background work
 * may take longer; pages should not.
 */
export async function withoutParallelWorkers<T>(
  knex: Knex,
  read: (db: Knex) => Promise<T>,
): Promise<T> {
  if (isSqlite(knex)) return read(knex);
  return knex.transaction(async tx => {
    await tx.raw('SET LOCAL max_parallel_workers_per_gather = 0');
    return read(tx);
  });
}
