import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { CostLine } from '@costscope/backstage-plugin-node';
import { CsvParser, CsvSink } from './CsvParser';
import { FocusFileError, FocusVersion, mapFocusHeader } from './focusColumns';
import { FOCUS_COLUMNS, FocusRowParser, FocusValues } from './parseFocusRow';
import { setRowCount } from '../../ingest/rowCount';

/** A record larger than this (in characters) is rejected rather than buffered. */
const MAX_RECORD_CHARS = 8 * 1024 * 1024;
/** Read size: large enough to keep per-chunk costs small, small enough not to stall. */
const CHUNK_BYTES = 64 * 1024;

/**
 * A rejected row of one file: where it starts and why; `rows` (1 when absent) when it stands
 * for several rows with the same values, the first at `line`.
 */
export type FocusRejection = (
  line: number,
  reason: string,
  rows?: number,
) => void;

/**
 * Where the values of a record that are new (not the previous record's) lie in the text they
 * were parsed from: a sink that passes values on can pass the text and positions.
 */
export interface FocusValueSlices {
  readonly text: string;
  /**
   * Where FOCUS column `column`'s value starts in `text`; -1 when it is the previous
   * record's value or not a slice of `text` (then the value itself must be used).
   */
  startOf(column: number): number;
  endOf(column: number): number;
}

/** Receives the records of a FOCUS file with the header's field count, and rejected rows. */
export interface FocusRowSink {
  /**
   * A record as values in FOCUS_COLUMNS order; `values` is reused for the next record.
   * `rows` (1 when absent): how many rows it stands for when the reader pre-aggregated them
   * (amounts summed), the first at `line`.
   */
  row(
    values: FocusValues,
    line: number,
    slices: FocusValueSlices,
    rows?: number,
  ): void;
  reject(line: number, reason: string): void;
  /** The FOCUS version the file's columns look like, once its header is read. */
  header?(version: FocusVersion): void;
}

/** Maps the CSV records of one file to FOCUS values, after checking its header. */
class FocusRecordReader implements CsvSink, FocusValueSlices {
  readonly csv = new CsvParser(MAX_RECORD_CHARS, this);
  sawHeader = false;
  private headerLength = 0;
  /** For each FOCUS column (in FOCUS_COLUMNS order), its field index, or -1. */
  private fieldOf: number[] = [];
  private readonly values: FocusValues = FOCUS_COLUMNS.map(() => undefined);

  constructor(
    private readonly label: string,
    private readonly sink: FocusRowSink,
  ) {}

  record(fields: Array<string | undefined>, count: number, line: number) {
    if (!this.sawHeader) {
      this.readHeader(fields.slice(0, count) as string[]);
      return;
    }
    if (count !== this.headerLength) {
      this.sink.reject(
        line,
        `row has ${count} fields, the header has ${this.headerLength}`,
      );
      return;
    }
    const values = this.values;
    const fieldOf = this.fieldOf;
    for (let i = 0; i < fieldOf.length; i += 1) {
      values[i] = fieldOf[i] === -1 ? undefined : fields[fieldOf[i]];
    }
    this.sink.row(values, line, this);
  }

  get text(): string {
    return this.csv.text;
  }

  startOf(column: number): number {
    const field = this.fieldOf[column];
    return field === -1 ? -1 : this.csv.startOf(field);
  }

  endOf(column: number): number {
    return this.csv.endOf(this.fieldOf[column]);
  }

  error(reason: string, line: number) {
    if (!this.sawHeader) {
      throw new FocusFileError(
        `FOCUS file ${this.label} does not start with a CSV header (${reason}): it is not a FOCUS CSV export`,
      );
    }
    this.sink.reject(line, reason);
  }

  private readHeader(header: string[]): void {
    const { columns, version } = mapFocusHeader(header, this.label, 'CSV');
    this.sink.header?.(version);
    this.sawHeader = true;
    this.headerLength = header.length;
    this.fieldOf = FOCUS_COLUMNS.map(column => columns.lastIndexOf(column));
    this.csv.selectFields(columns.map(column => column !== undefined));
  }
}

/** What a rejection of a group of rows says of the rows after its first. */
function sameValues(more: number): string {
  return `(and ${more} more ${
    more === 1 ? 'row' : 'rows'
  } with the same values)`;
}

/** Parses FOCUS values into cost lines, collecting them until taken. */
export class FocusLineCollector implements FocusRowSink {
  private lines: CostLine[] = [];

  constructor(
    private readonly rows: FocusRowParser,
    readonly reject: FocusRejection,
    private readonly onVersion?: (version: FocusVersion) => void,
  ) {}

  header(version: FocusVersion): void {
    this.onVersion?.(version);
  }

  row(
    values: FocusValues,
    line: number,
    _slices?: FocusValueSlices,
    rows = 1,
  ): void {
    const result = this.rows.parse(values);
    if (typeof result === 'string') {
      this.reject(
        line,
        rows === 1 ? result : `${result} ${sameValues(rows - 1)}`,
        rows,
      );
    } else {
      this.lines.push(setRowCount(result, rows));
    }
  }

  /** The lines parsed since the last call. */
  take(): CostLine[] {
    const lines = this.lines;
    this.lines = [];
    return lines;
  }
}

/**
 * Reads one FOCUS CSV or gzipped CSV file, streaming (a file is never held in memory as a
 * whole): hands its records to `sink` and yields after each chunk read. Fails when the file
 * cannot be read or is not FOCUS at all.
 */
export async function* readFocusRecords(
  file: string,
  label: string,
  sink: FocusRowSink,
): AsyncGenerator<void> {
  const reader = new FocusRecordReader(label, sink);
  const decoder = new StringDecoder('utf8');
  const raw = createReadStream(file, { highWaterMark: CHUNK_BYTES });
  const input: NodeJS.ReadableStream = /\.gz$/i.test(file)
    ? pipeline(raw, createGunzip({ chunkSize: CHUNK_BYTES }), () => {})
    : raw;
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      reader.csv.push(decoder.write(chunk));
      yield;
    }
  } catch (error) {
    if (error instanceof FocusFileError) throw error;
    // Not `instanceof Error`: stream errors may come from another realm (as under Jest).
    const message = (error as { message?: unknown })?.message;
    throw new Error(
      `FOCUS file ${label} could not be read: ${
        typeof message === 'string' ? message : String(error)
      }`,
    );
  }
  reader.csv.push(decoder.end());
  reader.csv.end();
  yield;
  if (!reader.sawHeader) {
    throw new Error(`FOCUS file ${label} is empty`);
  }
}

/** Reads one FOCUS file in this thread: yields the cost lines of each chunk read. */
export async function* readFocusFile(
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
  for await (const _ of readFocusRecords(file, label, lines)) {
    yield lines.take();
  }
}
