'use strict';

// Who is calling: read from the SigV4 Authorization header, never verified.

const PAYER_ACCOUNT_ID = '999988887777';
const CREDENTIAL =
  /Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request/;

/** The account an access key id stands for: its first 12-digit run, else the payer. */
function accountOfAccessKey(accessKeyId) {
  const m = /\d{12}/.exec(accessKeyId || '');
  return m ? m[0] : PAYER_ACCOUNT_ID;
}

/**
 * `query`: a presigned URL (S3) carries its credential as `X-Amz-Credential` instead.
 * @param {Record<string, string | string[] | undefined>} headers
 * @param {URLSearchParams} [query]
 * @returns {{ accessKeyId?: string, accountId: string, region: string, signingService?: string }}
 */
function callerOf(headers, query) {
  const presigned = query && query.get('X-Amz-Credential');
  const m = CREDENTIAL.exec(
    headers.authorization || (presigned ? `Credential=${presigned}` : ''),
  );
  if (!m) return { accountId: PAYER_ACCOUNT_ID, region: 'us-east-1' };
  return {
    accessKeyId: m[1],
    accountId: accountOfAccessKey(m[1]),
    region: m[3],
    signingService: m[4],
  };
}

module.exports = { callerOf, accountOfAccessKey, PAYER_ACCOUNT_ID };
