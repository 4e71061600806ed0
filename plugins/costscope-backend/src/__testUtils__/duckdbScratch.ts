import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

/** A test file's scratch space for writing Parquet: a directory and a DuckDB connection. */
export interface DuckDBScratch {
  /** A temporary directory, removed after the file's tests. */
  readonly dir: string;
  /** A connection to an in-memory DuckDB whose session is in UTC. */
  readonly db: DuckDBConnection;
}

/**
 * Sets up the scratch space before the file's tests and removes it after them (call it at
 * the top of a test file). Read its fields inside tests only: they exist once set up.
 */
export function duckdbScratch(prefix: string): DuckDBScratch {
  let dir: string | undefined;
  let instance: DuckDBInstance | undefined;
  let db: DuckDBConnection | undefined;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
    instance = await DuckDBInstance.create(':memory:');
    db = await instance.connect();
    // Timestamps written and printed as UTC, as the reader's own session is.
    await db.run(`SET TimeZone = 'UTC'`);
  });

  afterAll(async () => {
    db?.closeSync();
    instance?.closeSync();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  const ready = <T>(value: T | undefined): T => {
    if (value === undefined)
      throw new Error('The DuckDB scratch space is set up before tests only');
    return value;
  };
  return {
    get dir() {
      return ready(dir);
    },
    get db() {
      return ready(db);
    },
  };
}
