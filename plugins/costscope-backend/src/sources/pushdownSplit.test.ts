import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CostLine, CostSource } from '@costscope/backstage-plugin-node';
import {
  focusSplitExportSql,
  readCostSourceForTest,
} from '@costscope/backstage-plugin-node/testUtils';
import { DuckDBInstance } from '@duckdb/node-api';
// The pushed-down sources live in the cloud modules, their fakes with the end-to-end tests:
// this test holds them to the file source on the same export.
/* eslint-disable @backstage/no-relative-monorepo-imports */
import { athenaSourceForFake } from '../../../costscope-backend-module-aws/src/__testUtils__/athenaSource';
import {
  bigQueryConfigForFake,
  bigQuerySourceForFake,
} from '../../../costscope-backend-module-gcp/src/__testUtils__/bigQuerySource';
import { useNodeHttpTransport } from '../../../costscope-backend-module-gcp/src/__testUtils__/httpUnderJest';
import {
  credentialsFor,
  FakeAws,
  startFakeAws,
} from '../../../../test/fake-aws';
import {
  FakeBigQuery,
  startFakeBigQuery,
} from '../../../../test/fake-bigquery';
/* eslint-enable @backstage/no-relative-monorepo-imports */
import { DailyAggregator } from '../ingest/DailyAggregator';
import { FocusFileSource } from './focus/FocusFileSource';

const {
  generateDemoBilling,
  // eslint-disable-next-line @backstage/no-relative-monorepo-imports
} = require('../../../../examples/billing/generate.js');

useNodeHttpTransport();
jest.setTimeout(120_000);

const NOW = () => new Date('2026-03-20T08:00:00Z');
const PERIOD = '2026-03-01';
/** Tables (Athena `cur.<name>`, BigQuery `acme-billing.billing.<name>`) by their export. */
const EXPORTS = {
  split_map: focusSplitExportSql({ allocatedTags: 'map' }),
  split_json: focusSplitExportSql({ allocatedTags: 'json' }),
  focus_1_2: focusSplitExportSql({ version: '1.2' }),
};
type Table = keyof typeof EXPORTS;

let dir: string;
let aws: FakeAws;
let bigquery: FakeBigQuery;
const fileOf = (table: Table) =>
  path.join(dir, table, 'BILLING_PERIOD=2026-03', 'part-0.parquet');

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'costscope-pushdown-split-'));
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  try {
    await c.run("SET TimeZone = 'UTC'");
    for (const [table, sql] of Object.entries(EXPORTS)) {
      fs.mkdirSync(path.dirname(fileOf(table as Table)), { recursive: true });
      await c.run(
        `COPY (${sql}) TO '${fileOf(table as Table)}' (FORMAT parquet)`,
      );
    }
  } finally {
    c.closeSync();
    instance.closeSync();
  }
  const tables = Object.keys(EXPORTS).map(t => [t, path.join(dir, t)]);
  // the fake AWS's other services answer from a demo bill
  generateDemoBilling({ outDir: dir, endDate: '2026-03-20', months: 1 });
  aws = await startFakeAws({
    billingDir: path.join(dir, 'aws'),
    athenaTables: Object.fromEntries(tables.map(([t, d]) => [`cur.${t}`, d])),
    athenaDelayMs: 20,
  });
  bigquery = await startFakeBigQuery({
    tables: Object.fromEntries(
      tables.map(([t, d]) => [`acme-billing.billing.${t}`, d]),
    ),
  });
});

afterAll(async () => {
  await aws?.close();
  await bigquery?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const athena = (table: Table): CostSource =>
  athenaSourceForFake(
    {
      database: 'cur',
      table,
      workgroup: 'costscope',
      outputLocation: 's3://athena-results/costscope/',
      region: 'eu-west-1',
      format: 'focus',
      partitionColumn: 'billing_period',
      months: 1,
      pricePerTbUsd: '5',
      poll: { initialMs: 10, maxMs: 40 },
      queryTimeoutMs: 60_000,
      schedule: { frequency: { hours: 12 }, timeout: { minutes: 30 } },
    },
    { url: aws.url, credentials: credentialsFor('111122223333') },
    NOW,
  );

const bigQuery = (table: Table): CostSource =>
  bigQuerySourceForFake(
    bigQueryConfigForFake(bigquery.url, `acme-billing.billing.${table}`, {
      incremental: false,
      months: 1,
    }),
    NOW,
  );

const file = (table: Table): CostSource =>
  new FocusFileSource({ id: `file-${table}`, paths: [fileOf(table)] });

/** The daily facts the ingest would store from the source's lines, in a stable order. */
async function factsOf(source: CostSource) {
  const read = await readCostSourceForTest(source);
  expect(read.error).toBeUndefined();
  expect(read.rejections).toEqual([]);
  const aggregator = new DailyAggregator();
  read.lines.forEach((line: CostLine) => aggregator.add(line));
  expect(aggregator.billingPeriods()).toEqual([PERIOD]);
  return [...aggregator.factsOf(PERIOD)]
    .map(({ lineCount: _, ...fact }) =>
      JSON.stringify(fact, (_key, value) =>
        typeof value === 'bigint' ? value.toString() : value,
      ),
    )
    .sort()
    .map(text => JSON.parse(text));
}

describe('FOCUS 1.3 split cost allocation pushed into Athena and BigQuery', () => {
  it.each(['split_map', 'split_json'] as const)(
    'gives the facts of the file source, allocation included, to the nano-unit (AllocatedTags %s)',
    async table => {
      const expected = await factsOf(file(table));
      // the export's own split: three pods of node 1 on each of three days, the rest unsplit
      expect(expected).toHaveLength(3 * 5);
      expect(
        expected.filter(f => f.allocatedMethodId === 'AWS-EKS-SplitCost'),
      ).toHaveLength(3 * 3);
      expect(expected).toContainEqual(
        expect.objectContaining({
          usageDate: '2026-03-02',
          resourceId: 'i-node-1',
          allocatedResourceId:
            'arn:aws:eks:us-east-1:111122223333:pod/prod/shop/checkout-api-7d9f',
          allocatedResourceName: 'checkout-api-7d9f',
          allocatedTags:
            '{"aws:eks:namespace":"shop","aws:eks:workload-name":"checkout-api","backstage.io/kubernetes-id":"checkout-api"}',
        }),
      );
      expect(expected).toContainEqual(
        expect.objectContaining({
          allocatedResourceId:
            'arn:aws:eks:us-east-1:111122223333:pod/prod/shop/cart-5c4b',
          allocatedTags: '{}',
        }),
      );

      expect(await factsOf(athena(table))).toEqual(expected);
      expect(await factsOf(bigQuery(table))).toEqual(expected);
    },
  );

  it('reads a FOCUS 1.2 table, which has no split columns, as before', async () => {
    const expected = await factsOf(file('focus_1_2'));
    // the same bill unsplit: a fact per node and day
    expect(expected).toHaveLength(3 * 2);
    expect(expected.some(f => 'allocatedMethodId' in f)).toBe(false);
    expect(await factsOf(athena('focus_1_2'))).toEqual(expected);
    expect(await factsOf(bigQuery('focus_1_2'))).toEqual(expected);
    // the queries never name a column such a table lacks
    for (const query of [
      ...aws.athena.executions().map(e => e.query),
      ...bigquery.jobs().map(j => j.query),
    ].filter(q => q.includes('focus_1_2'))) {
      expect(query).not.toMatch(/allocatedmethodid/i);
      expect(query).toMatch(
        /CAST\(NULL AS (VARCHAR|STRING)\) AS allocated_tags/,
      );
    }
  });
});
