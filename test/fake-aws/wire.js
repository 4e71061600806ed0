'use strict';

// The four AWS wire protocols the fake answers in: JSON RPC (1.0 / 1.1, optionally
// "query compatible"), AWS query (form in, XML out), EC2 query (its own XML shapes) and S3's
// REST-XML. A wire turns a handler's result or a ServiceError into { status, headers, body }.

/**
 * An error the real service would return, in protocol-neutral form. `details`: the extra
 * elements of an S3 <Error> (Key, BucketName, ...), in order.
 */
class ServiceError extends Error {
  constructor(code, message, { status = 400, details } = {}) {
    super(message);
    this.code = code;
    this.status = status;
    this.details = details;
    // the query protocols' <Type>: who is to blame
    this.type = status >= 500 ? 'Receiver' : 'Sender';
  }
}

// --- XML --------------------------------------------------------------------
const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const xmlEscape = s => String(s).replace(/[&<>"]/g, c => ESCAPES[c]);
/** <name>inner</name>, or nothing when inner is undefined/null. `inner` is XML already. */
const tag = (name, inner) =>
  inner === undefined || inner === null ? '' : `<${name}>${inner}</${name}>`;
/** <name>escaped value</name>, or nothing when value is undefined/null. */
const leaf = (name, value) =>
  value === undefined || value === null ? '' : tag(name, xmlEscape(value));
/** <name><item>...</item>...</name>: the list shape of EC2 (`item`) and query (`member`). */
const list = (name, values, render, member = 'item') =>
  tag(name, values.map(v => tag(member, render(v))).join(''));
const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';

// --- request bodies -----------------------------------------------------------
/** A JSON RPC body: { params } or, when it does not parse, { params: {}, error }. */
function parseJsonBody(body) {
  try {
    return { params: body ? JSON.parse(body) : {} };
  } catch {
    return {
      params: {},
      error: new ServiceError('SerializationException', 'Malformed JSON body'),
    };
  }
}

// --- form bodies --------------------------------------------------------------
/** application/x-www-form-urlencoded -> plain object (last value wins). */
function parseForm(body) {
  return Object.fromEntries(new URLSearchParams(body));
}

/** `Prefix.1`, `Prefix.2`, ... in index order. */
function indexedList(params, prefix) {
  const re = new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.(\\d+)$`);
  return Object.keys(params)
    .map(k => [re.exec(k), k])
    .filter(([m]) => m)
    .sort(([a], [b]) => Number(a[1]) - Number(b[1]))
    .map(([, k]) => params[k]);
}

/**
 * Query-protocol keys to a nested object: `A.member.2.B=x` -> { A: [ , { B: 'x' }] } (holes
 * dropped). EC2 lists omit `member`: `Filter.1.Value.1` works the same.
 */
function nestForm(params) {
  const root = {};
  for (const [key, value] of Object.entries(params)) {
    const path = key
      .split('.')
      .filter(p => p !== 'member')
      .map(p => (/^\d+$/.test(p) ? Number(p) - 1 : p));
    let node = root;
    path.forEach((p, i) => {
      if (i === path.length - 1) node[p] = value;
      else {
        if (node[p] === undefined)
          node[p] = typeof path[i + 1] === 'number' ? [] : {};
        node = node[p];
      }
    });
  }
  return compactArrays(root);
}
function compactArrays(v) {
  if (Array.isArray(v))
    return v.filter(x => x !== undefined).map(compactArrays);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [k, compactArrays(x)]),
    );
  return v;
}

// --- wires --------------------------------------------------------------------

/**
 * JSON RPC. queryCompat: map from error code to the JSON `__type`; when given, errors also carry
 * `x-amzn-query-error: Code;Type`, from which the SDK takes the error's name.
 */
function jsonWire({ version, queryCompat }) {
  const contentType = `application/x-amz-json-${version}`;
  const headers = requestId => ({
    'content-type': contentType,
    'x-amzn-requestid': requestId,
  });
  return {
    protocol: `awsJson${version.replace('.', '_')}`,
    success: (operation, result, requestId) => ({
      status: 200,
      headers: headers(requestId),
      body: JSON.stringify(result),
    }),
    error: (err, requestId) => ({
      status: err.status,
      headers: {
        ...headers(requestId),
        ...(queryCompat
          ? { 'x-amzn-query-error': `${err.code};${err.type}` }
          : {}),
      },
      body: JSON.stringify({
        __type: queryCompat ? queryCompat[err.code] || err.code : err.code,
        message: err.message,
      }),
    }),
    malformed: (operation, requestId) => ({
      status: 200,
      headers: headers(requestId),
      body: '{"NextToken":"x","Results":[{"Id":"m0","Val',
    }),
  };
}

/** AWS query: <OpResponse><OpResult>...</OpResult><ResponseMetadata/></OpResponse>. */
function queryWire({ xmlNamespace }) {
  const headers = requestId => ({
    'content-type': 'text/xml',
    'x-amzn-requestid': requestId,
  });
  return {
    protocol: 'awsQuery',
    success: (operation, resultXml, requestId) => ({
      status: 200,
      headers: headers(requestId),
      body:
        `<${operation}Response xmlns="${xmlNamespace}">` +
        tag(`${operation}Result`, resultXml) +
        tag('ResponseMetadata', leaf('RequestId', requestId)) +
        `</${operation}Response>`,
    }),
    error: (err, requestId) => ({
      status: err.status,
      headers: headers(requestId),
      body:
        `<ErrorResponse xmlns="${xmlNamespace}">` +
        tag(
          'Error',
          leaf('Type', err.type) +
            leaf('Code', err.code) +
            leaf('Message', err.message),
        ) +
        leaf('RequestId', requestId) +
        '</ErrorResponse>',
    }),
    malformed: (operation, requestId) => ({
      status: 200,
      headers: headers(requestId),
      body: `<${operation}Response xmlns="${xmlNamespace}"><${operation}Result><`,
    }),
  };
}

/** EC2 query: <OpResponse><requestId/>...</OpResponse>; errors in <Response><Errors>. */
function ec2Wire({ xmlNamespace }) {
  const headers = requestId => ({
    'content-type': 'text/xml;charset=UTF-8',
    'x-amzn-requestid': requestId,
  });
  return {
    protocol: 'ec2Query',
    success: (operation, innerXml, requestId) => ({
      status: 200,
      headers: headers(requestId),
      body:
        `${XML_DECL}<${operation}Response xmlns="${xmlNamespace}">` +
        leaf('requestId', requestId) +
        innerXml +
        `</${operation}Response>`,
    }),
    error: (err, requestId) => ({
      status: err.status,
      headers: headers(requestId),
      body:
        `${XML_DECL}<Response>` +
        tag(
          'Errors',
          tag('Error', leaf('Code', err.code) + leaf('Message', err.message)),
        ) +
        leaf('RequestID', requestId) +
        '</Response>',
    }),
    malformed: (operation, requestId) => ({
      status: 200,
      headers: headers(requestId),
      body: `${XML_DECL}<${operation}Response xmlns="${xmlNamespace}"><requestId>${requestId}</requestId><`,
    }),
  };
}

/**
 * S3's REST-XML: an operation's answer lives in its status, headers and raw body, so handlers
 * return { status, headers, body } themselves; errors are a bare <Error>, and every answer
 * carries `x-amz-request-id` (the SDK's $metadata.requestId) and `x-amz-id-2`.
 */
function restXmlWire({ xmlNamespace }) {
  const headers = requestId => ({
    'x-amz-request-id': requestId,
    'x-amz-id-2': Buffer.from(`fake-host:${requestId}`).toString('base64'),
  });
  return {
    protocol: 'restXml',
    success: (operation, result, requestId) => ({
      status: result.status || 200,
      headers: { ...result.headers, ...headers(requestId) },
      body: result.body === undefined ? '' : result.body,
    }),
    error: (err, requestId) => ({
      status: err.status,
      headers: { 'content-type': 'application/xml', ...headers(requestId) },
      body:
        XML_DECL +
        tag(
          'Error',
          leaf('Code', err.code) +
            leaf('Message', err.message) +
            Object.entries(err.details || {})
              .map(([name, value]) => leaf(name, value))
              .join('') +
            leaf('RequestId', requestId) +
            leaf('HostId', headers(requestId)['x-amz-id-2']),
        ),
    }),
    malformed: (operation, requestId) => ({
      status: 200,
      headers: { 'content-type': 'application/xml', ...headers(requestId) },
      body: `${XML_DECL}<ListBucketResult xmlns="${xmlNamespace}"><Name>`,
    }),
  };
}

/**
 * The route of a JSON 1.1 service: a request whose X-Amz-Target starts with `prefix`, as that
 * operation with its JSON body; undefined for any other request.
 */
function jsonTargetRoute(prefix, wire) {
  return (req, body) => {
    const target = req.headers['x-amz-target'] || '';
    if (!target.startsWith(prefix)) return undefined;
    const operation = target.slice(prefix.length);
    return { wire, operation, ...parseJsonBody(body) };
  };
}

/** Runs the named operation, or fails with `code` (the protocol's own) naming it. */
function runOperation(operations, operation, params, ctx, code) {
  const op = operations[operation];
  if (!op) {
    throw new ServiceError(code, `The fake does not implement ${operation}`);
  }
  return op(params, ctx);
}

module.exports = {
  ServiceError,
  jsonTargetRoute,
  runOperation,
  XML_DECL,
  xmlEscape,
  tag,
  leaf,
  list,
  parseJsonBody,
  parseForm,
  indexedList,
  nestForm,
  jsonWire,
  queryWire,
  ec2Wire,
  restXmlWire,
};
