import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import {
  CostLine,
  CostSource,
  CostSourceReadContext,
} from '@costscope/backstage-plugin-node';
import { CsvParser, CsvSink } from './CsvParser';
import {
  FOCUS_COLUMNS,
  FocusRecord,
  FocusRowParser,
  FocusValues,
  REQUIRED_FOCUS_COLUMNS,
} from './parseFocusRow';

/** A record larger than this (in characters) is rejected rather than buffered. */
const MAX_RECORD_CHARS = 8 * 1024 * 1024;
/** Read size: large enough to keep per-chunk costs small, small enough not to stall. */
const CHUNK_BYTES = 64 * 1024;

/** A file that cannot be read as FOCUS at all: the run fails. */
class FocusFileError extends Error {}

/** Maps header cells to FOCUS columns; a file without the required ones is not FOCUS. */
function readHeader(
  header: string[],
  label: string,
): Array<keyof FocusRecord | undefined> {
  const known = new Map<string, keyof FocusRecord>(
    FOCUS_COLUMNS.map(column => [column.toLowerCase(), column]),
  );
  const columns = header.map(cell => known.get(cell.trim().toLowerCase()));
  const missing = REQUIRED_FOCUS_COLUMNS.filter(
    column => !columns.includes(column),
  );
  if (missing.length > 0) {
    throw new FocusFileError(
      `FOCUS file ${label} lacks the column(s) ${missing.join(
        ', ',
      )}: it is not a FOCUS CSV export`,
    );
  }
  return columns;
}

/** Turns the CSV records of one file into cost lines and rejections. */
class FocusFileReader implements CsvSink {
  readonly csv = new CsvParser(MAX_RECORD_CHARS, this);
  sawHeader = false;
  private headerLength = 0;
  /** For each FOCUS column (in FOCUS_COLUMNS order), its field index, or -1. */
  private fieldOf: number[] = [];
  private readonly values: FocusValues = FOCUS_COLUMNS.map(() => undefined);
  private lines: CostLine[] = [];

  constructor(
    private readonly label: string,
    private readonly rows: FocusRowParser,
    private readonly context: CostSourceReadContext,
  ) {}

  /** The lines read since the last call. */
  take(): CostLine[] {
    const lines = this.lines;
    this.lines = [];
    return lines;
  }

  record(fields: Array<string | undefined>, count: number, line: number) {
    if (!this.sawHeader) {
      this.readHeader(fields.slice(0, count) as string[]);
      return;
    }
    if (count !== this.headerLength) {
      this.context.reject({
        file: this.label,
        line,
        reason: `row has ${count} fields, the header has ${this.headerLength}`,
      });
      return;
    }
    const values = this.values;
    const fieldOf = this.fieldOf;
    for (let i = 0; i < fieldOf.length; i += 1) {
      values[i] = fieldOf[i] === -1 ? undefined : fields[fieldOf[i]];
    }
    const result = this.rows.parse(values);
    if (typeof result === 'string') {
      this.context.reject({ file: this.label, line, reason: result });
    } else {
      this.lines.push(result);
    }
  }

  error(reason: string, line: number) {
    if (!this.sawHeader) {
      throw new FocusFileError(
        `FOCUS file ${this.label} does not start with a CSV header (${reason}): it is not a FOCUS CSV export`,
      );
    }
    this.context.reject({ file: this.label, line, reason });
  }

  private readHeader(header: string[]): void {
    const columns = readHeader(header, this.label);
    this.sawHeader = true;
    this.headerLength = header.length;
    this.fieldOf = FOCUS_COLUMNS.map(column => columns.lastIndexOf(column));
    this.csv.selectFields(columns.map(column => column !== undefined));
  }
}

/** Options of a FOCUS file source, from app-config `costscope.sources[]`. */
export interface FocusFileSourceOptions {
  id: string;
  /** Files or directories; directories contribute every `.csv` and `.csv.gz` in them. */
  paths: string[];
  /** Rows in another currency are rejected. */
  currency?: string;
}

/**
 * Reads FOCUS CSV and gzipped CSV exports from local paths, streaming: a file is never held
 * in memory as a whole.
 */
export class FocusFileSource implements CostSource {
  readonly id: string;
  readonly description: string;
  private readonly options: FocusFileSourceOptions;

  constructor(options: FocusFileSourceOptions) {
    this.id = options.id;
    this.options = options;
    this.description = `FOCUS files at ${options.paths.join(', ')}`;
  }

  async *read(context: CostSourceReadContext): AsyncIterable<CostLine> {
    for (const file of await this.listFiles()) {
      context.signal?.throwIfAborted();
      yield* this.readFile(file, context);
      context.fileRead(file);
    }
  }

  /** Expands directories; fails when a configured path does not exist. */
  async listFiles(): Promise<string[]> {
    const files: string[] = [];
    for (const configured of this.options.paths) {
      const stat = await fs.stat(configured).catch(() => undefined);
      if (!stat) {
        throw new Error(
          `FOCUS source '${this.id}': path ${configured} does not exist`,
        );
      }
      if (stat.isDirectory()) {
        const entries = await fs.readdir(configured);
        files.push(
          ...entries
            .filter(name => /\.csv(\.gz)?$/i.test(name))
            .sort()
            .map(name => path.join(configured, name)),
        );
      } else {
        files.push(configured);
      }
    }
    return files;
  }

  private async *readFile(
    file: string,
    context: CostSourceReadContext,
  ): AsyncIterable<CostLine> {
    const label = path.basename(file);
    const reader = new FocusFileReader(
      label,
      new FocusRowParser(this.options.currency),
      context,
    );
    const decoder = new StringDecoder('utf8');
    const raw = createReadStream(file, { highWaterMark: CHUNK_BYTES });
    const input: NodeJS.ReadableStream = /\.gz$/i.test(file)
      ? pipeline(raw, createGunzip({ chunkSize: CHUNK_BYTES }), () => {})
      : raw;
    try {
      for await (const chunk of input as AsyncIterable<Buffer>) {
        reader.csv.push(decoder.write(chunk));
        for (const line of reader.take()) yield line;
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
    for (const line of reader.take()) yield line;
    if (!reader.sawHeader) {
      throw new Error(`FOCUS file ${label} is empty`);
    }
  }
}
