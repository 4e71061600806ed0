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
import { runDuckDb as duck } from '../__testUtils__/runDuckDb';
// The fake AWS lives with the end-to-end tests; it speaks the real wire protocols.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import {
  credentialsFor,
  FakeAws,
  startFakeAws,
} from '../../../../test/fake-aws';
import { athenaSourceForFake } from '../__testUtils__/athenaSource';
import { AthenaCostConfig } from './athenaConfig';
import { AthenaCostSource } from './AthenaCostSource';
import { athenaScanCostUsd } from './scanCost';

jest.setTimeout(120_000);

const {
  generateDemoBilling,
  // eslint-disable-next-line @backstage/no-relative-monorepo-imports
} = require('../../../../examples/billing/generate.js');
const {
  writeDemoExport,
  // eslint-disable-next-line @backstage/no-relative-monorepo-imports
} = require('../../../../test/fake-aws/demoExport.js');

const PREFIX = 'focus/demo/data/';
let dir: string;
let exportDir: string;
let dataDir: string;
let fake: FakeAws;
let slowFake: FakeAws;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'costscope-athena-'));
  generateDemoBilling({ outDir: dir, endDate: '2026-11-22', months: 2 });
  exportDir = path.join(dir, 'export');
  await writeDemoExport(path.join(dir, 'aws'), exportDir, {
    bucket: 'billing',
    prefix: 'focus',
    exportName: 'demo',
    tagsAsMap: true,
  });
  dataDir = path.join(exportDir, PREFIX);
  // the same bill without its Tags column: a table the source's query cannot bind
  const noTags = path.join(dir, 'no_tags');
  fs.mkdirSync(noTags);
  await duck(
    `COPY (SELECT * EXCLUDE (Tags) FROM read_parquet('${dataDir}/**/*.parquet'))
       TO '${noTags}/all.parquet' (FORMAT parquet)`,
  );
  const common = {
    billingDir: path.join(dir, 'aws'),
    athenaTables: { 'cur.focus': dataDir, 'cur.no_tags': noTags },
    s3Buckets: { billing: exportDir },
    s3PageSize: 1, // one object per ListObjectsV2 page
  };
  fake = await startFakeAws({ ...common, athenaDelayMs: 40 });
  slowFake = await startFakeAws({ ...common, athenaDelayMs: 3000 });
});

afterAll(async () => {
  await fake?.close();
  await slowFake?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  fake.reset();
  slowFake.reset();
});

const CONFIG: AthenaCostConfig = {
  database: 'cur',
  table: 'focus',
  workgroup: 'costscope',
  outputLocation: 's3://athena-results/costscope/',
  region: 'eu-west-1',
  format: 'focus',
  partitionColumn: 'billing_period',
  dataLocation: { bucket: 'billing', prefix: PREFIX },
  months: 2,
  pricePerTbUsd: '5',
  poll: { initialMs: 10, maxMs: 40 },
  queryTimeoutMs: 60_000,
  schedule: { frequency: { hours: 12 }, timeout: { minutes: 30 } },
};

function sourceOf(config: Partial<AthenaCostConfig> = {}, on = fake) {
  return athenaSourceForFake(
    { ...CONFIG, ...config },
    { url: on.url, credentials: credentialsFor('999988887777') },
    () => new Date('2026-11-22T08:00:00Z'),
  );
}

const read = (source: AthenaCostSource, state?: JsonObject) =>
  readCostSourceForTest(source, { state });

const partitionBytes = (period: string) =>
  directoryBytes(path.join(dataDir, `BILLING_PERIOD=${period}`));

describe('AthenaCostSource against the fake Athena', () => {
  it('brings back the daily facts whose totals are the Parquet files own sums', async () => {
    const { lines, rejections, inputs, count, apiCalls, newState, error } =
      await read(sourceOf());
    expect(error).toBeUndefined();
    expect(rejections).toEqual([]);
    // the demo's table is FOCUS 1.2, without split columns: one schema read, no line split
    expect(count('athena:GetTableMetadata')).toBe(1);
    expect(lines.some(l => l.allocated)).toBe(false);

    // the reference: DuckDB straight over the Parquet files
    const reference = await duck(`
      SELECT strftime(CAST(BillingPeriodStart AS DATE), '%Y-%m-%d'), count(*),
        SUM(BilledCost), SUM(EffectiveCost), SUM(ListCost)
      FROM read_parquet('${dataDir}/**/*.parquet', hive_partitioning = true)
      GROUP BY 1 ORDER BY 1`);
    expect(reference.map(r => r[0])).toEqual(['2026-10-01', '2026-11-01']);
    for (const [period, , billed, effective, list] of reference) {
      const of = lines.filter(l => l.billingPeriod === period);
      // exact to 1e-18, which is more than the 1e-6 asked for
      expect(sumCostUnits(of, l => l.billedCost)).toBe(units(billed));
      expect(sumCostUnits(of, l => l.effectiveCost)).toBe(units(effective));
      expect(sumCostUnits(of, l => l.listCost)).toBe(units(list));
    }

    // one line per group and day: as many as DuckDB finds groups in the files
    const [[groups]] = await duck(`
      SELECT count(*) FROM (SELECT DISTINCT CAST(ChargePeriodStart AS DATE), BillingPeriodStart,
        ProviderName, BillingAccountId, SubAccountId, ServiceName, ServiceCategory, RegionId,
        ResourceId, ResourceName, ResourceType, ChargeCategory, BillingCurrency,
        CommitmentDiscountId, CommitmentDiscountStatus, CAST(Tags AS JSON)::VARCHAR
      FROM read_parquet('${dataDir}/**/*.parquet'))`);
    expect(lines).toHaveLength(Number(groups));
    expect(new Set(lines.map(l => l.chargeDate)).size).toBe(31 + 22);

    // a line as Costscope stores it
    const covered = lines.find(
      l => l.commitmentDiscountStatus === 'Used' && l.tags.team,
    )!;
    expect(covered).toMatchObject({
      provider: 'AWS',
      billingAccountId: '999988887777',
      currency: 'USD',
      chargeCategory: 'Usage',
    });
    expect(covered.commitmentDiscountId).toMatch(/^arn:aws:savingsplans::/);
    expect(covered.billedCost).toMatch(/^\d+\.\d{18}$/);

    // paging: 1,000 rows a page, the header row first
    const pages = reference.reduce(
      (n, [period]) =>
        n +
        Math.ceil(
          (lines.filter(l => l.billingPeriod === period).length + 1) / 1000,
        ),
      0,
    );
    expect(pages).toBeGreaterThan(2);
    expect(count('athena:GetQueryResults')).toBe(pages);
    expect(count('athena:StartQueryExecution')).toBe(2);
    expect(count('athena:GetQueryExecution')).toBeGreaterThanOrEqual(2);
    // one ListObjectsV2 page per object (s3PageSize 1): the two Parquet files under the prefix
    expect(count('s3:ListObjectsV2')).toBe(2);

    // the data scanned and its price, per period
    expect(inputs).toEqual([
      {
        name: 'Athena cur.focus 2026-10',
        status: 'read',
        bytes: partitionBytes('2026-10'),
      },
      {
        name: 'Athena cur.focus 2026-11',
        status: 'read',
        bytes: partitionBytes('2026-11'),
      },
    ]);
    // both files are under Athena's 10 MB minimum: 10 MiB at USD 5 per TiB, rounded up
    expect(
      apiCalls.filter(([o]) => o === 'athena:StartQueryExecution'),
    ).toEqual([
      ['athena:StartQueryExecution', '0.000047684'],
      ['athena:StartQueryExecution', '0.000047684'],
    ]);
    expect(
      fake.athena.executions().map(e => [e.workGroup, e.database, e.state]),
    ).toEqual([
      ['costscope', 'cur', 'SUCCEEDED'],
      ['costscope', 'cur', 'SUCCEEDED'],
    ]);
    expect(Object.keys((newState as any).periods)).toEqual([
      '2026-10',
      '2026-11',
    ]);
  });

  it('queries a closed period again only when its partition changed', async () => {
    const first = await read(sourceOf());
    expect(first.error).toBeUndefined();

    const second = await read(sourceOf(), first.newState);
    expect(second.error).toBeUndefined();
    expect(second.inputs.map(i => `${i.name} ${i.status}`)).toEqual([
      'Athena cur.focus 2026-10 skipped: unchanged since the last successful run',
      'Athena cur.focus 2026-11 read',
    ]);
    expect(second.count('athena:StartQueryExecution')).toBe(1);
    expect(second.lines.every(l => l.billingPeriod === '2026-11-01')).toBe(
      true,
    );
    // the skipped period's state is kept for the next run
    expect((second.newState as any).periods['2026-10']).toEqual(
      (first.newState as any).periods['2026-10'],
    );

    // a late adjustment lands in October's partition
    const extraKey = `${PREFIX}BILLING_PERIOD=2026-10/demo-00002.snappy.parquet`;
    const extraFile = path.join(exportDir, extraKey);
    const original = path.join(
      dataDir,
      'BILLING_PERIOD=2026-10/demo-00001.snappy.parquet',
    );
    const instance = await DuckDBInstance.create(':memory:');
    const c = await instance.connect();
    await c.run(
      `COPY (SELECT * REPLACE (CAST('1.25' AS DECIMAL(38, 18)) AS BilledCost)
         FROM read_parquet('${original}') LIMIT 1) TO '${extraFile}' (FORMAT parquet)`,
    );
    c.closeSync();
    instance.closeSync();
    fake.s3.putObject('billing', extraKey, fs.readFileSync(extraFile));
    try {
      const third = await read(sourceOf(), second.newState);
      expect(third.error).toBeUndefined();
      expect(third.count('athena:StartQueryExecution')).toBe(2);
      const october = (l: CostLine[]) =>
        sumCostUnits(
          l.filter(x => x.billingPeriod === '2026-10-01'),
          x => x.billedCost,
        );
      expect(october(third.lines) - october(first.lines)).toBe(units('1.25'));
    } finally {
      fs.rmSync(extraFile);
      fake.s3.deleteObject('billing', extraKey);
    }
  });

  it('without a data location, queries every period each run', async () => {
    const first = await read(sourceOf({ dataLocation: undefined }));
    const second = await read(
      sourceOf({ dataLocation: undefined }),
      first.newState,
    );
    expect(second.error).toBeUndefined();
    expect(second.count('athena:StartQueryExecution')).toBe(2);
    expect(second.count('s3:ListObjectsV2')).toBe(0);
  });

  it('fails the run with the catalog message when the table does not exist', async () => {
    const { error, lines, newState, count } = await read(
      sourceOf({ table: 'focus_v2' }),
    );
    expect(error?.message).toMatch(
      /^Athena, columns of cur\.focus_v2 \(GetTableMetadata\): MetadataException: .*focus_v2 not found/,
    );
    expect(lines).toEqual([]);
    expect(newState).toBeUndefined();
    expect(count('athena:StartQueryExecution')).toBe(0);
  });

  it('fails the run with Athena message when the query fails', async () => {
    const { error, lines, newState, apiCalls } = await read(
      sourceOf({ table: 'no_tags' }),
    );
    expect(error?.message).toMatch(
      /^Athena, cur\.no_tags: query [0-9a-f-]+ failed: .*tags/i,
    );
    expect(lines).toEqual([]);
    expect(newState).toBeUndefined();
    // a failed query is not billed
    expect(apiCalls).toContainEqual([
      'athena:StartQueryExecution',
      '0.000000000',
    ]);
  });

  it('fails the run on access denied, naming the error', async () => {
    fake.injectFault({
      service: 'athena',
      operation: 'StartQueryExecution',
      kind: 'deny',
    });
    const { error, newState } = await read(sourceOf());
    expect(error?.name).toBe('AccessDeniedException');
    expect(error?.message).toMatch(
      /^Athena, cur\.focus billing period 2026-10: AccessDeniedException: User is not authorized/,
    );
    expect(newState).toBeUndefined();
  });

  it('retries throttled calls', async () => {
    fake.injectFault({
      service: 'athena',
      operation: 'StartQueryExecution',
      kind: 'throttle',
      times: 3,
    });
    const { error, lines } = await read(sourceOf());
    expect(error).toBeUndefined();
    expect(lines.length).toBeGreaterThan(0);
    expect(fake.requestCounts()['athena:StartQueryExecution']).toBe(2 + 3);
  });

  it('stops a query that runs past queryTimeoutMs', async () => {
    const { error, newState, count } = await read(
      sourceOf({ queryTimeoutMs: 200 }, slowFake),
    );
    expect(error?.message).toMatch(
      /query [0-9a-f-]+ stopped: still (QUEUED|RUNNING) after 200 ms/,
    );
    expect(count('athena:StopQueryExecution')).toBe(1);
    expect(slowFake.athena.executions().at(-1)?.state).toBe('CANCELLED');
    expect(newState).toBeUndefined();
  });

  it('stops a running query whose scan would exceed the budget', async () => {
    const budget = partitionBytes('2026-10') - 1;
    const { error, count } = await read(
      sourceOf({ scanBudgetBytes: budget }, slowFake),
    );
    expect(error?.message).toMatch(
      new RegExp(
        `stopped: it scanned ${partitionBytes(
          '2026-10',
        )} bytes, over the scan budget of ${budget} bytes`,
      ),
    );
    expect(count('athena:StopQueryExecution')).toBe(1);
    expect(slowFake.athena.executions().at(-1)?.state).toBe('CANCELLED');
  });

  it('refuses to start a query the last runs say would exceed the budget', async () => {
    const first = await read(sourceOf({ dataLocation: undefined }));
    fake.reset();
    const budget = partitionBytes('2026-10') + partitionBytes('2026-11') - 1;
    const { error, newState } = await read(
      sourceOf({ dataLocation: undefined, scanBudgetBytes: budget }),
      first.newState,
    );
    expect(error?.message).toMatch(
      /^Athena scan budget of \d+ bytes per run reached before billing period 2026-11/,
    );
    // October was read, November was never started
    expect(fake.requestCounts()['athena:StartQueryExecution']).toBe(1);
    expect(newState).toBeUndefined();
  });
});

describe('athenaScanCostUsd', () => {
  it('bills whole MB, at least 10 MB, per TB', () => {
    // 10 MiB * 5 / 2^40 = 50 / 2^20 = 0.0000476837158... rounded up to a nano-dollar
    expect(athenaScanCostUsd(1, '5')).toBe('0.000047684');
    // 1 TiB at USD 5
    expect(athenaScanCostUsd(2 ** 40, '5')).toBe('5.000000000');
    // 1 TiB + 1 byte: one more MiB, 5 / 2^20 = 0.00000476837...
    expect(athenaScanCostUsd(2 ** 40 + 1, '5')).toBe('5.000004769');
    expect(athenaScanCostUsd(2 ** 40, '5', false)).toBe('0.000000000');
  });
});
