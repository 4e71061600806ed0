'use strict';

// S3 (REST-XML): ListObjectsV2, HeadObject, GetObject (ranges, conditions), PutObject,
// DeleteObject and HeadBucket over the in-memory buckets of s3Store.js. Path style
// (`/<bucket>/<key>`), or the bucket in a `<bucket>.localhost` host. Unlike the other services
// S3 is not `POST /` with a target: the operation is the method, the path and the query.

const crypto = require('crypto');
const { ServiceError, restXmlWire, tag, leaf, XML_DECL } = require('./wire');
const { byUtf8 } = require('./s3Store');

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const wire = restXmlWire({ xmlNamespace: XMLNS });
const MAX_KEYS = 1000;
const LIST_PARAMS = new Set([
  'list-type',
  'prefix',
  'delimiter',
  'max-keys',
  'continuation-token',
  'start-after',
  'encoding-type',
  'fetch-owner',
]);
/** The request headers S3 reads: all a handler sees, and what the request log shows. */
const READ_HEADERS = [
  'range',
  'if-match',
  'if-none-match',
  'if-modified-since',
  'if-unmodified-since',
  'content-type',
  'content-md5',
  'content-encoding',
  'x-amz-decoded-content-length',
  'x-amz-copy-source',
];

const FAULTS = {
  throttle: () =>
    new ServiceError('SlowDown', 'Please reduce your request rate.', {
      status: 503,
    }),
  'server-error': () =>
    new ServiceError(
      'InternalError',
      'We encountered an internal error. Please try again.',
      { status: 500 },
    ),
  deny: ({ operation, params }) => {
    const action = S3_ACTIONS[operation] || `s3:${operation}`;
    const resource = `arn:aws:s3:::${params?.Bucket ?? ''}${
      params?.Key !== undefined ? `/${params.Key}` : ''
    }`;
    return new ServiceError(
      'AccessDenied',
      `User is not authorized to perform: ${action} on resource: "${resource}"`,
      { status: 403 },
    );
  },
};

// The IAM action S3 checks for an operation, where it is not `s3:<operation>`.
const S3_ACTIONS = {
  ListObjectsV2: 's3:ListBucket',
  HeadBucket: 's3:ListBucket',
  HeadObject: 's3:GetObject',
};

const accessDenied = () =>
  new ServiceError('AccessDenied', 'Access Denied', { status: 403 });
const invalidArgument = (message, name, value) =>
  new ServiceError('InvalidArgument', message, {
    details: { ArgumentName: name, ArgumentValue: value },
  });
const preconditionFailed = condition =>
  new ServiceError(
    'PreconditionFailed',
    'At least one of the pre-conditions you specified did not hold',
    { status: 412, details: { Condition: condition } },
  );

// --- requests -------------------------------------------------------------------
/** Bucket and key (undefined: the bucket itself) from the raw path, not URL-normalised: `a/../b` is a key. */
function addressOf(rawPath, host) {
  const rest = rawPath.slice(1);
  const virtual = /^([a-z0-9.-]+)\.localhost(?::\d+)?$/.exec(host || '');
  const slash = virtual ? -1 : rest.indexOf('/');
  const [bucket, key] = virtual
    ? [virtual[1], rest]
    : slash < 0
    ? [rest, '']
    : [rest.slice(0, slash), rest.slice(slash + 1)];
  return {
    Bucket: decodeURIComponent(bucket),
    Key: key === '' ? undefined : decodeURIComponent(key),
  };
}

/** The operation a request names; undefined for what the fake does not implement. */
function operationOf(method, { Bucket, Key, query, headers }) {
  const names = Object.keys(query);
  if (!Bucket) return undefined; // ListBuckets
  if (Key === undefined) {
    if (method === 'HEAD' && !names.length) return 'HeadBucket';
    if (
      method === 'GET' &&
      query['list-type'] === '2' &&
      names.every(n => LIST_PARAMS.has(n))
    )
      return 'ListObjectsV2';
    return undefined; // ListObjects (v1), bucket subresources
  }
  if (method === 'GET' || method === 'HEAD') {
    if (!names.every(n => n.startsWith('response-'))) return undefined; // versionId, acl, ...
    return method === 'GET' ? 'GetObject' : 'HeadObject';
  }
  if (method === 'PUT' && !names.length && !headers['x-amz-copy-source'])
    return 'PutObject';
  if (method === 'DELETE' && !names.length) return 'DeleteObject';
  return undefined;
}

// --- ListObjectsV2 ------------------------------------------------------------------
/** The first index whose key sorts after `after` (inclusive: at or after). */
function firstIndex(keys, after, inclusive) {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const c = byUtf8(keys[mid], after);
    if (c > 0 || (inclusive && c === 0)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Tokens carry the last key (or common prefix) returned, so a listing resumes after it even
 * when objects come and go between pages, as S3's do; the bucket name rejects made-up ones.
 */
const encodeToken = (bucket, last) =>
  Buffer.from(
    JSON.stringify({ b: bucket.name, k: last.key, p: last.common }),
  ).toString('base64url');
function decodeToken(bucket, token) {
  let t;
  try {
    t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    t = undefined;
  }
  if (!t || t.b !== bucket.name || typeof t.k !== 'string')
    throw invalidArgument(
      'The continuation token provided is incorrect',
      'continuation-token',
      token,
    );
  return { key: t.k, common: t.p === true };
}

function maxKeysOf(value) {
  if (value === undefined) return MAX_KEYS;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 2147483647)
    throw invalidArgument(
      'Provided max-keys not an integer or within integer range',
      'max-keys',
      value,
    );
  return n;
}

/** encoding-type=url: S3's form of URL encoding (`+` for space, `/` kept). */
const urlEncode = s =>
  encodeURIComponent(s)
    .replace(/[!'()~]/g, c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+')
    .replace(/%2F/g, '/');

function listObjectsV2(bucket, { query }, { store, pageSize }) {
  const prefix = query.prefix || '';
  const delimiter = query.delimiter || undefined;
  const maxKeys = maxKeysOf(query['max-keys']);
  const encodingType = query['encoding-type'];
  if (encodingType !== undefined && encodingType !== 'url')
    throw invalidArgument(
      'Invalid Encoding Method specified in Request',
      'encoding-type',
      encodingType,
    );
  const encode = encodingType ? urlEncode : s => s;
  const token = query['continuation-token'];
  const after =
    token !== undefined
      ? decodeToken(bucket, token)
      : { key: query['start-after'] || '', common: false };

  const keys = store.sortedKeys(bucket);
  const size = Math.min(maxKeys, pageSize);
  const entries = []; // { key } or { key: common prefix, common: true }
  let truncated = false;
  const start = Math.max(
    firstIndex(keys, prefix, true),
    firstIndex(keys, after.key, false),
  );
  for (let i = start; size > 0 && i < keys.length; i++) {
    const key = keys[i];
    if (!key.startsWith(prefix)) break; // sorted: past the prefix for good
    if (after.common && key.startsWith(after.key)) continue; // inside the last page's prefix
    const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    const common = cut < 0 ? undefined : key.slice(0, cut + delimiter.length);
    if (common !== undefined && entries.at(-1)?.key === common) continue;
    if (entries.length === size) {
      truncated = true;
      break;
    }
    entries.push(
      common === undefined ? { key } : { key: common, common: true },
    );
  }

  const contents = entries
    .filter(e => !e.common)
    .map(({ key }) => {
      const o = bucket.objects.get(key);
      return tag(
        'Contents',
        leaf('Key', encode(key)) +
          leaf('LastModified', o.lastModified.toISOString()) +
          leaf('ETag', o.etag) +
          leaf('Size', o.body.length) +
          leaf('StorageClass', 'STANDARD'),
      );
    });
  const commonPrefixes = entries
    .filter(e => e.common)
    .map(({ key }) => tag('CommonPrefixes', leaf('Prefix', encode(key))));
  const startAfter = query['start-after'];
  const xml = [
    leaf('Name', bucket.name),
    leaf('Prefix', encode(prefix)),
    leaf('StartAfter', startAfter && encode(startAfter)),
    leaf('Delimiter', delimiter && encode(delimiter)),
    leaf('MaxKeys', maxKeys),
    leaf('EncodingType', encodingType),
    leaf('KeyCount', entries.length),
    leaf('IsTruncated', truncated),
    leaf('ContinuationToken', token),
    leaf(
      'NextContinuationToken',
      truncated ? encodeToken(bucket, entries.at(-1)) : undefined,
    ),
    ...contents,
    ...commonPrefixes,
  ].join('');
  return {
    headers: { 'content-type': 'application/xml' },
    body: `${XML_DECL}<ListBucketResult xmlns="${XMLNS}">${xml}</ListBucketResult>`,
  };
}

// --- objects ---------------------------------------------------------------------------
const noSuchKey = key =>
  new ServiceError('NoSuchKey', 'The specified key does not exist.', {
    status: 404,
    details: { Key: key },
  });
function objectOf(bucket, key) {
  const object = bucket.objects.get(key);
  if (!object) throw noSuchKey(key);
  return object;
}

/** `"a", W/"b", *` -> does one of them name the object's ETag. */
const etagMatches = (header, object) =>
  header
    .split(',')
    .map(e => e.trim().replace(/^W\//, ''))
    .some(e => e === '*' || e === object.etag || `"${e}"` === object.etag);
/** Invalid dates are ignored, as HTTP says. */
const dateOf = header => {
  const ms = Date.parse(header);
  return Number.isNaN(ms) ? undefined : ms;
};

/**
 * Conditional reads in RFC 9110's order, as S3 applies them: If-Match (else
 * If-Unmodified-Since) fails with 412; If-None-Match (else If-Modified-Since) gives 304.
 */
function notModified(object, h) {
  const modified = header =>
    object.lastModified.getTime() > (dateOf(header) ?? -Infinity);
  if (h['if-match'] !== undefined) {
    if (!etagMatches(h['if-match'], object))
      throw preconditionFailed('If-Match');
  } else if (
    h['if-unmodified-since'] !== undefined &&
    dateOf(h['if-unmodified-since']) !== undefined &&
    modified(h['if-unmodified-since'])
  )
    throw preconditionFailed('If-Unmodified-Since');
  if (h['if-none-match'] !== undefined)
    return etagMatches(h['if-none-match'], object);
  return (
    h['if-modified-since'] !== undefined &&
    dateOf(h['if-modified-since']) !== undefined &&
    !modified(h['if-modified-since'])
  );
}

/**
 * [start, end] (inclusive) of a single `bytes=` range; undefined for no range, or one HTTP says
 * to ignore (malformed, several ranges); null when none of its bytes exist (416).
 */
function rangeOf(header, size) {
  const m = /^bytes=(\d*)-(\d*)$/.exec((header || '').trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const n = Number(m[2]);
    return n === 0 || size === 0 ? null : [Math.max(0, size - n), size - 1];
  }
  const start = Number(m[1]);
  if (m[2] !== '' && Number(m[2]) < start) return undefined;
  if (start >= size) return null;
  return [start, m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1)];
}

function objectHeaders(object, query) {
  const headers = {
    'content-type': object.contentType,
    etag: object.etag,
    'last-modified': object.lastModified.toUTCString(),
    'accept-ranges': 'bytes',
  };
  for (const [name, value] of Object.entries(object.metadata))
    headers[`x-amz-meta-${name}`] = value;
  // GetObject's ResponseContentType (etc.): response-content-type=... overrides the header
  for (const [name, value] of Object.entries(query))
    if (name.startsWith('response-')) headers[name.slice(9)] = value;
  return headers;
}

/** GetObject, and HeadObject (withBody false: the same headers, no bytes). */
function readObject(bucket, { Key, query, headers }, withBody) {
  const object = objectOf(bucket, Key);
  const size = object.body.length;
  if (notModified(object, headers))
    return {
      status: 304,
      headers: {
        etag: object.etag,
        'last-modified': object.lastModified.toUTCString(),
      },
    };
  const range = rangeOf(headers.range, size);
  if (range === null)
    throw new ServiceError(
      'InvalidRange',
      'The requested range is not satisfiable',
      {
        status: 416,
        details: { RangeRequested: headers.range, ActualObjectSize: size },
      },
    );
  const [start, end] = range || [0, size - 1];
  return {
    status: range ? 206 : 200,
    headers: {
      ...objectHeaders(object, query),
      'content-length': end - start + 1,
      ...(range ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}),
    },
    body: withBody ? object.body.subarray(start, end + 1) : '',
  };
}

const incompleteBody = () =>
  new ServiceError(
    'IncompleteBody',
    'You did not provide the number of bytes specified by the Content-Length HTTP header.',
  );

/**
 * The SDK sends stream bodies `aws-chunked`: `<hex size>[;chunk-signature=..]\r\n<bytes>\r\n`
 * ... `0\r\n<trailing checksum>\r\n\r\n`. The object is the chunks' bytes.
 */
function decodeAwsChunked(raw) {
  const chunks = [];
  for (let at = 0; ; ) {
    const eol = raw.indexOf('\r\n', at);
    const size = eol < 0 ? NaN : parseInt(raw.toString('latin1', at, eol), 16);
    if (!Number.isInteger(size) || eol + 2 + size > raw.length)
      throw incompleteBody();
    if (size === 0) return Buffer.concat(chunks);
    chunks.push(raw.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

function checkContentMd5(header, body) {
  const digest = Buffer.from(header, 'base64');
  if (digest.length !== 16 || digest.toString('base64') !== header)
    throw new ServiceError(
      'InvalidDigest',
      'The Content-MD5 you specified was not valid.',
    );
  if (!digest.equals(crypto.createHash('md5').update(body).digest()))
    throw new ServiceError(
      'BadDigest',
      'The Content-MD5 you specified did not match what we received.',
    );
}

/** Conditional writes: If-None-Match: * (create only), If-Match: <etag> (replace only that). */
function checkWriteConditions(existing, key, h) {
  if (h['if-none-match'] !== undefined) {
    if (h['if-none-match'].trim() !== '*')
      throw new ServiceError(
        'NotImplemented',
        'A header you provided implies functionality that is not implemented',
        { status: 501, details: { Header: 'If-None-Match' } },
      );
    if (existing) throw preconditionFailed('If-None-Match');
  }
  if (h['if-match'] !== undefined) {
    if (!existing) throw noSuchKey(key);
    if (!etagMatches(h['if-match'], existing))
      throw preconditionFailed('If-Match');
  }
}

function putObject(bucket, { Key, headers }, { store }, payload) {
  const chunked =
    /aws-chunked/.test(headers['content-encoding'] || '') ||
    headers['x-amz-decoded-content-length'] !== undefined;
  const body = chunked ? decodeAwsChunked(payload) : payload;
  const declared = headers['x-amz-decoded-content-length'];
  if (chunked && declared !== undefined && Number(declared) !== body.length)
    throw incompleteBody();
  if (headers['content-md5'] !== undefined)
    checkContentMd5(headers['content-md5'], body);
  checkWriteConditions(bucket.objects.get(Key), Key, headers);
  const metadata = Object.fromEntries(
    Object.entries(headers)
      .filter(([name]) => name.startsWith('x-amz-meta-'))
      .map(([name, value]) => [name.slice(11), value]),
  );
  const put = store.putObject(bucket.name, Key, body, {
    contentType: headers['content-type'],
    metadata,
  });
  return { headers: { etag: put.etag } };
}

const OPERATIONS = {
  ListObjectsV2: listObjectsV2,
  HeadObject: (bucket, params) => readObject(bucket, params, false),
  GetObject: (bucket, params) => readObject(bucket, params, true),
  PutObject: putObject,
  DeleteObject: (bucket, { Key }, { store }) => {
    store.deleteObject(bucket.name, Key); // 204 whether or not it existed, like S3
    return { status: 204 };
  },
  HeadBucket: (bucket, params, env, payload, ctx) => ({
    headers: { 'x-amz-bucket-region': ctx.region },
  }),
};

/**
 * @param {{ store: import('./s3Store').S3Store, pageSize: number,
 *   isKnownAccount(accountId: string): boolean }} options
 */
function createS3({ store, pageSize, isKnownAccount }) {
  const env = { store, pageSize };
  const ownsBucket = id =>
    [...store.buckets.values()].some(b => b.accountId === id);

  /** Buckets are private: no anonymous access, only the owner when the bucket has one. */
  function bucketFor(params, ctx) {
    if (!ctx.accessKeyId) throw accessDenied();
    if (!isKnownAccount(ctx.accountId) && !ownsBucket(ctx.accountId))
      throw new ServiceError(
        'InvalidAccessKeyId',
        'The AWS Access Key Id you provided does not exist in our records.',
        { status: 403, details: { AWSAccessKeyId: ctx.accessKeyId } },
      );
    const bucket = store.bucket(params.Bucket);
    if (!bucket)
      throw new ServiceError(
        'NoSuchBucket',
        'The specified bucket does not exist',
        { status: 404, details: { BucketName: params.Bucket } },
      );
    if (bucket.accountId && bucket.accountId !== ctx.accountId)
      throw accessDenied();
    return bucket;
  }

  return {
    name: 's3',
    route(req) {
      const q = req.url.indexOf('?');
      const rawPath = q < 0 ? req.url : req.url.slice(0, q);
      if (req.method === 'POST' && rawPath === '/') return undefined; // the other services'
      // without the SDK's `x-id=GetObject` (it only names the operation) and a presigned
      // URL's X-Amz-Credential (etc.): what is left are the operation's parameters
      const query = Object.fromEntries(
        [...new URLSearchParams(q < 0 ? '' : req.url.slice(q + 1))].filter(
          ([name]) => name !== 'x-id' && !/^x-amz-/i.test(name),
        ),
      );
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(
          ([name]) =>
            READ_HEADERS.includes(name) || name.startsWith('x-amz-meta-'),
        ),
      );
      let address;
      try {
        address = addressOf(rawPath, req.headers.host);
      } catch {
        return {
          wire,
          operation: 'Unsupported',
          params: { query, headers },
          error: new ServiceError(
            'InvalidURI',
            "Couldn't parse the specified URI.",
          ),
        };
      }
      const params = { ...address, query, headers };
      const operation = operationOf(req.method, params);
      if (!operation)
        return {
          wire,
          operation: 'Unsupported',
          params,
          error: new ServiceError(
            'NotImplemented',
            `The fake S3 does not implement ${req.method} ${req.url}`,
            { status: 501 },
          ),
        };
      return { wire, operation, params, payload: req.raw };
    },
    handle(operation, params, ctx, payload) {
      const bucket = bucketFor(params, ctx);
      return OPERATIONS[operation](bucket, params, env, payload, ctx);
    },
    faultError: (kind, request) => FAULTS[kind](request),
  };
}

module.exports = { createS3 };
