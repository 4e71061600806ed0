import {
  DATA_OBJECT,
  ExportLayout,
  PeriodDelivery,
  parseManifestJson,
  periodOf,
  underPrefix,
} from './ExportLayout';
import { ObjectStore, StoredObject } from './ObjectStore';

/** `<export-name>/20241101-20241130/<run-id>/part_0_0001.csv.gz`, the export's name optional. */
const RUN_FILE = /^(.*?)(?:^|\/)(\d{8})-\d{8}\/(.+)\/([^/]+)$/;
const MANIFEST = /^_?manifest\.json$/i;

/**
 * The part of a Cost Management export manifest (`manifestVersion` 2024-04-01) that says
 * when its run was submitted and which blobs the run wrote. `blobName` is the blob's full name in
 * the container.
 */
interface ExportManifest {
  submittedTime?: number;
  blobNames: string[];
}

function parseManifest(text: string, where: string): ExportManifest {
  const parsed = parseManifestJson(text, where);
  const blobs = (parsed as { blobs?: unknown })?.blobs;
  if (
    !Array.isArray(blobs) ||
    !blobs.every(blob => typeof blob?.blobName === 'string')
  ) {
    throw new Error(`Manifest ${where} has no blobs list with blobName`);
  }
  const runInfo = (parsed as { runInfo?: Record<string, unknown> }).runInfo;
  const submitted =
    typeof runInfo?.submittedTime === 'string'
      ? Date.parse(runInfo.submittedTime)
      : NaN;
  return {
    blobNames: blobs.map(blob => blob.blobName as string),
    submittedTime: Number.isNaN(submitted) ? undefined : submitted,
  };
}

/** Cost Management writes names from the container's root, without a leading slash. */
const keyOfBlobName = (name: string) => name.trim().replace(/^\/+/, '');

/** One run folder of one billing period. */
interface Run {
  folder: string;
  manifest?: StoredObject;
  data: StoredObject[];
}

const timeOf = (object: StoredObject) => object.lastModified?.getTime() ?? 0;

/**
 * Azure Cost Management exports (FOCUS cost and usage, CSV, CSV gzip or Parquet) in Blob
 * Storage. The source's prefix is the export's root, `<directory>/<export-name>`, under which
 * each run writes `<YYYYMMDD-YYYYMMDD>/<run-id>/part_*` and a `manifest.json` that names its
 * blobs. A later run of a month supersedes the earlier ones ("create new report" keeps them,
 * "overwrite" deletes them), so a period's current delivery is its newest run with a manifest,
 * by the manifest's `runInfo.submittedTime` (else by when the manifest was written). Runs
 * without a manifest are still being written; only when no run of a period has one are the
 * files of its newest run folder read.
 */
export const azureCostExportsLayout: ExportLayout = {
  async currentDeliveries(store, prefix, signal) {
    const root = underPrefix(prefix);
    const periods = new Map<string, Map<string, Run>>();
    const exportsOf = new Map<string, Set<string>>();
    const byKey = new Map<string, StoredObject>();
    for await (const object of store.list(root, signal)) {
      byKey.set(object.key, object);
      const match = RUN_FILE.exec(object.key.slice(root.length));
      if (!match) continue;
      const [, exportPath, start, , file] = match;
      const period = periodOf(start);
      if (!period) continue;
      const isManifest = MANIFEST.test(file);
      if (!isManifest && !DATA_OBJECT.test(file)) continue;
      exportsOf.set(
        period,
        (exportsOf.get(period) ?? new Set()).add(exportPath),
      );
      const runs = periods.get(period) ?? new Map<string, Run>();
      periods.set(period, runs);
      const folder = object.key.slice(0, object.key.lastIndexOf('/'));
      const run = runs.get(folder) ?? { folder, data: [] };
      runs.set(folder, run);
      if (isManifest) run.manifest = object;
      else run.data.push(object);
    }

    const deliveries: PeriodDelivery[] = [];
    for (const billingPeriod of [...periods.keys()].sort()) {
      const exportPaths = exportsOf.get(billingPeriod)!;
      if (exportPaths.size > 1) {
        // Two exports under one prefix would supersede each other's runs.
        throw new Error(
          `${
            store.location
          }/${root} holds several exports for ${billingPeriod.slice(0, 7)} (${[
            ...exportPaths,
          ]
            .map(p => p || '(root)')
            .join(', ')}); ` + 'set the prefix to one export',
        );
      }
      const runs = [...periods.get(billingPeriod)!.values()];
      const delivery =
        (await currentManifestDelivery(
          store,
          runs,
          byKey,
          billingPeriod,
          signal,
        )) ?? newestFolderDelivery(runs, billingPeriod);
      if (delivery) deliveries.push(delivery);
    }
    return deliveries;
  },
};

async function currentManifestDelivery(
  store: ObjectStore,
  runs: Run[],
  byKey: Map<string, StoredObject>,
  billingPeriod: string,
  signal?: AbortSignal,
): Promise<PeriodDelivery | undefined> {
  const withManifest = runs.filter(run => run.manifest);
  if (withManifest.length === 0) return undefined;
  // Every manifest of the month is read: only its submittedTime orders the runs.
  const read = await Promise.all(
    withManifest.map(async run => {
      const manifest = run.manifest!;
      const parsed = parseManifest(
        await store.readText(manifest, signal),
        `${store.location}/${manifest.key}`,
      );
      return {
        run,
        manifest,
        parsed,
        time: parsed.submittedTime ?? timeOf(manifest),
      };
    }),
  );
  const current = read
    .sort(
      (a, b) =>
        a.time - b.time ||
        timeOf(a.manifest) - timeOf(b.manifest) ||
        a.manifest.key.localeCompare(b.manifest.key),
    )
    .at(-1)!;
  const keys = current.parsed.blobNames.map(name => {
    const key = keyOfBlobName(name);
    // A bare file name is relative to the run's folder.
    return key.includes('/') ? key : `${current.run.folder}/${key}`;
  });
  return {
    billingPeriod,
    deliveryId: `${current.manifest.key}@${current.manifest.etag}`,
    objects: keys.flatMap(key => byKey.get(key) ?? []),
    missing: keys.filter(key => !byKey.has(key)),
  };
}

/** No manifest in any run of the month: the data files of the newest run folder. */
function newestFolderDelivery(
  runs: Run[],
  billingPeriod: string,
): PeriodDelivery | undefined {
  const newestOf = (run: Run) => Math.max(...run.data.map(timeOf));
  const latest = runs
    .filter(run => run.data.length > 0)
    .sort(
      (a, b) => newestOf(a) - newestOf(b) || a.folder.localeCompare(b.folder),
    )
    .at(-1);
  if (!latest) return undefined;
  return {
    billingPeriod,
    deliveryId: latest.folder,
    objects: [...latest.data].sort((a, b) => a.key.localeCompare(b.key)),
    missing: [],
  };
}
