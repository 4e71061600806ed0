// The fake S3 driven by the real @aws-sdk/client-s3: node --test test/fake-aws/s3.test.mjs
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, beforeEach, describe, test } from 'node:test';

const require = createRequire(import.meta.url);
const { startFakeAws, credentialsFor, DEMO_ACCOUNTS } = require('./index.js');
const { generateDemoBilling } = require('../../examples/billing/generate.js');
const {
  S3Client,
  ListObjectsV2Command,
  HeadObjectCommand,
  HeadBucketCommand,
  GetObjectCommand,
  PutObjectCommand,
  DeleteObjectCommand,
  paginateListObjectsV2,
} = require('@aws-sdk/client-s3');

const { prod, staging } = DEMO_ACCOUNTS;
const PAGE_SIZE = 3;

let tmp;
let exportDir;
let billingDir;
let fake;

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-s3-'));
  exportDir = path.join(tmp, 'exports');
  generateDemoBilling({ outDir: exportDir, endDate: '2026-11-22', months: 2 });
  billingDir = path.join(exportDir, 'aws');
  fake = await startFakeAws({
    billingDir,
    s3PageSize: PAGE_SIZE,
    s3Buckets: { exports: exportDir },
  });
});
after(async () => {
  await fake.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const s3Client = (accountId = prod, extra = {}) =>
  new S3Client({
    region: 'us-east-1',
    endpoint: fake.url,
    forcePathStyle: true,
    credentials: credentialsFor(accountId),
    maxAttempts: 1,
    ...extra,
  });
const send = (command, accountId, extra) =>
  s3Client(accountId, extra).send(command);
const md5Etag = bytes =>
  `"${crypto.createHash('md5').update(bytes).digest('hex')}"`;
/** The Authorization header of a SigV4 request as `accountId` (the fake reads, never checks it). */
const signedAs = accountId => ({
  authorization: `AWS4-HMAC-SHA256 Credential=${
    credentialsFor(accountId).accessKeyId
  }/20261122/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=00`,
});

async function rejectsWith(promise, name, status) {
  await assert.rejects(promise, err => {
    assert.equal(err.name, name, `${err.name}: ${err.message}`);
    if (status) assert.equal(err.$metadata.httpStatusCode, status);
    return true;
  });
}

async function allPages(input, pageSize, client = s3Client()) {
  const pages = [];
  for await (const page of paginateListObjectsV2({ client, pageSize }, input))
    pages.push(page);
  return pages;
}
const keysOf = pages => pages.flatMap(p => (p.Contents || []).map(c => c.Key));

describe('a directory served as a bucket (s3Buckets)', () => {
  test('every file under it, keyed by its relative path, in pages of s3PageSize', async () => {
    const files = fs
      .readdirSync(exportDir, { recursive: true })
      .filter(rel => fs.statSync(path.join(exportDir, rel)).isFile())
      .map(rel => rel.split(path.sep).join('/'))
      .sort();
    assert.ok(files.length > PAGE_SIZE, files.join(', '));
    const pages = await allPages({ Bucket: 'exports' });
    assert.equal(pages.length, Math.ceil(files.length / PAGE_SIZE));
    assert.deepEqual(keysOf(pages), files);
    pages.forEach((page, i) => {
      const last = i === pages.length - 1;
      assert.equal(page.Name, 'exports');
      assert.equal(page.KeyCount, page.Contents.length);
      assert.equal(page.IsTruncated, !last);
      assert.equal(page.NextContinuationToken === undefined, last);
      if (i > 0)
        assert.equal(
          page.ContinuationToken,
          pages[i - 1].NextContinuationToken,
        );
    });
    for (const object of pages.flatMap(p => p.Contents)) {
      const file = path.join(exportDir, object.Key);
      const stat = fs.statSync(file);
      assert.equal(object.Size, stat.size);
      assert.equal(object.ETag, md5Etag(fs.readFileSync(file)));
      assert.equal(
        object.LastModified.getTime(),
        Math.floor(stat.mtimeMs / 1000) * 1000,
      );
      assert.equal(object.StorageClass, 'STANDARD');
    }
  });
});

describe('ListObjectsV2', () => {
  // UTF-8 byte order puts U+FF21 before U+1F600; JS's UTF-16 order would not
  const KEYS = ['a', 'b/1', 'b/2', 'b/3', 'b/sub/4', 'c', 'z', 'Ａ', '😀'];
  before(() => {
    for (const key of [...KEYS].reverse())
      fake.s3.putObject('listing', key, `body of ${key}`);
  });

  test('keys in UTF-8 byte order; MaxKeys below s3PageSize makes smaller pages', async () => {
    const pages = await allPages({ Bucket: 'listing' }, 2);
    assert.deepEqual(keysOf(pages), KEYS);
    assert.deepEqual(
      pages.map(p => p.KeyCount),
      [2, 2, 2, 2, 1],
    );
    assert.ok(pages.every(p => p.MaxKeys === 2));
    assert.equal(pages[0].Contents[0].Size, Buffer.byteLength('body of a'));
  });

  test('Prefix, Delimiter (common prefixes across pages) and StartAfter', async () => {
    const underB = await allPages({ Bucket: 'listing', Prefix: 'b/' });
    assert.deepEqual(keysOf(underB), ['b/1', 'b/2', 'b/3', 'b/sub/4']);
    assert.equal(underB.length, 2);
    assert.equal(underB[0].Prefix, 'b/');

    const folders = await allPages({ Bucket: 'listing', Delimiter: '/' }, 2);
    assert.deepEqual(keysOf(folders), ['a', 'c', 'z', 'Ａ', '😀']);
    assert.deepEqual(
      folders.flatMap(p => (p.CommonPrefixes || []).map(c => c.Prefix)),
      ['b/'],
    );
    assert.deepEqual(
      folders.map(p => p.KeyCount),
      [2, 2, 2],
    );

    const nested = await allPages({
      Bucket: 'listing',
      Prefix: 'b/',
      Delimiter: '/',
    });
    assert.deepEqual(keysOf(nested), ['b/1', 'b/2', 'b/3']);
    assert.deepEqual(nested.at(-1).CommonPrefixes, [{ Prefix: 'b/sub/' }]);

    const later = await send(
      new ListObjectsV2Command({ Bucket: 'listing', StartAfter: 'b/3' }),
    );
    assert.equal(later.StartAfter, 'b/3');
    assert.deepEqual(
      later.Contents.map(c => c.Key),
      ['b/sub/4', 'c', 'z'],
    );

    const none = await send(
      new ListObjectsV2Command({ Bucket: 'listing', Prefix: 'nothing/' }),
    );
    assert.equal(none.KeyCount, 0);
    assert.equal(none.Contents, undefined);
    assert.equal(none.IsTruncated, false);
  });

  test('a listing resumes after the last key returned, as objects come and go', async () => {
    fake.s3.createBucket('moving');
    for (const key of ['k1', 'k3', 'k5', 'k7'])
      fake.s3.putObject('moving', key, key);
    const first = await send(
      new ListObjectsV2Command({ Bucket: 'moving', MaxKeys: 2 }),
    );
    assert.deepEqual(
      first.Contents.map(c => c.Key),
      ['k1', 'k3'],
    );
    fake.s3.putObject('moving', 'k0', 'before the token');
    fake.s3.putObject('moving', 'k4', 'after the token');
    fake.s3.deleteObject('moving', 'k5');
    const second = await send(
      new ListObjectsV2Command({
        Bucket: 'moving',
        ContinuationToken: first.NextContinuationToken,
      }),
    );
    assert.deepEqual(
      second.Contents.map(c => c.Key),
      ['k4', 'k7'],
    );
  });

  test('an invalid continuation token is InvalidArgument 400', async () => {
    await rejectsWith(
      send(
        new ListObjectsV2Command({
          Bucket: 'listing',
          ContinuationToken: 'not-a-token',
        }),
      ),
      'InvalidArgument',
      400,
    );
    const { NextContinuationToken } = await send(
      new ListObjectsV2Command({ Bucket: 'listing', MaxKeys: 1 }),
    );
    assert.ok(NextContinuationToken);
    await rejectsWith(
      send(
        new ListObjectsV2Command({
          Bucket: 'exports', // another bucket's token
          ContinuationToken: NextContinuationToken,
        }),
      ),
      'InvalidArgument',
      400,
    );
  });
});

describe('HeadObject and GetObject', () => {
  const CONTENT = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyz');
  const KEY = 'data/2026-11/part 1.csv';
  let etag;
  before(() => {
    ({ etag } = fake.s3.putObject('reads', KEY, CONTENT, {
      lastModified: '2026-11-20T10:11:12.345Z',
      contentType: 'text/csv',
    }));
  });
  const get = (input, accountId) =>
    send(
      new GetObjectCommand({ Bucket: 'reads', Key: KEY, ...input }),
      accountId,
    );
  const bodyOf = async response =>
    Buffer.from(await response.Body.transformToByteArray()).toString();

  test('HeadObject: size, ETag, Last-Modified, Content-Type; absent is NotFound 404', async () => {
    assert.equal(etag, md5Etag(CONTENT));
    const head = await send(
      new HeadObjectCommand({ Bucket: 'reads', Key: KEY }),
    );
    assert.equal(head.ContentLength, CONTENT.length);
    assert.equal(head.ETag, etag);
    assert.equal(head.LastModified.toISOString(), '2026-11-20T10:11:12.000Z');
    assert.equal(head.ContentType, 'text/csv');
    assert.equal(head.AcceptRanges, 'bytes');
    // a HEAD answer has no body, so the SDK names the error from the status
    await rejectsWith(
      send(new HeadObjectCommand({ Bucket: 'reads', Key: 'nope' })),
      'NotFound',
      404,
    );
  });

  test('GetObject: the whole body', async () => {
    const response = await get({});
    assert.equal(response.$metadata.httpStatusCode, 200);
    assert.equal(response.ContentLength, CONTENT.length);
    assert.equal(response.ETag, etag);
    assert.equal(response.ContentRange, undefined);
    assert.equal(await bodyOf(response), CONTENT.toString());
  });

  test('GetObject ranges: 206 with Content-Range; unsatisfiable is InvalidRange 416', async () => {
    for (const [range, body, contentRange] of [
      ['bytes=2-5', '2345', 'bytes 2-5/36'],
      ['bytes=30-', 'uvwxyz', 'bytes 30-35/36'],
      ['bytes=-4', 'wxyz', 'bytes 32-35/36'],
      ['bytes=34-99', 'yz', 'bytes 34-35/36'],
    ]) {
      const response = await get({ Range: range });
      assert.equal(response.$metadata.httpStatusCode, 206, range);
      assert.equal(response.ContentRange, contentRange, range);
      assert.equal(response.ContentLength, body.length, range);
      assert.equal(await bodyOf(response), body, range);
    }
    await rejectsWith(get({ Range: 'bytes=36-' }), 'InvalidRange', 416);
  });

  test('conditions: If-Match another ETag is PreconditionFailed 412; If-None-Match the ETag is 304', async () => {
    assert.equal(
      await bodyOf(await get({ IfMatch: etag })),
      CONTENT.toString(),
    );
    await rejectsWith(
      get({ IfMatch: '"0123456789abcdef0123456789abcdef"' }),
      'PreconditionFailed',
      412,
    );
    await rejectsWith(
      get({ IfUnmodifiedSince: new Date('2026-11-20T10:00:00Z') }),
      'PreconditionFailed',
      412,
    );
    for (const condition of [
      { IfNoneMatch: etag },
      { IfModifiedSince: new Date('2026-11-21T00:00:00Z') },
    ])
      await assert.rejects(get(condition), err => {
        assert.equal(err.$metadata.httpStatusCode, 304);
        return true;
      });
    const changed = await get({
      IfNoneMatch: '"0123456789abcdef0123456789abcdef"',
    });
    assert.equal(changed.$metadata.httpStatusCode, 200);
  });

  test('NoSuchKey and NoSuchBucket', async () => {
    await assert.rejects(
      send(new GetObjectCommand({ Bucket: 'reads', Key: 'no/such.csv' })),
      err => {
        assert.equal(err.name, 'NoSuchKey');
        assert.equal(err.$metadata.httpStatusCode, 404);
        assert.equal(err.Key, 'no/such.csv');
        return true;
      },
    );
    await rejectsWith(
      send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: KEY })),
      'NoSuchBucket',
      404,
    );
    await rejectsWith(
      send(new ListObjectsV2Command({ Bucket: 'no-such-bucket' })),
      'NoSuchBucket',
      404,
    );
  });

  test('on the wire: path-style keys, REST-XML errors, x-amz-request-id', async () => {
    const ok = await fetch(
      `${fake.url}/reads/${encodeURIComponent(KEY).replace(/%2F/g, '/')}`,
      { headers: signedAs(prod) },
    );
    assert.equal(ok.status, 200);
    assert.equal(await ok.text(), CONTENT.toString());

    const missing = await fetch(`${fake.url}/reads/no/such%20key`, {
      headers: signedAs(prod),
    });
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('content-type'), 'application/xml');
    const requestId = missing.headers.get('x-amz-request-id');
    assert.ok(requestId);
    const xml = await missing.text();
    assert.match(
      xml,
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\s*<Error><Code>NoSuchKey<\/Code><Message>The specified key does not exist\.<\/Message><Key>no\/such key<\/Key><RequestId>([^<]+)<\/RequestId>/,
    );
    assert.ok(xml.includes(`<RequestId>${requestId}</RequestId>`));

    const head = await fetch(`${fake.url}/reads/nope`, {
      method: 'HEAD',
      headers: signedAs(prod),
    });
    assert.equal(head.status, 404);
    assert.ok(head.headers.get('x-amz-request-id'));
    assert.equal(await head.text(), '');
  });

  test('virtual-host style: the bucket in a <bucket>.localhost Host header', async () => {
    const { status, body } = await new Promise((resolve, reject) => {
      const req = http.request(
        `${fake.url}/data/2026-11/part%201.csv`,
        {
          headers: { ...signedAs(prod), host: `reads.localhost:${fake.port}` },
        },
        res => {
          const chunks = [];
          res.on('data', c => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode, body: Buffer.concat(chunks) }),
          );
        },
      );
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 200);
    assert.equal(body.toString(), CONTENT.toString());
  });
});

describe('PutObject and DeleteObject', () => {
  before(() => fake.s3.createBucket('writes'));

  test('Put then Get: ETag is the MD5 of the bytes; type and metadata kept', async () => {
    const bytes = crypto.createHash('sha512').update('seed').digest();
    const put = await send(
      new PutObjectCommand({
        Bucket: 'writes',
        Key: 'exports/a.csv.gz',
        Body: bytes,
        ContentType: 'application/gzip',
        Metadata: { origin: 'test' },
      }),
    );
    assert.equal(put.ETag, md5Etag(bytes));
    const got = await send(
      new GetObjectCommand({ Bucket: 'writes', Key: 'exports/a.csv.gz' }),
    );
    assert.equal(got.ETag, put.ETag);
    assert.equal(got.ContentType, 'application/gzip');
    assert.deepEqual(got.Metadata, { origin: 'test' });
    assert.deepEqual(Buffer.from(await got.Body.transformToByteArray()), bytes);
    const stored = fake.s3.getObject('writes', 'exports/a.csv.gz');
    assert.deepEqual(stored.body, bytes);
    assert.equal(stored.lastModified.getTime() % 1000, 0); // whole seconds, like S3
    assert.ok(Math.abs(stored.lastModified.getTime() - Date.now()) < 5000);
  });

  test('a stream body (sent aws-chunked) is stored as its bytes', async () => {
    const parts = ['id,cost\n', '1,2.5\n', '2,3.25\n'].map(s => Buffer.from(s));
    const whole = Buffer.concat(parts);
    const put = await send(
      new PutObjectCommand({
        Bucket: 'writes',
        Key: 'streamed.csv',
        Body: Readable.from(parts),
        ContentLength: whole.length,
      }),
    );
    assert.equal(put.ETag, md5Etag(whole));
    assert.deepEqual(fake.s3.getObject('writes', 'streamed.csv').body, whole);
  });

  test('an object replaced after listing fails a read conditional on the listed ETag', async () => {
    fake.s3.putObject('writes', 'period/data.csv', 'first delivery');
    const listed = (
      await send(
        new ListObjectsV2Command({ Bucket: 'writes', Prefix: 'period/' }),
      )
    ).Contents[0];
    assert.equal(listed.ETag, md5Etag('first delivery'));
    fake.s3.putObject('writes', 'period/data.csv', 'second delivery!');
    await rejectsWith(
      send(
        new GetObjectCommand({
          Bucket: 'writes',
          Key: 'period/data.csv',
          IfMatch: listed.ETag,
        }),
      ),
      'PreconditionFailed',
      412,
    );
    const relisted = (
      await send(
        new ListObjectsV2Command({ Bucket: 'writes', Prefix: 'period/' }),
      )
    ).Contents[0];
    assert.equal(relisted.ETag, md5Etag('second delivery!'));
    assert.equal(relisted.Size, 16);
  });

  test('Content-MD5 and If-None-Match: * are checked', async () => {
    await rejectsWith(
      send(
        new PutObjectCommand({
          Bucket: 'writes',
          Key: 'md5.txt',
          Body: 'abc',
          ContentMD5: crypto.createHash('md5').update('abd').digest('base64'),
        }),
      ),
      'BadDigest',
      400,
    );
    assert.equal(fake.s3.getObject('writes', 'md5.txt'), undefined);
    const create = () =>
      send(
        new PutObjectCommand({
          Bucket: 'writes',
          Key: 'once.txt',
          Body: 'x',
          IfNoneMatch: '*',
        }),
      );
    await create();
    await rejectsWith(create(), 'PreconditionFailed', 412);
  });

  test('DeleteObject removes it; deleting again is still 204', async () => {
    fake.s3.putObject('writes', 'gone.txt', 'bye');
    const del = () =>
      send(new DeleteObjectCommand({ Bucket: 'writes', Key: 'gone.txt' }));
    assert.equal((await del()).$metadata.httpStatusCode, 204);
    assert.equal(fake.s3.getObject('writes', 'gone.txt'), undefined);
    await rejectsWith(
      send(new GetObjectCommand({ Bucket: 'writes', Key: 'gone.txt' })),
      'NoSuchKey',
      404,
    );
    assert.equal((await del()).$metadata.httpStatusCode, 204);
  });
});

describe('faults', () => {
  const BIG = crypto.randomBytes(256 * 1024);
  before(() => fake.s3.putObject('faulty', 'big.bin', BIG));
  beforeEach(() => fake.reset());
  const CALLS = {
    ListObjectsV2: (extra, accountId) =>
      send(new ListObjectsV2Command({ Bucket: 'faulty' }), accountId, extra),
    GetObject: (extra, accountId) =>
      send(
        new GetObjectCommand({ Bucket: 'faulty', Key: 'big.bin' }),
        accountId,
        extra,
      ),
    HeadObject: (extra, accountId) =>
      send(
        new HeadObjectCommand({ Bucket: 'faulty', Key: 'big.bin' }),
        accountId,
        extra,
      ),
  };

  test('throttle: SlowDown 503, which the SDK retries', async () => {
    fake.injectFault({
      service: 's3',
      operation: 'ListObjectsV2',
      kind: 'throttle',
    });
    const page = await CALLS.ListObjectsV2({ maxAttempts: 3 });
    assert.equal(page.$metadata.attempts, 2);
    assert.deepEqual(
      page.Contents.map(c => c.Key),
      ['big.bin'],
    );
    assert.deepEqual(fake.requestCounts(), { 's3:ListObjectsV2': 2 });
    fake.injectFault({ service: 's3', kind: 'throttle' });
    await rejectsWith(CALLS.GetObject(), 'SlowDown', 503);
  });

  // HEAD answers have no body: the SDK can only go by the status there
  const EXPECTED = {
    throttle: ['SlowDown', 503],
    'server-error': ['InternalError', 500],
    deny: ['AccessDenied', 403],
  };
  for (const [kind, [name, status]] of Object.entries(EXPECTED))
    for (const operation of Object.keys(CALLS))
      test(`${operation} ${kind} -> ${
        operation === 'HeadObject' ? status : name
      }`, async () => {
        fake.reset();
        fake.injectFault({ service: 's3', operation, kind });
        await assert.rejects(CALLS[operation](), err => {
          assert.equal(err.$metadata.httpStatusCode, status);
          if (operation !== 'HeadObject') assert.equal(err.name, name);
          return true;
        });
        await CALLS[operation](); // used up: the next call succeeds
      });

  test('deny names the IAM action S3 checks for the operation, and the resource', async () => {
    const EXPECTED_ACTIONS = {
      ListObjectsV2: ['s3:ListBucket', 'arn:aws:s3:::faulty'],
      GetObject: ['s3:GetObject', 'arn:aws:s3:::faulty/big.bin'],
    };
    for (const [operation, [action, resource]] of Object.entries(
      EXPECTED_ACTIONS,
    )) {
      fake.injectFault({ service: 's3', kind: 'deny' });
      await assert.rejects(CALLS[operation](), err => {
        assert.equal(err.name, 'AccessDenied');
        assert.equal(
          err.message,
          `User is not authorized to perform: ${action} on resource: "${resource}"`,
        );
        return true;
      });
    }
  });

  test('truncate-body: GetObject sends the full Content-Length, half the bytes, then cuts', async () => {
    fake.injectFault({
      service: 's3',
      operation: 'GetObject',
      kind: 'truncate-body',
    });
    const response = await CALLS.GetObject();
    assert.equal(response.$metadata.httpStatusCode, 200);
    assert.equal(response.ContentLength, BIG.length);
    await assert.rejects(response.Body.transformToByteArray());
    const whole = await CALLS.GetObject();
    assert.deepEqual(Buffer.from(await whole.Body.transformToByteArray()), BIG);
  });

  test('malformed ListObjectsV2 -> an XML parse error', async () => {
    fake.injectFault({
      service: 's3',
      operation: 'ListObjectsV2',
      kind: 'malformed',
    });
    await assert.rejects(CALLS.ListObjectsV2(), err => {
      assert.equal(err.$metadata.httpStatusCode, 200);
      assert.match(err.message, /XML|Deserialization/i);
      return true;
    });
  });

  test('slow answers let the client time out', async () => {
    fake.injectFault({ service: 's3', kind: 'slow', delayMs: 1000 });
    const started = Date.now();
    await assert.rejects(
      CALLS.GetObject({
        requestHandler: { requestTimeout: 150, throwOnRequestTimeout: true },
      }),
      err => err.name === 'TimeoutError',
    );
    assert.ok(Date.now() - started < 900);
  });

  test('operation and account scope a fault; the log shows bucket, key and headers', async () => {
    fake.injectFault({
      service: 's3',
      operation: 'GetObject',
      accountId: staging,
      kind: 'deny',
      times: Infinity,
    });
    await CALLS.GetObject({}, prod);
    await CALLS.HeadObject({}, staging);
    for (let i = 0; i < 2; i++)
      await rejectsWith(CALLS.GetObject({}, staging), 'AccessDenied', 403);
    assert.deepEqual(fake.requestCounts(), {
      's3:GetObject': 3,
      's3:HeadObject': 1,
    });
    const [first] = fake.requestLog();
    assert.equal(first.service, 's3');
    assert.equal(first.accountId, prod);
    assert.equal(first.body.Bucket, 'faulty');
    assert.equal(first.body.Key, 'big.bin');
  });
});

describe('who may use a bucket', () => {
  beforeEach(() => fake.reset());
  before(() => {
    fake.s3.createBucket('staging-only', { accountId: staging });
    fake.s3.putObject('staging-only', 'report.csv', 'a,b\n');
  });

  test('a bucket with an owner: other accounts get AccessDenied 403', async () => {
    const list = new ListObjectsV2Command({ Bucket: 'staging-only' });
    assert.equal((await send(list, staging)).KeyCount, 1);
    await rejectsWith(send(list, prod), 'AccessDenied', 403);
  });

  test('unsigned is AccessDenied, an unknown account InvalidAccessKeyId; presigned URLs work', async () => {
    const url = `${fake.url}/staging-only/report.csv`;
    const anonymous = await fetch(url);
    assert.equal(anonymous.status, 403);
    assert.match(await anonymous.text(), /<Code>AccessDenied<\/Code>/);
    await rejectsWith(
      send(
        new ListObjectsV2Command({ Bucket: 'staging-only' }),
        '123456789012',
      ),
      'InvalidAccessKeyId',
      403,
    );
    const credential = encodeURIComponent(
      `${
        credentialsFor(staging).accessKeyId
      }/20261122/us-east-1/s3/aws4_request`,
    );
    const presigned = await fetch(
      `${url}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${credential}&X-Amz-Signature=00`,
    );
    assert.equal(presigned.status, 200);
    assert.equal(await presigned.text(), 'a,b\n');
  });

  test('a dead account gets InternalError 500 until reset', async () => {
    fake.markAccountDead(staging);
    const list = new ListObjectsV2Command({ Bucket: 'staging-only' });
    await rejectsWith(send(list, staging), 'InternalError', 500);
    fake.reset();
    assert.equal((await send(list, staging)).KeyCount, 1);
  });
});

describe('fake.s3 control API', () => {
  test('bucket names are checked; putObject creates the bucket; reset() keeps buckets', async () => {
    assert.throws(
      () => fake.s3.createBucket('Bad_Name'),
      /invalid bucket name/,
    );
    assert.throws(() => fake.s3.putObject('fine-name', '', 'x'), /key/);
    assert.throws(
      () => fake.injectFault({ service: 's3', kind: 'nope' }),
      /fault kind/,
    );
    const put = fake.s3.putObject('made-by-put', 'k', 'v', {
      lastModified: new Date('2026-01-02T03:04:05.678Z'),
    });
    assert.deepEqual(put, {
      etag: md5Etag('v'),
      size: 1,
      lastModified: new Date('2026-01-02T03:04:05.000Z'),
    });
    fake.reset();
    const head = await send(new HeadBucketCommand({ Bucket: 'made-by-put' }));
    assert.equal(head.BucketRegion, 'us-east-1');
    assert.equal(fake.s3.deleteObject('made-by-put', 'k'), true);
    assert.equal(fake.s3.deleteObject('made-by-put', 'k'), false);
    assert.equal(fake.s3.deleteBucket('made-by-put'), true);
    await rejectsWith(
      send(new ListObjectsV2Command({ Bucket: 'made-by-put' })),
      'NoSuchBucket',
      404,
    );
  });
});

describe('cli --s3-bucket', () => {
  test('serves a directory as a bucket', async () => {
    const child = spawn(
      process.execPath,
      [
        path.join(import.meta.dirname, 'cli.js'),
        '--port',
        '0',
        '--billing-dir',
        billingDir,
        '--s3-bucket',
        `exports=${exportDir}`,
        '--s3-bucket',
        `aws-only=${billingDir}`,
        '--s3-page-size',
        '1',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise(resolve => child.once('exit', resolve));
    try {
      const line = await new Promise((resolve, reject) => {
        child.stdout.once('data', d => resolve(String(d).trim()));
        child.once('exit', code => reject(new Error(`exited ${code}`)));
      });
      const m = /^fake AWS listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(
        line,
      );
      assert.ok(m, line);
      const client = new S3Client({
        region: 'us-east-1',
        endpoint: m[1],
        forcePathStyle: true,
        credentials: credentialsFor(prod),
      });
      const pages = await allPages({ Bucket: 'aws-only' }, undefined, client);
      const files = fs.readdirSync(billingDir).sort();
      assert.deepEqual(keysOf(pages), files);
      assert.equal(pages.length, files.length); // --s3-page-size 1
      const manifest = await client.send(
        new GetObjectCommand({ Bucket: 'exports', Key: 'manifest.json' }),
      );
      assert.equal(
        await manifest.Body.transformToString(),
        fs.readFileSync(path.join(exportDir, 'manifest.json'), 'utf8'),
      );
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0);
  });
});
