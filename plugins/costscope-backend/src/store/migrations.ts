import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const MIGRATIONS_TABLE = 'costscope__knex_migrations';

/** Brings the Costscope schema up to date. */
export async function applyMigrations(knex: Knex): Promise<void> {
  const directory = resolvePackagePath(
    '@costscope/backstage-plugin-backend',
    'migrations',
  );
  await knex.migrate.latest({ directory, tableName: MIGRATIONS_TABLE });
}

/** Rolls every Costscope migration back (tests use it to prove `down` works). */
export async function rollbackMigrations(knex: Knex): Promise<void> {
  const directory = resolvePackagePath(
    '@costscope/backstage-plugin-backend',
    'migrations',
  );
  await knex.migrate.rollback({ directory, tableName: MIGRATIONS_TABLE }, true);
}
