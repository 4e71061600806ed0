'use strict';

// Opaque page tokens: base64url of { offset, hash of the request they belong to }, so that a
// token reused with another request (or by another account) is rejected like real AWS does.

const crypto = require('crypto');

function stable(v) {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .filter(k => v[k] !== undefined)
      .map(k => `${JSON.stringify(k)}:${stable(v[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/** Hash of everything that defines a paged request except the token itself. */
function requestHash(ctx, operation, params, tokenKey) {
  const { [tokenKey]: _token, ...rest } = params;
  const key = stable({
    account: ctx.accountId,
    region: ctx.region,
    operation,
    params: rest,
  });
  return crypto.createHash('sha256').update(key).digest('hex').slice(0, 16);
}

function encodeToken(offset, hash) {
  return Buffer.from(JSON.stringify({ o: offset, h: hash })).toString(
    'base64url',
  );
}

/**
 * The offset a token stands for; 0 without a token. Throws `invalid()` for a token the fake
 * did not issue, `changed()` for one issued for another request.
 */
function decodeToken(token, hash, { invalid, changed }) {
  if (token === undefined || token === null || token === '') return 0;
  let t;
  try {
    t = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!t || !Number.isInteger(t.o) || t.o < 0 || typeof t.h !== 'string')
    throw invalid();
  if (t.h !== hash) throw changed();
  return t.o;
}

module.exports = { requestHash, encodeToken, decodeToken, stable };
