'use strict';

// S3's buckets, in memory: what the S3 service serves and what tests write through `fake.s3`.
// Like S3: keys list in UTF-8 byte order, the ETag of a (single-part) object is the quoted hex
// MD5 of its bytes, LastModified has whole seconds.

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const MAX_KEY_BYTES = 1024;
/** What S3 stores when an upload names no Content-Type. */
const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';

/** UTF-8 byte order; JS string order (UTF-16 units) differs above U+FFFF. */
const byUtf8 = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** A Date with whole seconds, from a Date, an ISO string or epoch ms; now when absent. */
function wholeSeconds(value) {
  const ms = value === undefined ? Date.now() : new Date(value).getTime();
  if (Number.isNaN(ms)) throw new Error(`invalid lastModified '${value}'`);
  return new Date(Math.floor(ms / 1000) * 1000);
}

function toBuffer(body) {
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body); // a copy: later edits do not leak in
  throw new Error('object body must be a string, Buffer or Uint8Array');
}

/** Every file under `dir`, as [key relative to it with `/`, absolute path]. */
function filesUnder(dir) {
  return fs
    .readdirSync(dir, { recursive: true })
    .map(rel => [rel.split(path.sep).join('/'), path.join(dir, rel)])
    .filter(([, file]) => fs.statSync(file).isFile());
}

class S3Store {
  constructor() {
    this.buckets = new Map();
  }

  /** Creates the bucket (a no-op when it exists). With `accountId`, only that account may use it. */
  createBucket(name, { accountId } = {}) {
    if (!BUCKET_NAME.test(String(name)))
      throw new Error(`invalid bucket name '${name}'`);
    if (accountId !== undefined && !/^\d{12}$/.test(String(accountId)))
      throw new Error('bucket accountId must be 12 digits');
    if (!this.buckets.has(name))
      this.buckets.set(name, {
        name,
        accountId: accountId === undefined ? undefined : String(accountId),
        objects: new Map(),
        sorted: undefined, // keys in order, rebuilt after a change
      });
    return this.buckets.get(name);
  }

  deleteBucket(name) {
    return this.buckets.delete(name);
  }

  bucket(name) {
    return this.buckets.get(name);
  }

  /** Stores (or replaces) an object, creating the bucket when needed. */
  putObject(bucketName, key, body, options = {}) {
    if (typeof key !== 'string' || key === '')
      throw new Error('object key must be a non-empty string');
    if (Buffer.byteLength(key) > MAX_KEY_BYTES)
      throw new Error(`object key longer than ${MAX_KEY_BYTES} bytes`);
    const bucket = this.bucket(bucketName) || this.createBucket(bucketName);
    const bytes = toBuffer(body);
    const object = {
      body: bytes,
      etag: `"${crypto.createHash('md5').update(bytes).digest('hex')}"`,
      lastModified: wholeSeconds(options.lastModified),
      contentType: options.contentType || DEFAULT_CONTENT_TYPE,
      metadata: { ...options.metadata },
    };
    if (!bucket.objects.has(key)) bucket.sorted = undefined;
    bucket.objects.set(key, object);
    return {
      etag: object.etag,
      size: bytes.length,
      lastModified: object.lastModified,
    };
  }

  /** true when the object existed. */
  deleteObject(bucketName, key) {
    const bucket = this.bucket(bucketName);
    if (!bucket || !bucket.objects.delete(key)) return false;
    bucket.sorted = undefined;
    return true;
  }

  /** A copy of the stored object, or undefined. */
  getObject(bucketName, key) {
    const bucket = this.bucket(bucketName);
    const object = bucket && bucket.objects.get(key);
    if (!object) return undefined;
    return {
      ...object,
      body: Buffer.from(object.body),
      size: object.body.length,
      lastModified: new Date(object.lastModified),
      metadata: { ...object.metadata },
    };
  }

  /** Every file under `dir` (recursively) as an object keyed by its relative path; LastModified = mtime. */
  loadDirectory(bucketName, dir) {
    this.bucket(bucketName) || this.createBucket(bucketName);
    const files = filesUnder(dir);
    for (const [key, file] of files)
      this.putObject(bucketName, key, fs.readFileSync(file), {
        lastModified: fs.statSync(file).mtimeMs,
      });
    return files.length;
  }

  /** The bucket's keys in UTF-8 byte order. */
  sortedKeys(bucket) {
    if (!bucket.sorted) bucket.sorted = [...bucket.objects.keys()].sort(byUtf8);
    return bucket.sorted;
  }
}

module.exports = { S3Store, byUtf8 };
