import { DuckDBInstance } from '@duckdb/node-api';

/** Runs SQL in a fresh in-memory DuckDB (UTC) and gives every value of every row as text. */
export async function runDuckDb(sql: string): Promise<string[][]> {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  try {
    await c.run("SET TimeZone = 'UTC'");
    const reader = await c.runAndReadAll(sql);
    return reader.getRows().map(row => row.map(v => String(v)));
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}
