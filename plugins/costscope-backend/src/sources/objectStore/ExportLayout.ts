import { ObjectStore, StoredObject } from './ObjectStore';

/**
 * The objects that make up one billing period's current delivery: reading exactly these
 * replaces the period once, with nothing counted twice.
 */
export interface PeriodDelivery {
  /** `YYYY-MM-01`. */
  billingPeriod: string;
  /** What identifies this delivery (a manifest's key and ETag, or the run id). */
  deliveryId: string;
  /** Data objects in read order. */
  objects: StoredObject[];
  /**
   * Objects the delivery names that the listing does not show yet: the delivery is still
   * being written, so the period keeps its earlier data this run.
   */
  missing: string[];
}

/** How a cloud lays out its exports in a bucket or container. */
export interface ExportLayout {
  /** The current delivery of every billing period found under the source's prefix. */
  currentDeliveries(
    store: ObjectStore,
    prefix: string,
    signal?: AbortSignal,
  ): Promise<PeriodDelivery[]>;
}

/** Objects Costscope can read as FOCUS rows. */
export const DATA_OBJECT = /\.(csv|csv\.gz|parquet)$/i;

/** Keys under `prefix`, joined with one `/`; an empty prefix lists the whole bucket. */
export function underPrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}

/** `2024-11` or `20241101` (Azure) to `2024-11-01`; undefined when it is not a month. */
export function periodOf(text: string): string | undefined {
  const match = /^(\d{4})-?(0[1-9]|1[0-2])/.exec(text);
  return match ? `${match[1]}-${match[2]}-01` : undefined;
}

/** A manifest's JSON, or an error naming the manifest: a broken delivery fails the run. */
export function parseManifestJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`Manifest ${where} is not JSON: ${String(error)}`);
  }
}
