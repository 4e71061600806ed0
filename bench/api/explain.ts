/**
 * Prints the query plan of every distinct query the endpoints run: one request per endpoint
 * with knex's query events captured, then `EXPLAIN (ANALYZE, BUFFERS)` on PostgreSQL or
 * `EXPLAIN QUERY PLAN` on SQLite of each captured statement with its bindings.
 */
import { Knex } from 'knex';

interface Captured {
  sql: string;
  bindings: unknown[];
}

export async function explainQueries(
  knex: Knex,
  baseUrl: string,
  endpoints: Array<{ name: string; paths: string[]; explainPath?: string }>,
  authorization: string,
  log: (message: string) => void,
): Promise<void> {
  const pg = knex.client.config.client === 'pg';
  for (const endpoint of endpoints) {
    const captured: Captured[] = [];
    const listener = (query: Captured) =>
      captured.push({ sql: query.sql, bindings: query.bindings ?? [] });
    const path = endpoint.explainPath ?? endpoint.paths[0];
    knex.on('query', listener);
    try {
      const response = await fetch(`${baseUrl}${path}`, {
        headers: { Authorization: authorization },
      });
      await response.text();
    } finally {
      knex.removeListener('query', listener);
    }
    log(`plans of ${endpoint.name}, ${path} (${captured.length} queries):`);
    const seen = new Set<string>();
    for (const query of captured) {
      if (seen.has(query.sql)) continue;
      seen.add(query.sql);
      // PostgreSQL's $n back to knex's ?, in order
      const sql = query.sql.replace(/\$\d+/g, '?');
      const result = await knex.raw(
        pg
          ? `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`
          : `EXPLAIN QUERY PLAN ${sql}`,
        query.bindings as Knex.RawBinding[],
      );
      const plan: string[] = pg
        ? result.rows.map((row: Record<string, string>) => row['QUERY PLAN'])
        : result.map((row: { detail: string }) => row.detail);
      log(`  ${query.sql.replace(/\s+/g, ' ').slice(0, 400)}`);
      for (const line of plan) log(`      ${line}`);
    }
  }
}
