import { Knex } from 'knex';

interface PostgresConnection {
  query(text: string): Promise<unknown>;
}

/** The pool knex keeps its connections in (tarn): its events are public API. */
interface ConnectionPool {
  on(
    event: 'acquireSuccess',
    handler: (eventId: number, connection: PostgresConnection) => void,
  ): void;
}

/**
 * Turns PostgreSQL's JIT compilation off for the plugin's connections, once per connection
 * (the first time each is taken from the pool, so also those opened before the call).
 *
 * Costscope's reads aggregate many rollup rows with cheap expressions: PostgreSQL plans them
 * above `jit_above_cost` and compiles them for each statement. On the 10,000-component
 * benchmark a department's month of rollups took 0.77 s with JIT, 1.2 s of it compiling
 * across workers, and 0.27 s without; a run of every group's monthly digest used 24 s of the
 * database's CPU with JIT and 16 s without. Only the plugin's own sessions change; a failure
 * leaves the session as it was and is reported once.
 */
export function withoutPostgresJit(
  knex: Knex,
  onError: (error: unknown) => void,
): void {
  const client = knex.client.config.client;
  if (client !== 'pg' && client !== 'postgres' && client !== 'postgresql') {
    return;
  }
  const pool: ConnectionPool | undefined = knex.client.pool;
  if (!pool) return;
  const done = new WeakSet<PostgresConnection>();
  let reported = false;
  pool.on('acquireSuccess', (_eventId, connection) => {
    if (done.has(connection)) return;
    done.add(connection);
    // Queued on the connection before the statement it was taken for.
    connection.query('SET jit = off').catch(error => {
      if (!reported) onError(error);
      reported = true;
    });
  });
}
