import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { parse, CsvError, Info } from 'csv-parse';
import {
  CostLine,
  CostSource,
  CostSourceReadContext,
} from '@costscope/backstage-plugin-node';
import {
  FOCUS_COLUMNS,
  FocusRecord,
  parseFocusRow,
  REQUIRED_FOCUS_COLUMNS,
} from './parseFocusRow';

/** A FOCUS field larger than this is rejected rather than buffered. */
const MAX_RECORD_BYTES = 8 * 1024 * 1024;

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
    const parser = parse({
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      max_record_size: MAX_RECORD_BYTES,
    });
    parser.on('skip', (error: CsvError & { lines?: number }) => {
      context.reject({
        file: label,
        line: error.lines ?? 0,
        reason: error.message,
      });
    });
    let input: NodeJS.ReadableStream = createReadStream(file);
    if (/\.gz$/i.test(file)) input = input.pipe(createGunzip());
    input.on('error', error => parser.destroy(error as Error));
    input.pipe(parser);

    let columns: Array<keyof FocusRecord | undefined> | undefined;
    let headerLength = 0;
    let previousLine = 0;
    // csv-parse counts a CRLF inside a quoted field as two lines; undo that so that line
    // numbers in rejections match what an editor shows.
    let overcount = 0;
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: Info;
    }>) {
      const firstLine = previousLine + 1;
      for (const field of record) overcount += field.split('\r\n').length - 1;
      previousLine = info.lines - overcount;
      if (!columns) {
        columns = readHeader(record, label);
        headerLength = record.length;
        continue;
      }
      if (record.length !== headerLength) {
        context.reject({
          file: label,
          line: firstLine,
          reason: `row has ${record.length} fields, the header has ${headerLength}`,
        });
        continue;
      }
      const focusRecord: FocusRecord = {};
      columns.forEach((column, index) => {
        if (column) focusRecord[column] = record[index];
      });
      const result = parseFocusRow(focusRecord, this.options.currency);
      if ('reason' in result) {
        context.reject({ file: label, line: firstLine, reason: result.reason });
      } else {
        yield result.line;
      }
    }
    if (!columns) {
      throw new Error(`FOCUS file ${label} is empty`);
    }
  }
}

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
    throw new Error(
      `FOCUS file ${label} lacks the column(s) ${missing.join(
        ', ',
      )}: it is not a FOCUS CSV export`,
    );
  }
  return columns;
}
