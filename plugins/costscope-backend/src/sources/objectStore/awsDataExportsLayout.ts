import {
  DATA_OBJECT,
  ExportLayout,
  PeriodDelivery,
  parseManifestJson,
  periodOf,
  underPrefix,
} from './ExportLayout';
import { StoredObject } from './ObjectStore';

const PARTITION =
  /(?:^|\/)(data|metadata)\/BILLING_PERIOD=(\d{4}-\d{2})\/(.*)$/;

/** The part of an AWS Data Exports manifest that says which files a delivery holds. */
interface DataExportsManifest {
  executionId?: string;
  dataFiles: string[];
}

function parseManifest(text: string, where: string): DataExportsManifest {
  const parsed = parseManifestJson(text, where);
  const dataFiles = (parsed as { dataFiles?: unknown })?.dataFiles;
  if (
    !Array.isArray(dataFiles) ||
    !dataFiles.every(file => typeof file === 'string')
  ) {
    throw new Error(`Manifest ${where} has no dataFiles list of S3 URIs`);
  }
  const executionId = (parsed as { executionId?: unknown }).executionId;
  return {
    dataFiles,
    executionId: typeof executionId === 'string' ? executionId : undefined,
  };
}

/** `s3://bucket/a/b.parquet` to `a/b.parquet`; a bare key stays as it is. */
function keyOfUri(uri: string): string {
  const match = /^s3:\/\/[^/]+\/(.*)$/.exec(uri);
  return match ? match[1] : uri.replace(/^\/+/, '');
}

const newest = (a: StoredObject, b: StoredObject) =>
  (a.lastModified?.getTime() ?? 0) - (b.lastModified?.getTime() ?? 0) ||
  a.key.localeCompare(b.key);

/**
 * AWS Data Exports (FOCUS 1.x or CUR 2.0) in S3. The source's prefix is the export's root,
 * `<prefix>/<export-name>`, under which AWS writes
 * `data/BILLING_PERIOD=YYYY-MM/[<execution-id>/]<export-name>-<n>.<ext>` and
 * `metadata/BILLING_PERIOD=YYYY-MM/[<execution-id>/]<export-name>-Manifest.json`.
 * With "overwrite" delivery a period has one manifest, rewritten on each refresh; with
 * "create new" each execution adds one. The newest manifest of a period names the files of its
 * current delivery. A period without a manifest is read from the files of its newest folder.
 */
export const awsDataExportsLayout: ExportLayout = {
  async currentDeliveries(store, prefix, signal) {
    const root = underPrefix(prefix);
    const data = new Map<string, StoredObject[]>();
    const manifests = new Map<string, StoredObject[]>();
    const byKey = new Map<string, StoredObject>();
    for await (const object of store.list(root, signal)) {
      const match = PARTITION.exec(object.key.slice(root.length));
      if (!match) continue;
      const [, kind, month, rest] = match;
      const period = periodOf(month)!;
      if (kind === 'metadata' && /manifest\.json$/i.test(rest)) {
        manifests.set(period, [...(manifests.get(period) ?? []), object]);
      } else if (kind === 'data' && DATA_OBJECT.test(rest)) {
        data.set(period, [...(data.get(period) ?? []), object]);
        byKey.set(object.key, object);
      }
    }

    const deliveries: PeriodDelivery[] = [];
    const periods = [...new Set([...data.keys(), ...manifests.keys()])].sort();
    for (const billingPeriod of periods) {
      const manifest = (manifests.get(billingPeriod) ?? []).sort(newest).at(-1);
      if (manifest) {
        const where = `${store.location}/${manifest.key}`;
        const parsed = parseManifest(
          await store.readText(manifest, signal),
          where,
        );
        const keys = parsed.dataFiles.map(keyOfUri);
        deliveries.push({
          billingPeriod,
          deliveryId: `${manifest.key}@${manifest.etag}`,
          objects: keys.flatMap(key => byKey.get(key) ?? []),
          missing: keys.filter(key => !byKey.has(key)),
        });
        continue;
      }
      // No manifest: the files of the newest execution folder (or of the partition itself).
      const objects = data.get(billingPeriod)!;
      const folderOf = (object: StoredObject) =>
        object.key.slice(0, object.key.lastIndexOf('/'));
      const latestFolder = folderOf([...objects].sort(newest).at(-1)!);
      const current = objects
        .filter(object => folderOf(object) === latestFolder)
        .sort((a, b) => a.key.localeCompare(b.key));
      deliveries.push({
        billingPeriod,
        deliveryId: latestFolder,
        objects: current,
        missing: [],
      });
    }
    return deliveries;
  },
};
