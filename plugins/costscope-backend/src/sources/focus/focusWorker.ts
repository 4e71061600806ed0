import { setImmediate } from 'node:timers/promises';
import {
  isMainThread,
  parentPort,
  Worker,
  workerData,
} from 'node:worker_threads';
import { CostLine } from '@costscope/backstage-plugin-node';
import { detach } from '../../ingest/detach';
import {
  FocusLineCollector,
  FocusRejection,
  FocusRowSink,
  FocusValueSlices,
  readFocusRecords,
} from './focusFileReader';
import { FocusVersion } from './focusColumns';
import { readFocusParquetRecords } from './focusParquetReader';
import { FOCUS_COLUMNS, FocusRowParser, FocusValues } from './parseFocusRow';

/**
 * Reading a FOCUS file in a worker thread, so that it runs on another core than the rest of
 * the ingest. The worker reads, decodes and splits the CSV (the larger part of the reading);
 * the calling thread checks the rows (`FocusRowParser`) and the caller sums them into facts.
 *
 * Records cross in batches, with each value only when it differs from the same column of the
 * record before (most do not: dates, accounts, a resource's name and tags repeat from line to
 * line), as its place in the text it was parsed from. Rows the worker rejects (wrong field count,
 * broken quotes) are in the batch at their place, so rejections keep the order of the file.
 * The worker stays at most a few batches ahead, so memory stays bounded.
 */

/** Marks this module's own worker in `workerData`. */
const MARKER = 'costscopeFocusFileWorker';
/** Records per batch, about. */
const BATCH_RECORDS = 4096;
/** Characters of the texts a batch carries, about (long Tags texts make large batches). */
const BATCH_CHARS = 4 * 1024 * 1024;
/** Records turned into cost lines at a time, out of a batch. */
const YIELD_RECORDS = 256;
/** The longest the reading thread goes without serving its event loop, about. */
const SERVE_EVERY_MS = 10;
/**
 * Batches sent and not yet taken by the reading thread, at most. Batches carry the parsed
 * texts whole, so more of them in flight cost memory without reading any faster.
 */
const MAX_AHEAD = 2;
const COLUMNS = FOCUS_COLUMNS.length;
/** Codes of a value in a batch: absent, or the same as in the record before. */
const ABSENT = -1;
const SAME = -2;

interface WorkerInput {
  [MARKER]: true;
  file: string;
  label: string;
}

type WorkerMessage =
  | { kind: 'ready' }
  | {
      kind: 'batch';
      /** Per record its line; negated for a rejected row (its reason is in `reasons`). */
      lines: Float64Array<ArrayBuffer>;
      /**
       * Per row that is not rejected: how many rows it stands for (see FocusRowSink). Absent
       * when every row stands for 1 (CSV never groups rows).
       */
      counts?: Float64Array<ArrayBuffer>;
      /** COLUMNS codes per row that is not rejected: ABSENT, SAME, or a value's number. */
      codes: Int32Array<ArrayBuffer>;
      /** The texts the new values are slices of. */
      texts: string[];
      /** Per new value: the index of its text in `texts`, its start and its end. */
      slices: Int32Array<ArrayBuffer>;
      reasons: string[];
    }
  | { kind: 'done'; version?: FocusVersion }
  | { kind: 'error'; message: string };

/**
 * The worker's side: reads the file and sends its records in batches. A new value is sent
 * as its place in the text it was parsed from, and each such text once per batch, which is
 * cheaper than copying every new value into a batch text. Exported for its tests.
 */
export class BatchWriter implements FocusRowSink {
  /** The file's FOCUS version, sent with `done`. */
  version?: FocusVersion;
  lines = new Float64Array(BATCH_RECORDS);
  /** Made when a row of the batch stands for other than 1 row (the rows before it: 1). */
  counts: Float64Array<ArrayBuffer> | undefined;
  codes = new Int32Array(BATCH_RECORDS * COLUMNS);
  texts: string[] = [];
  /** Characters of the texts so far. */
  chars = 0;
  /** The latest parsed text in `texts`, and its index there. */
  private parsed: string | undefined;
  private parsedIndex = -1;
  slices = new Int32Array(BATCH_RECORDS * 4 * 3);
  values = 0;
  reasons: string[] = [];
  records = 0;
  rows = 0;
  /** The values of the record before, as sent. */
  private readonly sent: Array<string | undefined> = FOCUS_COLUMNS.map(
    () => undefined,
  );

  header(version: FocusVersion): void {
    this.version = version;
  }

  row(
    values: FocusValues,
    line: number,
    slices: FocusValueSlices,
    rows = 1,
  ): void {
    if (this.records === this.lines.length) this.lines = grown(this.lines);
    if (this.rows * COLUMNS === this.codes.length)
      this.codes = grown(this.codes);
    if (rows !== 1 && !this.counts) {
      this.counts = new Float64Array(this.codes.length / COLUMNS);
      this.counts.fill(1, 0, this.rows);
    }
    if (this.counts) {
      if (this.rows === this.counts.length) this.counts = grown(this.counts);
      this.counts[this.rows] = rows;
    }
    this.lines[this.records] = line;
    this.records += 1;
    const codes = this.codes;
    const sent = this.sent;
    const at = this.rows * COLUMNS;
    for (let i = 0; i < COLUMNS; i += 1) {
      const value = values[i];
      if (value === undefined) {
        codes[at + i] = ABSENT;
        // The reader now holds no value here: the next equal value must be sent again.
        sent[i] = undefined;
      } else if (value === sent[i]) {
        codes[at + i] = SAME;
      } else {
        codes[at + i] = this.values;
        const start = slices.startOf(i);
        if (start >= 0) {
          this.addSlice(slices.text, start, slices.endOf(i));
        } else {
          // Not a slice of the text (a quoted value with escaped quotes): itself.
          this.addSlice(value, 0, value.length, true);
        }
        sent[i] = value;
      }
    }
    this.rows += 1;
  }

  /** Adds a new value: `text[start, end)`, or the whole of `text` when `own`. */
  private addSlice(text: string, start: number, end: number, own = false) {
    let index = this.parsedIndex;
    if (own || text !== this.parsed) {
      index = this.texts.length;
      this.texts.push(text);
      this.chars += text.length;
      if (!own) {
        this.parsed = text;
        this.parsedIndex = index;
      }
    }
    if (this.values * 3 === this.slices.length)
      this.slices = grown(this.slices);
    const at = this.values * 3;
    this.slices[at] = index;
    this.slices[at + 1] = start;
    this.slices[at + 2] = end;
    this.values += 1;
  }

  reject(line: number, reason: string): void {
    if (this.records === this.lines.length) this.lines = grown(this.lines);
    this.lines[this.records] = -line;
    this.records += 1;
    this.reasons.push(reason);
  }

  /** The batch so far, as a message (and a fresh batch). */
  take(): WorkerMessage & { kind: 'batch' } {
    const message = {
      kind: 'batch' as const,
      lines: this.lines.subarray(0, this.records),
      counts: this.counts?.subarray(0, this.rows),
      codes: this.codes.subarray(0, this.rows * COLUMNS),
      texts: this.texts,
      slices: this.slices.subarray(0, this.values * 3),
      reasons: this.reasons,
    };
    this.lines = new Float64Array(BATCH_RECORDS);
    this.counts = undefined;
    this.codes = new Int32Array(BATCH_RECORDS * COLUMNS);
    this.texts = [];
    this.chars = 0;
    this.parsed = undefined;
    this.slices = new Int32Array(BATCH_RECORDS * 4 * 3);
    this.values = 0;
    this.reasons = [];
    this.records = 0;
    this.rows = 0;
    return message;
  }
}

/** A copy of `array` twice as long (a chunk may hold more records than a batch). */
function grown<T extends Int32Array<ArrayBuffer> | Float64Array<ArrayBuffer>>(
  array: T,
): T {
  const larger = new (array.constructor as new (length: number) => T)(
    array.length * 2,
  );
  larger.set(array);
  return larger;
}

async function work(input: WorkerInput): Promise<void> {
  const port = parentPort!;
  let ahead = 0;
  let wake: (() => void) | undefined;
  port.on('message', () => {
    ahead -= 1;
    wake?.();
    wake = undefined;
  });
  port.postMessage({ kind: 'ready' } satisfies WorkerMessage);

  const taken = () =>
    new Promise<void>(resolve => {
      wake = resolve;
    });
  const batch = new BatchWriter();
  const send = async () => {
    if (batch.records === 0) return;
    const message = batch.take();
    const transfer = [
      message.lines.buffer,
      message.codes.buffer,
      message.slices.buffer,
    ];
    if (message.counts) transfer.push(message.counts.buffer);
    port.postMessage(message, transfer);
    ahead += 1;
    while (ahead >= MAX_AHEAD) await taken();
  };
  try {
    // Parquet is decoded here too, by DuckDB; the calling thread only parses the rows.
    const records = /\.parquet$/i.test(input.file)
      ? readFocusParquetRecords(input.file, input.label, batch)
      : readFocusRecords(input.file, input.label, batch);
    for await (const _ of records) {
      if (batch.records >= BATCH_RECORDS || batch.chars >= BATCH_CHARS) {
        await send();
      }
    }
    await send();
    port.postMessage({
      kind: 'done',
      version: batch.version,
    } satisfies WorkerMessage);
  } catch (error) {
    // What was read before the failure counts, as when reading in the calling thread.
    await send();
    port.postMessage({
      kind: 'error',
      message: error instanceof Error ? error.message : String(error),
    } satisfies WorkerMessage);
  }
  port.close();
}

if (!isMainThread && (workerData as WorkerInput | undefined)?.[MARKER]) {
  void work(workerData as WorkerInput);
}

/**
 * Hands a batch's records to a sink, some at a time: the cost lines of a whole batch, held
 * until summed, would live long enough to be promoted to the old generation.
 */
class BatchReader {
  private record = 0;
  private row = 0;
  private reason = 0;

  constructor(
    private readonly batch: WorkerMessage & { kind: 'batch' },
    /** The values of the record before, kept from batch to batch. */
    private readonly values: FocusValues,
  ) {
    // Values kept from earlier batches must not keep those batches' texts alive.
    for (let i = 0; i < COLUMNS; i += 1) {
      const value = values[i];
      if (value !== undefined) values[i] = detach(value);
    }
  }

  get done(): boolean {
    return this.record === this.batch.lines.length;
  }

  /** Hands over the next `count` records, at most. */
  read(sink: FocusLineCollector, count: number): void {
    const { lines, counts, codes, texts, slices, reasons } = this.batch;
    const values = this.values;
    const end = Math.min(lines.length, this.record + count);
    for (; this.record < end; this.record += 1) {
      const line = lines[this.record];
      if (line < 0) {
        sink.reject(-line, reasons[this.reason]);
        this.reason += 1;
        continue;
      }
      const at = this.row * COLUMNS;
      for (let i = 0; i < COLUMNS; i += 1) {
        const code = codes[at + i];
        if (code === ABSENT) {
          values[i] = undefined;
        } else if (code !== SAME) {
          const slice = code * 3;
          values[i] = texts[slices[slice]].slice(
            slices[slice + 1],
            slices[slice + 2],
          );
        }
      }
      sink.row(values, line, undefined, counts ? counts[this.row] : 1);
      this.row += 1;
    }
  }
}

/** Set once a worker could not be started here: later reads do not try again. */
let unavailable = false;

/**
 * Reads a FOCUS file with a worker thread: yields the cost lines of each batch and reports
 * rejected rows, in the order of the file. Resolves to undefined when no worker can be
 * started from this module (as under Jest, which compiles TypeScript in its own thread
 * only): the caller then reads the file itself.
 */
export async function readFocusFileInWorker(
  file: string,
  label: string,
  currency: string | undefined,
  reject: FocusRejection,
  onVersion?: (version: FocusVersion) => void,
): Promise<AsyncGenerator<CostLine[]> | undefined> {
  if (unavailable) return undefined;
  const worker = new Worker(__filename, {
    workerData: { [MARKER]: true, file, label } satisfies WorkerInput,
  });
  const queue: WorkerMessage[] = [];
  let failure: Error | undefined;
  let notify: (() => void) | undefined;
  const wakeUp = () => {
    notify?.();
    notify = undefined;
  };
  worker.on('message', (message: WorkerMessage) => {
    queue.push(message);
    wakeUp();
  });
  worker.on('error', error => {
    failure ??= error;
    wakeUp();
  });
  worker.on('exit', code => {
    failure ??= new Error(
      `FOCUS file ${label}: its reading thread stopped (exit code ${code})`,
    );
    wakeUp();
  });
  const arrival = () =>
    new Promise<void>(resolve => {
      notify = resolve;
    });
  const next = async (): Promise<WorkerMessage | undefined> => {
    while (queue.length === 0) {
      if (failure) return undefined;
      await arrival();
    }
    return queue.shift();
  };

  if ((await next())?.kind !== 'ready') {
    unavailable = true;
    await worker.terminate();
    return undefined;
  }

  return (async function* batches() {
    const lines = new FocusLineCollector(new FocusRowParser(currency), reject);
    const values: FocusValues = FOCUS_COLUMNS.map(() => undefined);
    let served = performance.now();
    try {
      for (;;) {
        const message = await next();
        if (message === undefined) throw failure;
        if (message.kind === 'done') {
          if (message.version) onVersion?.(message.version);
          return;
        }
        if (message.kind === 'error') throw new Error(message.message);
        if (message.kind !== 'batch') continue;
        worker.postMessage(0);
        const batch = new BatchReader(message, values);
        while (!batch.done) {
          batch.read(lines, YIELD_RECORDS);
          yield lines.take();
          // The event loop is served every few milliseconds, not once per batch: the messages
          // of a port are handled in one go while more keep arriving, and a batch is slow
          // while the code is cold.
          if (performance.now() - served > SERVE_EVERY_MS) {
            await setImmediate();
            served = performance.now();
          }
        }
      }
    } finally {
      await worker.terminate();
    }
  })();
}
