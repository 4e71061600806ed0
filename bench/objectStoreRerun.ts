/**
 * Incremental object-storage ingest: an S3 source with 12 months of AWS Data Exports objects,
 * read once, then run again with nothing changed.
 *
 *   tsx bench/objectStoreRerun.ts [--months N]
 *
 * The demo generator's AWS bill (examples/billing/generate.js) for N months (12), each month a
 * gzipped FOCUS CSV and a manifest in the fake S3 (test/fake-aws, over HTTP on 127.0.0.1),
 * read by the backend's ObjectStoreFocusSource, IngestEngine and FactStore into a SQLite file.
 * The second run must fetch no data object (only the manifests) and is timed against the
 * target of 2 s. The last line is
 * `object-store-rerun months=<n> objects=<n> first_seconds=<s> rerun_seconds=<s> rerun_data_reads=<n>`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { ConfigReader } from '@backstage/config';
import { LoggerService } from '@backstage/backend-plugin-api';
import { startFakeAws } from '../test/fake-aws';
import { IngestEngine } from '../plugins/costscope-backend/src/ingest/IngestEngine';
import { RunRecorder } from '../plugins/costscope-backend/src/pipeline/RunRecorder';
import { createObjectStoreSource } from '../plugins/costscope-backend/src/sources/objectStore/createObjectStoreSource';
import { FactStore } from '../plugins/costscope-backend/src/store/FactStore';
import { applyMigrations } from '../plugins/costscope-backend/src/store/migrations';
import { RunStore } from '../plugins/costscope-backend/src/store/RunStore';

// CommonJS script of the demo data.
const { generateDemoBilling } = require('../examples/billing/generate.js');

const TARGET_RERUN_SECONDS = 2;
const BUCKET = 'billing-exports';
const ROOT = 'focus/costscope';

const quiet: LoggerService = {
  error: message => process.stderr.write(`error: ${message}\n`),
  warn: () => {},
  info: () => {},
  debug: () => {},
  child: () => quiet,
};

function monthsArg(argv: string[]): number {
  const at = argv.indexOf('--months');
  if (at < 0) return 12;
  const value = Number(argv[at + 1]);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new Error('--months needs a positive integer');
  }
  return value;
}

/** Runs the benchmark and returns the lines it prints; the last is the summary. */
export async function benchObjectStoreRerun(months = 12): Promise<string[]> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'costscope-bench-s3-'));
  const awsDir = path.join(work, 'demo', 'aws');
  generateDemoBilling({ outDir: path.join(work, 'demo'), months });
  // Its Cost Explorer serves the same bill; only S3 is used here.
  const aws = await startFakeAws({ billingDir: awsDir });
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: path.join(work, 'bench.sqlite') },
    useNullAsDefault: true,
  });
  try {
    const files = fs
      .readdirSync(awsDir)
      .filter(name => name.endsWith('.csv.gz'));
    for (const name of files) {
      const month = /(\d{4}-\d{2})/.exec(name)![1];
      const key = `${ROOT}/data/BILLING_PERIOD=${month}/costscope-00001.csv.gz`;
      aws.s3.putObject(BUCKET, key, fs.readFileSync(path.join(awsDir, name)));
      aws.s3.putObject(
        BUCKET,
        `${ROOT}/metadata/BILLING_PERIOD=${month}/costscope-Manifest.json`,
        JSON.stringify({ dataFiles: [`s3://${BUCKET}/${key}`] }),
      );
    }
    await applyMigrations(knex);
    const engine = new IngestEngine({
      store: new FactStore(knex),
      runs: new RunRecorder(new RunStore(knex)),
      logger: quiet,
      maxRejectedShare: 0.05,
    });
    const source = createObjectStoreSource(
      {
        id: 'bench-s3',
        type: 's3',
        bucket: BUCKET,
        prefix: ROOT,
        region: 'us-east-1',
        endpoint: aws.url,
        accessKeyId: 'AKIDEXAMPLE',
        secretAccessKey: 'fake-secret',
        currency: 'USD',
        schedule: { frequency: { hours: 1 }, timeout: { minutes: 30 } },
      },
      new ConfigReader({}),
    );
    const timed = async () => {
      const started = performance.now();
      const run = await engine.run(source, 'manual');
      return { run, seconds: (performance.now() - started) / 1000 };
    };
    const first = await timed();
    if (first.run.status !== 'succeeded') {
      throw new Error(`first run failed: ${first.run.error}`);
    }
    const readsBefore = aws.requestCounts()['s3:GetObject'] ?? 0;
    const rerun = await timed();
    const rerunReads = (aws.requestCounts()['s3:GetObject'] ?? 0) - readsBefore;
    // Every GET of the re-run is a manifest's: one per month.
    const dataReads = rerunReads - files.length;
    return [
      `first run: ${
        first.run.filesRead
      } objects, ${first.run.rowsRead.toLocaleString()} rows, ${first.seconds.toFixed(
        2,
      )} s`,
      `unchanged re-run: ${rerun.run.status}, ${rerun.run.filesRead} objects read, ${rerun.run.filesSkipped} skipped, ` +
        `${rerunReads} GETs (manifests), ${rerun.seconds.toFixed(2)} s ` +
        `(target under ${TARGET_RERUN_SECONDS} s: ${
          rerun.seconds < TARGET_RERUN_SECONDS ? 'met' : 'MISSED'
        })`,
      `object-store-rerun months=${files.length} objects=${
        files.length * 2
      } first_seconds=${first.seconds.toFixed(
        2,
      )} rerun_seconds=${rerun.seconds.toFixed(
        2,
      )} rerun_data_reads=${dataReads}`,
    ];
  } finally {
    await knex.destroy();
    await aws.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchObjectStoreRerun(monthsArg(process.argv.slice(2))).then(
    lines => lines.forEach(line => console.log(line)),
    error => {
      console.error(error);
      process.exit(1);
    },
  );
}
