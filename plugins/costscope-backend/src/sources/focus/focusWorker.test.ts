import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { FOCUS_COLUMNS } from './parseFocusRow';
import { BatchWriter } from './focusWorker';

// Each case starts a Node.js process that compiles the reader (and its worker) with tsx.
jest.setTimeout(60_000);

const HEADER =
  'BilledCost,EffectiveCost,BillingCurrency,BillingAccountId,BillingPeriodStart,ChargePeriodStart,ChargeCategory,ProviderName,SubAccountId,ServiceName,ResourceId,ResourceName,Tags';

/** Rows of every kind: repeated and changing values, quoted newlines, rows rejected by the CSV
 * reader and by the row checks, empty and NULL cells. */
function focusText(rows: number, newline: string): string {
  const lines = [HEADER];
  for (let i = 0; i < rows; i += 1) {
    const day = `2026-01-${String(1 + (i % 28)).padStart(2, '0')}`;
    const resource = `i-${Math.floor(i / 3)}`;
    const tags =
      i % 5 === 0
        ? '"{""team"":""a,\nb"",""env"":""prod""}"'
        : `"{""team"":""t${i % 7}""}"`;
    const billed = i % 11 === 0 ? '1.5e-7' : `${i % 13}.${i}`;
    const effective = i % 4 === 0 ? '' : `${i % 5}.25`;
    const cells = [
      billed,
      effective,
      i % 17 === 0 ? 'usd' : 'USD',
      'acct',
      `2026-01-01T00:00:00Z`,
      `${day}T00:00:00Z`,
      i % 9 === 0 ? 'NULL' : 'Usage',
      i % 2 ? 'AWS' : 'Google Cloud',
      `sub-${i % 3}`,
      i % 6 === 0 ? '' : 'EC2',
      resource,
      i % 8 === 0 ? 'NULL' : `name of ${resource}`,
      tags,
    ];
    // Now and then a name beyond Latin-1.
    if (i % 1000 === 1) cells[11] = `nom de ${resource} – é`;
    if (i % 97 === 5) cells[0] = 'abc';
    if (i % 89 === 7) cells.pop();
    if (i % 83 === 9) cells[9] = '"EC2"x';
    if (i % 79 === 3) cells[2] = 'EUR';
    lines.push(cells.join(','));
  }
  return `${lines.join(newline)}${newline}`;
}

/**
 * Reads files with a worker thread and in the calling thread, in a process of its own: under
 * Jest, TypeScript compiles in Jest's own thread only, so the worker needs tsx there.
 */
function readBothWays(files: string[]) {
  const script = `
    const { readFocusFileInWorker } = require(${JSON.stringify(
      path.join(__dirname, 'focusWorker'),
    )});
    const { readFocusFile } = require(${JSON.stringify(
      path.join(__dirname, 'focusFileReader'),
    )});
    const { readFocusParquet } = require(${JSON.stringify(
      path.join(__dirname, 'focusParquetReader'),
    )});
    const { rowCountOf } = require(${JSON.stringify(
      path.join(__dirname, '..', '..', 'ingest', 'rowCount'),
    )});
    async function collect(read) {
      const lines = [];
      const rejections = [];
      let version;
      try {
        const batches = await read(
          (line, reason, rows = 1) => rejections.push({ line, reason, rows }),
          found => { version = found; },
        );
        if (!batches) return 'no worker';
        // With the rows each line stands for (not enumerable: JSON would leave it out).
        for await (const batch of batches)
          for (const line of batch) lines.push({ ...line, rows: rowCountOf(line) });
        return { lines, rejections, version };
      } catch (error) {
        return { lines, rejections, version, error: error.message };
      }
    }
    (async () => {
      const results = [];
      for (const file of ${JSON.stringify(files)}) {
        results.push({
          worker: await collect((reject, onVersion) =>
            readFocusFileInWorker(file, 'f.csv', 'USD', reject, onVersion)),
          thread: await collect(async (reject, onVersion) =>
            (file.endsWith('.parquet') ? readFocusParquet : readFocusFile)(
              file, 'f.csv', 'USD', reject, onVersion)),
        });
      }
      process.stdout.write(JSON.stringify(results));
    })();
  `;
  const child = spawnSync(
    process.execPath,
    ['--import', require.resolve('tsx'), '-e', script],
    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  if (child.status !== 0) throw new Error(child.stderr);
  return JSON.parse(child.stdout) as Array<{
    worker: unknown;
    thread: {
      lines: unknown[];
      rejections: unknown[];
      version?: string;
      error?: string;
    };
  }>;
}

describe('readFocusFileInWorker', () => {
  it('reads what the calling thread reads: lines, rejections with their lines, errors', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'costscope-worker-'));
    try {
      const files = {
        lf: path.join(dir, 'lf.csv'),
        crlf: path.join(dir, 'crlf.csv'),
        gz: path.join(dir, 'big.csv.gz'),
        notFocus: path.join(dir, 'junk.csv'),
        empty: path.join(dir, 'empty.csv'),
        missing: path.join(dir, 'missing.csv'),
        parquet: path.join(dir, 'rows.parquet'),
        groups: path.join(dir, 'groups.parquet'),
      };
      // Parquet as DuckDB writes it: DECIMAL and DOUBLE costs, timestamps, a few rows in
      // another currency (rejected), enough rows for several batches.
      const duckdb = await DuckDBInstance.create(':memory:');
      const connection = await duckdb.connect();
      await connection.run(
        `COPY (SELECT (i % 13 + i / 1000)::DECIMAL(18, 6) AS BilledCost,
            (i % 7) / 3 AS EffectiveCost,
            CASE WHEN i % 17 = 0 THEN 'EUR' ELSE 'USD' END AS BillingCurrency,
            TIMESTAMPTZ '2026-01-01 00:00:00+00' AS BillingPeriodStart,
            TIMESTAMPTZ '2026-01-01 00:00:00+00' + to_days(CAST(i % 28 AS INTEGER)) AS ChargePeriodStart,
            'Usage' AS ChargeCategory, 'AWS' AS ProviderName, 'sub-' || (i % 3) AS SubAccountId,
            'i-' || (i // 3) AS ResourceId, '{"team":"t' || (i % 7) || '"}' AS Tags,
            -- A value, then none (null), then the same value again: the third must keep it.
            CASE WHEN i % 3 = 1 THEN NULL ELSE 'eu-west-1' END AS RegionId
          FROM range(30000) t(i)) TO '${files.parquet}' (FORMAT parquet)`,
      );
      // Rows DuckDB groups (24 groups of 1,000 rows), among 6,000 it cannot (each its
      // own resource): a first batch with row counts, a second of single rows only.
      await connection.run(
        `COPY (SELECT (i % 13)::DECIMAL(18, 2) AS BilledCost, 'USD' AS BillingCurrency,
            TIMESTAMPTZ '2026-01-01 00:00:00+00' + to_days(CAST(i % 3 AS INTEGER)) AS ChargePeriodStart,
            'Usage' AS ChargeCategory, 'AWS' AS ProviderName,
            CASE WHEN i % 5 = 0 THEN 'u-' || i ELSE 'r-' || (i % 10) END AS ResourceId
          FROM range(30000) t(i)) TO '${files.groups}' (FORMAT parquet)`,
      );
      connection.closeSync();
      duckdb.closeSync();
      await fs.writeFile(files.lf, focusText(300, '\n'));
      await fs.writeFile(files.crlf, focusText(300, '\r\n'));
      // Several batches, and changing values across batch boundaries.
      await fs.writeFile(files.gz, gzipSync(focusText(20_000, '\n')));
      await fs.writeFile(files.notFocus, 'a,b\n1,2\n');
      await fs.writeFile(files.empty, '');
      const results = readBothWays(Object.values(files));
      for (const { worker, thread } of results) {
        expect(worker).toEqual(thread);
      }
      const [lf, crlf, gz, notFocus, empty, missing, parquet, groups] =
        results.map(result => result.thread);
      expect(lf.lines.length).toBeGreaterThan(200);
      // The header has FOCUS 1.0's columns only; the worker reports it as the thread does.
      expect(lf.version).toBe('1.0');
      expect(lf.rejections.length).toBeGreaterThan(20);
      expect(crlf).toEqual(lf);
      expect(gz.lines.length).toBeGreaterThan(15_000);
      expect(gz.error).toBeUndefined();
      expect(notFocus.error).toMatch(/is not a FOCUS CSV export/);
      expect(empty.error).toMatch(/is empty/);
      expect(missing.error).toMatch(/could not be read/);
      expect(parquet.error).toBeUndefined();
      expect(parquet.lines.length).toBe(30_000 - Math.ceil(30_000 / 17));
      // Every third line has no region; the others keep theirs through the worker too.
      expect(
        (parquet.lines as Array<{ regionId?: string }>).filter(
          line => line.regionId === 'eu-west-1',
        ).length,
      ).toBeGreaterThan(18_000);
      expect(parquet.rejections.length).toBe(Math.ceil(30_000 / 17));
      expect(parquet.version).toBe('1.0');
      // Grouped rows keep their counts through the worker; single rows count 1.
      const rowsOf = (lines: unknown[]) =>
        (lines as Array<{ rows: number }>).map(line => line.rows);
      expect(rowsOf(parquet.lines).every(rows => rows === 1)).toBe(true);
      expect(rowsOf(lf.lines).every(rows => rows === 1)).toBe(true);
      expect(groups.error).toBeUndefined();
      expect(groups.lines).toHaveLength(6_024);
      expect(rowsOf(groups.lines).reduce((sum, rows) => sum + rows, 0)).toBe(
        30_000,
      );
      expect(rowsOf(groups.lines).filter(rows => rows > 1)).toEqual(
        Array(24).fill(1_000),
      );
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('BatchWriter', () => {
  const values = FOCUS_COLUMNS.map(() => 'x');
  const slices = { text: '', startOf: () => -1, endOf: () => -1 };

  it('sends no row counts while every row stands for 1 (as CSV rows do)', () => {
    const writer = new BatchWriter();
    for (let line = 2; line < 6_002; line += 1)
      writer.row(values, line, slices);
    writer.reject(6_002, 'bad');
    const batch = writer.take();
    expect(batch.lines).toHaveLength(6_001);
    expect(batch.counts).toBeUndefined();
  });

  it('sends the counts of a batch once a row stands for more, the rows before it as 1', () => {
    const writer = new BatchWriter();
    // Beyond a batch's first allocation, so the counts start as long as the rows so far.
    for (let line = 1; line <= 5_000; line += 1) {
      writer.row(values, line, slices);
      if (line === 10) writer.reject(11, 'bad');
    }
    writer.row(values, 5_001, slices, 7);
    writer.row(values, 5_010, slices);
    const batch = writer.take();
    expect(batch.counts).toHaveLength(5_002);
    expect(batch.counts![4_999]).toBe(1);
    expect(batch.counts![5_000]).toBe(7);
    expect(batch.counts![5_001]).toBe(1);
    expect([...batch.counts!].filter(rows => rows !== 1)).toEqual([7]);

    // The next batch starts again without.
    writer.row(values, 5_011, slices);
    expect(writer.take().counts).toBeUndefined();
    writer.row(values, 5_012, slices, 2);
    expect([...writer.take().counts!]).toEqual([2]);
  });
});
