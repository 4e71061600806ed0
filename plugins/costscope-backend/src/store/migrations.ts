import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const MIGRATIONS_TABLE = 'costscope__knex_migrations';

/** How long a starting instance waits for another one's migrations before it gives up. */
const MIGRATION_WAIT_MS = 120_000;
/** First retry delay; it doubles up to 2 s (knex logs each refused lock). */
const FIRST_RETRY_DELAY_MS = 100;
const MAX_RETRY_DELAY_MS = 2_000;

/** Where the migration files are, in the source tree or the installed package. */
export function migrationsDirectory(): string {
  return resolvePackagePath(
    '@costscope/backstage-plugin-backend',
    'migrations',
  );
}

/**
 * True for the errors of two instances migrating one database at the same time: knex holds
 * its lock row while one migrates ("already locked"), and two first starts race to create the
 * migrations tables themselves (knex/knex#3457), which PostgreSQL reports as a duplicate
 * table or a duplicate row in its type catalogue. Retrying is safe: the loser finds the work
 * done, or takes the lock when the winner lets go.
 */
export function isConcurrentMigrationError(error: unknown): boolean {
  const { message = '', code } = (error ?? {}) as {
    message?: string;
    code?: string;
  };
  if (/Migration table is already locked/i.test(message)) return true;
  if (!/knex_migrations/i.test(message) && !/pg_type_typname/i.test(message)) {
    return false;
  }
  return (
    code === '42P07' || code === '23505' || /already exists/i.test(message)
  );
}

/**
 * Brings the Costscope schema up to date. Safe to call from several backend instances on one
 * database at once (the production topology): all but one wait and then find nothing to do.
 */
export async function applyMigrations(
  knex: Knex,
  options: { waitMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + (options.waitMs ?? MIGRATION_WAIT_MS);
  for (let delay = FIRST_RETRY_DELAY_MS; ; ) {
    try {
      await knex.migrate.latest({
        directory: migrationsDirectory(),
        tableName: MIGRATIONS_TABLE,
      });
      return;
    } catch (error) {
      if (!isConcurrentMigrationError(error)) throw error;
      await removeDuplicateLockRows(knex);
      if (Date.now() >= deadline) {
        throw new Error(
          `Costscope migrations waited ${Math.round(
            (options.waitMs ?? MIGRATION_WAIT_MS) / 1000,
          )} s for another instance's migrations (${
            (error as Error).message
          }). If no other instance is starting, one was killed while migrating: ` +
            `run UPDATE ${MIGRATIONS_TABLE}_lock SET is_locked = 0 and start again.`,
        );
      }
      await new Promise(resolve => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS);
    }
  }
}

/**
 * Two first starts can both find knex's new lock table empty and each add its one row.
 * knex takes the lock by setting `is_locked` on the rows where it is 0 and expecting one
 * changed row; with two it changes two, rolls back and reports "already locked", for every
 * instance, for ever. Nobody can hold the lock then, so removing the extra rows is safe.
 */
async function removeDuplicateLockRows(knex: Knex): Promise<void> {
  const lockTable = `${MIGRATIONS_TABLE}_lock`;
  const rows: Array<{ index: number }> = await knex(lockTable)
    .select('index')
    .orderBy('index')
    .catch(() => []);
  if (rows.length > 1) {
    await knex(lockTable)
      .whereIn(
        'index',
        rows.slice(1).map(row => row.index),
      )
      .delete();
  }
}

/** Rolls every Costscope migration back (tests use it to prove `down` works). */
export async function rollbackMigrations(knex: Knex): Promise<void> {
  await knex.migrate.rollback(
    { directory: migrationsDirectory(), tableName: MIGRATIONS_TABLE },
    true,
  );
}
