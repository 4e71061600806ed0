import { Knex } from 'knex';

/** Whether the database is SQLite: one connection, its statements run in this thread. */
export function isSqlite(knex: Knex | Knex.Transaction): boolean {
  const client = knex.client.config.client;
  return (
    client === 'better-sqlite3' || client === 'sqlite3' || client === 'sqlite'
  );
}
