'use strict';

// A local fake of OpenCost's allocation API, GET /allocation/compute, answering in the JSON shape
// of OpenCost's own encoder (core/pkg/opencost/allocation_json.go, window.go, allocationprops.go
// and pkg/costmodel's ComputeAllocationHandler in github.com/opencost/opencost). Costs are
// written as the exact decimal text the test gave, so a client that keeps number text can be
// checked digit for digit.

const http = require('node:http');

const DAY_MS = 86400000;
const IDLE = '__idle__';
const UNALLOCATED = '__unallocated__';
const FAULT_KINDS = [
  'server-error',
  'malformed',
  'slow',
  'negative-cost',
  'future-window',
];
const DEFAULT_SLOW_MS = 3000;
// How far `future-window` moves every window: far enough to be after any "now" of a test.
const FUTURE_SHIFT_MS = 400 * DAY_MS;

// ---- exact decimals: { digits: bigint, scale: number } meaning digits / 10^scale ----

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

function dec(value) {
  if (value === undefined || value === null || value === '')
    return { digits: 0n, scale: 0 };
  const text =
    typeof value === 'number' ? numberText(value) : String(value).trim();
  const m = DECIMAL.exec(text);
  if (!m) throw new Error(`fake OpenCost: not a decimal: '${value}'`);
  const fraction = m[3] || '';
  let digits = BigInt(m[2] + fraction);
  let scale = fraction.length - Number(m[4] || 0);
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { digits: m[1] === '-' ? -digits : digits, scale };
}

function numberText(n) {
  if (!Number.isFinite(n))
    throw new Error(`fake OpenCost: not a finite number: ${n}`);
  return String(n);
}

function addDec(a, b) {
  const scale = Math.max(a.scale, b.scale);
  return {
    digits:
      a.digits * 10n ** BigInt(scale - a.scale) +
      b.digits * 10n ** BigInt(scale - b.scale),
    scale,
  };
}

const sumDec = values => values.reduce(addDec, { digits: 0n, scale: 0 });

/** Plain decimal text without an exponent or trailing zeros: what a JSON number may be. */
function decText({ digits, scale }) {
  const negative = digits < 0n;
  let text = (negative ? -digits : digits).toString().padStart(scale + 1, '0');
  if (scale > 0) {
    text = `${text.slice(0, -scale)}.${text.slice(-scale)}`.replace(
      /\.?0+$/,
      '',
    );
  }
  return `${negative && text !== '0' ? '-' : ''}${text}`;
}

const decNumber = d => Number(decText(d));

/** A JSON number written exactly as `d`'s text (JSON.rawJSON, Node 21+). */
const raw = d => JSON.rawJSON(decText(d));

/** OpenCost rounds every float it answers to 5 decimals (formatFloat64ForResponse). */
const round5 = f =>
  Number.isFinite(f) ? Math.round(f * 100000) / 100000 : null;

// ---- windows and steps, as OpenCost's parseWindow and the handler read them ----

const RFC3339 = '\\d\\d\\d\\d-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ';
const RFC_PAIR = new RegExp(`^(${RFC3339}),(${RFC3339})$`);
const UNIX_PAIR = /^(\d+)[,|-](\d+)$/;
const RELATIVE =
  /^(today|yesterday|week|month|lastweek|lastmonth|\d+[mhdw]|\d+[mhdw] offset \d+[mhdw])$/;

class HttpAnswer extends Error {
  constructor(status, body, contentType = 'application/json') {
    super(typeof body === 'string' ? body : body.message);
    this.status = status;
    this.body = body;
    this.contentType = contentType;
  }
}

// OpenCost answers a window it cannot parse with http.Error: plain text, not its JSON envelope.
const illegalWindow = window =>
  new HttpAnswer(
    400,
    `Invalid 'window' parameter: illegal window: ${window}\n`,
    'text/plain; charset=utf-8',
  );
// Errors from inside the query go through protocol.WriteError: {code, data: null, message}.
const badRequest = message =>
  new HttpAnswer(400, {
    code: 400,
    data: null,
    message: `bad request: ${message}`,
  });

function parseWindow(window) {
  let start;
  let end;
  const rfc = RFC_PAIR.exec(window);
  const unix = UNIX_PAIR.exec(window);
  if (rfc) {
    start = Date.parse(rfc[1]);
    end = Date.parse(rfc[2]);
    if (Number.isNaN(start) || Number.isNaN(end)) throw illegalWindow(window);
  } else if (unix) {
    start = Number(unix[1]) * 1000;
    end = Number(unix[2]) * 1000;
  } else if (RELATIVE.test(window)) {
    throw badRequest(
      `the fake serves explicit windows only (RFC3339 or unix-second pairs), not '${window}'`,
    );
  } else throw illegalWindow(window);
  if (!(end > start)) throw badRequest(`window ${window} is empty or negative`);
  if (start % DAY_MS !== 0 || end % DAY_MS !== 0)
    throw badRequest(`the fake serves whole UTC days only, not ${window}`);
  return { start, end };
}

/** Step in whole days; the fake's data is per day. Missing: the whole window (one set). */
function parseStepDays(step, window) {
  if (step === null || step === '') return (window.end - window.start) / DAY_MS;
  const m = /^(\d+)(m|h|d|w)$/.exec(step);
  const ms =
    m &&
    Number(m[1]) * { m: 60000, h: 3600000, d: DAY_MS, w: 7 * DAY_MS }[m[2]];
  if (!ms || ms % DAY_MS !== 0)
    throw badRequest(`the fake serves steps of whole days only, not '${step}'`);
  return ms / DAY_MS;
}

const iso = ms => new Date(ms).toISOString().replace('.000Z', 'Z');
const dayOf = ms => new Date(ms).toISOString().slice(0, 10);

// ---- aggregation, after AllocationProperties.GenerateKey ----

/** Prometheus label names: OpenCost reads labels from kube-state-metrics, which rewrites them. */
const sanitizeLabel = name => name.replace(/[^a-zA-Z0-9_]/g, '_');

function parseAggregate(text) {
  if (text === null || text.trim() === '') return [];
  return text.split(',').map(part => {
    const p = part.trim();
    if (p.startsWith('label:'))
      return { label: sanitizeLabel(p.slice(6).trim()) };
    const lower = p.toLowerCase();
    if (
      [
        'cluster',
        'node',
        'namespace',
        'controllerkind',
        'controller',
        'pod',
        'container',
      ].includes(lower)
    )
      return { prop: lower };
    throw new HttpAnswer(
      400,
      `Invalid 'aggregate' parameter: Failed to parse property: invalid allocation property: ${p}\n`,
      'text/plain; charset=utf-8',
    );
  });
}

function keyOf(props, aggregateBy) {
  if (aggregateBy.length === 0)
    return [
      props.cluster,
      props.node,
      props.namespace,
      props.pod,
      props.container,
    ].join('/');
  return aggregateBy
    .map(a => {
      if (a.label) return (props.labels || {})[a.label] ?? UNALLOCATED;
      switch (a.prop) {
        case 'controllerkind':
          return props.controllerKind || UNALLOCATED;
        case 'controller':
          if (!props.controller) return UNALLOCATED;
          return props.controllerKind
            ? `${props.controllerKind}:${props.controller}`
            : props.controller;
        default:
          return props[a.prop] || '';
      }
    })
    .join('/');
}

const sameMap = (a, b) => {
  const out = {};
  for (const [k, v] of Object.entries(a || {}))
    if ((b || {})[k] === v) out[k] = v;
  return out;
};

/** AllocationProperties.Intersection: labels survive a merge only with includeAggregatedMetadata. */
function intersect(a, b, keepLabels) {
  const out = {};
  for (const k of [
    'cluster',
    'node',
    'container',
    'controller',
    'controllerKind',
    'namespace',
    'pod',
  ])
    if (a[k] === b[k] && a[k] !== undefined) out[k] = a[k];
  if (out.namespace !== undefined && a.namespaceLabels)
    out.namespaceLabels = a.namespaceLabels;
  if (out.namespace !== undefined && keepLabels)
    out.labels = sameMap(a.labels, b.labels);
  return out;
}

const MONEY = [
  'cpuCost',
  'gpuCost',
  'ramCost',
  'pvCost',
  'networkCost',
  'loadBalancerCost',
  'sharedCost',
  'externalCost',
];
const AVERAGES = [
  'cpuCoreRequestAverage',
  'cpuCoreUsageAverage',
  'ramByteRequestAverage',
  'ramByteUsageAverage',
];

/** One workload (or idle) on one day of one cluster, before aggregation. */
function dayAllocation(cluster, day, w, namespaceLabels) {
  const labels = {};
  for (const [k, v] of Object.entries(w.labels || {}))
    labels[sanitizeLabel(k)] = String(v);
  const nsLabels = {};
  for (const [k, v] of Object.entries(namespaceLabels[w.namespace] || {}))
    nsLabels[sanitizeLabel(k)] = String(v);
  const props = {
    cluster,
    node: w.node || `${cluster}-node-1`,
    container: w.container || w.controller || w.pod || 'main',
    namespace: w.namespace,
    pod: w.pod || `${w.controller || 'pod'}-0`,
    labels,
  };
  if (w.controller) props.controller = w.controller;
  if (w.controller) props.controllerKind = w.controllerKind || 'deployment';
  if (Object.keys(nsLabels).length) props.namespaceLabels = nsLabels;
  const money = {};
  for (const k of MONEY) money[k] = dec(w[k]);
  const minutes = 1440;
  const weighted = {};
  for (const k of AVERAGES) weighted[k] = Number(w[k] || 0) * minutes;
  return {
    name: null,
    props,
    money,
    weighted,
    minutes,
    pvBytes: Number(w.pvBytes || 0),
    day,
  };
}

function idleAllocation(cluster, day, idle) {
  return {
    name: IDLE,
    idle: true,
    props: { cluster },
    money: Object.fromEntries(MONEY.map(k => [k, dec(idle[k])])),
    weighted: Object.fromEntries(AVERAGES.map(k => [k, 0])),
    minutes: 1440,
    pvBytes: 0,
    day,
  };
}

function merge(into, a, keepLabels) {
  into.props = intersect(into.props, a.props, keepLabels);
  for (const k of MONEY) into.money[k] = addDec(into.money[k], a.money[k]);
  for (const k of AVERAGES) into.weighted[k] += a.weighted[k];
  into.pvBytes = Math.max(into.pvBytes, a.pvBytes);
  into.members += 1;
}

/** The allocation as OpenCost's AllocationJSON writes it. */
function toJson(name, a, window) {
  const hours = (window.end - window.start) / 3600000;
  const minutes = (window.end - window.start) / 60000;
  const avg = k => a.weighted[k] / minutes;
  const cpuReq = avg('cpuCoreRequestAverage');
  const cpuUse = avg('cpuCoreUsageAverage');
  const ramReq = avg('ramByteRequestAverage');
  const ramUse = avg('ramByteUsageAverage');
  const cpuCores = Math.max(cpuReq, cpuUse);
  const ramBytes = Math.max(ramReq, ramUse);
  const m = a.money;
  const total = sumDec(MONEY.map(k => m[k]));
  const efficiency = (use, req) => (req > 0 ? use / req : use > 0 ? 1 : 0);
  const cpuEff = efficiency(cpuUse, cpuReq);
  const ramEff = efficiency(ramUse, ramReq);
  const cpuRam = decNumber(m.cpuCost) + decNumber(m.ramCost);
  const props = { ...a.props };
  if (props.labels && Object.keys(props.labels).length === 0)
    delete props.labels;
  return {
    name,
    properties: props,
    window: { start: iso(window.start), end: iso(window.end) },
    start: iso(window.start),
    end: iso(window.end),
    minutes: round5(minutes),
    cpuCores: round5(cpuCores),
    cpuCoreRequestAverage: round5(cpuReq),
    cpuCoreLimitAverage: 0,
    cpuCoreUsageAverage: round5(cpuUse),
    cpuCoreHours: round5(cpuCores * hours),
    cpuCost: raw(m.cpuCost),
    cpuCostAdjustment: 0,
    cpuCostIdle: 0,
    cpuEfficiency: round5(cpuEff),
    gpuCount: 0,
    gpuHours: 0,
    gpuCost: raw(m.gpuCost),
    gpuCostAdjustment: 0,
    gpuCostIdle: 0,
    gpuEfficiency: 0,
    networkTransferBytes: 0,
    networkReceiveBytes: 0,
    networkCost: raw(m.networkCost),
    networkCrossZoneCost: 0,
    networkCrossRegionCost: 0,
    networkInternetCost: 0,
    networkCostAdjustment: 0,
    loadBalancerCost: raw(m.loadBalancerCost),
    loadBalancerCostAdjustment: 0,
    pvBytes: round5(a.pvBytes),
    pvByteHours: round5(a.pvBytes * hours),
    pvCost: raw(m.pvCost),
    pvs:
      a.pvBytes > 0 && props.cluster
        ? {
            [`cluster=${props.cluster}:name=pvc-${name.replace(
              /[^a-z0-9-]/g,
              '-',
            )}`]: {
              byteHours: round5(a.pvBytes * hours),
              cost: raw(m.pvCost),
            },
          }
        : null,
    pvCostAdjustment: 0,
    ramBytes: round5(ramBytes),
    ramByteRequestAverage: round5(ramReq),
    ramByteLimitAverage: 0,
    ramByteUsageAverage: round5(ramUse),
    ramByteHours: round5(ramBytes * hours),
    ramCost: raw(m.ramCost),
    ramCostAdjustment: 0,
    ramCostIdle: 0,
    ramEfficiency: round5(ramEff),
    externalCost: raw(m.externalCost),
    sharedCost: raw(m.sharedCost),
    totalCost: raw(total),
    totalEfficiency: round5(
      cpuRam > 0
        ? (cpuEff * decNumber(m.cpuCost) + ramEff * decNumber(m.ramCost)) /
            cpuRam
        : 0,
    ),
    proportionalAssetResourceCosts: {},
    lbAllocations: null,
    sharedCostBreakdown: {},
    gpuAllocation: null,
  };
}

// ---- the clusters' data ----

function checkDay(day) {
  if (
    !/^\d{4}-\d\d-\d\d$/.test(day) ||
    Number.isNaN(Date.parse(`${day}T00:00:00Z`))
  )
    throw new Error(`fake OpenCost: not a day (YYYY-MM-DD): '${day}'`);
}

/** A cluster's days as a function of the day, whatever form the options gave. */
function dayReader(cluster) {
  if (!cluster || typeof cluster.name !== 'string' || !cluster.name)
    throw new Error('fake OpenCost: every cluster needs a name');
  const { days } = cluster;
  if (typeof days === 'function') return days;
  if (!Array.isArray(days))
    throw new Error(
      `fake OpenCost: cluster ${cluster.name}: days must be a list or a function`,
    );
  const byDay = new Map();
  for (const d of days) {
    checkDay(d.day);
    if (byDay.has(d.day))
      throw new Error(
        `fake OpenCost: cluster ${cluster.name}: day ${d.day} given twice`,
      );
    byDay.set(d.day, d);
  }
  return day => byDay.get(day);
}

/** Every allocation set of the answer: one object per step, keyed by allocation name. */
function computeSets(clusters, query) {
  const {
    window,
    stepDays,
    aggregateBy,
    includeIdle,
    keepLabels,
    clusterFilter,
  } = query;
  const sets = [];
  for (
    let start = window.start;
    start < window.end;
    start += stepDays * DAY_MS
  ) {
    const end = Math.min(start + stepDays * DAY_MS, window.end);
    const byKey = new Map();
    let idle;
    for (let t = start; t < end; t += DAY_MS) {
      const day = dayOf(t);
      for (const cluster of clusters) {
        if (clusterFilter && !clusterFilter.includes(cluster.name)) continue;
        const data = cluster.read(day);
        if (!data) continue;
        for (const w of data.workloads || []) {
          const a = dayAllocation(
            cluster.name,
            day,
            w,
            cluster.namespaceLabels || {},
          );
          const key = keyOf(a.props, aggregateBy);
          const have = byKey.get(key);
          if (have) merge(have, a, keepLabels);
          else byKey.set(key, { ...a, members: 1 });
        }
        if (includeIdle && data.idle) {
          const a = idleAllocation(cluster.name, day, data.idle);
          if (idle) merge(idle, a, false);
          else idle = { ...a, members: 1 };
        }
      }
    }
    const set = {};
    const window1 = { start, end };
    for (const key of [...byKey.keys()].sort())
      set[key] = toJson(key, byKey.get(key), window1);
    if (idle) set[IDLE] = toJson(IDLE, idle, window1);
    sets.push(set);
  }
  return sets;
}

/** filter=cluster:"a","b" (OpenCost's filter language, the one form the fake reads). */
function parseClusterFilter(text) {
  if (text === null || text === '') return undefined;
  const m = /^cluster:((?:"[^"]*",?)+)$/.exec(text.trim());
  if (!m)
    throw badRequest(
      `the fake reads only filter=cluster:"<name>", not '${text}'`,
    );
  return [...m[1].matchAll(/"([^"]*)"/g)].map(x => x[1]);
}

// ---- faults ----

function checkFault(spec) {
  const { kind, times = 1, delayMs } = spec || {};
  if (!FAULT_KINDS.includes(kind))
    throw new Error(`fault kind must be one of ${FAULT_KINDS.join(', ')}`);
  if (!(times === Infinity || (Number.isInteger(times) && times > 0)))
    throw new Error('fault times must be a positive integer or Infinity');
  if (delayMs !== undefined && !(Number.isFinite(delayMs) && delayMs >= 0))
    throw new Error('fault delayMs must be a non-negative number');
}

/** The first workload allocation of the answer gets a negative cpuCost. */
function negateOneCost(sets) {
  for (const set of sets)
    for (const [name, a] of Object.entries(set))
      if (name !== IDLE) {
        a.cpuCost = JSON.rawJSON('-0.5');
        return;
      }
}

function shiftToFuture(sets) {
  const shift = s => iso(Date.parse(s) + FUTURE_SHIFT_MS);
  for (const set of sets)
    for (const a of Object.values(set)) {
      a.window = { start: shift(a.window.start), end: shift(a.window.end) };
      a.start = shift(a.start);
      a.end = shift(a.end);
    }
}

// ---- the server ----

function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address().port);
    });
  });
}

/**
 * Starts the fake on 127.0.0.1 (port 0 = any free port).
 * @param {import('./index').FakeOpenCostOptions} [options]
 * @returns {Promise<import('./index').FakeOpenCost>}
 */
async function startFakeOpenCost(options = {}) {
  const { port = 0, host = '127.0.0.1', authToken } = options;
  const clusters = (options.clusters || [demoCluster()]).map(c => ({
    ...c,
    read: dayReader(c),
  }));
  let faults = [];
  let log = [];
  const timers = new Set();
  const sleep = ms =>
    new Promise(resolve => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  function takeFault() {
    const fault = faults[0];
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) faults.shift();
    return fault;
  }

  function answer(req) {
    const url = new URL(req.url, 'http://fake');
    if (
      authToken !== undefined &&
      req.headers.authorization !== `Bearer ${authToken}`
    )
      throw new HttpAnswer(401, 'Unauthorized\n', 'text/plain; charset=utf-8');
    if (req.method !== 'GET' || url.pathname !== '/allocation/compute')
      throw new HttpAnswer(
        404,
        '404 page not found\n',
        'text/plain; charset=utf-8',
      );
    const q = url.searchParams;
    const windowText = q.get('window') || '';
    const window = parseWindow(windowText);
    const query = {
      window,
      stepDays: parseStepDays(q.get('step'), window),
      aggregateBy: parseAggregate(q.get('aggregate')),
      includeIdle: q.get('includeIdle') === 'true',
      keepLabels: q.get('includeAggregatedMetadata') === 'true',
      clusterFilter: parseClusterFilter(q.get('filter')),
    };
    // accumulate=true sums the whole range into one set.
    if (q.get('accumulate') === 'true')
      query.stepDays = (window.end - window.start) / DAY_MS;
    return computeSets(clusters, query);
  }

  async function handle(req, res) {
    const url = new URL(req.url, 'http://fake');
    log.push({
      method: req.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
    });
    const fault =
      url.pathname === '/allocation/compute' ? takeFault() : undefined;
    if (fault && fault.kind === 'slow') await sleep(fault.delayMs);
    if (fault && fault.kind === 'server-error')
      return write(
        res,
        500,
        JSON.stringify({
          code: 500,
          data: null,
          message: 'fake OpenCost: injected server error',
        }),
      );
    let sets;
    try {
      sets = answer(req);
    } catch (e) {
      if (!(e instanceof HttpAnswer)) throw e;
      const body = typeof e.body === 'string' ? e.body : JSON.stringify(e.body);
      return write(res, e.status, body, e.contentType);
    }
    if (fault && fault.kind === 'negative-cost') negateOneCost(sets);
    if (fault && fault.kind === 'future-window') shiftToFuture(sets);
    const body = JSON.stringify({ code: 200, status: 'success', data: sets });
    if (fault && fault.kind === 'malformed')
      return write(res, 200, body.slice(0, Math.floor(body.length / 2)));
    return write(res, 200, body);
  }

  function write(res, status, body, contentType = 'application/json') {
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(status, {
      'content-type': contentType,
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  }

  const server = http.createServer((req, res) => {
    req.resume();
    handle(req, res).catch(e => {
      process.stderr.write(`fake OpenCost: ${e.stack}\n`);
      write(
        res,
        500,
        JSON.stringify({ code: 500, data: null, message: e.message }),
      );
    });
  });
  const actualPort = await listen(server, port, host);

  return {
    url: `http://${host}:${actualPort}`,
    port: actualPort,
    clusters: clusters.map(c => c.name),
    injectFault(spec) {
      checkFault(spec);
      faults.push({
        kind: spec.kind,
        remaining: spec.times === undefined ? 1 : spec.times,
        delayMs: spec.delayMs === undefined ? DEFAULT_SLOW_MS : spec.delayMs,
      });
    },
    requestLog: () => log.map(e => ({ ...e, query: { ...e.query } })),
    reset() {
      faults = [];
      log = [];
    },
    close: () =>
      new Promise(resolve => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// ---- the demo cluster ----

/** The demo components that run on the shared cluster (examples/entities.yaml). */
const DEMO_WORKLOADS = [
  {
    component: 'checkout-api',
    namespace: 'checkout',
    kind: 'deployment',
    cpu: 2.5,
    ramGiB: 6,
    pvGiB: 0,
  },
  {
    component: 'checkout-web',
    namespace: 'checkout',
    kind: 'deployment',
    cpu: 1,
    ramGiB: 2,
    pvGiB: 0,
  },
  {
    component: 'cart-service',
    namespace: 'cart',
    kind: 'deployment',
    cpu: 1.5,
    ramGiB: 4,
    pvGiB: 0,
  },
  {
    component: 'payment-gateway',
    namespace: 'payments',
    kind: 'deployment',
    cpu: 2,
    ramGiB: 4,
    pvGiB: 0,
  },
  {
    component: 'fraud-detector',
    namespace: 'payments',
    kind: 'statefulset',
    cpu: 3,
    ramGiB: 12,
    pvGiB: 50,
  },
  {
    component: 'event-pipeline',
    namespace: 'data',
    kind: 'statefulset',
    cpu: 4,
    ramGiB: 16,
    pvGiB: 200,
  },
];
const DEMO_SYSTEM = [
  { controller: 'coredns', kind: 'deployment', cpu: 0.2, ramGiB: 0.25 },
  { controller: 'aws-node', kind: 'daemonset', cpu: 0.3, ramGiB: 0.5 },
  { controller: 'kube-proxy', kind: 'daemonset', cpu: 0.2, ramGiB: 0.25 },
];
// List prices an OpenCost on m6i nodes would use, per core-hour, GiB-hour and GiB-month of disk.
const CPU_HOUR = '0.031611';
const RAM_GIB_HOUR = '0.004237';
const PV_GIB_DAY = '0.003333';
const GIB = 1024 ** 3;

/** A deterministic daily wobble in [0.9, 1.1), so the days differ but runs agree. */
function wobble(seed, day) {
  let h = 2166136261;
  for (const ch of `${seed}|${day}`)
    h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return 0.9 + ((h >>> 0) % 2000) / 10000;
}

/** `rate * quantity * hours` as exact text, the quantity rounded to 4 decimals first. */
function dayCost(rate, quantity, hours = 24) {
  const r = dec(rate);
  const q = BigInt(Math.round(quantity * 10000)) * BigInt(hours);
  return decText({ digits: r.digits * q, scale: r.scale + 4 });
}

/**
 * The demo's shared production cluster: the demo components' workloads labelled
 * backstage.io/kubernetes-id, kube-system daemons and idle capacity, on every day up to `endDate`
 * (default: any day).
 * @param {{ name?: string, endDate?: string, startDate?: string }} [options]
 */
function demoCluster(options = {}) {
  const { name = 'k8s-platform-prod', startDate, endDate } = options;
  const namespaceLabels = {};
  for (const w of DEMO_WORKLOADS)
    namespaceLabels[w.namespace] = { team: w.namespace };
  const days = day => {
    if ((startDate && day < startDate) || (endDate && day > endDate))
      return undefined;
    const workloads = [];
    for (const w of DEMO_WORKLOADS) {
      const f = wobble(w.component, day);
      const cpu = w.cpu * f;
      const ram = w.ramGiB * f;
      workloads.push({
        namespace: w.namespace,
        controller: w.component,
        controllerKind: w.kind,
        labels: { 'backstage.io/kubernetes-id': w.component, app: w.component },
        cpuCost: dayCost(CPU_HOUR, cpu),
        ramCost: dayCost(RAM_GIB_HOUR, ram),
        gpuCost: '0',
        pvCost: w.pvGiB ? dayCost(PV_GIB_DAY, w.pvGiB, 1) : '0',
        pvBytes: w.pvGiB * GIB,
        cpuCoreRequestAverage: w.cpu,
        cpuCoreUsageAverage: Math.round(cpu * 0.6 * 10000) / 10000,
        ramByteRequestAverage: w.ramGiB * GIB,
        ramByteUsageAverage: Math.round(ram * 0.7 * GIB),
      });
    }
    for (const s of DEMO_SYSTEM)
      workloads.push({
        namespace: 'kube-system',
        controller: s.controller,
        controllerKind: s.kind,
        labels: { 'k8s-app': s.controller },
        cpuCost: dayCost(CPU_HOUR, s.cpu * 3),
        ramCost: dayCost(RAM_GIB_HOUR, s.ramGiB * 3),
        gpuCost: '0',
        pvCost: '0',
        cpuCoreRequestAverage: s.cpu * 3,
        cpuCoreUsageAverage: s.cpu,
        ramByteRequestAverage: s.ramGiB * 3 * GIB,
        ramByteUsageAverage: s.ramGiB * GIB,
      });
    // A bare pod (no controller): OpenCost reports it __unallocated__ when aggregating by controller.
    workloads.push({
      namespace: 'default',
      pod: 'debug-shell',
      labels: {},
      cpuCost: dayCost(CPU_HOUR, 0.1),
      ramCost: dayCost(RAM_GIB_HOUR, 0.125),
      cpuCoreRequestAverage: 0.1,
      cpuCoreUsageAverage: 0.01,
      ramByteRequestAverage: 0.125 * GIB,
      ramByteUsageAverage: 0.05 * GIB,
    });
    const f = wobble('idle', day);
    return {
      workloads,
      idle: {
        cpuCost: dayCost(CPU_HOUR, 6 * f),
        ramCost: dayCost(RAM_GIB_HOUR, 20 * f),
        gpuCost: '0',
      },
    };
  };
  return { name, days, namespaceLabels };
}

module.exports = {
  startFakeOpenCost,
  demoCluster,
  DEMO_COMPONENTS: DEMO_WORKLOADS.map(w => w.component),
  IDLE,
  UNALLOCATED,
};

// `node --test test/fake-opencost/` runs the directory as this index: hand over to the tests.
if (require.main === module) {
  if (process.env.NODE_TEST_CONTEXT) import('./fakeOpenCost.test.mjs');
  else require('./cli');
}
