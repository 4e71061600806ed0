import { gzipSync } from 'node:zlib';
import { ContainerClient } from '@azure/storage-blob';
// Azurite lives with the end-to-end harnesses; the tests run the real @azure/storage-blob client.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { Azurite, startAzurite } from '../../../../../test/azurite';
import {
  AzureBlobObjectStore,
  azureContainerClientFrom,
} from './AzureBlobObjectStore';
import { azureCostExportsLayout } from './azureCostExportsLayout';
import { StoredObject } from './ObjectStore';

jest.setTimeout(60_000);

/** `<directory>/<export-name>`, the source's prefix. */
const ROOT = 'exports/focus-cost';
const CSV_HEADER = 'BilledCost,BillingCurrency,ChargePeriodStart\n';

let azurite: Azurite;
let containerCount = 0;

beforeAll(async () => {
  azurite = await startAzurite();
});

afterAll(async () => {
  await azurite?.stop();
});

async function newStore() {
  containerCount += 1;
  const admin = azureContainerClientFrom({
    accountUrl: azurite.accountUrl,
    accountKey: azurite.accountKey,
    container: `layout-${containerCount}`,
  });
  await admin.create();
  return { admin, store: new AzureBlobObjectStore(admin, { pageSize: 4 }) };
}

async function put(admin: ContainerClient, key: string, body: string | Buffer) {
  await admin.getBlockBlobClient(key).upload(body, Buffer.byteLength(body));
}

/** Azurite keeps whole seconds of Last-Modified. */
const nextSecond = () => new Promise(resolve => setTimeout(resolve, 1100));

interface RunSpec {
  /** `YYYYMMDD-YYYYMMDD`. */
  range: string;
  runId: string;
  /** runInfo.submittedTime; left out of the manifest when null. */
  submittedTime: string | null;
  parts?: string[];
  /** Named by the manifest but not uploaded. */
  missing?: string[];
  /** Upload the parts only, as while the run is still being written. */
  withoutManifest?: boolean;
  root?: string;
}

/**
 * Writes one export run the way Cost Management does: its parts, then a manifest in the
 * documented shape (manifestVersion 2024-04-01) naming them from the container's root.
 */
async function deliver(admin: ContainerClient, run: RunSpec) {
  const folder = `${run.root ?? ROOT}/${run.range}/${run.runId}`;
  const parts = run.parts ?? ['part_0_0001.csv.gz'];
  for (const part of parts) {
    await put(
      admin,
      `${folder}/${part}`,
      gzipSync(`${CSV_HEADER}1.5,USD,${run.range.slice(0, 8)}\n`),
    );
  }
  if (run.withoutManifest) return `${folder}/manifest.json`;
  const [start, end] = run.range.split('-');
  const iso = (d: string) => `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}`;
  const blobs = [...parts, ...(run.missing ?? [])].map(part => ({
    blobName: `${folder}/${part}`,
    byteCount: 120,
    dataRowCount: 1,
  }));
  const manifest = {
    manifestVersion: '2024-04-01',
    byteCount: 120 * blobs.length,
    blobCount: blobs.length,
    dataRowCount: blobs.length,
    exportConfig: {
      exportName: 'focus-cost',
      resourceId:
        '/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.CostManagement/exports/focus-cost',
      dataVersion: '1.0r2',
      apiVersion: '2023-07-01-preview',
      type: 'FocusCost',
      timeFrame: 'MonthToDate',
      granularity: 'Daily',
    },
    deliveryConfig: {
      partitionData: true,
      dataOverwriteBehavior: 'CreateNewReport',
      fileFormat: 'Csv',
      compressionMode: 'gzip',
      containerUri:
        '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/finops/providers/Microsoft.Storage/storageAccounts/costexports',
      rootFolderPath: 'exports',
    },
    runInfo: {
      executionType: 'Scheduled',
      ...(run.submittedTime === null
        ? {}
        : { submittedTime: run.submittedTime }),
      runId: run.runId,
      startDate: `${iso(start)}T00:00:00`,
      endDate: `${iso(end)}T00:00:00Z`,
    },
    blobs,
  };
  const key = `${folder}/manifest.json`;
  await put(admin, key, JSON.stringify(manifest, null, 2));
  return key;
}

async function etagOf(admin: ContainerClient, key: string) {
  const { etag } = await admin.getBlobClient(key).getProperties();
  return etag!.replace(/"/g, '');
}

const keysOf = (objects: StoredObject[]) => objects.map(o => o.key);

describe('azureCostExportsLayout', () => {
  it('reads only the newest run of a month, by the manifest submittedTime', async () => {
    const { admin, store } = await newStore();
    const range = '20241101-20241130';
    // Neither the last written nor the last by name is the newest by submittedTime.
    const newest = await deliver(admin, {
      range,
      runId: 'aa11',
      submittedTime: '2024-11-17T06:12:44.1234567Z',
      parts: ['part_0_0001.csv.gz', 'part_1_0001.csv.gz'],
    });
    await deliver(admin, {
      range,
      runId: 'cc33',
      submittedTime: '2024-11-03T06:10:01.5234447Z',
    });
    await deliver(admin, {
      range,
      runId: 'bb22',
      submittedTime: '2024-11-10T06:11:27.0084806Z',
    });

    const deliveries = await azureCostExportsLayout.currentDeliveries(
      store,
      ROOT,
    );

    expect(deliveries).toHaveLength(1);
    const [november] = deliveries;
    expect(november.billingPeriod).toBe('2024-11-01');
    expect(november.deliveryId).toBe(
      `${newest}@${await etagOf(admin, newest)}`,
    );
    expect(keysOf(november.objects)).toEqual([
      `${ROOT}/${range}/aa11/part_0_0001.csv.gz`,
      `${ROOT}/${range}/aa11/part_1_0001.csv.gz`,
    ]);
    expect(november.missing).toEqual([]);
  });

  it("orders runs by the manifest's Last-Modified when it has no submittedTime", async () => {
    const { admin, store } = await newStore();
    const range = '20241101-20241130';
    await deliver(admin, { range, runId: 'zz-older', submittedTime: null });
    await nextSecond();
    const newer = await deliver(admin, {
      range,
      runId: 'aa-newer',
      submittedTime: null,
    });

    const [november] = await azureCostExportsLayout.currentDeliveries(
      store,
      ROOT,
    );

    expect(november.deliveryId).toBe(`${newer}@${await etagOf(admin, newer)}`);
    expect(keysOf(november.objects)).toEqual([
      `${ROOT}/${range}/aa-newer/part_0_0001.csv.gz`,
    ]);
  });

  it('keeps a closed month on its final run beside the current month', async () => {
    const { admin, store } = await newStore();
    await deliver(admin, {
      range: '20241001-20241031',
      runId: 'oct-1',
      submittedTime: '2024-10-28T06:00:00Z',
    });
    // Cost Management reruns the past month in the first days of the next one.
    await deliver(admin, {
      range: '20241001-20241031',
      runId: 'oct-final',
      submittedTime: '2024-11-04T06:00:00Z',
    });
    await deliver(admin, {
      range: '20241101-20241130',
      runId: 'nov-1',
      submittedTime: '2024-11-05T06:00:00Z',
    });

    for (const prefix of [ROOT, `${ROOT}/`, 'exports']) {
      const deliveries = await azureCostExportsLayout.currentDeliveries(
        store,
        prefix,
      );
      expect(
        deliveries.map(d => [d.billingPeriod, keysOf(d.objects), d.missing]),
      ).toEqual([
        [
          '2024-10-01',
          [`${ROOT}/20241001-20241031/oct-final/part_0_0001.csv.gz`],
          [],
        ],
        [
          '2024-11-01',
          [`${ROOT}/20241101-20241130/nov-1/part_0_0001.csv.gz`],
          [],
        ],
      ]);
    }
  });

  it('lists the blobs a manifest names that are not visible yet as missing', async () => {
    const { admin, store } = await newStore();
    const range = '20241101-20241130';
    await deliver(admin, {
      range,
      runId: 'run-1',
      submittedTime: '2024-11-03T06:00:00Z',
    });
    await deliver(admin, {
      range,
      runId: 'run-2',
      submittedTime: '2024-11-04T06:00:00Z',
      parts: ['part_0_0001.csv.gz'],
      missing: ['part_1_0001.csv.gz'],
    });

    const [november] = await azureCostExportsLayout.currentDeliveries(
      store,
      ROOT,
    );

    expect(keysOf(november.objects)).toEqual([
      `${ROOT}/${range}/run-2/part_0_0001.csv.gz`,
    ]);
    expect(november.missing).toEqual([
      `${ROOT}/${range}/run-2/part_1_0001.csv.gz`,
    ]);
  });

  it('ignores a newer run folder without a manifest while another run has one', async () => {
    const { admin, store } = await newStore();
    const range = '20241101-20241130';
    const complete = await deliver(admin, {
      range,
      runId: 'done',
      submittedTime: '2024-11-03T06:00:00Z',
    });
    await nextSecond();
    await deliver(admin, {
      range,
      runId: 'writing',
      submittedTime: '2024-11-04T06:00:00Z',
      parts: ['part_0_0001.csv.gz', 'part_1_0001.csv.gz'],
      withoutManifest: true,
    });

    const [november] = await azureCostExportsLayout.currentDeliveries(
      store,
      ROOT,
    );

    expect(november.deliveryId).toBe(
      `${complete}@${await etagOf(admin, complete)}`,
    );
    expect(keysOf(november.objects)).toEqual([
      `${ROOT}/${range}/done/part_0_0001.csv.gz`,
    ]);
  });

  it('reads the newest run folder of a month when no run has a manifest', async () => {
    const { admin, store } = await newStore();
    const range = '20241101-20241130';
    await deliver(admin, {
      range,
      runId: 'zz-first',
      submittedTime: null,
      withoutManifest: true,
    });
    await nextSecond();
    await deliver(admin, {
      range,
      runId: 'aa-second',
      submittedTime: null,
      parts: ['part_1_0001.parquet', 'part_0_0001.parquet'],
      withoutManifest: true,
    });
    await put(admin, `${ROOT}/${range}/aa-second/_SUCCESS`, '');

    const [november] = await azureCostExportsLayout.currentDeliveries(
      store,
      ROOT,
    );

    expect(november).toEqual({
      billingPeriod: '2024-11-01',
      deliveryId: `${ROOT}/${range}/aa-second`,
      objects: [
        expect.objectContaining({
          key: `${ROOT}/${range}/aa-second/part_0_0001.parquet`,
        }),
        expect.objectContaining({
          key: `${ROOT}/${range}/aa-second/part_1_0001.parquet`,
        }),
      ],
      missing: [],
    });
  });

  it('resolves blob names with a leading slash or relative to the run folder', async () => {
    const { admin, store } = await newStore();
    const folder = `${ROOT}/20241101-20241130/run-1`;
    await put(admin, `${folder}/part_0_0001.csv`, CSV_HEADER);
    await put(admin, `${folder}/part_1_0001.csv`, CSV_HEADER);
    await put(
      admin,
      `${folder}/manifest.json`,
      JSON.stringify({
        manifestVersion: '2024-04-01',
        runInfo: { submittedTime: '2024-11-03T06:00:00Z', runId: 'run-1' },
        blobs: [
          { blobName: `/${folder}/part_0_0001.csv` },
          { blobName: 'part_1_0001.csv' },
        ],
      }),
    );

    const [november] = await azureCostExportsLayout.currentDeliveries(
      store,
      ROOT,
    );

    expect(keysOf(november.objects)).toEqual([
      `${folder}/part_0_0001.csv`,
      `${folder}/part_1_0001.csv`,
    ]);
    expect(november.missing).toEqual([]);
  });

  it('names a manifest it cannot use', async () => {
    const { admin, store } = await newStore();
    const key = `${ROOT}/20241101-20241130/run-1/manifest.json`;
    await put(admin, key, '{"manifestVersion":"2024-04-01","runInfo":{}}');

    await expect(
      azureCostExportsLayout.currentDeliveries(store, ROOT),
    ).rejects.toThrow(
      `Manifest ${store.location}/${key} has no blobs list with blobName`,
    );

    await put(admin, key, '{"blobs": [');
    await expect(
      azureCostExportsLayout.currentDeliveries(store, ROOT),
    ).rejects.toThrow(`Manifest ${store.location}/${key} is not JSON`);
  });

  it('refuses a prefix that holds several exports of the same month', async () => {
    const { admin, store } = await newStore();
    await deliver(admin, {
      range: '20241101-20241130',
      runId: 'run-1',
      submittedTime: '2024-11-03T06:00:00Z',
    });
    await deliver(admin, {
      root: 'exports/actual-cost',
      range: '20241101-20241130',
      runId: 'run-1',
      submittedTime: '2024-11-04T06:00:00Z',
    });

    await expect(
      azureCostExportsLayout.currentDeliveries(store, 'exports'),
    ).rejects.toThrow(
      `${store.location}/exports/ holds several exports for 2024-11 (actual-cost, focus-cost); set the prefix to one export`,
    );
    expect(
      await azureCostExportsLayout.currentDeliveries(store, ROOT),
    ).toHaveLength(1);
  });

  it('finds nothing under an empty prefix folder', async () => {
    const { store } = await newStore();
    expect(await azureCostExportsLayout.currentDeliveries(store, ROOT)).toEqual(
      [],
    );
  });
});
