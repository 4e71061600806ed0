/**
 * The measured part of bench/ingest.ts, run in a child process of its own:
 *
 *   tsx bench/ingestRun.ts <focus.csv> <database.sqlite>
 *
 * COSTSCOPE_BENCH_VERBOSE=1 adds when each write step ran and each stall over 50 ms;
 * COSTSCOPE_BENCH_REPLACE=1 runs the ingest a second time (replacing what the first wrote)
 * and reports that too.
 *
 * Migrates a SQLite file with the backend's migrations and ingests the FOCUS file with the
 * backend's FocusFileSource, IngestEngine, FactStore and RunRecorder (no HTTP, no
 * allocation), while bench/runMonitor.ts watches the event loop and the memory. Sends an
 * `IngestRunResult` to the parent process.
 */
import knexFactory from 'knex';
import { LoggerService } from '@backstage/backend-plugin-api';
import { IngestEngine } from '../plugins/costscope-backend/src/ingest/IngestEngine';
import { RunRecorder } from '../plugins/costscope-backend/src/pipeline/RunRecorder';
import { FocusFileSource } from '../plugins/costscope-backend/src/sources/focus/FocusFileSource';
import { FactStore } from '../plugins/costscope-backend/src/store/FactStore';
import { applyMigrations } from '../plugins/costscope-backend/src/store/migrations';
import { RunStore } from '../plugins/costscope-backend/src/store/RunStore';
import { measure } from './runMonitor';

export interface IngestRunResult {
  status: string;
  error?: string;
  rowsRead: number;
  rowsRejected: number;
  factsWritten: number;
  seconds: number;
  rssBeforeMb: number;
  sampledPeakRssMb: number;
  maxRssMb: number;
  maxStallMs: number;
  storedTotalNanos: string;
  storedFacts: number;
  storedLines: number;
  /** Lines to print: the steps and stalls (verbose), the second run (replace). */
  details: string[];
}

function quietLogger(): LoggerService {
  const logger: LoggerService = {
    error: message => process.stderr.write(`error: ${message}\n`),
    warn: message => process.stderr.write(`warn: ${message}\n`),
    info: () => {},
    debug: () => {},
    child: () => logger,
  };
  return logger;
}

async function main() {
  const [file, database] = process.argv.slice(2);
  const verbose = Boolean(process.env.COSTSCOPE_BENCH_VERBOSE);
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: database },
    useNullAsDefault: true,
  });
  await applyMigrations(knex);
  const store = new FactStore(knex);
  const runs = new RunRecorder(new RunStore(knex));
  const details: string[] = [];
  let runStarted = 0;
  if (verbose) {
    // When each write step starts and ends, seconds into the run.
    for (const [target, method] of [
      [store, 'addAllocationKeys'],
      [store, 'replaceBillingPeriod'],
      [runs, 'finishRun'],
    ] as const) {
      const original = (target as any)[method].bind(target) as (
        ...args: unknown[]
      ) => Promise<unknown>;
      (target as any)[method] = async (...args: unknown[]) => {
        const from = (performance.now() - runStarted) / 1000;
        const result = await original(...args);
        const to = (performance.now() - runStarted) / 1000;
        details.push(
          `phase: ${method}${
            method === 'replaceBillingPeriod' ? ` ${args[1]}` : ''
          } ${from.toFixed(2)}-${to.toFixed(2)} s`,
        );
        return result;
      };
    }
  }
  const engine = new IngestEngine({
    store,
    runs,
    logger: quietLogger(),
    maxRejectedShare: 0.05,
  });
  const source = new FocusFileSource({
    id: 'bench',
    paths: [file],
    currency: 'USD',
  });
  const rssBeforeMb = process.memoryUsage.rss() / (1024 * 1024);
  runStarted = performance.now();
  const { result: run, figures } = await measure(() =>
    engine.run(source, 'manual'),
  );
  if (verbose) {
    for (const stall of figures.stalls) {
      details.push(
        `stall: ${stall.ms.toFixed(0)} ms at ${stall.at.toFixed(2)} s`,
      );
    }
  }
  if (process.env.COSTSCOPE_BENCH_REPLACE) {
    // The steady state of a scheduled ingest: the same periods read again and replaced.
    const again = await measure(() => engine.run(source, 'manual'));
    details.push(
      `replace: a second run replacing the same periods: ${
        again.result.status
      }, ${again.figures.seconds.toFixed(
        2,
      )} s, RSS high-water mark ${again.figures.maxRssMb.toFixed(
        0,
      )} MB, longest stall ${again.figures.maxStallMs.toFixed(0)} ms`,
    );
    if (verbose) {
      for (const stall of again.figures.stalls) {
        details.push(
          `replace stall: ${stall.ms.toFixed(0)} ms at ${stall.at.toFixed(
            2,
          )} s`,
        );
      }
    }
  }
  const stored = await knex('costscope_cost_facts').first(
    knex.raw('CAST(SUM(billed_nanos) AS TEXT) AS total'),
    knex.raw('COUNT(*) AS facts'),
    knex.raw('SUM(line_count) AS lines'),
  );
  await knex.destroy();
  const result: IngestRunResult = {
    status: run.status,
    error: run.error,
    rowsRead: run.rowsRead,
    rowsRejected: run.rowsRejected,
    factsWritten: run.factsWritten,
    seconds: figures.seconds,
    rssBeforeMb,
    sampledPeakRssMb: figures.sampledPeakRssMb,
    maxRssMb: figures.maxRssMb,
    maxStallMs: figures.maxStallMs,
    storedTotalNanos: String(stored?.total ?? '0'),
    storedFacts: Number(stored?.facts ?? 0),
    storedLines: Number(stored?.lines ?? 0),
    details,
  };
  process.send!(result);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
