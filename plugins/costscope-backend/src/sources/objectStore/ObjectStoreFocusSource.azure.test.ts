import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { ContainerClient } from '@azure/storage-blob';
import { DuckDBInstance } from '@duckdb/node-api';
// Azurite lives with the end-to-end harnesses; the tests run the real @azure/storage-blob client.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { Azurite, startAzurite } from '../../../../../test/azurite';
import { createTestDatabases } from '../../__testUtils__/databases';
import { createPipeline } from '../../__testUtils__/pipeline';
import { storedTotalsByPeriod } from '../../__testUtils__/storedTotals';
import { ObjectStoreCostSourceConfig } from '../../config';
import { FocusFileSource } from '../focus/FocusFileSource';
import { azureContainerClientFrom } from './AzureBlobObjectStore';
import { createObjectStoreSource } from './createObjectStoreSource';

jest.setTimeout(180_000);

const {
  generateDemoBilling,
  // eslint-disable-next-line @backstage/no-relative-monorepo-imports
} = require('../../../../../examples/billing/generate.js');
const {
  copyCsvToParquet,
  // eslint-disable-next-line @backstage/no-relative-monorepo-imports
} = require('../../../../../test/fake-aws/demoExport.js');

/** `<directory>/<export-name>`, the source's prefix. */
const ROOT = 'exports/focus-cost';

/** `2026-10` to Cost Management's run folder range `20261001-20261031`. */
function rangeOf(month: string): string {
  const [year, monthNumber] = month.split('-').map(Number);
  const last = new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
  const compact = month.replace('-', '');
  return `${compact}01-${compact}${String(last).padStart(2, '0')}`;
}

/**
 * Writes one export run per month as Cost Management does: the month's file as a part, then
 * a manifest (manifestVersion 2024-04-01) naming it, submitted at `submittedTime`.
 */
async function deliverRun(
  container: ContainerClient,
  files: Array<{ month: string; file: string }>,
  run: { runId: string; submittedTime: string; extension: string },
) {
  for (const { month, file } of files) {
    const folder = `${ROOT}/${rangeOf(month)}/${run.runId}`;
    const blobName = `${folder}/part_0_0001.${run.extension}`;
    const body = fs.readFileSync(file);
    await container.getBlockBlobClient(blobName).upload(body, body.length);
    const manifest = JSON.stringify({
      manifestVersion: '2024-04-01',
      blobCount: 1,
      runInfo: {
        executionType: 'Scheduled',
        submittedTime: run.submittedTime,
        runId: run.runId,
      },
      blobs: [{ blobName, byteCount: body.length }],
    });
    await container
      .getBlockBlobClient(`${folder}/manifest.json`)
      .upload(manifest, Buffer.byteLength(manifest));
  }
}

describe('ObjectStoreFocusSource with Cost Management exports in Azurite', () => {
  const databases = createTestDatabases();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'costscope-azure-'));
  generateDemoBilling({ outDir: work, months: 3 });
  // The demo's AWS bill stands in for an Azure one: the layout, not the provider, is tested.
  const csvDir = path.join(work, 'aws');
  const csvFiles = fs
    .readdirSync(csvDir)
    .filter(name => name.endsWith('.csv.gz'))
    .sort()
    .map(name => ({
      month: /(\d{4}-\d{2})/.exec(name)![1],
      file: path.join(csvDir, name),
    }));
  let azurite: Azurite;
  let containerCount = 0;

  beforeAll(async () => {
    azurite = await startAzurite();
  });
  afterAll(async () => {
    await azurite?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  async function newContainer() {
    containerCount += 1;
    const name = `exports-${containerCount}`;
    const container = azureContainerClientFrom({
      accountUrl: azurite.accountUrl,
      accountKey: azurite.accountKey,
      container: name,
    });
    await container.create();
    const config = {
      id: 'azure-focus',
      type: 'azure-blob',
      container: name,
      prefix: ROOT,
      connectionString: azurite.connectionString,
      currency: 'USD',
      schedule: { frequency: { hours: 1 }, timeout: { minutes: 5 } },
    } as ObjectStoreCostSourceConfig;
    return {
      container,
      source: createObjectStoreSource(config, new ConfigReader({})),
    };
  }

  it.each(databases.eachSupportedId())(
    "brings the demo's bill as CSV.gz, then as a superseding Parquet run, with the files' totals, on %p",
    async id => {
      const knex = await databases.init(id);
      const { ingest } = await createPipeline(knex, []);
      const { container, source } = await newContainer();

      const local = await ingest.run(
        new FocusFileSource({ id: 'local', paths: [csvDir], currency: 'USD' }),
        'manual',
      );
      expect(local.status).toBe('succeeded');
      const expected = await storedTotalsByPeriod(knex, 'local');
      expect(Object.keys(expected)).toHaveLength(3);

      await deliverRun(container, csvFiles, {
        runId: 'run-1',
        submittedTime: '2026-12-01T04:00:00.0000000Z',
        extension: 'csv.gz',
      });
      const first = await ingest.run(source, 'manual');
      expect(first).toMatchObject({
        status: 'succeeded',
        filesRead: 3,
        rowsRejected: 0,
        rowsRead: local.rowsRead,
      });
      expect(await storedTotalsByPeriod(knex, 'azure-focus')).toEqual(expected);

      const unchanged = await ingest.run(source, 'manual');
      expect(unchanged).toMatchObject({
        status: 'succeeded',
        filesRead: 0,
        filesSkipped: 3,
      });

      // A later run of each month, as Parquet: it supersedes the CSV run, never adds to it.
      const instance = await DuckDBInstance.create(':memory:');
      const connection = await instance.connect();
      const parquetFiles = [];
      try {
        for (const { month, file } of csvFiles) {
          const parquet = path.join(work, `${month}.parquet`);
          await copyCsvToParquet(connection, file, parquet);
          parquetFiles.push({ month, file: parquet });
        }
      } finally {
        connection.closeSync();
        instance.closeSync();
      }
      await deliverRun(container, parquetFiles, {
        runId: 'run-2',
        submittedTime: '2026-12-02T04:00:00.0000000Z',
        extension: 'parquet',
      });
      const superseding = await ingest.run(source, 'manual');
      expect(superseding).toMatchObject({
        status: 'succeeded',
        filesRead: 3,
        rowsRejected: 0,
        rowsRead: local.rowsRead,
      });
      expect(
        superseding.inputs.map(input => [
          input.name.endsWith('.parquet'),
          input.focusVersion,
        ]),
      ).toEqual([
        [true, '1.0'],
        [true, '1.0'],
        [true, '1.0'],
      ]);
      expect(await storedTotalsByPeriod(knex, 'azure-focus')).toEqual(expected);
    },
  );

  it.each(databases.eachSupportedId())(
    'fails a run whose credentials are refused, naming the source, and keeps the data, on %p',
    async id => {
      const knex = await databases.init(id);
      const { ingest } = await createPipeline(knex, []);
      const { container, source } = await newContainer();
      await deliverRun(container, csvFiles.slice(0, 1), {
        runId: 'run-1',
        submittedTime: '2026-12-01T04:00:00.0000000Z',
        extension: 'csv.gz',
      });
      expect((await ingest.run(source, 'manual')).status).toBe('succeeded');
      const kept = await storedTotalsByPeriod(knex, 'azure-focus');
      expect(Object.keys(kept)).toHaveLength(1);
      const refused = await ingest.run(
        createObjectStoreSource(
          {
            id: 'azure-focus',
            type: 'azure-blob',
            accountUrl: azurite.accountUrl,
            container: container.containerName,
            prefix: ROOT,
            accountKey: Buffer.from('not the key').toString('base64'),
            currency: 'USD',
            schedule: { frequency: { hours: 1 }, timeout: { minutes: 5 } },
          } as ObjectStoreCostSourceConfig,
          new ConfigReader({}),
        ),
        'manual',
      );
      expect(refused.status).toBe('failed');
      expect(refused.error).toMatch(
        /Source 'azure-focus' could not list .*refused the credentials/,
      );
      expect(await storedTotalsByPeriod(knex, 'azure-focus')).toEqual(kept);
    },
  );
});
