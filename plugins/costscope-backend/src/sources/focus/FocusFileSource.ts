import fs from 'node:fs/promises';
import path from 'node:path';
import {
  CostLine,
  CostSource,
  CostSourceReadContext,
} from '@costscope/backstage-plugin-node';
import { FOCUS_FILE, readFocusFileForRun } from './readFocusInput';

/** Options of a FOCUS file source, from app-config `costscope.sources[]`. */
export interface FocusFileSourceOptions {
  id: string;
  /** Files or directories; directories contribute every `.csv`, `.csv.gz` and `.parquet` in them. */
  paths: string[];
  /** Rows in another currency are rejected. */
  currency?: string;
}

/**
 * Reads FOCUS CSV, gzipped CSV and Parquet exports from local paths, streaming: a file is
 * never held in memory as a whole.
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
      yield* readFocusFileForRun(
        file,
        path.basename(file),
        this.options.currency,
        context,
      );
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
            .filter(name => FOCUS_FILE.test(name))
            .sort()
            .map(name => path.join(configured, name)),
        );
      } else {
        files.push(configured);
      }
    }
    return files;
  }
}
