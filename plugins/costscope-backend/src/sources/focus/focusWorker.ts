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
  readFocusRecords,
} from './focusFileReader';
import { FOCUS_COLUMNS, FocusRowParser, FocusValues } from './parseFocusRow';

/**
 * Reading a FOCUS file in a worker thread, so that it runs on another core than the rest of
 * the ingest. The worker reads, decodes and splits the CSV (the larger part of the reading);
 * the calling thread checks the rows (`FocusRowParser`) and the caller sums them into facts.
 *
 * Records cross in batches, with each value only when it differs from the same column of the
 * record before (most do not: dates, accounts, a resource's name and tags repeat from line to
 * line), all new values of a batch in one text. Rows the worker rejects (wrong field count,
 * broken quotes) are in the batch at their place, so rejections keep the order of the file.
 * The worker stays at most a few batches ahead, so memory stays bounded.
 */

/** Marks this module's own worker in `workerData`. */
const MARKER = 'costscopeFocusFileWorker';
/** Records per batch, about. */
const BATCH_RECORDS = 4096;
/** Characters of new values per batch, about (long Tags texts make large batches). */
const BATCH_CHARS = 4 * 1024 * 1024;
/** Records turned into cost lines at a time, out of a batch. */
const YIELD_RECORDS = 256;
/** The longest the reading thread goes without serving its event loop, about. */
const SERVE_EVERY_MS = 10;
/** Batches sent and not yet taken by the reading thread, at most. */
const MAX_AHEAD = 4;
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
      lines: Float64Array;
      /** COLUMNS codes per row that is not rejected: ABSENT, SAME, or a value's number. */
      codes: Int32Array;
      /** The new values, one after another, and where each ends in `text`. */
      text: string;
      ends: Int32Array;
      reasons: string[];
    }
  | { kind: 'done' }
  | { kind: 'error'; message: string };

/** The worker's side: reads the file and sends its records in batches. */
class BatchWriter implements FocusRowSink {
  lines = new Float64Array(BATCH_RECORDS);
  codes = new Int32Array(BATCH_RECORDS * COLUMNS);
  /** The new values so far, one after another. */
  text = '';
  ends = new Int32Array(BATCH_RECORDS * 4);
  values = 0;
  reasons: string[] = [];
  records = 0;
  rows = 0;
  /** The values of the record before, as sent. */
  private readonly sent: Array<string | undefined> = FOCUS_COLUMNS.map(
    () => undefined,
  );

  row(values: FocusValues, line: number): void {
    if (this.records === this.lines.length) this.lines = grown(this.lines);
    if (this.rows * COLUMNS === this.codes.length)
      this.codes = grown(this.codes);
    this.lines[this.records] = line;
    this.records += 1;
    const codes = this.codes;
    const sent = this.sent;
    const at = this.rows * COLUMNS;
    for (let i = 0; i < COLUMNS; i += 1) {
      const value = values[i];
      if (value === undefined) {
        codes[at + i] = ABSENT;
      } else if (value === sent[i]) {
        codes[at + i] = SAME;
      } else {
        if (this.values === this.ends.length) this.ends = grown(this.ends);
        codes[at + i] = this.values;
        // Appending makes a rope, flattened once when the batch is sent.
        this.text += value;
        this.ends[this.values] = this.text.length;
        this.values += 1;
      }
      sent[i] = value;
    }
    this.rows += 1;
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
      codes: this.codes.subarray(0, this.rows * COLUMNS),
      text: this.text,
      ends: this.ends.subarray(0, this.values),
      reasons: this.reasons,
    };
    this.lines = new Float64Array(BATCH_RECORDS);
    this.codes = new Int32Array(BATCH_RECORDS * COLUMNS);
    this.text = '';
    this.ends = new Int32Array(BATCH_RECORDS * 4);
    this.values = 0;
    this.reasons = [];
    this.records = 0;
    this.rows = 0;
    return message;
  }
}

/** A copy of `array` twice as long (a chunk may hold more records than a batch). */
function grown<T extends Int32Array | Float64Array>(array: T): T {
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
    port.postMessage(message, [
      message.lines.buffer,
      message.codes.buffer,
      message.ends.buffer,
    ]);
    ahead += 1;
    while (ahead >= MAX_AHEAD) await taken();
  };
  try {
    for await (const _ of readFocusRecords(input.file, input.label, batch)) {
      if (batch.records >= BATCH_RECORDS || batch.text.length >= BATCH_CHARS) {
        await send();
      }
    }
    await send();
    port.postMessage({ kind: 'done' } satisfies WorkerMessage);
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
  read(sink: FocusRowSink, count: number): void {
    const { lines, codes, text, ends, reasons } = this.batch;
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
          values[i] = text.slice(code === 0 ? 0 : ends[code - 1], ends[code]);
        }
      }
      sink.row(values, line);
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
        if (message.kind === 'done') return;
        if (message.kind === 'error') throw new Error(message.message);
        if (message.kind !== 'batch') continue;
        worker.postMessage(0);
        const batch = new BatchReader(message, values);
        while (!batch.done) {
          batch.read(lines, YIELD_RECORDS);
          yield lines.take();
          // The event loop is served every few milliseconds: the messages of a port are
          // handled in one go while more keep arriving, so timers and I/O would otherwise
          // wait for the end of the file; and while the code is cold a batch takes 100 ms.
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
