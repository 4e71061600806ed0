// SIGKILL in the middle of an ingest, with a real child process (ingestChild.ts, the backend's
// own IngestEngine, FocusFileSource, FactStore and migrations), on SQLite and on PostgreSQL:
// after the kill the stored facts are the previous complete version, exactly, and the next run
// in a new process completes with the new version. PostgreSQL is reached through
// BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING (default 127.0.0.1:5432); when it cannot
// be reached the test fails, it is not skipped.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import knexFactory from 'knex';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const CHILD = path.join(HERE, 'ingestChild.ts');

const FOCUS_HEADER = [
  'BilledCost',
  'EffectiveCost',
  'BillingCurrency',
  'BillingAccountId',
  'BillingPeriodStart',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'ChargeCategory',
  'ProviderName',
  'SubAccountId',
  'ServiceName',
  'RegionId',
  'ResourceId',
  'ResourceType',
  'Tags',
].join(',');

/**
 * Writes a FOCUS CSV of one billing period (September 2026): `days` days, `resources` resources
 * a day, `perResource` lines each. Amounts have at most 9 decimals, so the stored nano-units
 * are exact, and the expected totals are summed here in BigInt.
 */
async function writeFocusFile(file, { days, resources, perResource, salt }) {
  const out = createWriteStream(file);
  const write = text => (out.write(text) ? undefined : once(out, 'drain'));
  await write(`${FOCUS_HEADER}\n`);
  let billed = 0n;
  let effective = 0n;
  let lines = 0;
  let chunk = '';
  for (let day = 1; day <= days; day++) {
    const date = `2026-09-${String(day).padStart(2, '0')}`;
    const next = new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000)
      .toISOString()
      .replace('.000Z', 'Z');
    for (let r = 0; r < resources; r++) {
      for (let k = 0; k < perResource; k++) {
        const i = lines + salt;
        const billedNanos =
          BigInt(i % 997) * 1_000_000_000n + BigInt((i * 7919) % 1_000_000_000);
        const effectiveNanos = (billedNanos * 9n) / 10n;
        billed += billedNanos;
        effective += effectiveNanos;
        lines += 1;
        chunk +=
          `${money(billedNanos)},${money(effectiveNanos)},USD,999988887777,` +
          `2026-09-01T00:00:00Z,${date}T00:00:00Z,${next},Usage,AWS,111122223333,` +
          `Amazon Elastic Compute Cloud,us-east-1,i-${r},Instance,` +
          `"{""service"":""svc-${r % 50}""}"\n`;
      }
      if (chunk.length > 1 << 20) {
        await write(chunk);
        chunk = '';
      }
    }
  }
  await write(chunk);
  out.end();
  await once(out, 'finish');
  return {
    facts: days * resources,
    lines,
    billed: billed.toString(),
    effective: effective.toString(),
  };
}

function money(nanos) {
  return `${nanos / 1_000_000_000n}.${String(nanos % 1_000_000_000n).padStart(
    9,
    '0',
  )}`;
}

function pgServer() {
  const url = new URL(
    process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
      'postgresql://postgres@127.0.0.1:5432',
  );
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username || 'postgres'),
    password: url.password ? decodeURIComponent(url.password) : undefined,
  };
}

function connect(db) {
  if (db.startsWith('sqlite:')) {
    return knexFactory({
      client: 'better-sqlite3',
      connection: { filename: db.slice('sqlite:'.length) },
      useNullAsDefault: true,
    });
  }
  return knexFactory({
    client: 'pg',
    connection: { ...pgServer(), database: db.slice('pg:'.length) },
    pool: { min: 0, max: 1 },
  });
}

/** Reads the database as a backend starting afresh would: a new connection each time. */
async function withDb(db, fn) {
  const knex = connect(db);
  try {
    return await fn(knex);
  } finally {
    await knex.destroy();
  }
}

/** Totals and a digest of every stored fact, in a stable order. */
async function factsOf(db) {
  return withDb(db, async knex => {
    const [totals] = await knex('costscope_cost_facts').select(
      knex.raw('COUNT(*) AS facts'),
      knex.raw('CAST(SUM(line_count) AS TEXT) AS lines'),
      knex.raw('CAST(SUM(billed_nanos) AS TEXT) AS billed'),
      knex.raw('CAST(SUM(effective_nanos) AS TEXT) AS effective'),
    );
    const rows = await knex('costscope_cost_facts')
      .select(
        'source_id',
        'billing_period',
        'usage_date',
        'resource_id',
        'alloc_key',
        'line_count',
        knex.raw('CAST(billed_nanos AS TEXT) AS billed'),
        knex.raw('CAST(effective_nanos AS TEXT) AS effective'),
      )
      .orderBy(['usage_date', 'resource_id']);
    const digest = createHash('sha256');
    for (const row of rows)
      digest.update(`${JSON.stringify(Object.values(row))}\n`);
    return {
      facts: Number(totals.facts),
      lines: Number(totals.lines),
      billed: totals.billed,
      effective: totals.effective,
      digest: digest.digest('hex'),
    };
  });
}

async function runsOf(db) {
  return withDb(db, knex =>
    knex('costscope_ingest_runs')
      .select('id', 'status', 'rows_read', 'facts_written', 'error')
      .orderBy('started_at'),
  );
}

/** Starts the child; `events` collects its stdout event lines as they come. */
const children = new Set();

function startChild(db, dir, extraArgs = []) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CHILD, '--db', db, '--dir', dir, ...extraArgs],
    { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const events = [];
  let stdout = '';
  let stderr = '';
  const waiters = [];
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', data => {
    stdout += data;
    const parts = stdout.split('\n');
    stdout = parts.pop();
    events.push(...parts);
    for (const waiter of [...waiters]) waiter();
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', data => {
    stderr += data;
  });
  children.add(child);
  const exited = new Promise(resolve =>
    child.on('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  return {
    child,
    events,
    exited,
    stderr: () => stderr,
    /** Resolves when the child announces `name`; rejects if it exits first. */
    waitFor(name) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (
            events.some(line => line === name || line.startsWith(`${name} `))
          ) {
            waiters.splice(waiters.indexOf(check), 1);
            resolve();
          }
        };
        waiters.push(check);
        check();
        exited.then(({ code, signal }) =>
          reject(
            new Error(
              `child exited (${
                code ?? signal
              }) before '${name}' (events: ${events
                .map(e => e.slice(0, 40))
                .join(' | ')}):\n${stderr}`,
            ),
          ),
        );
      });
    },
  };
}

/** Runs the child to the end and returns its run record. */
async function ingest(db, dir, extraArgs = []) {
  const started = startChild(db, dir, extraArgs);
  const { code, signal } = await started.exited;
  assert.equal(
    code,
    0,
    `ingest exited with ${code ?? signal}:\n${started.stderr()}`,
  );
  const line = started.events.find(event => event.startsWith('result '));
  return JSON.parse(line.slice('result '.length));
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

let workDir;
let small;
let large;
const smallFile = () => path.join(workDir, 'small', 'focus.csv');
const largeFile = () => path.join(workDir, 'large', 'focus.csv');

before(async () => {
  workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'costscope-sigkill-'));
  await fs.mkdir(path.join(workDir, 'small'));
  await fs.mkdir(path.join(workDir, 'large'));
  // The complete version in place before the crash, and the one being ingested when it comes.
  small = await writeFocusFile(smallFile(), {
    days: 10,
    resources: 100,
    perResource: 2,
    salt: 17,
  });
  large = await writeFocusFile(largeFile(), {
    days: 30,
    resources: 500,
    perResource: 20,
    salt: 0,
  });
  assert.equal(large.lines, 300_000);
});

after(async () => {
  // A failed assertion must not leave a child behind, paused or ingesting.
  for (const child of children) child.kill('SIGKILL');
  if (workDir) await fs.rm(workDir, { recursive: true, force: true });
});

/**
 * The whole story on one database: a complete first version; a kill while the new file is
 * read; a kill inside the transaction that replaces the facts; then a run that completes.
 */
async function killAndRecover(db) {
  const sourceDir = path.join(workDir, `source-${db.split(':')[0]}`);
  await fs.mkdir(sourceDir);
  const source = path.join(sourceDir, 'focus.csv');

  await fs.copyFile(smallFile(), source);
  const first = await ingest(db, sourceDir);
  assert.equal(first.status, 'succeeded');
  const previous = await factsOf(db);
  assert.deepEqual(
    {
      facts: previous.facts,
      lines: previous.lines,
      billed: previous.billed,
      effective: previous.effective,
    },
    {
      facts: small.facts,
      lines: small.lines,
      billed: small.billed,
      effective: small.effective,
    },
  );

  await fs.copyFile(largeFile(), source);

  // 1. Killed while reading the new file: the run is recorded as running, nothing written yet.
  const reading = startChild(db, sourceDir);
  await withDb(db, async knex => {
    const deadline = Date.now() + 30_000;
    while (
      (await knex('costscope_ingest_runs').where({ status: 'running' }))
        .length === 0
    ) {
      assert.ok(Date.now() < deadline, 'the run never showed as running');
      assert.ok(
        !reading.events.includes('write-start'),
        'the run was not seen running',
      );
      await sleep(10);
    }
  });
  await sleep(100);
  assert.ok(
    !reading.events.includes('write-start'),
    'the ingest had reached the write before the kill: the file is too small to kill it while reading',
  );
  reading.child.kill('SIGKILL');
  assert.equal((await reading.exited).signal, 'SIGKILL');
  assert.deepEqual(await factsOf(db), previous);

  // 2. Killed inside the transaction that replaces the facts: after its delete, before its commit.
  const writing = startChild(db, sourceDir, ['--pause-in-write']);
  await writing.waitFor('paused-in-write');
  if (db.startsWith('sqlite:')) {
    // SQLite's rollback journal: a write transaction is open, with the old pages saved in it.
    await fs.access(`${db.slice('sqlite:'.length)}-journal`);
  }
  writing.child.kill('SIGKILL');
  assert.equal((await writing.exited).signal, 'SIGKILL');
  assert.deepEqual(await factsOf(db), previous);

  // 3. The next run, in a new process, completes and stores the new version. It treats runs
  // without a heartbeat for 1 ms (the default is minutes) as abandoned, i.e. both killed runs.
  const last = await ingest(db, sourceDir, ['--abandoned-after-ms', '1']);
  assert.equal(last.status, 'succeeded');
  assert.equal(last.rowsRead, large.lines);
  assert.equal(last.factsWritten, large.facts);
  const current = await factsOf(db);
  assert.deepEqual(
    {
      facts: current.facts,
      lines: current.lines,
      billed: current.billed,
      effective: current.effective,
    },
    {
      facts: large.facts,
      lines: large.lines,
      billed: large.billed,
      effective: large.effective,
    },
  );

  // The killed runs never claim success and are closed as abandoned; the first and last succeeded.
  const runs = await runsOf(db);
  assert.deepEqual(
    runs.map(run => run.status),
    ['succeeded', 'failed', 'failed', 'succeeded'],
  );
  assert.match(runs[1].error, /^Abandoned: no heartbeat since /);
  assert.match(runs[2].error, /^Abandoned: no heartbeat since /);
}

describe('SIGKILL in the middle of an ingest', () => {
  test(
    'on SQLite, the previous version survives and the next run completes',
    { timeout: 120_000 },
    async () => {
      await killAndRecover(`sqlite:${path.join(workDir, 'costscope.sqlite')}`);
    },
  );

  test(
    'on PostgreSQL, the previous version survives and the next run completes',
    { timeout: 120_000 },
    async () => {
      const database = `costscope_kill_${randomBytes(6).toString('hex')}`;
      const admin = knexFactory({
        client: 'pg',
        connection: { ...pgServer(), database: 'postgres' },
        pool: { min: 0, max: 1 },
      });
      try {
        await admin.raw('CREATE DATABASE ??', [database]);
        await killAndRecover(`pg:${database}`);
      } finally {
        await admin
          .raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [database])
          .catch(() => {});
        await admin.destroy();
      }
    },
  );
});
