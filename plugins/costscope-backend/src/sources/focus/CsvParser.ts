/** Receives what a `CsvParser` reads. */
export interface CsvSink {
  /**
   * One record. `fields` is reused for the next record: read it before returning. Fields
   * not selected are undefined; `count` is the number of fields the record has.
   */
  record(fields: Array<string | undefined>, count: number, line: number): void;
  /** A stretch of input that is not a record; parsing resumes on the next line. */
  error(reason: string, line: number): void;
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/**
 * A streaming CSV parser (RFC 4180: comma-separated, double quotes, `""` inside quotes) for
 * large exports: it is fed text chunks and hands the records they complete to a sink, with
 * the line each starts on. Lines end in LF, CRLF or (for files that use it throughout) CR;
 * quoted fields may span lines; a leading byte-order mark and empty lines are skipped; a
 * quote inside an unquoted field is taken literally.
 *
 * A damaged stretch does not stop it: a record with text after a closing quote, an unclosed
 * quote at the end of the input or a record longer than `maxRecordChars` is reported as an
 * error, and parsing resumes on the next line. So a stray quote costs one line, not the rest
 * of the file, and no more than `maxRecordChars` is ever buffered.
 *
 * Exports repeat values from row to row (currency, dates, a resource's name on each of its
 * usage lines): a field equal to the same field of the previous record is handed over as the
 * very same string, which saves allocations and lets later lookups compare by identity.
 */
export class CsvParser {
  private pending = '';
  /** Line number at the start of `pending`. */
  private line = 1;
  private started = false;
  private newline = LF;
  private newlineText = '\n';
  /** Discarding the rest of an over-long line. */
  private skipping = false;
  private select: boolean[] | undefined;
  private readonly fields: Array<string | undefined> = [];
  /** The previous record's value of each field, and its quoted (escaped) text. */
  private readonly previous: Array<string | undefined> = [];
  private readonly previousRaw: Array<string | undefined> = [];
  /** The text the record handed to the sink was parsed from. */
  private parsing = '';
  /** Where the latest new value of each field that was a slice of its text lies in it. */
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** Per field, the number of the record whose new value `starts` and `ends` locate. */
  private readonly located: number[] = [];
  /** Number of the record being parsed. */
  private serial = 0;

  constructor(
    private readonly maxRecordChars: number,
    private readonly sink: CsvSink,
  ) {}

  /** Only these fields (by index) are sliced out of later records; the others are undefined. */
  selectFields(select: boolean[] | undefined): void {
    this.select = select;
  }

  /**
   * The text the record being handed to the sink was parsed from. A field whose value is new
   * in that record (not the previous record's) is its slice `startOf` to `endOf`, so a sink
   * that passes values on can pass the text and positions instead of copying each value.
   */
  get text(): string {
    return this.parsing;
  }

  /**
   * Where field `field` of the record being handed over starts in `text`; -1 when its value
   * is the previous record's or not a slice of the text.
   */
  startOf(field: number): number {
    return this.located[field] === this.serial ? this.starts[field] : -1;
  }

  /** Where field `field`'s new value ends in `text`. */
  endOf(field: number): number {
    return this.ends[field];
  }

  /** Feeds the next chunk. */
  push(chunk: string): void {
    let text = this.pending.length > 0 ? this.pending + chunk : chunk;
    this.pending = '';
    if (!this.started) {
      if (text.length === 0) return;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      this.detectNewline(text);
      this.started = true;
    }
    this.consume(text, false);
  }

  /** Ends the input: whatever is left becomes a last record or an error. */
  end(): void {
    const text = this.pending;
    this.pending = '';
    if (!this.started) {
      this.started = true;
      if (text.length === 0) return;
    }
    this.consume(text, true);
  }

  /** CR-only files are rare but exist; anything else splits on LF (CRLF included). */
  private detectNewline(text: string): void {
    const lf = text.indexOf('\n');
    const cr = text.indexOf('\r');
    if (
      cr !== -1 &&
      (lf === -1 || cr < lf) &&
      cr + 1 < text.length &&
      text.charCodeAt(cr + 1) !== LF
    ) {
      this.newline = CR;
      this.newlineText = '\r';
    }
  }

  private consume(input: string, final: boolean): void {
    let text = input;
    for (;;) {
      if (this.skipping) {
        const end = text.indexOf(this.newlineText);
        if (end === -1) return;
        text = text.slice(end + 1);
        this.line += 1;
        this.skipping = false;
      }
      const consumed = this.parse(text, final);
      const rest = consumed < text.length ? text.slice(consumed) : '';
      if (final) {
        if (rest.length === 0) return;
        // Only an unclosed quote leaves text unconsumed at the end.
        this.sink.error(
          'quoted field not closed at the end of the input',
          this.line,
        );
      } else if (rest.length <= this.maxRecordChars) {
        this.pending = rest;
        return;
      } else {
        this.sink.error(this.tooLong(), this.line);
      }
      // Go on after the first line of the broken record.
      const end = rest.indexOf(this.newlineText);
      if (end === -1) {
        this.skipping = !final;
        return;
      }
      text = rest.slice(end + 1);
      this.line += 1;
    }
  }

  /** Sets field `index` to `text[start, end)`, or to the equal previous value of that field. */
  private keep(text: string, start: number, end: number, index: number): void {
    const value = text.slice(start, end);
    const before = this.previous[index];
    if (value === before) {
      this.fields[index] = before;
    } else {
      this.fields[index] = value;
      this.previous[index] = value;
      this.previousRaw[index] = undefined;
      this.starts[index] = start;
      this.ends[index] = end;
      this.located[index] = this.serial;
    }
  }

  private tooLong(): string {
    return `record longer than ${Math.round(
      this.maxRecordChars / 1024,
    )} KiB (an unclosed quote?)`;
  }

  /**
   * Parses the complete records at the start of `text`; returns where the first incomplete
   * one starts (text.length when none is). With `final`, the end of text ends a record.
   */
  private parse(text: string, final: boolean): number {
    const length = text.length;
    const newline = this.newline;
    const newlineText = this.newlineText;
    const select = this.select;
    const fields = this.fields;
    const previous = this.previous;
    const previousRaw = this.previousRaw;
    const sink = this.sink;
    this.parsing = text;
    let pos = 0;
    let nextComma = -1;
    let nextNewline = -1;

    while (pos < length) {
      const start = pos;
      let code = text.charCodeAt(pos);
      // Empty lines.
      if (code === newline) {
        pos += 1;
        this.line += 1;
        continue;
      }
      if (code === CR && newline === LF) {
        if (pos + 1 >= length && !final) return start;
        if (pos + 1 >= length || text.charCodeAt(pos + 1) === LF) {
          pos += 2;
          this.line += 1;
          continue;
        }
      }

      this.serial += 1;
      let count = 0;
      let innerLines = 0;
      let broken = false;
      for (;;) {
        const wanted = select === undefined || select[count] === true;
        code = text.charCodeAt(pos);
        if (code === QUOTE) {
          let search = pos + 1;
          let escaped = false;
          let close: number;
          for (;;) {
            close = text.indexOf('"', search);
            if (close === -1) return start;
            if (text.charCodeAt(close + 1) === QUOTE) {
              escaped = true;
              search = close + 2;
              continue;
            }
            if (close + 1 >= length && !final) return start;
            break;
          }
          if (nextNewline <= pos) {
            nextNewline = text.indexOf(newlineText, pos + 1);
          }
          if (nextNewline !== -1 && nextNewline < close) {
            for (
              let at = nextNewline;
              at !== -1 && at < close;
              at = text.indexOf(newlineText, at + 1)
            ) {
              innerLines += 1;
            }
            nextNewline = -1;
          }
          if (wanted) {
            if (!escaped) {
              this.keep(text, pos + 1, close, count);
            } else {
              const rawValue = text.slice(pos + 1, close);
              if (rawValue === previousRaw[count]) {
                fields[count] = previous[count];
              } else {
                const value = rawValue.replaceAll('""', '"');
                fields[count] = value;
                previous[count] = value;
                previousRaw[count] = rawValue;
              }
            }
          } else {
            fields[count] = undefined;
          }
          count += 1;
          pos = close + 1;
          code = pos < length ? text.charCodeAt(pos) : -1;
          if (code === COMMA) {
            pos += 1;
            continue;
          }
          if (code === newline) {
            pos += 1;
            break;
          }
          if (code === CR && newline === LF) {
            if (pos + 1 >= length) {
              if (!final) return start;
              pos += 1;
              break;
            }
            if (text.charCodeAt(pos + 1) === LF) {
              pos += 2;
              break;
            }
          }
          if (code === -1) break;
          // Text after a closing quote: give up on this record and go on with the line
          // after its first one (a stray quote costs one line, not the lines it spans).
          const firstLineEnd = text.indexOf(newlineText, start);
          if (firstLineEnd === -1 && !final) return start;
          sink.error('unexpected text after a closing quote', this.line);
          this.line += 1;
          pos = firstLineEnd === -1 ? length : firstLineEnd + 1;
          nextNewline = -1;
          nextComma = -1;
          broken = true;
          break;
        }

        // Unquoted field: up to the next comma or line end.
        if (nextComma < pos && nextComma !== -2) {
          nextComma = text.indexOf(',', pos);
          if (nextComma === -1) nextComma = -2;
        }
        if (nextNewline < pos) nextNewline = text.indexOf(newlineText, pos);
        if (nextNewline === -1 && !final) return start;
        const lineEnd = nextNewline === -1 ? length : nextNewline;
        const lastField = !(nextComma >= 0 && nextComma < lineEnd);
        let end = lastField ? lineEnd : nextComma;
        if (
          lastField &&
          newline === LF &&
          end > pos &&
          text.charCodeAt(end - 1) === CR
        ) {
          end -= 1;
        }
        if (wanted) {
          this.keep(text, pos, end, count);
        } else {
          fields[count] = undefined;
        }
        count += 1;
        if (lastField) {
          pos = lineEnd + 1;
          break;
        }
        pos = nextComma + 1;
      }

      if (broken) continue;
      if (pos - start > this.maxRecordChars) {
        sink.error(this.tooLong(), this.line);
      } else {
        sink.record(fields, count, this.line);
      }
      this.line += innerLines + 1;
    }
    return length;
  }
}
