import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { setImmediate } from 'node:timers/promises';
import type {
  DuckDBConnection,
  DuckDBDataChunk,
  DuckDBInstance,
} from '@duckdb/node-api';
import { CostLine } from '@costscope/backstage-plugin-node';
import { FocusFileError, FocusVersion, mapFocusHeader } from './focusColumns';
import {
  FocusLineCollector,
  FocusRejection,
  FocusRowSink,
  FocusValueSlices,
} from './focusFileReader';
import { FOCUS_COLUMNS, FocusRowParser, FocusValues } from './parseFocusRow';
import {
  groupedQuery,
  isFloating,
  ParquetColumn,
  perRowQuery,
} from './focusParquetQuery';

/**
 * Reading FOCUS Parquet with DuckDB (`read_parquet`), streamed a chunk (2,048 rows) at a time.
 * Chosen over hyparquet by measurement (bench/README.md): read and summed, 1,000,000 rows took
 * 5.2 to 7.0 s and 290 to 320 MB peak RSS, against 8.2 s, 520 MB and 1.5 s stalls with
 * hyparquet (it decodes a whole row group synchronously, and turns DECIMAL into floats). DuckDB
 * decodes on its own threads; each row crosses as one JSON array text, since fetching 16
 * values one by one from a chunk cost three times as much.
 */

/** The longest the reading goes without serving the event loop, about. */
const SERVE_EVERY_MS = 10;

/**
 * DuckDB's share of the ingest, measured with bench/ingest.ts (1,000,000 rows, 2 busy cores):
 * with these the whole ingest peaked at 398 to 428 MB, against 404 to 452 MB with 2 threads
 * (each keeps buffers and a malloc arena of its own) and about 440 MB with DuckDB's default
 * allocator flushing (here freed memory goes back to the system after each part); JS, not
 * DuckDB, is the slower side. 40 MB is too little to decode the bench's row groups.
 */
const DUCKDB_SETTINGS = {
  threads: '1',
  memory_limit: '64MB',
  allocator_bulk_deallocation_flush_threshold: '8MB',
  allocator_flush_threshold: '8MB',
};

/**
 * Rows grouped at a time: a grouping holds all its groups until its last is out, so a file is
 * grouped in consecutive parts of this many rows (DuckDB skips the row groups outside a part).
 * A part's groups come in the order of their first rows, and parts in the order of the file,
 * so every line and rejection comes in the order of its first row, as row by row.
 */
const PART_ROWS = 50_000;

/** `text` (a JS number's shortest form) without an exponent: the same decimal, in full. */
export function plainDecimal(text: string): string {
  const e = text.search(/e/i);
  if (e < 0) return text;
  const negative = text.startsWith('-');
  const mantissa = text.slice(negative ? 1 : 0, e);
  const exponent = Number(text.slice(e + 1));
  const point = mantissa.indexOf('.');
  const digits = mantissa.replace('.', '');
  // Where the decimal point falls in `digits`.
  const at = (point < 0 ? mantissa.length : point) + exponent;
  let plain: string;
  if (at <= 0) plain = `0.${'0'.repeat(-at)}${digits}`;
  else if (at >= digits.length) plain = digits + '0'.repeat(at - digits.length);
  else plain = `${digits.slice(0, at)}.${digits.slice(at)}`;
  return negative ? `-${plain}` : plain;
}

function messageOf(error: unknown): string {
  // Not `instanceof Error`: errors may come from another realm (as under Jest).
  const message = (error as { message?: unknown })?.message;
  return typeof message === 'string' ? message : String(error);
}

/** Opens the file with DuckDB; fails as FOCUS does when it is not Parquet or not FOCUS. */
async function openFocusParquet(
  connection: DuckDBConnection,
  file: string,
  label: string,
  group: boolean,
): Promise<{
  query: string;
  floating: boolean[];
  version: FocusVersion;
  grouped: boolean;
}> {
  // binary_as_string: some writers store text as unannotated BYTE_ARRAY.
  const source = `read_parquet($file, binary_as_string = true)`;
  let described: ParquetColumn[];
  try {
    const reader = await connection.runAndReadAll(
      `DESCRIBE SELECT * FROM ${source}`,
      { file },
    );
    described = reader.getRowObjectsJson().map(row => ({
      name: String(row.column_name),
      type: String(row.column_type),
    }));
  } catch (error) {
    throw new FocusFileError(
      `FOCUS file ${label} is not a readable Parquet file: ${messageOf(error)}`,
    );
  }
  const { columns, version } = mapFocusHeader(
    described.map(column => column.name),
    label,
    'Parquet',
  );
  // As in a CSV header, the last of several columns of the same name is read.
  const focusColumns = FOCUS_COLUMNS.map(
    focusColumn => described[columns.lastIndexOf(focusColumn)],
  );
  const floating = focusColumns.map(
    column => column !== undefined && isFloating(column.type),
  );
  const grouped = group
    ? groupedQuery(
        `read_parquet($file, binary_as_string = true, file_row_number = true)`,
        focusColumns,
      )
    : undefined;
  return {
    query: grouped ?? perRowQuery(source, focusColumns),
    floating,
    version,
    grouped: grouped !== undefined,
  };
}

/** The rows of a Parquet file, as its metadata gives them. */
async function rowCountOfFile(
  connection: DuckDBConnection,
  file: string,
  label: string,
): Promise<number> {
  let rows: number;
  try {
    const reader = await connection.runAndReadAll(
      'SELECT num_rows FROM parquet_file_metadata($file)',
      { file },
    );
    rows = Number(reader.getRowObjectsJson()[0]?.num_rows);
  } catch (error) {
    throw new FocusFileError(
      `FOCUS file ${label} is not a readable Parquet file: ${messageOf(error)}`,
    );
  }
  if (!Number.isSafeInteger(rows) || rows < 0) {
    throw new FocusFileError(
      `FOCUS file ${label} is not a readable Parquet file: its metadata gives no row count`,
    );
  }
  return rows;
}

/** The result chunks of `query`; fails as FOCUS does when DuckDB cannot read the file. */
async function* chunksOf(
  connection: DuckDBConnection,
  query: string,
  parameters: Record<string, string | number>,
  label: string,
): AsyncGenerator<DuckDBDataChunk> {
  try {
    const result = await connection.stream(query, parameters);
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) return;
      yield chunk;
    }
  } catch (error) {
    if (error instanceof FocusFileError) throw error;
    throw new FocusFileError(
      `FOCUS file ${label} is not a readable Parquet file: ${messageOf(error)}`,
    );
  }
}

/** Parquet values are not slices of a text: a sink passes the values themselves on. */
const NO_SLICES: FocusValueSlices = {
  text: '',
  startOf: () => -1,
  endOf: () => -1,
};

/**
 * Reads one local FOCUS Parquet file, streaming: hands its records, as FOCUS values, to
 * `sink` and yields after each chunk. A record is a group of rows with their amounts summed
 * (see focusParquetQuery.ts), named by its first row, or a single row when the file's
 * amounts cannot be summed exactly in SQL. Rows are numbered from 1 in the file, where CSV
 * gives the line number (which counts the header and quoted newlines). Fails when the file
 * is not readable Parquet or lacks a required column.
 */
export async function* readFocusParquetRecords(
  file: string,
  label: string,
  sink: FocusRowSink,
  /** False reads row by row (what the groups are tested against). */
  group = true,
): AsyncGenerator<void> {
  // Loaded here, so that reading CSV alone never maps DuckDB's native library; `require`,
  // not `import()`, which Jest cannot run.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DuckDBInstance: Instance } = require('@duckdb/node-api') as {
    DuckDBInstance: typeof DuckDBInstance;
  };
  let instance: DuckDBInstance | undefined;
  let connection: DuckDBConnection | undefined;
  try {
    // Nothing is fetched from the network: the extensions needed are built in.
    instance = await Instance.create(':memory:', {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      ...DUCKDB_SETTINGS,
      // Where the grouping spills beyond its memory limit: a directory of this read's own
      // (DuckDB names its files alike in every instance, and removes them when closed).
      temp_directory: path.join(
        os.tmpdir(),
        `costscope-duckdb-${randomUUID()}`,
      ),
    });
    connection = await instance.connect();
    await connection.run(`SET TimeZone = 'UTC'`);
    const { query, floating, version, grouped } = await openFocusParquet(
      connection,
      file,
      label,
      group,
    );
    sink.header?.(version);
    const values: FocusValues = FOCUS_COLUMNS.map(() => undefined);
    const toValues = (parsed: unknown[]) => {
      for (let i = 0; i < values.length; i += 1) {
        const value = parsed[i];
        if (value === null) values[i] = undefined;
        else if (floating[i] && typeof value === 'number') {
          values[i] = plainDecimal(String(value));
        } else values[i] = value as string;
      }
    };
    if (!grouped) {
      let row = 0;
      for await (const chunk of chunksOf(connection, query, { file }, label)) {
        const texts = chunk.getColumnVector(0);
        for (let r = 0; r < chunk.rowCount; r += 1) {
          toValues(JSON.parse(texts.getItem(r) as string) as unknown[]);
          row += 1;
          sink.row(values, row, NO_SLICES);
        }
        yield;
      }
      return;
    }
    // Part after part, up to the file's row count (from its footer): no query past the end.
    const fileRows = await rowCountOfFile(connection, file, label);
    for (let from = 0; from < fileRows; from += PART_ROWS) {
      const parameters = { file, from, to: from + PART_ROWS };
      for await (const chunk of chunksOf(
        connection,
        query,
        parameters,
        label,
      )) {
        const texts = chunk.getColumnVector(0);
        for (let r = 0; r < chunk.rowCount; r += 1) {
          const parsed = JSON.parse(texts.getItem(r) as string) as unknown[];
          toValues(parsed);
          // A group's row count and first row follow its values.
          const rows = parsed[values.length] as number;
          sink.row(
            values,
            parsed[values.length + 1] as number,
            NO_SLICES,
            rows,
          );
        }
        yield;
      }
    }
  } finally {
    connection?.closeSync();
    instance?.closeSync();
  }
}

/**
 * Reads one local FOCUS Parquet file in this thread: yields the cost lines of each chunk,
 * rows handled by the same row parser as CSV, and serves the event loop every few
 * milliseconds.
 */
export async function* readFocusParquet(
  file: string,
  label: string,
  currency: string | undefined,
  reject: FocusRejection,
  onVersion?: (version: FocusVersion) => void,
  /** False reads row by row (what the groups are tested against). */
  group = true,
): AsyncGenerator<CostLine[]> {
  const lines = new FocusLineCollector(
    new FocusRowParser(currency),
    reject,
    onVersion,
  );
  let served = performance.now();
  for await (const _ of readFocusParquetRecords(file, label, lines, group)) {
    yield lines.take();
    if (performance.now() - served > SERVE_EVERY_MS) {
      await setImmediate();
      served = performance.now();
    }
  }
}
