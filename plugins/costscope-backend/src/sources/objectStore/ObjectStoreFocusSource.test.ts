import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ConfigReader } from '@backstage/config';
// The fake AWS lives with the end-to-end tests; it speaks S3's real REST-XML protocol.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { FakeAws, startFakeAws } from '../../../../../test/fake-aws';
import { createTestDatabases } from '../../__testUtils__/databases';
import { focusCsv, FocusRow } from '../../__testUtils__/focus';
import { createPipeline } from '../../__testUtils__/pipeline';
import { storedTotalsByPeriod } from '../../__testUtils__/storedTotals';
import { FocusFileSource } from '../focus/FocusFileSource';
import { ObjectStoreCostSourceConfig } from '../../config';
import { awsDataExportsLayout } from './awsDataExportsLayout';
import { createObjectStoreSource } from './createObjectStoreSource';
import { ObjectStore } from './ObjectStore';
import { ObjectStoreFocusSource } from './ObjectStoreFocusSource';
import { S3ObjectStore } from './S3ObjectStore';
import { createS3Client } from './s3Client';
import { S3SourceConfig } from './objectStoreSourceConfig';

jest.setTimeout(180_000);

const {
  generateDemoBilling,
  // eslint-disable-next-line @backstage/no-relative-monorepo-imports
} = require('../../../../../examples/billing/generate.js');
const {
  writeDemoExport,
  DEMO_EXPORT,
  // eslint-disable-next-line @backstage/no-relative-monorepo-imports
} = require('../../../../../test/fake-aws/demoExport.js');

const BUCKET = 'billing-exports';
/** `<prefix>/<export-name>`, as AWS Data Exports writes under the configured prefix. */
const ROOT = 'focus/costscope';
const PAYER = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'fake-secret' };

function sourceConfig(
  fake: FakeAws,
  overrides: Partial<ObjectStoreCostSourceConfig> = {},
): ObjectStoreCostSourceConfig {
  return {
    id: 's3-focus',
    type: 's3',
    bucket: BUCKET,
    prefix: ROOT,
    region: 'us-east-1',
    endpoint: fake.url,
    ...PAYER,
    currency: 'USD',
    schedule: { frequency: { hours: 1 }, timeout: { minutes: 5 } },
    ...overrides,
  } as ObjectStoreCostSourceConfig;
}

/**
 * Writes one delivery of a billing period the way AWS Data Exports does with "create new"
 * overwrite: data files and a manifest naming them, in an execution folder each. `missing`
 * names files in the manifest that are not uploaded.
 */
function deliver(
  fake: FakeAws,
  month: string,
  execution: string,
  files: Record<string, FocusRow[]>,
  options: { lastModified: string; missing?: string[] },
) {
  const dataKeys: string[] = [];
  for (const [name, rows] of Object.entries(files)) {
    const key = `${ROOT}/data/BILLING_PERIOD=${month}/${execution}/${name}`;
    fake.s3.putObject(BUCKET, key, gzipSync(focusCsv(rows)), {
      lastModified: options.lastModified,
    });
    dataKeys.push(key);
  }
  for (const name of options.missing ?? []) {
    dataKeys.push(`${ROOT}/data/BILLING_PERIOD=${month}/${execution}/${name}`);
  }
  fake.s3.putObject(
    BUCKET,
    `${ROOT}/metadata/BILLING_PERIOD=${month}/${execution}/costscope-Manifest.json`,
    JSON.stringify({
      executionId: execution,
      dataFiles: dataKeys.map(key => `s3://${BUCKET}/${key}`),
    }),
    { lastModified: options.lastModified },
  );
}

const rows = (day: string, ...costs: string[]): FocusRow[] =>
  costs.map((cost, index) => ({
    day,
    cost,
    resource: `i-${index}`,
    tags: { service: 'api' },
  }));

const getObjects = (fake: FakeAws) => fake.requestCounts()['s3:GetObject'] ?? 0;

describe('ObjectStoreFocusSource with AWS Data Exports in S3', () => {
  const databases = createTestDatabases();
  let fake: FakeAws;
  // Three months of the demo's bill; the fake's Cost Explorer serves it too, unused here.
  const demoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'costscope-s3-'));
  generateDemoBilling({ outDir: demoDir, months: 3 });
  const awsDir = path.join(demoDir, 'aws');

  beforeAll(async () => {
    fake = await startFakeAws({ billingDir: awsDir, s3PageSize: 2 });
  });
  afterAll(async () => {
    await fake?.close();
    fs.rmSync(demoDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    fake.reset();
    fake.s3.deleteBucket(BUCKET);
    fake.s3.createBucket(BUCKET);
  });

  it.each(databases.eachSupportedId())(
    'replaces each period once per delivery and skips what did not change, on %p',
    async id => {
      const knex = await databases.init(id);
      const { ingest } = await createPipeline(knex, []);
      const source = createObjectStoreSource(
        sourceConfig(fake),
        new ConfigReader({}),
      );
      deliver(
        fake,
        '2026-10',
        'exec-1',
        {
          'costscope-00001.csv.gz': rows('2026-10-03', '1.25', '0.000000001'),
          'costscope-00002.csv.gz': rows('2026-10-30', '10'),
        },
        { lastModified: '2026-11-02T04:00:00Z' },
      );
      deliver(
        fake,
        '2026-11',
        'exec-1',
        { 'costscope-00001.csv.gz': rows('2026-11-01', '3') },
        { lastModified: '2026-11-02T04:00:00Z' },
      );

      const first = await ingest.run(source, 'manual');
      expect(first).toMatchObject({
        status: 'succeeded',
        filesRead: 3,
        filesSkipped: 0,
        billingPeriods: ['2026-10-01', '2026-11-01'],
      });
      expect(
        first.inputs.map(input => [input.status, input.focusVersion]),
      ).toEqual([
        ['read', '1.0'],
        ['read', '1.0'],
        ['read', '1.0'],
      ]);
      expect(await storedTotalsByPeriod(knex, 's3-focus')).toEqual({
        '2026-10-01': '11250000001',
        '2026-11-01': '3000000000',
      });

      // Nothing changed: no data object is fetched again, and the facts stay.
      const fetchedBefore = getObjects(fake);
      const unchanged = await ingest.run(source, 'manual');
      expect(unchanged).toMatchObject({
        status: 'succeeded',
        filesRead: 0,
        filesSkipped: 3,
        billingPeriods: [],
      });
      expect(unchanged.inputs).toContainEqual({
        name: `${ROOT}/data/BILLING_PERIOD=2026-10/exec-1/costscope-00002.csv.gz`,
        status: 'skipped',
        reason: 'unchanged',
      });
      // Only the two manifests are read.
      expect(getObjects(fake) - fetchedBefore).toBe(2);
      expect(await storedTotalsByPeriod(knex, 's3-focus')).toEqual({
        '2026-10-01': '11250000001',
        '2026-11-01': '3000000000',
      });

      // A later delivery of November supersedes the first: read once, never added to it.
      deliver(
        fake,
        '2026-11',
        'exec-2',
        {
          'costscope-00001.csv.gz': rows('2026-11-01', '3'),
          'costscope-00002.csv.gz': rows('2026-11-02', '4.5'),
        },
        { lastModified: '2026-11-03T04:00:00Z' },
      );
      const refreshed = await ingest.run(source, 'manual');
      expect(refreshed).toMatchObject({
        status: 'succeeded',
        filesRead: 2,
        filesSkipped: 2,
        billingPeriods: ['2026-11-01'],
      });
      expect(await storedTotalsByPeriod(knex, 's3-focus')).toEqual({
        '2026-10-01': '11250000001',
        '2026-11-01': '7500000000',
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps a period whose newest delivery names objects not yet visible, on %p',
    async id => {
      const knex = await databases.init(id);
      const { ingest } = await createPipeline(knex, []);
      const source = createObjectStoreSource(
        sourceConfig(fake),
        new ConfigReader({}),
      );
      deliver(
        fake,
        '2026-11',
        'exec-1',
        { 'part-1.csv.gz': rows('2026-11-01', '2') },
        { lastModified: '2026-11-02T04:00:00Z' },
      );
      await ingest.run(source, 'manual');

      deliver(
        fake,
        '2026-11',
        'exec-2',
        { 'part-1.csv.gz': rows('2026-11-01', '2') },
        { lastModified: '2026-11-03T04:00:00Z', missing: ['part-2.csv.gz'] },
      );
      const waiting = await ingest.run(source, 'manual');
      expect(waiting).toMatchObject({
        status: 'succeeded',
        filesRead: 0,
        filesSkipped: 1,
      });
      expect(waiting.inputs[0].reason).toBe('delivery incomplete');
      expect(await storedTotalsByPeriod(knex, 's3-focus')).toEqual({
        '2026-11-01': '2000000000',
      });

      fake.s3.putObject(
        BUCKET,
        `${ROOT}/data/BILLING_PERIOD=2026-11/exec-2/part-2.csv.gz`,
        gzipSync(focusCsv(rows('2026-11-02', '5'))),
      );
      const complete = await ingest.run(source, 'manual');
      expect(complete).toMatchObject({ status: 'succeeded', filesRead: 2 });
      expect(await storedTotalsByPeriod(knex, 's3-focus')).toEqual({
        '2026-11-01': '7000000000',
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'fails the run and keeps the data when an object changes, is cut or is refused, on %p',
    async id => {
      const knex = await databases.init(id);
      const { ingest } = await createPipeline(knex, []);
      const config = sourceConfig(fake);
      const source = createObjectStoreSource(config, new ConfigReader({}));
      deliver(
        fake,
        '2026-11',
        'exec-1',
        { 'part-1.csv.gz': rows('2026-11-01', '2') },
        { lastModified: '2026-11-02T04:00:00Z' },
      );
      await ingest.run(source, 'manual');
      const kept = { '2026-11-01': '2000000000' };
      deliver(
        fake,
        '2026-11',
        'exec-2',
        { 'part-1.csv.gz': rows('2026-11-01', '9') },
        { lastModified: '2026-11-03T04:00:00Z' },
      );

      // Replaced between the listing and the read: the conditional GET refuses it.
      const s3 = new S3ObjectStore(
        createS3Client(config as S3SourceConfig, new ConfigReader({})),
        BUCKET,
      );
      const racing: ObjectStore = {
        location: s3.location,
        list: (prefix, signal) => s3.list(prefix, signal),
        readText: (object, signal) => s3.readText(object, signal),
        download: async (object, file, signal) => {
          fake.s3.putObject(
            BUCKET,
            object.key,
            gzipSync(focusCsv(rows('2026-11-01', '100'))),
          );
          return s3.download(object, file, signal);
        },
      };
      const raced = await ingest.run(
        new ObjectStoreFocusSource({
          id: 's3-focus',
          store: racing,
          layout: awsDataExportsLayout,
          prefix: ROOT,
          currency: 'USD',
        }),
        'manual',
      );
      expect(raced.status).toBe('failed');
      expect(raced.error).toMatch(
        /changed or disappeared while it was being read/,
      );
      expect(await storedTotalsByPeriod(knex, 's3-focus')).toEqual(kept);

      // Cut mid-body.
      fake.injectFault({
        service: 's3',
        operation: 'GetObject',
        kind: 'truncate-body',
        times: 10,
      });
      const cut = await ingest.run(source, 'manual');
      expect(cut.status).toBe('failed');
      expect(await storedTotalsByPeriod(knex, 's3-focus')).toEqual(kept);
      fake.reset();

      // Credentials refused: the run fails naming the source and the bucket.
      const refused = await ingest.run(
        createObjectStoreSource(
          sourceConfig(fake, {
            accessKeyId: 'AKIAFAKE123412341234',
            secretAccessKey: 'wrong',
          }),
          new ConfigReader({}),
        ),
        'manual',
      );
      expect(refused.status).toBe('failed');
      expect(refused.error).toMatch(
        /Source 's3-focus' could not list s3:\/\/billing-exports\/focus\/costscope: .*Access Key Id/,
      );
      expect(await storedTotalsByPeriod(knex, 's3-focus')).toEqual(kept);

      // Throttled twice (503 SlowDown): retried with backoff, and the new delivery (as the
      // race above replaced it) lands.
      fake.injectFault({
        service: 's3',
        operation: 'GetObject',
        kind: 'throttle',
        times: 2,
      });
      const throttled = await ingest.run(source, 'manual');
      expect(throttled).toMatchObject({ status: 'succeeded', filesRead: 1 });
      expect(await storedTotalsByPeriod(knex, 's3-focus')).toEqual({
        '2026-11-01': '100000000000',
      });
    },
  );

  it.each(databases.eachSupportedId())(
    "reads with the credentials of Backstage's aws.accounts entry, on %p",
    async id => {
      const knex = await databases.init(id);
      const { ingest } = await createPipeline(knex, []);
      deliver(
        fake,
        '2026-11',
        'exec-1',
        { 'part-1.csv.gz': rows('2026-11-01', '2') },
        { lastModified: '2026-11-02T04:00:00Z' },
      );
      const viaAccount = (accessKeyId: string) =>
        ingest.run(
          createObjectStoreSource(
            sourceConfig(fake, {
              accessKeyId: undefined,
              secretAccessKey: undefined,
              accountId: '999988887777',
            }),
            new ConfigReader({
              aws: {
                accounts: [
                  {
                    accountId: '999988887777',
                    accessKeyId,
                    secretAccessKey: 'fake-secret',
                  },
                ],
              },
            }),
          ),
          'manual',
        );
      // The fake reads the account from the access key: an unknown one is refused.
      const refused = await viaAccount('AKIAFAKE123412341234');
      expect(refused.status).toBe('failed');
      expect(refused.error).toMatch(/Access Key Id/);
      expect(await viaAccount('AKIDEXAMPLE')).toMatchObject({
        status: 'succeeded',
        filesRead: 1,
      });
      expect(await storedTotalsByPeriod(knex, 's3-focus')).toEqual({
        '2026-11-01': '2000000000',
      });
    },
  );

  it.each(databases.eachSupportedId())(
    "brings the demo's AWS bill through S3, as CSV.gz and as the Parquet demo export, with the local files' totals, on %p",
    async id => {
      const knex = await databases.init(id);
      const { ingest } = await createPipeline(knex, []);
      const local = await ingest.run(
        new FocusFileSource({ id: 'local', paths: [awsDir], currency: 'USD' }),
        'manual',
      );
      expect(local.status).toBe('succeeded');
      const expected = await storedTotalsByPeriod(knex, 'local');
      expect(Object.keys(expected)).toHaveLength(3);

      // The files as they are, gzipped CSV, one per billing period without a manifest.
      for (const name of fs.readdirSync(awsDir)) {
        const month = /(\d{4}-\d{2})\.csv\.gz$/.exec(name)?.[1];
        if (!month) continue;
        const key = `${ROOT}/data/BILLING_PERIOD=${month}/costscope-00001.csv.gz`;
        fake.s3.putObject(
          BUCKET,
          key,
          fs.readFileSync(path.join(awsDir, name)),
        );
      }
      // The demo export: Parquet (DECIMAL costs, timestamps) with a manifest per period.
      const bucketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'costscope-pq-'));
      try {
        await writeDemoExport(awsDir, bucketDir);
        fake.s3.loadDirectory(DEMO_EXPORT.bucket, bucketDir);
        const parquet = sourceConfig(fake, {
          id: 's3-parquet',
          bucket: DEMO_EXPORT.bucket,
          prefix: `${DEMO_EXPORT.prefix}/${DEMO_EXPORT.exportName}`,
        });
        for (const config of [sourceConfig(fake), parquet]) {
          const run = await ingest.run(
            createObjectStoreSource(config, new ConfigReader({})),
            'manual',
          );
          expect(run).toMatchObject({
            status: 'succeeded',
            filesRead: 3,
            rowsRead: local.rowsRead,
            rowsRejected: 0,
          });
          expect(await storedTotalsByPeriod(knex, config.id)).toEqual(expected);
        }
      } finally {
        fake.s3.deleteBucket(DEMO_EXPORT.bucket);
        fs.rmSync(bucketDir, { recursive: true, force: true });
      }
    },
  );
});
