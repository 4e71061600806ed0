import { createWriteStream } from 'node:fs';
import net from 'node:net';
import { pipeline } from 'node:stream/promises';
import { DefaultAzureCredential } from '@azure/identity';
import {
  AnonymousCredential,
  ContainerClient,
  isRestError,
  RestError,
  StoragePipelineOptions,
  StorageRetryOptions,
  StorageRetryPolicyType,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import { ObjectChangedError, ObjectStore, StoredObject } from './ObjectStore';

/** An ETag as a listing or a header sends it, sometimes in quotes; kept without them. */
const bareEtag = (etag: string | undefined) => (etag ?? '').replace(/"/g, '');

/** What Blob Storage answers when the blob was replaced or deleted since the listing. */
const CHANGED_CODES = ['ConditionNotMet', 'BlobNotFound'];

const isChanged = (error: unknown) =>
  isRestError(error) &&
  (CHANGED_CODES.includes(error.code ?? '') ||
    // HEAD-like answers carry no error code, only the status.
    (error.code === undefined && [404, 412].includes(error.statusCode ?? 0)));

/** The SDK's message has RequestId and Time lines after the sentence that matters. */
const firstLine = (error: RestError) => error.message.split('\n')[0].trim();

/**
 * 401 and 403 say the credential is wrong, expired or lacks a permission; the SDK's own
 * message ("Server failed to authenticate the request...") does not say which store.
 */
function refusedOr(location: string, error: unknown): unknown {
  if (isRestError(error) && [401, 403].includes(error.statusCode ?? 0)) {
    return new Error(
      `Azure Blob Storage refused the credentials for ${location} ` +
        `(${error.statusCode} ${error.code ?? 'no code'}): ${firstLine(
          error,
        )} ` +
        "Check the account key, SAS token (read and list permissions, expiry) or the identity's role",
      { cause: error },
    );
  }
  return error;
}

/**
 * ServerBusy (503) and InternalError (500) are retried with exponential backoff: after 0, 2,
 * 6 and 14 seconds, then the run fails and the next one starts over.
 */
export const AZURE_RETRY_OPTIONS: StorageRetryOptions = {
  retryPolicyType: StorageRetryPolicyType.EXPONENTIAL,
  maxTries: 5,
  retryDelayInMs: 2_000,
  maxRetryDelayInMs: 30_000,
};

export interface AzureBlobObjectStoreOptions {
  /** Blobs per listing page; the service's own default (5000) when absent. */
  pageSize?: number;
}

/**
 * A container read through the Blob Storage API. Reads are conditional (`If-Match` on the
 * listed ETag), so a blob replaced by a newer delivery during a run fails the run rather than
 * mixing the two.
 */
export class AzureBlobObjectStore implements ObjectStore {
  readonly location: string;

  constructor(
    private readonly client: ContainerClient,
    private readonly options: AzureBlobObjectStoreOptions = {},
  ) {
    // A SAS container URL carries its token in the query; messages must not.
    this.location = client.url.split('?')[0].replace(/\/+$/, '');
  }

  async *list(prefix: string, signal?: AbortSignal) {
    const pages = this.client
      .listBlobsFlat({ prefix: prefix || undefined, abortSignal: signal })
      .byPage({ maxPageSize: this.options.pageSize });
    const iterator = pages[Symbol.asyncIterator]();
    for (;;) {
      let next;
      try {
        next = await iterator.next();
      } catch (error) {
        throw refusedOr(this.location, error);
      }
      if (next.done) return;
      for (const blob of next.value.segment.blobItems) {
        yield {
          key: blob.name,
          etag: bareEtag(blob.properties.etag),
          size: blob.properties.contentLength ?? 0,
          lastModified: blob.properties.lastModified,
        } satisfies StoredObject;
      }
    }
  }

  async readText(object: StoredObject, signal?: AbortSignal) {
    const body = await this.get(object, signal);
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of body) chunks.push(Buffer.from(chunk));
    } catch (error) {
      throw this.changedOrAborted(object, error, signal);
    }
    return Buffer.concat(chunks).toString('utf-8');
  }

  async download(object: StoredObject, file: string, signal?: AbortSignal) {
    const body = await this.get(object, signal);
    try {
      await pipeline(body, createWriteStream(file), { signal });
    } catch (error) {
      throw this.changedOrAborted(object, error, signal);
    }
  }

  private async get(object: StoredObject, signal?: AbortSignal) {
    try {
      const response = await this.client
        .getBlobClient(object.key)
        .download(0, undefined, {
          conditions: { ifMatch: `"${object.etag}"` },
          abortSignal: signal,
        });
      if (!response.readableStreamBody) {
        throw new Error(`${object.key} has no body`);
      }
      return response.readableStreamBody;
    } catch (error) {
      if (isChanged(error)) {
        throw new ObjectChangedError(this.location, object.key, error);
      }
      throw refusedOr(this.location, error);
    }
  }

  /**
   * A body that broke midway: the SDK gives up on a dropped connection (an AbortError of its
   * own) and the blob may be being replaced; either way the run stops. The caller's own abort
   * stays an abort.
   */
  private changedOrAborted(
    object: StoredObject,
    error: unknown,
    signal?: AbortSignal,
  ) {
    if (signal?.aborted) return error;
    return new ObjectChangedError(this.location, object.key, error);
  }
}

/** Where a container is and how to reach it, as an `azure-blob` source configures it. */
export interface AzureContainerOptions {
  /** The storage account; its endpoint is `https://<accountName>.blob.core.windows.net`. */
  accountName?: string;
  /**
   * The account's blob endpoint instead (or as well, for a custom domain), e.g.
   * `http://127.0.0.1:10000/devstoreaccount1`.
   */
  accountUrl?: string;
  container: string;
  /** Exactly one credential kind: a connection string (it also names the account), ... */
  connectionString?: string;
  /** ... a SAS token with read and list permissions on the container, ... */
  sasToken?: string;
  /** ... the account's key, ... */
  accountKey?: string;
  /** ... or `DefaultAzureCredential` (managed identity, workload identity, Azure CLI). */
  useDefaultCredential?: boolean;
  /** The SDK's retry policy; AZURE_RETRY_OPTIONS when absent. */
  retryOptions?: StorageRetryOptions;
}

/** The account's name from its endpoint: the host's first label, or Azurite's path. */
function accountNameOf(accountUrl: URL): string | undefined {
  const pathStyle =
    net.isIP(accountUrl.hostname.replace(/^\[|\]$/g, '')) !== 0 ||
    accountUrl.hostname === 'localhost';
  const name = pathStyle
    ? accountUrl.pathname.split('/').filter(Boolean)[0]
    : accountUrl.hostname.split('.')[0];
  return name || undefined;
}

function endpointOf(options: AzureContainerOptions): URL {
  const { accountName, accountUrl } = options;
  // With both, the URL is where the account is (a custom domain, Azurite) and the name signs.
  if (accountUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(accountUrl);
    } catch {
      throw new Error(
        `Azure Blob Storage: accountUrl '${accountUrl}' is not a URL`,
      );
    }
    if (!['http:', 'https:'].includes(url.protocol) || url.search !== '') {
      throw new Error(
        `Azure Blob Storage: accountUrl '${accountUrl}' must be an http(s) URL without a query; ` +
          'a SAS token goes in sasToken',
      );
    }
    return url;
  }
  if (accountName !== undefined) {
    if (!/^[a-z0-9]{3,24}$/.test(accountName)) {
      throw new Error(
        `Azure Blob Storage: accountName '${accountName}' is not a storage account name ` +
          '(3 to 24 lowercase letters and digits)',
      );
    }
    return new URL(`https://${accountName}.blob.core.windows.net`);
  }
  throw new Error(
    'Azure Blob Storage: set accountName or accountUrl to find the storage account',
  );
}

/**
 * A `ContainerClient` from config-like options. Throws an error naming what is wrong when
 * the options do not give exactly one way to find the account and one credential.
 */
export function azureContainerClientFrom(
  options: AzureContainerOptions,
): ContainerClient {
  const { container, connectionString, sasToken, accountKey } = options;
  if (!container) {
    throw new Error('Azure Blob Storage: container is required');
  }
  const kinds = Object.entries({
    connectionString,
    sasToken,
    accountKey,
    useDefaultCredential: options.useDefaultCredential || undefined,
  })
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([name]) => name);
  if (kinds.length !== 1) {
    throw new Error(
      `Azure Blob Storage: set exactly one of connectionString, sasToken, accountKey or ` +
        `useDefaultCredential; ${
          kinds.length === 0 ? 'none is set' : `${kinds.join(' and ')} are set`
        }`,
    );
  }
  const pipelineOptions: StoragePipelineOptions = {
    retryOptions: options.retryOptions ?? AZURE_RETRY_OPTIONS,
  };

  if (connectionString) {
    if (options.accountName !== undefined || options.accountUrl !== undefined) {
      // Silently preferring one would read another account than the one configured.
      throw new Error(
        'Azure Blob Storage: a connectionString names the account itself; remove accountName and accountUrl',
      );
    }
    try {
      return new ContainerClient(connectionString, container, pipelineOptions);
    } catch (error) {
      // The SDK's message quotes nothing secret: it names the missing parts.
      throw new Error(
        `Azure Blob Storage: connectionString is not a storage connection string: ${
          (error as Error).message
        }`,
      );
    }
  }

  const endpoint = endpointOf(options);
  const containerUrl = `${endpoint.href.replace(
    /\/+$/,
    '',
  )}/${encodeURIComponent(container)}`;
  if (sasToken) {
    return new ContainerClient(
      `${containerUrl}?${sasToken.replace(/^\?/, '')}`,
      new AnonymousCredential(),
      pipelineOptions,
    );
  }
  if (accountKey) {
    const name = options.accountName ?? accountNameOf(endpoint);
    if (!name) {
      throw new Error(
        `Azure Blob Storage: cannot tell the account name from accountUrl '${options.accountUrl}'; set accountName`,
      );
    }
    return new ContainerClient(
      containerUrl,
      new StorageSharedKeyCredential(name, accountKey),
      pipelineOptions,
    );
  }
  return new ContainerClient(
    containerUrl,
    new DefaultAzureCredential(),
    pipelineOptions,
  );
}
