/**
 * One object (S3) or blob (Azure) as a listing shows it. The ETag identifies its content:
 * an object whose ETag has not changed since the last run need not be read again.
 */
export interface StoredObject {
  /** The full key (S3) or blob name (Azure), without the bucket or container. */
  key: string;
  etag: string;
  size: number;
  lastModified?: Date;
}

/**
 * The little a billing-export source needs of a bucket or container: list under a prefix,
 * read a small object (a manifest) as text, and copy an object to a local file. The reads
 * are conditional on the listed ETag, so that an object replaced while a run reads it fails
 * the run instead of mixing two deliveries.
 */
export interface ObjectStore {
  /** For messages: `s3://bucket` or `https://account.blob.core.windows.net/container`. */
  readonly location: string;
  /** Every object whose key starts with `prefix`, in key order, all pages. */
  list(prefix: string, signal?: AbortSignal): AsyncIterable<StoredObject>;
  /** The whole object as UTF-8 text; for manifests, which are small. */
  readText(object: StoredObject, signal?: AbortSignal): Promise<string>;
  /** Streams the object into `file` (created or replaced). */
  download(
    object: StoredObject,
    file: string,
    signal?: AbortSignal,
  ): Promise<void>;
}

/** An object that changed or disappeared between the listing and the read. */
export class ObjectChangedError extends Error {
  constructor(location: string, key: string, cause?: unknown) {
    super(
      `${location}/${key} changed or disappeared while it was being read; ` +
        'the run stops and the previous data stays',
      { cause },
    );
    this.name = 'ObjectChangedError';
  }
}
