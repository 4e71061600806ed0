// The fake BigQuery driven by the real @google-cloud/bigquery client: the SQL runs in DuckDB
// over the demo's Google Cloud FOCUS bill as Parquet.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';

const require = createRequire(import.meta.url);
const { startFakeBigQuery, billedBytes } = require('./index.js');
const { writeDemoBigQueryTable } = require('./demoTable.js');
const { generateDemoBilling } = require('../../examples/billing/generate.js');
const { DuckDBInstance } = require('@duckdb/node-api');
const { BigQuery } = require('@google-cloud/bigquery');

const TABLE = 'acme-billing.billing.focus';
let fake;
let dir;
let tableDir;

const client = () =>
  new BigQuery({
    projectId: 'acme-billing',
    apiEndpoint: fake.url,
    authClient: {
      getRequestHeaders: async () =>
        new Headers({ authorization: 'Bearer test-token' }),
    },
    retryOptions: { maxRetryDelay: 0.02, maxRetries: 3 },
  });

async function duck(sql) {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  try {
    await c.run("SET TimeZone = 'UTC'");
    return (await c.runAndReadAll(sql)).getRows().map(r => r.map(String));
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

const fileBytes = period => {
  const d = path.join(tableDir, `billing_period=${period}`);
  return fs
    .readdirSync(d)
    .reduce((n, f) => n + fs.statSync(path.join(d, f)).size, 0);
};

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-bigquery-'));
  generateDemoBilling({ outDir: dir, endDate: '2026-11-22', months: 2 });
  tableDir = path.join(dir, 'table');
  await writeDemoBigQueryTable(path.join(dir, 'gcp'), tableDir);
  fake = await startFakeBigQuery({ tables: { [TABLE]: tableDir } });
});

after(async () => {
  await fake?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => fake.reset());

const OCTOBER = `SELECT CAST(SUM(CAST(BilledCost AS BIGNUMERIC)) AS STRING) AS billed, COUNT(*) AS n
  FROM \`${TABLE}\` WHERE CAST(BillingPeriodStart AS DATE) = DATE '2026-10-01'`;

describe('fake BigQuery', () => {
  test('a dry run reports the bytes of the partitions read, and creates no job', async () => {
    const [job] = await client().createQueryJob({
      query: OCTOBER,
      dryRun: true,
    });
    assert.equal(job.metadata.status.state, 'DONE');
    assert.equal(
      job.metadata.statistics.totalBytesProcessed,
      String(fileBytes('2026-10')),
    );
    assert.equal(fake.jobs().length, 0);
  });

  test('runs the SQL in DuckDB: the sum is the Parquet file own', async () => {
    const [job] = await client().createQueryJob({ query: OCTOBER });
    const [rows] = await job.getQueryResults();
    const [[expected, count]] = await duck(
      `SELECT SUM(BilledCost), count(*) FROM read_parquet('${tableDir}/billing_period=2026-10/*.parquet')`,
    );
    assert.equal(rows[0].billed, expected);
    assert.equal(String(rows[0].n), count);
    const [metadata] = await job.getMetadata();
    assert.equal(metadata.status.state, 'DONE');
    // a small file is billed at the 10 MB minimum
    assert.equal(
      metadata.statistics.query.totalBytesBilled,
      String(10 * 2 ** 20),
    );
  });

  test('pages results with maxResults and pageToken', async () => {
    const [job] = await client().createQueryJob({
      query: `SELECT ResourceId FROM \`${TABLE}\` ORDER BY 1 LIMIT 25`,
    });
    const seen = [];
    let options = { maxResults: 10, autoPaginate: false };
    let pages = 0;
    while (options) {
      const [rows, next] = await job.getQueryResults(options);
      seen.push(...rows.map(r => r.ResourceId));
      options = next;
      pages += 1;
    }
    assert.equal(pages, 3);
    assert.equal(seen.length, 25);
    assert.equal(fake.requestCounts()['jobs.getQueryResults'], 3);
  });

  test('a syntax error is a 400 invalidQuery at insert', async () => {
    await assert.rejects(client().createQueryJob({ query: 'SELEC 1' }), e => {
      assert.equal(e.code, 400);
      assert.equal(e.errors[0].reason, 'invalidQuery');
      return true;
    });
  });

  test('tables.get: the schema, Tags an array of key/value records', async () => {
    const [metadata] = await client()
      .dataset('billing')
      .table('focus')
      .getMetadata();
    const fields = Object.fromEntries(
      metadata.schema.fields.map(f => [f.name, f]),
    );
    assert.equal(fields.ServiceName.type, 'STRING');
    assert.equal(fields.Tags.type, 'RECORD');
    assert.equal(fields.Tags.mode, 'REPEATED');
    assert.deepEqual(
      fields.Tags.fields.map(f => [f.name, f.type]),
      [
        ['key', 'STRING'],
        ['value', 'STRING'],
      ],
    );
    assert.equal(fields.billing_period, undefined);
    await assert.rejects(
      client().dataset('billing').table('nope').getMetadata(),
      e => e.code === 404,
    );
  });

  test('an unknown table is a 404 notFound', async () => {
    await assert.rejects(
      client().createQueryJob({
        query: 'SELECT 1 FROM `acme-billing.billing.nope`',
      }),
      e =>
        e.code === 404 &&
        /Not found: Table acme-billing:billing.nope/.test(e.message),
    );
  });

  test('maximumBytesBilled under the bytes billed fails the job with bytesBilledLimitExceeded', async () => {
    await assert.rejects(
      client().createQueryJob({ query: OCTOBER, maximumBytesBilled: '1000' }),
      e => {
        assert.equal(e.errors[0].reason, 'bytesBilledLimitExceeded');
        assert.match(
          e.message,
          /Query exceeded limit for bytes billed: 1000\. 10485760 or higher required\./,
        );
        return true;
      },
    );
    assert.equal(fake.jobs()[0].error, 'bytesBilledLimitExceeded');
  });

  test('access denied and throttling are answered as BigQuery does; throttling is retried', async () => {
    fake.injectFault({ kind: 'deny', operation: 'jobs.insert' });
    await assert.rejects(
      client().createQueryJob({ query: OCTOBER }),
      e => e.code === 403 && e.errors[0].reason === 'accessDenied',
    );
    // 429 is retried by the client library (429, 5xx); 403 rateLimitExceeded is not: the
    // library decides on the status code before it reads the body's reason.
    fake.injectFault({
      kind: 'too-many-requests',
      operation: 'jobs.insert',
      times: 2,
    });
    const [job] = await client().createQueryJob({ query: OCTOBER });
    assert.ok(job.id);
    fake.injectFault({ kind: 'throttle', operation: 'jobs.insert' });
    await assert.rejects(
      client().createQueryJob({ query: OCTOBER }),
      e => e.code === 403 && e.errors[0].reason === 'rateLimitExceeded',
    );
    // denied; two throttled and the one that went through; throttled (403)
    assert.equal(fake.requestCounts()['jobs.insert'], 5);
  });

  test('a job stays RUNNING for delayMs: getQueryResults answers jobComplete false', async () => {
    const slow = await startFakeBigQuery({
      tables: { [TABLE]: tableDir },
      delayMs: 400,
    });
    try {
      const bq = new BigQuery({
        projectId: 'acme-billing',
        apiEndpoint: slow.url,
        authClient: {
          getRequestHeaders: async () =>
            new Headers({ authorization: 'Bearer t' }),
        },
      });
      const [job] = await bq.createQueryJob({ query: OCTOBER });
      assert.equal(job.metadata.status.state, 'PENDING');
      const [, next, response] = await job
        .getQueryResults({ timeoutMs: 50, autoPaginate: false })
        .catch(e => [
          undefined,
          undefined,
          { jobComplete: /did not complete/.test(e.message) ? false : e },
        ]);
      assert.equal(response.jobComplete, false);
      const [rows] = await job.getQueryResults();
      assert.equal(rows.length, 1);
    } finally {
      await slow.close();
    }
  });

  test('INFORMATION_SCHEMA.PARTITIONS lists one partition per billing period', async () => {
    const [job] = await client().createQueryJob({
      query: `SELECT partition_id, total_rows FROM \`acme-billing.billing.INFORMATION_SCHEMA.PARTITIONS\` WHERE table_name = 'focus' ORDER BY 1`,
    });
    const [rows] = await job.getQueryResults();
    const counts = await duck(
      `SELECT replace(billing_period, '-', ''), count(*) FROM read_parquet('${tableDir}/**/*.parquet', hive_partitioning = true) GROUP BY 1 ORDER BY 1`,
    );
    assert.deepEqual(
      rows.map(r => [r.partition_id, String(r.total_rows)]),
      counts,
    );
  });

  test('requests without a bearer token are 401', async () => {
    const res = await fetch(
      `${fake.url}/bigquery/v2/projects/acme-billing/jobs`,
      { method: 'POST', body: '{}' },
    );
    assert.equal(res.status, 401);
    assert.equal((await res.json()).error.status, 'UNAUTHENTICATED');
  });

  test('bytes billed: whole MiB, at least 10 MiB per table', () => {
    assert.equal(billedBytes({ bytes: 0, tables: 0 }), 0);
    assert.equal(billedBytes({ bytes: 1, tables: 1 }), 10485760);
    assert.equal(
      billedBytes({ bytes: 11 * 2 ** 20 + 1, tables: 1 }),
      12 * 2 ** 20,
    );
  });
});
