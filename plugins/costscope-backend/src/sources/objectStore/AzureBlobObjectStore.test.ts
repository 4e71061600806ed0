import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import {
  ContainerClient,
  ContainerSASPermissions,
  StorageRetryOptions,
} from '@azure/storage-blob';
// Azurite lives with the end-to-end harnesses; the tests run the real @azure/storage-blob client.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { Azurite, startAzurite } from '../../../../../test/azurite';
import {
  AzureBlobObjectStore,
  azureContainerClientFrom,
  AzureContainerOptions,
} from './AzureBlobObjectStore';
import { ObjectChangedError, StoredObject } from './ObjectStore';

jest.setTimeout(60_000);

/** Quick retries, so that a test about something else does not wait for the real backoff. */
const FAST_RETRY: StorageRetryOptions = {
  maxTries: 3,
  retryDelayInMs: 20,
  maxRetryDelayInMs: 200,
};

interface ProxiedRequest {
  method: string;
  url: string;
  at: number;
  headers: http.IncomingHttpHeaders;
}

/**
 * `busy`: Azure's 503 ServerBusy with its XML error body; `cut`: the real answer's headers
 * and half its body, then the connection is dropped.
 */
interface Fault {
  kind: 'busy' | 'cut';
  match: (request: http.IncomingMessage) => boolean;
  times: number;
}

/** A local HTTP proxy in front of Azurite that injects what Azurite cannot: 503s and cut bodies. */
async function startFaultProxy(targetPort: number) {
  const requests: ProxiedRequest[] = [];
  let faults: Fault[] = [];
  const server = http.createServer((request, response) => {
    requests.push({
      method: request.method!,
      url: request.url!,
      at: performance.now(),
      headers: request.headers,
    });
    const fault = faults.find(f => f.times > 0 && f.match(request));
    if (fault) fault.times -= 1;
    if (fault?.kind === 'busy') {
      request.resume();
      const requestId = randomUUID();
      response.writeHead(503, {
        'content-type': 'application/xml',
        'x-ms-error-code': 'ServerBusy',
        'x-ms-request-id': requestId,
      });
      response.end(
        '<?xml version="1.0" encoding="utf-8"?><Error><Code>ServerBusy</Code>' +
          '<Message>The server is currently unable to receive requests. Please retry your request.\n' +
          `RequestId:${requestId}\nTime:${new Date().toISOString()}</Message></Error>`,
      );
      return;
    }
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port: targetPort,
        method: request.method,
        path: request.url,
        headers: request.headers,
      },
      answer => {
        if (fault?.kind !== 'cut') {
          response.writeHead(answer.statusCode!, answer.headers);
          answer.pipe(response);
          return;
        }
        const chunks: Buffer[] = [];
        answer.on('data', chunk => chunks.push(chunk));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          response.writeHead(answer.statusCode!, answer.headers);
          response.write(body.subarray(0, Math.floor(body.length / 2)), () =>
            response.socket?.destroy(),
          );
        });
      },
    );
    upstream.on('error', error => response.destroy(error));
    request.pipe(upstream);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    accountUrl: `http://127.0.0.1:${port}/devstoreaccount1`,
    requests,
    inject(fault: Fault) {
      faults.push(fault);
    },
    reset() {
      faults = [];
      requests.length = 0;
    },
    close: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

type FaultProxy = Awaited<ReturnType<typeof startFaultProxy>>;

let azurite: Azurite;
let proxy: FaultProxy;
let workDir: string;
let containerCount = 0;

beforeAll(async () => {
  azurite = await startAzurite();
  proxy = await startFaultProxy(azurite.port);
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'azure-store-test-'));
});

afterAll(async () => {
  await proxy?.close();
  await azurite?.stop();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

beforeEach(() => proxy.reset());

/** A fresh container: `admin` writes to Azurite directly, `client` reads through the proxy. */
async function newContainer(retryOptions: StorageRetryOptions = FAST_RETRY) {
  containerCount += 1;
  const container = `store-${containerCount}`;
  const admin = azureContainerClientFrom({
    connectionString: azurite.connectionString,
    container,
  });
  await admin.create();
  const client = azureContainerClientFrom({
    accountUrl: proxy.accountUrl,
    accountKey: azurite.accountKey,
    container,
    retryOptions,
  });
  return { admin, client, container };
}

async function put(admin: ContainerClient, key: string, body: string | Buffer) {
  await admin.getBlockBlobClient(key).upload(body, Buffer.byteLength(body));
}

async function listAll(store: AzureBlobObjectStore, prefix: string) {
  const objects: StoredObject[] = [];
  for await (const object of store.list(prefix)) objects.push(object);
  return objects;
}

const blobGets = (key: string) =>
  proxy.requests.filter(
    r => r.method === 'GET' && r.url.split('?')[0].endsWith(`/${key}`),
  );

describe('AzureBlobObjectStore', () => {
  it('lists every blob under the prefix across pages, with bare ETags', async () => {
    const { admin, client } = await newContainer();
    const keys = Array.from({ length: 7 }, (_, i) => `exports/focus/f${i}.csv`);
    for (const key of keys) await put(admin, key, `body of ${key}`);
    await put(admin, 'other/elsewhere.csv', 'not listed');
    const store = new AzureBlobObjectStore(client, { pageSize: 3 });

    const listed = await listAll(store, 'exports/');

    expect(listed.map(o => o.key)).toEqual(keys);
    const lists = proxy.requests.filter(r => /comp=list/.test(r.url));
    expect(lists).toHaveLength(3); // 3 + 3 + 1
    for (const object of listed) {
      expect(object.etag).toMatch(/^0x[0-9A-F]+$/);
      expect(object.size).toBe(Buffer.byteLength(`body of ${object.key}`));
      expect(object.lastModified).toBeInstanceOf(Date);
    }
    const properties = await admin.getBlobClient(keys[0]).getProperties();
    expect(`"${listed[0].etag}"`).toBe(properties.etag);
  });

  it('lists the whole container with an empty prefix', async () => {
    const { admin, client } = await newContainer();
    await put(admin, 'a.csv', 'a');
    await put(admin, 'b/c.csv', 'c');
    const listed = await listAll(new AzureBlobObjectStore(client), '');
    expect(listed.map(o => o.key)).toEqual(['a.csv', 'b/c.csv']);
  });

  it('downloads and reads conditionally on the listed ETag', async () => {
    const { admin, client } = await newContainer();
    const data = randomBytes(300_000);
    await put(admin, 'run/part_0_0001.parquet', data);
    await put(admin, 'run/manifest.json', '{"blobs":[]}');
    const store = new AzureBlobObjectStore(client);
    const [manifest, part] = [...(await listAll(store, 'run/'))].sort((a, b) =>
      a.key.localeCompare(b.key),
    );

    const file = path.join(workDir, 'part.parquet');
    await store.download(part, file);
    expect(fs.readFileSync(file).equals(data)).toBe(true);
    expect(await store.readText(manifest)).toBe('{"blobs":[]}');

    const [get] = blobGets('run/part_0_0001.parquet');
    expect(get.headers['if-match']).toBe(`"${part.etag}"`);
  });

  it('fails with ObjectChangedError when the blob was replaced after the listing', async () => {
    const { admin, client } = await newContainer();
    await put(admin, 'run/part.csv', 'first delivery');
    await put(admin, 'run/manifest.json', '{"v":1}');
    const store = new AzureBlobObjectStore(client);
    const listed = await listAll(store, 'run/');
    await put(admin, 'run/part.csv', 'second delivery');
    await put(admin, 'run/manifest.json', '{"v":2}');

    const part = listed.find(o => o.key === 'run/part.csv')!;
    const manifest = listed.find(o => o.key === 'run/manifest.json')!;
    await expect(
      store.download(part, path.join(workDir, 'replaced.csv')),
    ).rejects.toThrow(ObjectChangedError);
    await expect(store.readText(manifest)).rejects.toThrow(ObjectChangedError);
    await expect(store.readText(manifest)).rejects.toThrow(
      `${store.location}/run/manifest.json changed or disappeared`,
    );
  });

  it('fails with ObjectChangedError when the blob was deleted after the listing', async () => {
    const { admin, client } = await newContainer();
    await put(admin, 'run/part.csv', 'soon gone');
    const store = new AzureBlobObjectStore(client);
    const [part] = await listAll(store, 'run/');
    await admin.getBlobClient('run/part.csv').delete();

    await expect(
      store.download(part, path.join(workDir, 'deleted.csv')),
    ).rejects.toThrow(ObjectChangedError);
    await expect(store.readText(part)).rejects.toThrow(ObjectChangedError);
  });

  it('fails with ObjectChangedError when the body is cut midway', async () => {
    const { admin, client } = await newContainer();
    await put(admin, 'run/part.parquet', randomBytes(128 * 1024));
    await put(
      admin,
      'run/manifest.json',
      JSON.stringify({ pad: 'x'.repeat(4096) }),
    );
    const store = new AzureBlobObjectStore(client);
    const listed = await listAll(store, 'run/');
    proxy.inject({
      kind: 'cut',
      match: r => r.method === 'GET' && !/comp=list/.test(r.url!),
      times: Infinity,
    });

    const part = listed.find(o => o.key === 'run/part.parquet')!;
    const manifest = listed.find(o => o.key === 'run/manifest.json')!;
    const file = path.join(workDir, 'broken.parquet');
    await expect(store.download(part, file)).rejects.toThrow(
      ObjectChangedError,
    );
    // The SDK does not resume a dropped connection: one read, then the run stops.
    expect(blobGets('run/part.parquet')).toHaveLength(1);
    await expect(store.readText(manifest)).rejects.toThrow(ObjectChangedError);
  });

  it('passes an abort through rather than calling it a change', async () => {
    const { admin, client } = await newContainer();
    await put(admin, 'run/part.csv', 'x');
    const store = new AzureBlobObjectStore(client);
    const [part] = await listAll(store, 'run/');
    const controller = new AbortController();
    controller.abort();

    const error = await store
      .download(part, path.join(workDir, 'aborted.csv'), controller.signal)
      .catch(e => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(ObjectChangedError);
    expect(error.name).toBe('AbortError');
  });

  it('retries 503 ServerBusy with exponential backoff', async () => {
    const { admin, client } = await newContainer({
      maxTries: 4,
      retryDelayInMs: 200,
      maxRetryDelayInMs: 5_000,
    });
    await put(admin, 'run/part.csv', 'x');
    const store = new AzureBlobObjectStore(client);
    proxy.inject({ kind: 'busy', match: () => true, times: 3 });

    expect((await listAll(store, 'run/')).map(o => o.key)).toEqual([
      'run/part.csv',
    ]);

    const times = proxy.requests.map(r => r.at);
    expect(times).toHaveLength(4);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    // The SDK waits (2^(n-1) - 1) x retryDelayInMs before try n+1: 0, 200, 600 ms.
    expect(gaps[1]).toBeGreaterThanOrEqual(190);
    expect(gaps[2]).toBeGreaterThanOrEqual(590);
    expect(gaps[2]).toBeGreaterThan(gaps[1] * 2);
  });

  it('gives up after maxTries while the account stays busy', async () => {
    const { admin, client } = await newContainer();
    await put(admin, 'run/part.csv', 'x');
    const store = new AzureBlobObjectStore(client);
    const [part] = await listAll(store, 'run/');
    proxy.reset();
    proxy.inject({ kind: 'busy', match: () => true, times: Infinity });

    const error = await store.readText(part).catch(e => e);
    expect(error).not.toBeInstanceOf(ObjectChangedError);
    expect(error).toMatchObject({ statusCode: 503, code: 'ServerBusy' });
    expect(error.message).toMatch(/unable to receive requests/);
    expect(proxy.requests).toHaveLength(FAST_RETRY.maxTries!);
  });
});

describe('azureContainerClientFrom', () => {
  async function seeded() {
    containerCount += 1;
    const container = `factory-${containerCount}`;
    const admin = azureContainerClientFrom({
      connectionString: azurite.connectionString,
      container,
    });
    await admin.create();
    await put(admin, 'focus/part.csv', 'x');
    return { admin, container };
  }

  const keysVia = async (client: ContainerClient) =>
    (await listAll(new AzureBlobObjectStore(client), '')).map(o => o.key);

  it('reaches Azurite with a connection string, an account key or a SAS token', async () => {
    const { admin, container } = await seeded();
    const expiresOn = new Date(Date.now() + 3_600_000);
    const sasUrl = await admin.generateSasUrl({
      permissions: ContainerSASPermissions.parse('rl'),
      expiresOn,
    });
    const sasToken = sasUrl.split('?')[1];

    const clients = [
      azureContainerClientFrom({
        connectionString: azurite.connectionString,
        container,
      }),
      azureContainerClientFrom({
        accountUrl: azurite.accountUrl,
        accountKey: azurite.accountKey,
        container,
      }),
      azureContainerClientFrom({
        accountUrl: azurite.accountUrl,
        sasToken: `?${sasToken}`,
        container,
      }),
    ];
    for (const client of clients) {
      expect(await keysVia(client)).toEqual(['focus/part.csv']);
    }
    // The SAS token stays out of the location that messages and logs show.
    expect(new AzureBlobObjectStore(clients[2]).location).toBe(
      `${azurite.accountUrl}/${container}`,
    );
  });

  it('says the credentials were refused for a wrong account key', async () => {
    const { container } = await seeded();
    const client = azureContainerClientFrom({
      accountUrl: azurite.accountUrl,
      accountKey: Buffer.from('not the key').toString('base64'),
      container,
    });
    const error = await keysVia(client).catch(e => e);
    expect(error.message).toBe(
      `Azure Blob Storage refused the credentials for ${azurite.accountUrl}/${container} ` +
        '(403 AuthorizationFailure): Server failed to authenticate the request. Make sure the ' +
        'value of the Authorization header is formed correctly including the signature. ' +
        "Check the account key, SAS token (read and list permissions, expiry) or the identity's role",
    );
    expect(error.cause).toMatchObject({ statusCode: 403 });
  });

  it('says the credentials were refused for a SAS token signed with another key', async () => {
    const { container } = await seeded();
    const forged = azureContainerClientFrom({
      accountUrl: azurite.accountUrl,
      accountKey: Buffer.from('another key').toString('base64'),
      container,
    });
    const sasUrl = await forged.generateSasUrl({
      permissions: ContainerSASPermissions.parse('rl'),
      expiresOn: new Date(Date.now() + 3_600_000),
    });
    const client = azureContainerClientFrom({
      accountUrl: azurite.accountUrl,
      sasToken: sasUrl.split('?')[1],
      container,
    });
    await expect(keysVia(client)).rejects.toThrow(
      /^Azure Blob Storage refused the credentials for .* \(403 AuthorizationFailure\)/,
    );
  });

  it('builds a DefaultAzureCredential client for an account name, without a request', () => {
    const client = azureContainerClientFrom({
      accountName: 'costexports',
      container: 'focus',
      useDefaultCredential: true,
    });
    expect(client.url).toBe('https://costexports.blob.core.windows.net/focus');
    expect(client.accountName).toBe('costexports');
  });

  it.each<[string, AzureContainerOptions, RegExp]>([
    [
      'no credential',
      { accountName: 'costexports', container: 'focus' },
      /set exactly one of connectionString, sasToken, accountKey or useDefaultCredential; none is set/,
    ],
    [
      'two credentials',
      {
        accountName: 'costexports',
        container: 'focus',
        accountKey: 'a2V5',
        sasToken: 'sv=2024-11-04&sig=x',
      },
      /sasToken and accountKey are set/,
    ],
    [
      'no account',
      { container: 'focus', accountKey: 'a2V5' },
      /set accountName or accountUrl to find the storage account/,
    ],
    [
      'a bad accountUrl',
      { accountUrl: 'not a url', container: 'focus', accountKey: 'a2V5' },
      /accountUrl 'not a url' is not a URL/,
    ],
    [
      'a SAS in the accountUrl',
      {
        accountUrl: 'https://costexports.blob.core.windows.net?sv=1&sig=x',
        container: 'focus',
        useDefaultCredential: true,
      },
      /must be an http\(s\) URL without a query; a SAS token goes in sasToken/,
    ],
    [
      'a bad accountName',
      { accountName: 'Cost_Exports', container: 'focus', accountKey: 'a2V5' },
      /accountName 'Cost_Exports' is not a storage account name/,
    ],
    [
      'a connection string with an account',
      {
        connectionString: 'UseDevelopmentStorage=true',
        accountName: 'costexports',
        container: 'focus',
      },
      /a connectionString names the account itself; remove accountName and accountUrl/,
    ],
    [
      'a broken connection string',
      { connectionString: 'AccountName=x', container: 'focus' },
      /connectionString is not a storage connection string/,
    ],
    [
      'an account key for an Azurite URL without the account',
      {
        accountUrl: 'http://127.0.0.1:10000',
        accountKey: 'a2V5',
        container: 'focus',
      },
      /cannot tell the account name from accountUrl 'http:\/\/127.0.0.1:10000'; set accountName/,
    ],
    [
      'no container',
      { accountName: 'costexports', container: '', accountKey: 'a2V5' },
      /container is required/,
    ],
  ])('refuses %s', (_, options, message) => {
    expect(() => azureContainerClientFrom(options)).toThrow(message);
  });
});
