import { Knex } from 'knex';

/** Arbitrary constant naming Costscope's advisory lock on PostgreSQL. */
const COSTSCOPE_LOCK_ID = 7_420_260_001;

/**
 * Serialises Costscope's bulk writes across backend instances for the rest of the
 * transaction. SQLite allows one writer at a time anyway.
 */
export async function takeWriteLock(tx: Knex.Transaction): Promise<void> {
  if (tx.client.config.client === 'pg') {
    await tx.raw('select pg_advisory_xact_lock(?)', [COSTSCOPE_LOCK_ID]);
  }
}
