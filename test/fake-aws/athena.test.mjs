// The fake's Athena driven by the real @aws-sdk/client-athena: the SQL runs in DuckDB over the
// demo's FOCUS export as Parquet.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

const require = createRequire(import.meta.url);
const { startFakeAws, credentialsFor, DEMO_ACCOUNTS } = require('./index.js');
const { writeDemoExport } = require('./demoExport.js');
const { generateDemoBilling } = require('../../examples/billing/generate.js');
const { DuckDBInstance } = require('@duckdb/node-api');
const {
  AthenaClient,
  StartQueryExecutionCommand,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StopQueryExecutionCommand,
  GetTableMetadataCommand,
} = require('@aws-sdk/client-athena');

const OUTPUT = 's3://athena-results/costscope/';
let fake;
let dir;
let dataDir;
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-athena-'));
  generateDemoBilling({ outDir: dir, endDate: '2026-11-22', months: 2 });
  await writeDemoExport(path.join(dir, 'aws'), path.join(dir, 'export'), {
    bucket: 'billing',
    prefix: 'focus',
    exportName: 'demo',
    tagsAsMap: true,
  });
  dataDir = path.join(dir, 'export/focus/demo/data');
  fake = await startFakeAws({
    billingDir: path.join(dir, 'aws'),
    athenaTables: { 'cur.focus': dataDir },
    athenaDelayMs: 300,
  });
});
after(async () => {
  await fake?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const client = (maxAttempts = 1) =>
  new AthenaClient({
    region: 'eu-west-1',
    endpoint: fake.url,
    credentials: credentialsFor(DEMO_ACCOUNTS.payer),
    maxAttempts,
  });

const start = (athena, sql, extra = {}) =>
  athena.send(
    new StartQueryExecutionCommand({
      QueryString: sql,
      QueryExecutionContext: { Database: 'cur' },
      WorkGroup: 'costscope',
      ResultConfiguration: { OutputLocation: OUTPUT },
      ...extra,
    }),
  );

async function waitDone(athena, id) {
  const seen = [];
  for (;;) {
    const { QueryExecution } = await athena.send(
      new GetQueryExecutionCommand({ QueryExecutionId: id }),
    );
    const state = QueryExecution.Status.State;
    if (seen.at(-1) !== state) seen.push(state);
    if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(state))
      return { execution: QueryExecution, seen };
    await new Promise(r => setTimeout(r, 40));
  }
}

async function allRows(athena, id, MaxResults) {
  const pages = [];
  let NextToken;
  do {
    const page = await athena.send(
      new GetQueryResultsCommand({
        QueryExecutionId: id,
        MaxResults,
        NextToken,
      }),
    );
    pages.push(page);
    NextToken = page.NextToken;
  } while (NextToken);
  return pages;
}

async function duck(sql) {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  try {
    await c.run("SET TimeZone = 'UTC'");
    const r = await c.runAndReadAll(sql);
    return r
      .getRows()
      .map(row => row.map(v => (v === null ? null : String(v))));
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

const PERIOD_SQL = `SELECT CAST(chargeperiodstart AS DATE) AS day, subaccountid,
  SUM(CAST(billedcost AS DECIMAL(38, 18))) AS billed,
  json_format(CAST(tags AS JSON)) AS tags
FROM cur.focus WHERE billing_period = '2026-11'
GROUP BY 1, 2, 4 ORDER BY 1, 2, 4`;

describe('fake Athena', () => {
  test('runs the SQL in DuckDB: states, header row, types, paging, exact sums', async () => {
    const athena = client();
    const { QueryExecutionId } = await start(athena, PERIOD_SQL);
    const { execution, seen } = await waitDone(athena, QueryExecutionId);
    assert.deepEqual(seen, ['QUEUED', 'RUNNING', 'SUCCEEDED']);
    assert.equal(execution.WorkGroup, 'costscope');
    assert.equal(
      execution.ResultConfiguration.OutputLocation,
      `${OUTPUT}${QueryExecutionId}.csv`,
    );
    assert.ok(execution.Status.CompletionDateTime instanceof Date);

    const pages = await allRows(athena, QueryExecutionId, 7);
    assert.ok(pages.length > 3);
    assert.ok(pages.slice(0, -1).every(p => p.ResultSet.Rows.length === 7));
    const [header, ...rows] = pages.flatMap(p => p.ResultSet.Rows);
    assert.deepEqual(
      header.Data.map(d => d.VarCharValue),
      ['day', 'subaccountid', 'billed', 'tags'],
    );
    const info = pages[0].ResultSet.ResultSetMetadata.ColumnInfo;
    assert.deepEqual(
      info.map(c => [c.Name, c.Type]),
      [
        ['day', 'date'],
        ['subaccountid', 'varchar'],
        ['billed', 'decimal'],
        ['tags', 'varchar'],
      ],
    );
    assert.equal(info[2].Scale, 18);

    // the same query run on the CSV by DuckDB directly
    const expected =
      await duck(`SELECT CAST(CAST(ChargePeriodStart AS TIMESTAMPTZ) AS DATE),
        SubAccountId, SUM(CAST(BilledCost AS DECIMAL(38, 18))),
        CASE WHEN Tags = '' OR Tags IS NULL THEN NULL ELSE CAST(CAST(json(Tags) AS MAP(VARCHAR, VARCHAR)) AS JSON)::VARCHAR END
      FROM read_csv('${path.join(
        dir,
        'aws/focus-2026-11.csv.gz',
      )}', all_varchar = true, header = true)
      GROUP BY 1, 2, 4 ORDER BY 1, 2, 4`);
    assert.deepEqual(
      rows.map(r => r.Data.map(d => d.VarCharValue ?? null)),
      expected,
    );
    // NULL is a Data entry without VarCharValue
    assert.ok(rows.some(r => Object.keys(r.Data[3]).length === 0));
  });

  test('DataScannedInBytes: the files of the partitions the query names', async () => {
    const athena = client();
    const size = period =>
      fs
        .readdirSync(path.join(dataDir, `BILLING_PERIOD=${period}`))
        .reduce(
          (n, f) =>
            n +
            fs.statSync(path.join(dataDir, `BILLING_PERIOD=${period}`, f)).size,
          0,
        );
    const one = await start(athena, PERIOD_SQL);
    const all = await start(athena, 'SELECT COUNT(*) FROM focus');
    const a = await waitDone(athena, one.QueryExecutionId);
    const b = await waitDone(athena, all.QueryExecutionId);
    assert.equal(a.execution.Statistics.DataScannedInBytes, size('2026-11'));
    assert.equal(
      b.execution.Statistics.DataScannedInBytes,
      size('2026-11') + size('2026-10'),
    );
    const count = await allRows(athena, all.QueryExecutionId);
    const lines = ['2026-10', '2026-11']
      .map(
        m =>
          require('node:zlib')
            .gunzipSync(
              fs.readFileSync(path.join(dir, `aws/focus-${m}.csv.gz`)),
            )
            .toString()
            .trim()
            .split('\n').length - 1,
      )
      .reduce((x, y) => x + y, 0);
    assert.equal(
      count[0].ResultSet.Rows[1].Data[0].VarCharValue,
      String(lines),
    );
  });

  test('GetTableMetadata: the columns as Glue lists them, the partition apart', async () => {
    const athena = client();
    const { TableMetadata: table } = await athena.send(
      new GetTableMetadataCommand({
        CatalogName: 'AwsDataCatalog',
        DatabaseName: 'cur',
        TableName: 'FOCUS',
      }),
    );
    const types = Object.fromEntries(table.Columns.map(c => [c.Name, c.Type]));
    assert.equal(types.billedcost, 'decimal(38,18)');
    assert.equal(types.servicename, 'string');
    assert.equal(types.tags, 'map<string,string>');
    assert.equal(types.allocatedmethodid, undefined);
    assert.deepEqual(table.PartitionKeys, [
      { Name: 'billing_period', Type: 'string' },
    ]);
    await assert.rejects(
      athena.send(
        new GetTableMetadataCommand({
          CatalogName: 'AwsDataCatalog',
          DatabaseName: 'cur',
          TableName: 'focus_v2',
        }),
      ),
      e =>
        e.name === 'MetadataException' && /focus_v2 not found/.test(e.message),
    );
  });

  test('a syntax error is the InvalidRequestException of StartQueryExecution', async () => {
    await assert.rejects(start(client(), 'SELEC day FROM focus'), e => {
      assert.equal(e.name, 'InvalidRequestException');
      assert.match(e.message, /syntax error at or near "SELEC"/);
      return true;
    });
    await assert.rejects(
      start(client(), 'SELECT 1', { ResultConfiguration: undefined }),
      /No output location provided/,
    );
  });

  test('a missing table fails the query; its results are refused', async () => {
    const athena = client();
    const { QueryExecutionId } = await start(athena, 'SELECT * FROM cur.nope');
    const { execution } = await waitDone(athena, QueryExecutionId);
    assert.equal(execution.Status.State, 'FAILED');
    assert.match(execution.Status.StateChangeReason, /nope does not exist/);
    assert.equal(execution.Status.AthenaError.ErrorCategory, 2);
    await assert.rejects(
      athena.send(new GetQueryResultsCommand({ QueryExecutionId })),
      e =>
        e.name === 'InvalidRequestException' &&
        /Final query state: FAILED/.test(e.message),
    );
  });

  test('StopQueryExecution cancels a running query', async () => {
    const athena = client();
    const { QueryExecutionId } = await start(athena, PERIOD_SQL);
    await assert.rejects(
      athena.send(new GetQueryResultsCommand({ QueryExecutionId })),
      /Query has not yet finished. Current state: QUEUED/,
    );
    await athena.send(new StopQueryExecutionCommand({ QueryExecutionId }));
    const { execution } = await waitDone(athena, QueryExecutionId);
    assert.equal(execution.Status.State, 'CANCELLED');
    await assert.rejects(
      athena.send(
        new GetQueryExecutionCommand({ QueryExecutionId: 'made-up' }),
      ),
      /was not found/,
    );
  });

  test('faults: AccessDeniedException, throttling retried by the SDK', async () => {
    fake.injectFault({ service: 'athena', kind: 'deny' });
    await assert.rejects(start(client(), PERIOD_SQL), e => {
      assert.equal(e.name, 'AccessDeniedException');
      assert.match(e.message, /: athena:StartQueryExecution /);
      return true;
    });
    fake.injectFault({ service: 'athena', kind: 'deny' });
    await assert.rejects(
      client().send(new GetQueryExecutionCommand({ QueryExecutionId: 'x' })),
      e => {
        assert.match(e.message, /: athena:GetQueryExecution /);
        return true;
      },
    );
    fake.injectFault({ service: 'athena', kind: 'throttle', times: 2 });
    const started = await start(client(3), PERIOD_SQL);
    assert.equal(started.$metadata.attempts, 3);
    fake.injectFault({
      service: 'athena',
      operation: 'GetQueryExecution',
      kind: 'throttle',
    });
    await assert.rejects(
      client().send(
        new GetQueryExecutionCommand({
          QueryExecutionId: started.QueryExecutionId,
        }),
      ),
      e => e.name === 'TooManyRequestsException',
    );
    fake.reset();
  });
});
