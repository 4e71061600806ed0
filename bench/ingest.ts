/**
 * Ingest benchmark: a deterministic FOCUS CSV of 1,000,000 rows into SQLite, against DuckDB.
 *
 *   tsx bench/ingest.ts [--rows N] [--seed N] [--rounds N] [--keep] [--verbose] [--replace]
 *
 * 1. Writes the CSV into a temporary directory (bench/focusGenerator.ts).
 * 2. In a fresh child process (so that its memory is the ingest's alone, as in a backend
 *    that serves other plugins), ingests it with the backend's own FocusFileSource,
 *    IngestEngine and FactStore into a SQLite file migrated with the backend's migrations
 *    (no HTTP, no allocation), measuring the wall time, the peak RSS and the longest
 *    event-loop stall (bench/ingestRun.ts).
 * 3. Aggregates the same file with DuckDB into the same facts: one row per billing period,
 *    day, provider, accounts, region, service, resource, charge category, currency and tags,
 *    costs summed exactly as DECIMAL(38,18).
 *    Steps 2 and 3 alternate for `--rounds` (3) rounds: the times printed last are the
 *    medians, the peak RSS and the longest stall the worst of any round.
 * 4. Checks that the stored total equals DuckDB's to 1e-6 and that both found the same
 *    facts, and prints the figures. The last line is
 *    `ingest rows=<n> seconds=<s> peak_rss_mb=<m> max_stall_ms=<ms> duckdb_seconds=<s> ratio=<x>`.
 *
 * `--verbose` also prints when each write step ran and every stall over 50 ms; `--replace`
 * runs the ingest a second time, replacing the periods the first wrote (the steady state of
 * a scheduled ingest), and prints its time and stalls too.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseDecimal } from '@costscope/backstage-plugin-common';
import { WORK_SCALE } from '../plugins/costscope-backend/src/lib/decimal';
import { FOCUS_BENCH_COLUMNS, generateFocusCsv } from './focusGenerator';
import type { IngestRunResult } from './ingestRun';
import { benchObjectStoreRerun } from './objectStoreRerun';

const TARGETS = { ratio: 2, peakRssMb: 400, maxStallMs: 100 };

function parseArgs(argv: string[]) {
  const options = {
    rows: 1_000_000,
    seed: 20261123,
    keep: false,
    verbose: false,
    replace: false,
    rounds: 3,
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--rows' || arg === '--seed' || arg === '--rounds') {
      const value = Number(argv[(i += 1)]);
      if (!Number.isSafeInteger(value) || value < 1) {
        throw new Error(`${arg} needs a positive integer`);
      }
      options[arg.slice(2) as 'rows' | 'seed' | 'rounds'] = value;
    } else if (arg === '--keep') {
      options.keep = true;
    } else if (arg === '--verbose') {
      options.verbose = true;
    } else if (arg === '--replace') {
      options.replace = true;
    } else {
      throw new Error(
        `unknown argument ${arg}; usage: ingest.ts [--rows N] [--seed N] [--rounds N] [--keep] [--verbose] [--replace]`,
      );
    }
  }
  return options;
}

/** Runs bench/ingestRun.ts in a child process with the same Node.js and loader. */
function ingestInChild(
  file: string,
  database: string,
  verbose: boolean,
  replace: boolean,
): Promise<IngestRunResult> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'ingestRun.ts'), [file, database], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: {
        ...process.env,
        COSTSCOPE_BENCH_VERBOSE: verbose ? '1' : '',
        COSTSCOPE_BENCH_REPLACE: replace ? '1' : '',
      },
    });
    let result: IngestRunResult | undefined;
    child.on('message', message => {
      result = message as IngestRunResult;
    });
    child.on('error', reject);
    child.on('exit', code => {
      if (result) resolve(result);
      else reject(new Error(`the ingest process exited with ${code}`));
    });
  });
}

/** The CSV as a FOCUS Parquet file as clouds write it: snappy, DECIMAL costs, TIMESTAMPs. */
async function writeParquet(csv: string, parquet: string) {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const types: Record<string, string> = Object.fromEntries(
    FOCUS_BENCH_COLUMNS.map(column => [column, 'VARCHAR']),
  );
  for (const column of ['BilledCost', 'EffectiveCost', 'ListCost']) {
    types[column] = 'DECIMAL(38,18)';
  }
  for (const column of [
    'BillingPeriodStart',
    'BillingPeriodEnd',
    'ChargePeriodStart',
    'ChargePeriodEnd',
  ]) {
    types[column] = 'TIMESTAMP';
  }
  const columns = `{${Object.entries(types)
    .map(([name, type]) => `'${name}': '${type}'`)
    .join(', ')}}`;
  await connection.run(
    `COPY (SELECT * FROM read_csv('${csv.replace(/'/g, "''")}', header = true,
                                 columns = ${columns}))
     TO '${parquet.replace(/'/g, "''")}' (FORMAT parquet, COMPRESSION snappy)`,
  );
  connection.closeSync();
  instance.closeSync();
  return (await fs.stat(parquet)).size;
}

/** The same facts as the ingest, aggregated by DuckDB; returns the time and the totals. */
async function duckdbAggregate(file: string) {
  const parquet = file.endsWith('.parquet');
  // Loaded only now, so that the ingest's process never maps DuckDB.
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', {
    threads: String(os.availableParallelism()),
  });
  const connection = await instance.connect();
  const types: Record<string, string> = Object.fromEntries(
    FOCUS_BENCH_COLUMNS.map(column => [column, 'VARCHAR']),
  );
  types.BilledCost = 'DECIMAL(38,18)';
  types.EffectiveCost = 'DECIMAL(38,18)';
  const columns = `{${Object.entries(types)
    .map(([name, type]) => `'${name}': '${type}'`)
    .join(', ')}}`;
  const source = parquet
    ? `read_parquet('${file.replace(/'/g, "''")}')`
    : `read_csv('${file.replace(/'/g, "''")}', header = true, delim = ',',
                quote = '"', escape = '"', columns = ${columns})`;
  const started = performance.now();
  await connection.run(`
    CREATE TABLE facts AS
    SELECT substr(CAST(BillingPeriodStart AS VARCHAR), 1, 10) AS billing_period,
           substr(CAST(ChargePeriodStart AS VARCHAR), 1, 10) AS usage_date,
           ProviderName, BillingAccountId, SubAccountId, RegionId, ServiceName,
           ServiceCategory, ResourceId, ResourceName, ResourceType, ChargeCategory,
           BillingCurrency, Tags, CommitmentDiscountId, CommitmentDiscountStatus,
           sum(BilledCost) AS billed, sum(EffectiveCost) AS effective,
           count(*) AS line_count
    FROM ${source}
    GROUP BY ALL`);
  const seconds = (performance.now() - started) / 1000;
  const reader = await connection.runAndReadAll(
    `SELECT CAST(sum(billed) AS VARCHAR) AS total, count(*) AS facts,
            CAST(sum(line_count) AS VARCHAR) AS lines FROM facts`,
  );
  const [row] = reader.getRowObjectsJson();
  connection.closeSync();
  instance.closeSync();
  return {
    seconds,
    total: String(row.total),
    facts: Number(row.facts),
    lines: Number(row.lines),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}

function formatAtto(value: bigint): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const scale = 10n ** 18n;
  return `${negative ? '-' : ''}${abs / scale}.${(abs % scale)
    .toString()
    .padStart(18, '0')}`;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'costscope-bench-'));
  const file = path.join(dir, 'focus.csv');
  try {
    const generateStarted = performance.now();
    const generated = await generateFocusCsv(file, {
      rows: options.rows,
      seed: options.seed,
      start: '2026-01-01',
      days: 90,
    });
    console.log(
      `generated ${generated.rows} rows (${(generated.bytes / 1e6).toFixed(
        0,
      )} MB, ${generated.resources} resources, ${
        generated.lineItemsPerDay
      } lines a day, 90 days) in ${(
        (performance.now() - generateStarted) /
        1000
      ).toFixed(1)} s: ${file}`,
    );

    // Rounds alternate ours and DuckDB, so that a busy moment of the machine does not
    // weigh on one side only; times are the medians, RSS and stalls the worst round's.
    const ours: IngestRunResult[] = [];
    const duckdb: Array<Awaited<ReturnType<typeof duckdbAggregate>>> = [];
    for (let round = 1; round <= options.rounds; round += 1) {
      const database = path.join(dir, 'costscope.sqlite');
      await fs.rm(database, { force: true });
      const run = await ingestInChild(
        file,
        database,
        options.verbose,
        options.replace,
      );
      for (const line of run.details) console.log(line);
      if (run.status !== 'succeeded') {
        throw new Error(`the ingest failed: ${run.error}`);
      }
      console.log(
        `costscope round ${round}: ${run.rowsRead} rows read, ${
          run.rowsRejected
        } rejected, ${run.factsWritten} facts, ${run.seconds.toFixed(
          2,
        )} s (${Math.round(run.rowsRead / run.seconds)} rows/s)`,
      );
      console.log(
        `costscope round ${round}: RSS ${run.rssBeforeMb.toFixed(
          0,
        )} MB before the run, ${run.sampledPeakRssMb.toFixed(
          0,
        )} MB sampled peak, ${run.maxRssMb.toFixed(
          0,
        )} MB high-water mark of the process; longest event-loop stall ${run.maxStallMs.toFixed(
          1,
        )} ms`,
      );
      const duck = await duckdbAggregate(file);
      console.log(
        `duckdb round ${round}: ${duck.lines} rows into ${
          duck.facts
        } facts in ${duck.seconds.toFixed(
          2,
        )} s (${os.availableParallelism()} threads)`,
      );
      ours.push(run);
      duckdb.push(duck);
    }
    const run = {
      ...ours[ours.length - 1],
      seconds: median(ours.map(r => r.seconds)),
      maxRssMb: Math.max(...ours.map(r => r.maxRssMb)),
      maxStallMs: Math.max(...ours.map(r => r.maxStallMs)),
    };
    const duck = {
      ...duckdb[duckdb.length - 1],
      seconds: median(duckdb.map(d => d.seconds)),
    };
    if (options.rounds > 1) {
      console.log(
        `medians of ${options.rounds} rounds: costscope ${run.seconds.toFixed(
          2,
        )} s (${ours
          .map(r => r.seconds.toFixed(2))
          .join(', ')}), duckdb ${duck.seconds.toFixed(2)} s (${duckdb
          .map(d => d.seconds.toFixed(2))
          .join(', ')})`,
      );
    }

    // Stored nano-units against DuckDB's exact sum, both in 1e-18 units.
    const duckTotal = parseDecimal(duck.total, WORK_SCALE);
    if (duckTotal === undefined) throw new Error(`bad total ${duck.total}`);
    const storedTotal = BigInt(run.storedTotalNanos) * 10n ** 9n;
    const difference =
      storedTotal > duckTotal
        ? storedTotal - duckTotal
        : duckTotal - storedTotal;
    const totalsAgree = difference <= 10n ** 12n;
    console.log(
      `check: stored total ${formatAtto(storedTotal)}, duckdb ${
        duck.total
      }, difference ${formatAtto(difference)} (${
        totalsAgree ? 'within' : 'NOT within'
      } 1e-6); facts ${run.storedFacts} vs ${duck.facts}; lines ${
        run.storedLines
      } vs ${duck.lines}`,
    );

    const ratio = run.seconds / duck.seconds;
    const missed = [
      !totalsAgree && 'totals differ',
      run.storedFacts !== duck.facts && 'fact counts differ',
      ours.some(
        r =>
          r.storedTotalNanos !== run.storedTotalNanos ||
          r.storedFacts !== run.storedFacts,
      ) && 'rounds stored different facts',
      run.storedLines !== generated.rows && 'lines lost',
      ratio > TARGETS.ratio && `ratio over ${TARGETS.ratio}`,
      run.maxRssMb > TARGETS.peakRssMb &&
        `peak RSS over ${TARGETS.peakRssMb} MB`,
      run.maxStallMs > TARGETS.maxStallMs &&
        `stall over ${TARGETS.maxStallMs} ms`,
    ].filter(Boolean);
    console.log(
      missed.length > 0
        ? `targets missed: ${missed.join(', ')}`
        : `targets met: ratio <= ${TARGETS.ratio}, peak RSS < ${TARGETS.peakRssMb} MB, stalls < ${TARGETS.maxStallMs} ms`,
    );
    console.log(
      `ingest rows=${run.rowsRead} seconds=${run.seconds.toFixed(
        2,
      )} peak_rss_mb=${run.maxRssMb.toFixed(
        0,
      )} max_stall_ms=${run.maxStallMs.toFixed(
        0,
      )} duckdb_seconds=${duck.seconds.toFixed(2)} ratio=${ratio.toFixed(2)}`,
    );
    if (!totalsAgree || run.storedLines !== generated.rows) {
      process.exitCode = 1;
    }

    // The same rows as Parquet: our reader (DuckDB streaming rows into the row parser), and
    // DuckDB's own aggregation of that file, alternating as above.
    const parquet = path.join(dir, 'focus.parquet');
    const parquetBytes = await writeParquet(file, parquet);
    console.log(
      `parquet: ${(parquetBytes / 1e6).toFixed(
        0,
      )} MB (snappy, DECIMAL(38,18) costs, TIMESTAMP columns)`,
    );
    const oursParquet: IngestRunResult[] = [];
    const duckParquet: Array<Awaited<ReturnType<typeof duckdbAggregate>>> = [];
    for (let round = 1; round <= options.rounds; round += 1) {
      const database = path.join(dir, 'costscope-parquet.sqlite');
      await fs.rm(database, { force: true });
      const parquetRun = await ingestInChild(parquet, database, false, false);
      if (parquetRun.status !== 'succeeded') {
        throw new Error(`the Parquet ingest failed: ${parquetRun.error}`);
      }
      const duckRun = await duckdbAggregate(parquet);
      console.log(
        `parquet round ${round}: costscope ${parquetRun.rowsRead} rows, ${
          parquetRun.rowsRejected
        } rejected, ${parquetRun.seconds.toFixed(2)} s (${Math.round(
          parquetRun.rowsRead / parquetRun.seconds,
        )} rows/s), peak RSS ${parquetRun.maxRssMb.toFixed(
          0,
        )} MB, longest stall ${parquetRun.maxStallMs.toFixed(
          1,
        )} ms; duckdb ${duckRun.seconds.toFixed(2)} s`,
      );
      oursParquet.push(parquetRun);
      duckParquet.push(duckRun);
    }
    const pRun = oursParquet[oursParquet.length - 1];
    const pSeconds = median(oursParquet.map(r => r.seconds));
    const pDuck = median(duckParquet.map(d => d.seconds));
    const pDuckTotal = parseDecimal(duckParquet[0].total, WORK_SCALE)!;
    const pStored = BigInt(pRun.storedTotalNanos) * 10n ** 9n;
    const pDifference =
      pStored > pDuckTotal ? pStored - pDuckTotal : pDuckTotal - pStored;
    const pAgree =
      pDifference <= 10n ** 12n &&
      pRun.storedFacts === duckParquet[0].facts &&
      pRun.storedLines === generated.rows;
    console.log(
      `check parquet: stored total ${formatAtto(pStored)}, duckdb ${
        duckParquet[0].total
      } (${pAgree ? 'within' : 'NOT within'} 1e-6, facts ${
        pRun.storedFacts
      } vs ${duckParquet[0].facts}, lines ${pRun.storedLines})`,
    );
    console.log(
      `ingest-parquet rows=${pRun.rowsRead} seconds=${pSeconds.toFixed(
        2,
      )} peak_rss_mb=${Math.max(...oursParquet.map(r => r.maxRssMb)).toFixed(
        0,
      )} max_stall_ms=${Math.max(...oursParquet.map(r => r.maxStallMs)).toFixed(
        0,
      )} duckdb_seconds=${pDuck.toFixed(2)} ratio=${(pSeconds / pDuck).toFixed(
        2,
      )} csv_duckdb_seconds=${duck.seconds.toFixed(2)}`,
    );
    if (!pAgree) process.exitCode = 1;

    // The third figure: an object-storage source with 12 months of objects, run again with
    // nothing changed, must read none of them (bench/objectStoreRerun.ts).
    for (const line of await benchObjectStoreRerun(12)) console.log(line);
  } finally {
    if (options.keep) {
      console.error(`kept ${dir}`);
    } else {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
