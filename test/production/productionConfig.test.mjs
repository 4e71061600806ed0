// The production configuration, as README tells adopters to start it: the real backend with
// app-config.yaml and app-config.production.yaml, on PostgreSQL, every value from the
// environment. It must start, ingest the S3 export it is pointed at (the fake S3 of
// test/fake-aws, through the real S3 client) into PostgreSQL, and
// answer the API with its static token. Databases get a prefix of their own and are dropped
// afterwards. PostgreSQL is reached at 127.0.0.1:5432 (or POSTGRES_HOST/PORT/USER/PASSWORD);
// when it cannot be reached the test fails, it is not skipped.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { openSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import knexFactory from 'knex';
import { waitFor } from '../e2e/portal.mjs';

const ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);
const PORT = 7017;
const BACKEND = `http://localhost:${PORT}`;
const TOKEN = `costscope-production-test-${randomBytes(8).toString('hex')}`;
const PREFIX = `costscope_prodtest_${randomBytes(4).toString('hex')}_`;
const postgres = {
  host: process.env.POSTGRES_HOST ?? '127.0.0.1',
  port: Number(process.env.POSTGRES_PORT ?? 5432),
  user: process.env.POSTGRES_USER ?? 'postgres',
  password: process.env.POSTGRES_PASSWORD ?? '',
};

const require = createRequire(import.meta.url);
const { startFakeAws } = require('../fake-aws');
const { writeDemoExport, DEMO_EXPORT } = require('../fake-aws/demoExport');

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

async function api(pathAndQuery) {
  const response = await fetch(`${BACKEND}/api/costscope${pathAndQuery}`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  if (!response.ok) {
    throw new Error(
      `${pathAndQuery}: ${response.status} ${await response.text()}`,
    );
  }
  return response.json();
}

function adminKnex(database = 'postgres') {
  return knexFactory({
    client: 'pg',
    connection: { ...postgres, database },
    pool: { min: 0, max: 1 },
  });
}

let backend;
let exited;
let focusDir;
let fakeAws;

before(
  async () => {
    // The first month of the demo's AWS bill as AWS Data Exports writes it to S3 (Parquet and
    // a manifest), in the fake S3.
    focusDir = await fs.mkdtemp(
      path.join(os.tmpdir(), 'costscope-prod-focus-'),
    );
    const demo = path.join(ROOT, 'examples/billing/generated/aws');
    const [file] = (await fs.readdir(demo))
      .filter(f => f.endsWith('.csv.gz'))
      .sort();
    assert.ok(file, 'no demo export: run `npm run demo-data` first');
    const oneMonth = path.join(focusDir, 'billing');
    await fs.mkdir(oneMonth);
    await fs.copyFile(path.join(demo, file), path.join(oneMonth, file));
    const bucketDir = path.join(focusDir, 'bucket');
    await writeDemoExport(oneMonth, bucketDir);
    fakeAws = await startFakeAws({
      billingDir: demo,
      s3Buckets: { [DEMO_EXPORT.bucket]: bucketDir },
    });

    const overlay = path.join(focusDir, 'app-config.test.yaml');
    // Only what a test needs on top of production: its own port and database prefix.
    await fs.writeFile(
      overlay,
      `backend:\n  listen:\n    port: ${PORT}\n  database:\n    prefix: ${PREFIX}\n`,
    );
    const log = openSync(
      path.join(ROOT, 'test/artifacts/production-backend.log'),
      'w',
    );
    const child = spawn(
      'npx',
      [
        'backstage-cli',
        'package',
        'start',
        '--config',
        path.join(ROOT, 'app-config.yaml'),
        '--config',
        path.join(ROOT, 'app-config.production.yaml'),
        '--config',
        overlay,
      ],
      {
        cwd: path.join(ROOT, 'packages/backend'),
        detached: true,
        stdio: ['ignore', log, log],
        env: {
          ...process.env,
          APP_BASE_URL: 'http://localhost:3000',
          BACKEND_BASE_URL: BACKEND,
          POSTGRES_HOST: postgres.host,
          POSTGRES_PORT: String(postgres.port),
          POSTGRES_USER: postgres.user,
          POSTGRES_PASSWORD: postgres.password,
          COSTSCOPE_API_TOKEN: TOKEN,
          COSTSCOPE_CURRENCY: 'USD',
          COSTSCOPE_EXPORT_BUCKET: DEMO_EXPORT.bucket,
          COSTSCOPE_EXPORT_PREFIX: `${DEMO_EXPORT.prefix}/${DEMO_EXPORT.exportName}`,
          COSTSCOPE_S3_ENDPOINT: fakeAws.url,
          // The default credential chain reads these; the fake reads the account from the key.
          AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
          AWS_SECRET_ACCESS_KEY: 'fake-secret',
        },
      },
    );
    backend = child;
    exited = new Promise(resolve => child.on('exit', resolve));
    await waitFor(
      'the production backend',
      async () => (await fetch(`${BACKEND}/api/costscope/health`)).ok,
      240_000,
    );
  },
  { timeout: 300_000 },
);

after(async () => {
  if (backend) {
    try {
      process.kill(-backend.pid, 'SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
      process.kill(-backend.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  const admin = adminKnex();
  try {
    const { rows } = await admin.raw(
      'SELECT datname FROM pg_database WHERE datname LIKE ?',
      [`${PREFIX}%`],
    );
    for (const { datname } of rows) {
      await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [datname]);
    }
  } finally {
    await admin.destroy();
  }
  await fakeAws?.close();
  if (focusDir) await fs.rm(focusDir, { recursive: true, force: true });
});

test(
  'app-config.production.yaml ingests the export into PostgreSQL and serves it',
  { timeout: 300_000 },
  async () => {
    // The production source starts a minute after the backend.
    const run = await waitFor(
      'the aws-focus ingest',
      async () => {
        const { items } = await api('/v1/ingest-runs?limit=20');
        return items.find(
          r => r.sourceId === 'aws-focus' && r.status !== 'running',
        );
      },
      240_000,
    );
    assert.equal(run.status, 'succeeded', run.error);
    assert.ok(run.rowsRead > 0);
    assert.equal(run.rowsRejected, 0);
    // Only the production source: the demo sources of app-config.yaml were replaced.
    const { items } = await api('/v1/ingest-runs?limit=50');
    assert.deepEqual(
      [...new Set(items.map(r => r.sourceId))].filter(id =>
        id.startsWith('demo-aws'),
      ),
      [],
    );

    // Stored in PostgreSQL, in the plugin's own database, and the API's total is that sum.
    const costscope = adminKnex(`${PREFIX}costscope`);
    let stored;
    try {
      [stored] = await costscope('costscope_cost_facts').select(
        costscope.raw('CAST(SUM(billed_nanos) AS TEXT) AS billed'),
        costscope.raw('CAST(SUM(effective_nanos) AS TEXT) AS effective'),
        costscope.raw('CAST(MIN(usage_date) AS TEXT) AS first'),
        costscope.raw('CAST(MAX(usage_date) AS TEXT) AS last'),
      );
    } finally {
      await costscope.destroy();
    }
    assert.ok(BigInt(stored.billed) > 0n);
    // Allocation follows the ingest run's end, and the overview reads its rollups.
    const overview = await waitFor(
      'the allocation after the ingest',
      async () => {
        const answer = await api(
          `/v1/overview?from=${stored.first}&to=${stored.last}&costBasis=billed`,
        );
        return Number(answer.total) !== 0 && answer;
      },
      60_000,
    );
    const toNanos = money => {
      const [whole, fraction] = money.split('.');
      return BigInt(whole) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0'));
    };
    assert.equal(toNanos(overview.total), BigInt(stored.billed));
    // The default basis, amortized: the stored EffectiveCost.
    const amortized = await api(
      `/v1/overview?from=${stored.first}&to=${stored.last}`,
    );
    assert.equal(amortized.costBasis, 'effective');
    assert.equal(toNanos(amortized.total), BigInt(stored.effective));

    // Without the token: refused.
    const anonymous = await fetch(`${BACKEND}/api/costscope/v1/overview`);
    assert.equal(anonymous.status, 401);
  },
);
