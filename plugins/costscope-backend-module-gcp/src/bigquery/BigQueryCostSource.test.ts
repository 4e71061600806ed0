import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JsonObject } from '@backstage/types';
import { CostLine } from '@costscope/backstage-plugin-node';
import {
  decimalUnits as units,
  directoryBytes,
  readCostSourceForTest,
  sumCostUnits,
} from '@costscope/backstage-plugin-node/testUtils';
import { DuckDBInstance } from '@duckdb/node-api';
// The fake BigQuery lives with the end-to-end tests; it speaks the real REST API.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import {
  FakeBigQuery,
  startFakeBigQuery,
} from '../../../../test/fake-bigquery';
import { BigQueryCostConfig } from './bigQueryConfig';
import { BigQueryCostSource } from './BigQueryCostSource';
import { bigQueryCostUsd } from './bytesCost';
import { createBigQueryClient } from './client';
import { useNodeHttpTransport } from '../__testUtils__/httpUnderJest';
import {
  bigQueryConfigForFake,
  bigQuerySourceForFake,
} from '../__testUtils__/bigQuerySource';

useNodeHttpTransport();

jest.setTimeout(120_000);

const {
  generateDemoBilling,
  // eslint-disable-next-line @backstage/no-relative-monorepo-imports
} = require('../../../../examples/billing/generate.js');
const {
  writeDemoBigQueryTable,
  // eslint-disable-next-line @backstage/no-relative-monorepo-imports
} = require('../../../../test/fake-bigquery/demoTable.js');

const TABLE = 'acme-billing.billing.focus';
const NO_TAGS = 'acme-billing.billing.no_tags';
const MIB = 2 ** 20;
let dir: string;
let tableDir: string;
let fake: FakeBigQuery;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'costscope-bigquery-'));
  generateDemoBilling({ outDir: dir, endDate: '2026-11-22', months: 2 });
  tableDir = path.join(dir, 'table');
  await writeDemoBigQueryTable(path.join(dir, 'gcp'), tableDir);
  // the same bill without its Tags column: a table the source's query cannot bind
  const noTags = path.join(dir, 'no_tags');
  fs.mkdirSync(noTags);
  await duck(
    `COPY (SELECT * EXCLUDE (Tags) FROM read_parquet('${tableDir}/**/*.parquet'))
       TO '${noTags}/all.parquet' (FORMAT parquet)`,
  );
  fake = await startFakeBigQuery({
    tables: { [TABLE]: tableDir, [NO_TAGS]: noTags },
  });
});

afterAll(async () => {
  await fake?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => fake.reset());

const configOf = (config: Partial<BigQueryCostConfig> = {}) =>
  bigQueryConfigForFake(fake.url, TABLE, config);

const sourceOf = (config: Partial<BigQueryCostConfig> = {}) =>
  bigQuerySourceForFake(
    configOf(config),
    () => new Date('2026-11-22T08:00:00Z'),
  );

const read = (source: BigQueryCostSource, state?: JsonObject) =>
  readCostSourceForTest(source, { state });

async function duck(sql: string): Promise<string[][]> {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  try {
    await c.run("SET TimeZone = 'UTC'");
    const reader = await c.runAndReadAll(sql);
    return reader.getRows().map(row => row.map(v => String(v)));
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

const partitionBytes = (period: string) =>
  directoryBytes(path.join(tableDir, `billing_period=${period}`));

describe('BigQueryCostSource against the fake BigQuery', () => {
  it('brings back the daily facts whose totals are the Parquet files own sums', async () => {
    const { lines, rejections, inputs, count, apiCalls, newState, error } =
      await read(sourceOf());
    expect(error).toBeUndefined();
    expect(rejections).toEqual([]);
    // the demo's table is FOCUS 1.2, without split columns: one schema read, no line split
    expect(count('bigquery:tables.get')).toBe(1);
    expect(lines.some(l => l.allocated)).toBe(false);

    // the reference: DuckDB straight over the Parquet files
    const reference = await duck(`
      SELECT strftime(CAST(BillingPeriodStart AS DATE), '%Y-%m-%d'), count(*),
        SUM(BilledCost), SUM(EffectiveCost), SUM(ListCost)
      FROM read_parquet('${tableDir}/**/*.parquet')
      GROUP BY 1 ORDER BY 1`);
    expect(reference.map(r => r[0])).toEqual(['2026-10-01', '2026-11-01']);
    for (const [period, , billed, effective, list] of reference) {
      const of = lines.filter(l => l.billingPeriod === period);
      expect(sumCostUnits(of, l => l.billedCost)).toBe(units(billed));
      expect(sumCostUnits(of, l => l.effectiveCost)).toBe(units(effective));
      expect(sumCostUnits(of, l => l.listCost)).toBe(units(list));
    }

    // one line per group and day: as many as DuckDB finds groups in the files
    const [[groups]] = await duck(`
      SELECT count(*) FROM (SELECT DISTINCT CAST(ChargePeriodStart AS DATE), BillingPeriodStart,
        ProviderName, BillingAccountId, SubAccountId, ServiceName, ServiceCategory, RegionId,
        ResourceId, ResourceName, ResourceType, ChargeCategory, BillingCurrency,
        CommitmentDiscountId, CommitmentDiscountStatus, to_json(Tags)::VARCHAR
      FROM read_parquet('${tableDir}/**/*.parquet'))`);
    expect(lines).toHaveLength(Number(groups));
    expect(new Set(lines.map(l => l.chargeDate)).size).toBe(31 + 22);

    // a line as Costscope stores it, tags from the array of key/value structs
    const tagged = lines.find(l => l.tags.service === 'event-pipeline')!;
    expect(tagged).toMatchObject({
      provider: 'Google Cloud',
      billingAccountId: '01A2B3-C4D5E6-F7A8B9',
      subAccountId: 'acme-analytics-prod',
      currency: 'USD',
      tags: { service: 'event-pipeline', env: 'prod', team: 'data-team' },
    });

    // paging: 100 rows a page
    const pages = reference.reduce(
      (n, [period]) =>
        n +
        Math.max(
          1,
          Math.ceil(lines.filter(l => l.billingPeriod === period).length / 100),
        ),
      0,
    );
    expect(pages).toBeGreaterThan(2);
    // the periods' pages and the one page of INFORMATION_SCHEMA.PARTITIONS
    expect(count('bigquery:jobs.getQueryResults')).toBe(pages + 1);
    expect(fake.requestCounts()['jobs.getQueryResults']).toBe(pages + 1);
    // a dry run before each job: the partitions, then the two periods
    expect(count('bigquery:jobs.insert dryRun')).toBe(3);
    expect(count('bigquery:jobs.insert')).toBe(3);

    // the bytes billed per period (under the 10 MiB minimum: 10 MiB), and their price
    expect(partitionBytes('2026-10')).toBeLessThan(10 * MIB);
    expect(inputs).toEqual([
      { name: `BigQuery ${TABLE} 2026-10`, status: 'read', bytes: 10 * MIB },
      { name: `BigQuery ${TABLE} 2026-11`, status: 'read', bytes: 10 * MIB },
    ]);
    // 10 MiB at USD 6.25 per TiB = 62.5 / 2^20 = 0.0000596046..., rounded up
    expect(apiCalls.filter(([o]) => o === 'bigquery:jobs.insert')).toEqual([
      ['bigquery:jobs.insert', '0.000059605'],
      ['bigquery:jobs.insert', '0.000059605'],
      ['bigquery:jobs.insert', '0.000059605'],
    ]);
    expect(fake.jobs().map(j => [j.state, j.error, j.bytesProcessed])).toEqual([
      ['DONE', undefined, 0],
      ['DONE', undefined, partitionBytes('2026-10')],
      ['DONE', undefined, partitionBytes('2026-11')],
    ]);
    expect(Object.keys((newState as any).periods)).toEqual([
      '2026-10',
      '2026-11',
    ]);
  });

  it('queries a closed period again only when its partition changed', async () => {
    const first = await read(sourceOf());
    expect(first.error).toBeUndefined();
    fake.reset();

    const second = await read(sourceOf(), first.newState);
    expect(second.error).toBeUndefined();
    expect(second.inputs.map(i => `${i.name} ${i.status}`)).toEqual([
      `BigQuery ${TABLE} 2026-10 skipped: unchanged since the last successful run`,
      `BigQuery ${TABLE} 2026-11 read`,
    ]);
    expect(second.lines.every(l => l.billingPeriod === '2026-11-01')).toBe(
      true,
    );
    // the partitions query and November's
    expect(fake.jobs()).toHaveLength(2);
    expect((second.newState as any).periods['2026-10']).toEqual(
      (first.newState as any).periods['2026-10'],
    );

    // a late adjustment lands in October's partition
    const original = path.join(
      tableDir,
      'billing_period=2026-10/focus-00001.parquet',
    );
    const extra = path.join(
      tableDir,
      'billing_period=2026-10/focus-00002.parquet',
    );
    await duck(
      `COPY (SELECT * REPLACE (CAST('1.25' AS DECIMAL(38, 18)) AS BilledCost)
         FROM read_parquet('${original}') LIMIT 1) TO '${extra}' (FORMAT parquet)`,
    );
    try {
      fake.reset();
      const third = await read(sourceOf(), second.newState);
      expect(third.error).toBeUndefined();
      expect(third.inputs.map(i => i.status)).toEqual(['read', 'read']);
      const october = (l: CostLine[]) =>
        sumCostUnits(
          l.filter(x => x.billingPeriod === '2026-10-01'),
          x => x.billedCost,
        );
      expect(october(third.lines) - october(first.lines)).toBe(units('1.25'));
    } finally {
      fs.rmSync(extra);
    }
  });

  it('with incremental off, queries every period each run', async () => {
    const first = await read(sourceOf({ incremental: false }));
    fake.reset();
    const second = await read(sourceOf({ incremental: false }), first.newState);
    expect(second.error).toBeUndefined();
    expect(second.inputs.map(i => i.status)).toEqual(['read', 'read']);
    // no partitions query: two periods per run
    expect(fake.jobs()).toHaveLength(2);
  });

  it('fails the run with BigQuery message on a table that does not exist', async () => {
    const { error, lines, newState, count } = await read(
      sourceOf({ table: 'acme-billing.billing.focus_v2', incremental: false }),
    );
    expect(error?.name).toBe('notFound');
    expect(error?.message).toMatch(
      /^BigQuery, schema of acme-billing\.billing\.focus_v2: notFound: Not found: Table acme-billing:billing\.focus_v2/,
    );
    expect(lines).toEqual([]);
    expect(newState).toBeUndefined();
    expect(count('bigquery:jobs.insert dryRun')).toBe(0);
  });

  it('fails the run with invalidQuery when the table lacks a FOCUS column', async () => {
    const { error, newState } = await read(
      sourceOf({ table: NO_TAGS, incremental: false }),
    );
    expect(error?.name).toBe('invalidQuery');
    expect(error?.message).toMatch(
      /^BigQuery, acme-billing\.billing\.no_tags billing period 2026-10 \(dry run\): invalidQuery: .*Tags/,
    );
    expect(newState).toBeUndefined();
  });

  it('a syntax error is a 400 invalidQuery from the real client', async () => {
    const error = await createBigQueryClient(configOf())
      .createQueryJob({ query: 'SELECT FROM WHERE', dryRun: true })
      .catch(e => e);
    expect(error.code).toBe(400);
    expect(error.errors[0].reason).toBe('invalidQuery');
    expect(error.message).toMatch(/^Syntax error/);
  });

  it('fails the run on access denied, naming the reason', async () => {
    fake.injectFault({ kind: 'deny', operation: 'jobs.insert' });
    const { error, newState } = await read(sourceOf());
    expect(error?.name).toBe('accessDenied');
    expect(error?.message).toMatch(
      /^BigQuery, partitions of acme-billing\.billing\.focus \(dry run\): accessDenied: Access Denied: Project acme-billing/,
    );
    expect(newState).toBeUndefined();
  });

  it('retries throttled calls: 403 rateLimitExceeded itself, 429 through the client', async () => {
    fake.injectFault({ kind: 'throttle', operation: 'jobs.insert', times: 2 });
    fake.injectFault({
      kind: 'too-many-requests',
      operation: 'jobs.getQueryResults',
      times: 2,
    });
    const { error, lines } = await read(sourceOf());
    expect(error).toBeUndefined();
    expect(lines.length).toBeGreaterThan(0);
    // 3 dry runs and 3 jobs, plus the 2 throttled
    expect(fake.requestCounts()['jobs.insert']).toBe(6 + 2);
  });

  it('refuses a period whose dry run is over maxBytesBilled, before running it', async () => {
    const cap = partitionBytes('2026-10') - 1;
    const { error, newState } = await read(
      sourceOf({ maxBytesBilled: cap, incremental: false }),
    );
    expect(error?.message).toBe(
      `BigQuery, ${TABLE} billing period 2026-10: the dry run reports ${partitionBytes(
        '2026-10',
      )} bytes processed, over maxBytesBilled (${cap} bytes per query); the query was not run ` +
        'and nothing was replaced. Raise costscope.gcp.bigquery.maxBytesBilled or read fewer months.',
    );
    expect(fake.jobs()).toEqual([]);
    expect(newState).toBeUndefined();
  });

  it('sends the cap as maximumBytesBilled, which BigQuery enforces on its billing minimum', async () => {
    // over the bytes processed, under the 10 MiB BigQuery bills at least
    const cap = Math.max(partitionBytes('2026-10'), partitionBytes('2026-11'));
    const { error, newState, apiCalls } = await read(
      sourceOf({ maxBytesBilled: cap, incremental: false }),
    );
    expect(error?.name).toBe('bytesBilledLimitExceeded');
    expect(error?.message).toContain(
      `Query exceeded limit for bytes billed: ${cap}. ${
        10 * MIB
      } or higher required.`,
    );
    expect(fake.jobs()).toEqual([
      expect.objectContaining({
        error: 'bytesBilledLimitExceeded',
        maximumBytesBilled: cap,
        bytesBilled: 0,
      }),
    ]);
    expect(apiCalls).toContainEqual(['bigquery:jobs.insert', '0.000000000']);
    expect(newState).toBeUndefined();
  });
});

describe('bigQueryCostUsd', () => {
  it('bills per TiB, rounded up to a nano-dollar', () => {
    expect(bigQueryCostUsd(2 ** 40, '6.25')).toBe('6.250000000');
    // 10 MiB: 62.5 / 2^20 = 0.0000596046447...
    expect(bigQueryCostUsd(10 * MIB, '6.25')).toBe('0.000059605');
    expect(bigQueryCostUsd('0', '6.25')).toBe('0.000000000');
    // one byte is a fraction of a nano-dollar: rounded up to one
    expect(bigQueryCostUsd(1, '6.25')).toBe('0.000000001');
  });
});
