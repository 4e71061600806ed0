import { setImmediate } from 'node:timers/promises';
import type {
  DuckDBConnection,
  DuckDBInstance,
  DuckDBResult,
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

/** Type names of DESCRIBE, as DuckDB spells them. */
const FLOATING = /^(DOUBLE|FLOAT|REAL)$/;
const TIMESTAMP = /^TIMESTAMP/;

/** A JSON value (in SQL) that the row parser reads as the column's FOCUS text. */
function valueExpression(name: string, type: string): string {
  const column = `"${name.replace(/"/g, '""')}"`;
  if (type === 'VARCHAR') return column;
  // Numbers as JSON numbers: JSON.parse gives the same double, and JS prints it shortest.
  if (FLOATING.test(type)) {
    return `CASE WHEN isfinite(${column}) THEN to_json(${column}) ELSE to_json(CAST(${column} AS VARCHAR)) END`;
  }
  // With the session in UTC, plain and zoned timestamps (INT96 too) print as UTC instants.
  if (TIMESTAMP.test(type)) {
    return `strftime(${column}, '%Y-%m-%dT%H:%M:%S.%fZ')`;
  }
  // Maps and structs (Tags): their JSON object text, which the Tags parser reads.
  if (/^(MAP|STRUCT)\(/.test(type)) {
    return `CAST(to_json(${column}) AS VARCHAR)`;
  }
  // DECIMAL prints its exact digits; dates, integers and JSON print as they should.
  return `CAST(${column} AS VARCHAR)`;
}

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
): Promise<{
  result: DuckDBResult;
  floating: boolean[];
  version: FocusVersion;
}> {
  // binary_as_string: some writers store text as unannotated BYTE_ARRAY.
  const source = `read_parquet($file, binary_as_string = true)`;
  let described: Array<{ name: string; type: string }>;
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
  const floating: boolean[] = [];
  const values = FOCUS_COLUMNS.map((focusColumn, i) => {
    // As in a CSV header, the last of several columns of the same name is read.
    const column = described[columns.lastIndexOf(focusColumn)];
    floating[i] = column !== undefined && FLOATING.test(column.type);
    return column ? valueExpression(column.name, column.type) : 'NULL';
  });
  try {
    const result = await connection.stream(
      `SELECT CAST(json_array(${values.join(', ')}) AS VARCHAR) FROM ${source}`,
      { file },
    );
    return { result, floating, version };
  } catch (error) {
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
 * Reads one local FOCUS Parquet file, streaming: hands its rows, as FOCUS values, to `sink`
 * and yields after each chunk. Rows are numbered from 1 in the file, where CSV gives the
 * line number (which counts the header and quoted newlines). Fails when the file is not
 * readable Parquet or lacks a required column.
 */
export async function* readFocusParquetRecords(
  file: string,
  label: string,
  sink: FocusRowSink,
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
    });
    connection = await instance.connect();
    await connection.run(`SET TimeZone = 'UTC'`);
    const { result, floating, version } = await openFocusParquet(
      connection,
      file,
      label,
    );
    sink.header?.(version);
    const values: FocusValues = FOCUS_COLUMNS.map(() => undefined);
    let row = 0;
    for (;;) {
      let chunk;
      try {
        chunk = await result.fetchChunk();
      } catch (error) {
        throw new FocusFileError(
          `FOCUS file ${label} is not a readable Parquet file: ${messageOf(
            error,
          )}`,
        );
      }
      if (!chunk || chunk.rowCount === 0) break;
      const texts = chunk.getColumnVector(0);
      for (let r = 0; r < chunk.rowCount; r += 1) {
        const parsed = JSON.parse(texts.getItem(r) as string) as unknown[];
        for (let i = 0; i < values.length; i += 1) {
          const value = parsed[i];
          if (value === null) values[i] = undefined;
          else if (floating[i] && typeof value === 'number') {
            values[i] = plainDecimal(String(value));
          } else values[i] = value as string;
        }
        row += 1;
        sink.row(values, row, NO_SLICES);
      }
      yield;
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
): AsyncGenerator<CostLine[]> {
  const lines = new FocusLineCollector(
    new FocusRowParser(currency),
    reject,
    onVersion,
  );
  let served = performance.now();
  for await (const _ of readFocusParquetRecords(file, label, lines)) {
    yield lines.take();
    if (performance.now() - served > SERVE_EVERY_MS) {
      await setImmediate();
      served = performance.now();
    }
  }
}
