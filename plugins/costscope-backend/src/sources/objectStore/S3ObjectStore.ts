import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { ObjectChangedError, ObjectStore, StoredObject } from './ObjectStore';

/** An ETag as S3 sends it, in quotes; compared and stored without them. */
const bareEtag = (etag: string | undefined) => (etag ?? '').replace(/"/g, '');

/**
 * A bucket read through the S3 API. Reads are conditional (`If-Match` on the listed ETag),
 * so an object replaced by a newer delivery during a run fails the run rather than mixing
 * the two.
 */
export class S3ObjectStore implements ObjectStore {
  readonly location: string;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {
    this.location = `s3://${bucket}`;
  }

  async *list(prefix: string, signal?: AbortSignal) {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix,
          ContinuationToken: token,
        }),
        { abortSignal: signal },
      );
      for (const object of page.Contents ?? []) {
        if (!object.Key) continue;
        yield {
          key: object.Key,
          etag: bareEtag(object.ETag),
          size: object.Size ?? 0,
          lastModified: object.LastModified,
        } satisfies StoredObject;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async readText(object: StoredObject, signal?: AbortSignal) {
    const body = await this.get(object, signal);
    return body.transformToString('utf-8');
  }

  async download(object: StoredObject, file: string, signal?: AbortSignal) {
    const body = await this.get(object, signal);
    try {
      await pipeline(body as Readable, createWriteStream(file), { signal });
    } catch (error) {
      if (signal?.aborted) throw error;
      // A connection cut mid-body: the object may be being replaced.
      throw new ObjectChangedError(this.location, object.key, error);
    }
  }

  private async get(object: StoredObject, signal?: AbortSignal) {
    try {
      const response = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: object.key,
          IfMatch: `"${object.etag}"`,
        }),
        { abortSignal: signal },
      );
      if (!response.Body) throw new Error(`${object.key} has no body`);
      return response.Body as Readable & {
        transformToString(encoding: string): Promise<string>;
      };
    } catch (error) {
      if (
        error instanceof S3ServiceException &&
        ['PreconditionFailed', 'NoSuchKey'].includes(error.name)
      ) {
        throw new ObjectChangedError(this.location, object.key, error);
      }
      throw error;
    }
  }
}
