'use strict';

// CloudWatch GetMetricData. Current SDKs speak JSON 1.0 in "query compatible" mode
// (x-amz-target GraniteServiceVersion20100801.*, x-amzn-query-mode: true, epoch-second
// timestamps); older ones speak the AWS query protocol (Version 2010-08-01, XML). Both are
// answered. Hourly CPUUtilization (AWS/EC2) and mem_used_percent (CWAgent) come from the demo
// inventory's utilisation model, for the caller's instances in the signature's region.

const {
  ServiceError,
  jsonWire,
  queryWire,
  nestForm,
  parseJsonBody,
  runOperation,
  tag,
  leaf,
  list,
} = require('./wire');
const { requestHash, encodeToken, decodeToken } = require('./paging');

const VERSION = '2010-08-01';
const TARGET_PREFIX = 'GraniteServiceVersion20100801.';
const HOUR = 3600000;
const MAX_QUERIES = 500;
const MAX_DATAPOINTS = 100800;

// JSON `__type` of each query error code; the SDK names errors after the code
const JSON_TYPES = {
  Throttling: 'com.amazon.coral.availability#ThrottlingException',
  InternalServiceError: 'com.amazonaws.cloudwatch#InternalServiceFault',
  AccessDenied: 'com.amazon.coral.service#AccessDeniedException',
  ValidationError: 'com.amazon.coral.validate#ValidationException',
  InvalidNextToken: 'com.amazonaws.cloudwatch#InvalidNextToken',
  InvalidParameterValue:
    'com.amazonaws.cloudwatch#InvalidParameterValueException',
  InvalidAction: 'com.amazon.coral.service#UnknownOperationException',
  SerializationException: 'com.amazon.coral.service#SerializationException',
};
const jsonProtocol = jsonWire({ version: '1.0', queryCompat: JSON_TYPES });
const queryProtocol = queryWire({
  xmlNamespace: `http://monitoring.amazonaws.com/doc/${VERSION}/`,
});

const FAULTS = {
  throttle: () =>
    new ServiceError('Throttling', 'Rate exceeded', { status: 400 }),
  'server-error': () =>
    new ServiceError('InternalServiceError', 'Internal service error', {
      status: 500,
    }),
  deny: ({ operation }) =>
    new ServiceError(
      'AccessDenied',
      `User is not authorized to perform: cloudwatch:${operation}`,
      { status: 403 },
    ),
};

// namespace|metric name -> the inventory's utilisation metric
const SERIES = {
  'AWS/EC2|CPUUtilization': 'cpu',
  'CWAgent|mem_used_percent': 'memory',
};
const STATS = { Average: 'average', Maximum: 'maximum' };

const validation = message => new ServiceError('ValidationError', message);

// --- request ----------------------------------------------------------------------
/** Epoch seconds (JSON 1.0) or an ISO string (query) -> epoch milliseconds. */
function toMs(v, name) {
  const ms =
    typeof v === 'number' || /^\d+(\.\d+)?$/.test(String(v))
      ? Number(v) * 1000
      : Date.parse(v);
  if (v === undefined || Number.isNaN(ms))
    throw validation(
      `The parameter ${name} is required and must be a timestamp.`,
    );
  return ms;
}

function parseRequest(p) {
  const queries = p.MetricDataQueries;
  if (!Array.isArray(queries) || !queries.length)
    throw validation('The parameter MetricDataQueries is required.');
  if (queries.length > MAX_QUERIES)
    throw validation(
      `The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`,
    );
  for (const q of queries)
    if (!/^[a-z][a-zA-Z0-9_]*$/.test(q.Id || ''))
      throw validation(`Invalid metric data query id '${q.Id}'.`);
  const start = toMs(p.StartTime, 'StartTime');
  const end = toMs(p.EndTime, 'EndTime');
  if (start >= end)
    throw validation(
      'The parameter StartTime must be less than the parameter EndTime.',
    );
  const maxDatapoints =
    p.MaxDatapoints === undefined ? MAX_DATAPOINTS : Number(p.MaxDatapoints);
  if (!Number.isInteger(maxDatapoints) || maxDatapoints < 1)
    throw validation('The parameter MaxDatapoints must be a positive integer.');
  return {
    queries: queries.filter(q => String(q.ReturnData) !== 'false'),
    start,
    end,
    maxDatapoints,
    ascending: p.ScanBy === 'TimestampAscending',
  };
}

// --- data -------------------------------------------------------------------------
/** The instance a MetricStat names by its only dimension, InstanceId. */
function instanceOf(metric, instances, ctx) {
  const dims = metric.Dimensions || [];
  if (dims.length !== 1 || dims[0].Name !== 'InstanceId') return undefined;
  const r = instances.get(dims[0].Value);
  return r && r.accountId === ctx.accountId && r.region === ctx.region
    ? r
    : undefined;
}

/** One statistic over the hours of a period. */
function aggregate(points, stat) {
  if (stat === 'maximum') return Math.max(...points.map(p => p.maximum));
  const mean = points.reduce((s, p) => s + p.average, 0) / points.length;
  return Math.round(mean * 10000) / 10000;
}

/**
 * [{ t, v }] in time order for one query over span { start, end, dataEnd } (epoch ms);
 * empty when the fake has no such data.
 */
function seriesOf(query, span, world, ctx) {
  const ms = query.MetricStat;
  if (!ms || !ms.Metric) return [];
  const metric = SERIES[`${ms.Metric.Namespace}|${ms.Metric.MetricName}`];
  const stat = STATS[ms.Stat];
  const period = Number(ms.Period) * 1000;
  const r = instanceOf(ms.Metric, world.instances, ctx);
  // the demo's data is hourly: finer or unaligned periods have nothing to show
  if (!metric || !stat || !r || !(period >= HOUR && period % HOUR === 0))
    return [];
  const launch = Date.parse(r.createdAt);
  const out = [];
  const first = Math.floor(span.start / period) * period;
  for (let b = first; b < span.end; b += period) {
    const points = [];
    for (let h = b; h < b + period && h < span.dataEnd; h += HOUR) {
      if (h + HOUR <= launch) continue;
      const p = world.utilisationPoint(r.resourceId, metric, h);
      if (p) points.push(p);
    }
    if (points.length) out.push({ t: b, v: aggregate(points, stat) });
  }
  return out;
}

/** This page's slice of every query's points, newest first unless ScanBy says otherwise. */
function page(series, q, offset, limit) {
  let skip = offset;
  let room = limit;
  let remaining = 0;
  const results = series.map(({ query, points }) => {
    const ordered = q.ascending ? points : [...points].reverse();
    const from = Math.min(skip, ordered.length);
    skip -= from;
    const taken = ordered.slice(from, from + room);
    room -= taken.length;
    const left = ordered.length - from - taken.length;
    remaining += left;
    return {
      Id: query.Id,
      Label: query.Label || query.MetricStat?.Metric?.MetricName || query.Id,
      Timestamps: taken.map(p => p.t),
      Values: taken.map(p => p.v),
      StatusCode: left > 0 ? 'PartialData' : 'Complete',
    };
  });
  return { results, next: remaining > 0 ? offset + limit : undefined };
}

// --- rendering ----------------------------------------------------------------------
function toJson(answer) {
  return {
    MetricDataResults: answer.results.map(r => ({
      ...r,
      Timestamps: r.Timestamps.map(t => t / 1000),
    })),
    Messages: [],
    ...(answer.nextToken ? { NextToken: answer.nextToken } : {}),
  };
}

function toXml(answer) {
  const result = r =>
    leaf('Id', r.Id) +
    leaf('Label', r.Label) +
    list('Timestamps', r.Timestamps, t => new Date(t).toISOString(), 'member') +
    list('Values', r.Values, v => String(v), 'member') +
    leaf('StatusCode', r.StatusCode);
  return (
    list('MetricDataResults', answer.results, result, 'member') +
    tag('Messages', '') +
    leaf('NextToken', answer.nextToken)
  );
}

const WIRES = {
  json: {
    ...jsonProtocol,
    success: (op, a, id) => jsonProtocol.success(op, toJson(a), id),
  },
  query: {
    ...queryProtocol,
    success: (op, a, id) => queryProtocol.success(op, toXml(a), id),
  },
};

// --- service ------------------------------------------------------------------------
/**
 * @param {{ instances: Map<string, object>, dataEnd: () => number, utilisationPoint: Function, maxDatapoints: number }} world
 *   dataEnd: where the metrics stop (exclusive, epoch ms)
 */
function createCloudWatch(world) {
  function getMetricData(params, ctx) {
    const q = parseRequest(params);
    const hash = requestHash(ctx, 'GetMetricData', params, 'NextToken');
    const offset = decodeToken(params.NextToken, hash, {
      invalid: () =>
        new ServiceError(
          'InvalidNextToken',
          'The service returned an invalid NextToken.',
        ),
      changed: () =>
        new ServiceError(
          'InvalidNextToken',
          'The NextToken does not match this request.',
        ),
    });
    const span = { start: q.start, end: q.end, dataEnd: world.dataEnd() };
    const series = q.queries.map(query => ({
      query,
      points: seriesOf(query, span, world, ctx),
    }));
    const limit = Math.min(q.maxDatapoints, world.maxDatapoints);
    const { results, next } = page(series, q, offset, limit);
    return {
      results,
      nextToken: next !== undefined ? encodeToken(next, hash) : undefined,
    };
  }

  const OPERATIONS = { GetMetricData: getMetricData };

  function routeJson(req, body) {
    const operation = req.headers['x-amz-target'].slice(TARGET_PREFIX.length);
    return { wire: WIRES.json, operation, ...parseJsonBody(body) };
  }

  function routeQuery(req) {
    const { Action, Version: _version, ...rest } = req.form;
    return { wire: WIRES.query, operation: Action, params: nestForm(rest) };
  }

  return {
    name: 'cloudwatch',
    route(req, body) {
      if ((req.headers['x-amz-target'] || '').startsWith(TARGET_PREFIX))
        return routeJson(req, body);
      if (req.form && req.form.Version === VERSION) return routeQuery(req);
      return undefined;
    },
    handle: (operation, params, ctx) =>
      runOperation(OPERATIONS, operation, params, ctx, 'InvalidAction'),
    faultError: (kind, request) => FAULTS[kind](request),
  };
}

module.exports = { createCloudWatch, MAX_DATAPOINTS };
