'use strict';

// The HTTP server: reads a request, finds the service that speaks its protocol, records it,
// applies faults and dead accounts, and writes the service's answer. Bodies are read as bytes:
// S3 objects are not text.

const http = require('http');
const crypto = require('crypto');
const { callerOf } = require('./auth');
const { parseForm, ServiceError } = require('./wire');
const { control } = require('./control');

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * An answer's own content-length wins (S3's HEAD: the object's size, no body; Node sends no
 * body for HEAD, 204 and 304). `cutAfter`: send that many bytes of the body, then drop the
 * connection, as a download broken midway looks.
 */
function write(res, { status, headers, body, cutAfter }) {
  if (res.writableEnded || res.destroyed) return; // the client gave up (timeout)
  res.writeHead(status, {
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  if (cutAfter === undefined) return res.end(body);
  res.write(Buffer.from(body).subarray(0, cutAfter), () => res.destroy());
}

const isForm = headers =>
  (headers['content-type'] || '').includes('application/x-www-form-urlencoded');

/**
 * @param {{ services: object[], state: import('./faults').FakeState }} options
 * @returns {http.Server & { sleep(ms: number): Promise<void>, cancelSleeps(): void }}
 */
function createServer({ services, state }) {
  const timers = new Set();
  const sleep = ms =>
    new Promise(resolve => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  function routeOf(req, raw) {
    const body = raw.toString('utf8');
    const request = {
      method: req.method,
      url: req.url,
      headers: req.headers,
      form: isForm(req.headers) ? parseForm(body) : undefined,
      raw,
    };
    for (const service of services) {
      const routed = service.route(request, body);
      if (routed) return { service, ...routed };
    }
    return undefined;
  }

  /** The answer to one AWS request, after faults and dead accounts had their say. */
  async function answer(routed, ctx) {
    const { service, wire, operation } = routed;
    const fault = state.takeFault({
      service: service.name,
      operation,
      accountId: ctx.accountId,
    });
    if (fault && fault.kind === 'slow') await sleep(fault.delayMs);
    else if (fault && fault.kind === 'malformed')
      return wire.malformed(operation, ctx.requestId);
    else if (fault && fault.kind === 'truncate-body') {
      // the full answer's headers (and content-length), half its body, then a cut connection
      const full = await regularAnswer(routed, ctx);
      return {
        ...full,
        cutAfter: Math.floor(Buffer.byteLength(full.body) / 2),
      };
    } else if (fault)
      return wire.error(service.faultError(fault.kind, routed), ctx.requestId);
    return regularAnswer(routed, ctx);
  }

  /** A handler may be async (Athena runs its SQL in DuckDB). */
  async function regularAnswer(routed, ctx) {
    const { service, wire, operation, params, payload } = routed;
    if (state.isDead(ctx.accountId))
      return wire.error(service.faultError('server-error'), ctx.requestId);
    if (routed.error) return wire.error(routed.error, ctx.requestId);
    try {
      return wire.success(
        operation,
        await service.handle(operation, params, ctx, payload),
        ctx.requestId,
      );
    } catch (e) {
      if (e instanceof ServiceError) return wire.error(e, ctx.requestId);
      process.stderr.write(
        `fake AWS: ${service.name}:${operation} failed: ${e.stack}\n`,
      );
      const err = service.faultError('server-error');
      err.message = e.message;
      return wire.error(err, ctx.requestId);
    }
  }

  async function handle(req, res) {
    const body = await readBody(req);
    const { pathname, searchParams } = new URL(req.url, 'http://fake');
    if (pathname.startsWith('/__fake/'))
      return write(
        res,
        control(state, req.method, pathname, body.toString('utf8')),
      );
    const routed = routeOf(req, body);
    if (!routed)
      return write(res, {
        status: 400,
        headers: { 'content-type': 'text/plain' },
        body: 'fake AWS: no service of the fake speaks this request\n',
      });
    const ctx = {
      ...callerOf(req.headers, searchParams),
      requestId: crypto.randomUUID(),
    };
    state.record({
      service: routed.service.name,
      operation: routed.operation,
      accountId: ctx.accountId,
      region: ctx.region,
      body: routed.params,
    });
    return write(res, await answer(routed, ctx));
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch(e => {
      process.stderr.write(`fake AWS: ${e.stack}\n`);
      write(res, { status: 500, headers: {}, body: '' });
    });
  });
  server.cancelSleeps = () => {
    for (const t of timers) clearTimeout(t);
    timers.clear();
  };
  return server;
}

module.exports = { createServer };
