import fs from 'node:fs/promises';
import path from 'node:path';
import {
  CostLine,
  CostSource,
  CostSourceReadContext,
} from '@costscope/backstage-plugin-node';
import { FocusRejection, readFocusFile } from './focusFileReader';
import { readFocusFileInWorker } from './focusWorker';

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
    for await (const lines of this.readBatches(context)) {
      for (const line of lines) yield line;
    }
  }

  /**
   * The lines of each file in the batches they are parsed in. The ingester reads these,
   * because a level of async generator per line costs a promise per line.
   */
  async *readBatches(
    context: CostSourceReadContext,
  ): AsyncIterable<CostLine[]> {
    for (const file of await this.listFiles()) {
      context.signal?.throwIfAborted();
      yield* await this.readFile(file, context);
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

  /** The lines of one file, in batches; parsed in a worker thread where one can be started. */
  private async readFile(
    file: string,
    context: CostSourceReadContext,
  ): Promise<AsyncIterable<CostLine[]>> {
    const label = path.basename(file);
    const reject: FocusRejection = (line, reason) =>
      context.reject({ file: label, line, reason });
    const currency = this.options.currency;
    return (
      (await readFocusFileInWorker(file, label, currency, reject)) ??
      readFocusFile(file, label, currency, reject)
    );
  }
}
