import { Readable } from 'stream';

/** A CSV cell: null and undefined are empty cells. */
export type CsvValue = string | number | bigint | boolean | null | undefined;

export interface CsvOptions {
  /**
   * Guard against spreadsheet formula injection (OWASP "CSV injection"): a text cell that
   * starts with `=`, `+`, `-`, `@`, a tab or a CR, and is not a plain number, gets a leading
   * `'` so that Excel and LibreOffice show it instead of evaluating it. Numbers, and texts that
   * are plain decimal numbers such as `-12.50`, are never changed. Default true.
   */
  protectFormulas?: boolean;
}

const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell, escaped by RFC 4180: quoted when it holds a comma, quote, CR or LF; quotes doubled. */
export function csvField(value: CsvValue, options: CsvOptions = {}): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new TypeError(`CSV cell ${value} is not a finite number`);
    }
    text = String(value);
  } else if (typeof value === 'string') {
    text = value;
    if (
      (options.protectFormulas ?? true) &&
      FORMULA_START.test(text) &&
      !PLAIN_NUMBER.test(text)
    ) {
      text = `'${text}`;
    }
  } else {
    text = String(value);
  }
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, terminated by CRLF as RFC 4180 asks. */
export function csvRow(values: CsvValue[], options: CsvOptions = {}): string {
  return `${values.map(v => csvField(v, options)).join(',')}\r\n`;
}

/**
 * Streams a CSV: the header (when given), then one line per row as the rows arrive. Nothing
 * is held beyond the current row, so a report of any size streams in constant memory; the
 * consumer's pace drives the producer (a row is pulled only when the previous line is taken).
 */
export async function* csvLines(
  header: string[] | undefined,
  rows: AsyncIterable<CsvValue[]> | Iterable<CsvValue[]>,
  options: CsvOptions = {},
): AsyncGenerator<string, void, undefined> {
  if (header) yield csvRow(header, options);
  for await (const row of rows) {
    yield csvRow(row, options);
  }
}

/**
 * The same as a Node Readable (UTF-8 text), to pipe into an HTTP response:
 * `csvReadable(header, rows).pipe(res)`. Back-pressure applies: rows are pulled as the
 * response drains. An error thrown by `rows` destroys the stream with that error.
 */
export function csvReadable(
  header: string[] | undefined,
  rows: AsyncIterable<CsvValue[]> | Iterable<CsvValue[]>,
  options: CsvOptions = {},
): Readable {
  return Readable.from(csvLines(header, rows, options), { objectMode: false });
}
