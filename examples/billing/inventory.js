'use strict';

// The demo organisation's AWS inventory as EC2 and CloudWatch would report it on the end date:
// the EC2 instances of resources.js that are still alive, their root volumes, a few idle
// extras (unattached volumes, Elastic IPs, old snapshots) and hourly CPU / memory utilisation.
// Deterministic: ids come from sha256 of stable keys, utilisation from a PRNG keyed on
// (resourceId, metric, hour). No clock, no Math.random. Node built-ins only.

const { RESOURCES, ACCOUNTS, SVC, hex } = require('./resources');

const DAY = 86400000;
const HOUR = 3600000;

function parseDate(s) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s || ''))
    throw new Error(`bad endDate '${s}', expected YYYY-MM-DD`);
  const t = Date.parse(`${s}T00:00:00Z`);
  if (Number.isNaN(t)) throw new Error(`bad endDate '${s}'`);
  return t;
}
const iso = t => new Date(t).toISOString();
// a stable integer from a key, for choices such as launch dates
const pick = (key, n) => parseInt(hex(key, 8), 16) % n;

// ---------------------------------------------------------------------------
// utilisation: a profile turns (hour, prng) into { average, maximum } in percent

function mulberry32(a) {
  return function next() {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function fnv1a(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const round2 = v => Math.round(v * 100) / 100;
const clamp = v => Math.min(100, Math.max(0, v));
const jitter = (rand, v, spread) => v * (1 + spread * (2 * rand() - 1));
function point(average, maximum) {
  const avg = round2(clamp(average));
  return { average: avg, maximum: Math.max(avg, round2(clamp(maximum))) };
}
const utcHour = t => new Date(t).getUTCHours();
const isWeekday = t => {
  const d = new Date(t).getUTCDay();
  return d >= 1 && d <= 5;
};
// 0 at night (UTC), 1 in the early afternoon: the web traffic curve
const daytime = t => (1 - Math.cos(((utcHour(t) - 3) / 24) * 2 * Math.PI)) / 2;

const PROFILES = {
  steady: level => (t, rand) => {
    const avg = jitter(rand, level, 0.08);
    return point(avg, avg * (1.15 + 0.2 * rand()));
  },
  web: level => (t, rand) => {
    const avg = jitter(rand, level * (0.6 + 0.8 * daytime(t)), 0.1);
    return point(avg, avg * (1.15 + 0.3 * rand()));
  },
  // non-prod: busy 08-18 UTC on weekdays, idle otherwise
  office: (busy, idle) => (t, rand) => {
    const on = isWeekday(t) && utcHour(t) >= 8 && utcHour(t) < 18;
    const avg = jitter(rand, on ? busy : idle, 0.25);
    return point(avg, avg * (on ? 1.6 + 0.6 * rand() : 1.5 + rand()));
  },
  // clearly idle: average about 1 %, maximum below 5 %
  idle: () => (t, rand) => {
    const avg = 0.5 + rand();
    return point(avg, avg + 2.4 * rand());
  },
  // over-provisioned: average about 12 %, hourly maximum below 30 %
  overprovisioned: level => (t, rand) => {
    const avg = jitter(rand, level * (0.75 + 0.5 * daytime(t)), 0.1);
    return point(avg, avg * (1.3 + 0.3 * rand()));
  },
  // low average, but a job at 02:00 UTC every day pushes the maximum to about 90 %
  spiky: base => (t, rand) => {
    if (utcHour(t) === 2) return point(50 + 15 * rand(), 88 + 10 * rand());
    const avg = jitter(rand, base, 0.3);
    return point(avg, avg * (1.4 + 0.6 * rand()));
  },
  // CI runners: builds in working hours on weekdays, almost nothing at night and weekends
  ci: busy => (t, rand) => {
    const on = isWeekday(t) && utcHour(t) >= 7 && utcHour(t) < 19;
    const avg = on ? jitter(rand, busy, 0.3) : 1 + 3 * rand();
    return point(avg, on ? 70 + 28 * rand() : avg * 2);
  },
};
const { steady, web, office, idle, overprovisioned, spiky, ci } = PROFILES;

// per instance key: cpu always, memory only where the CloudWatch agent runs
const UTILISATION = {
  'checkout-api-node-a': { cpu: web(45), memory: steady(58) },
  'checkout-api-node-b': { cpu: web(45), memory: steady(56) },
  'checkout-api-node-eu': { cpu: web(30), memory: steady(48) },
  'checkout-api-staging': { cpu: office(35, 2) },
  'payment-gateway-proxy-1': { cpu: web(35) },
  'payment-gateway-proxy-eu': { cpu: web(25) },
  'payment-gateway-staging': { cpu: office(30, 2) },
  'fraud-gpu-1': { cpu: steady(72), memory: steady(68) },
  'fraud-gpu-2': { cpu: steady(70), memory: steady(66) },
  'fraud-ml-notebook': { cpu: idle() },
  'ledger-worker-1': { cpu: overprovisioned(12), memory: steady(22) },
  'ledger-worker-eu': { cpu: overprovisioned(12), memory: steady(20) },
  'feature-store-materializer': { cpu: spiky(5.5) },
  'k8s-node-a': { cpu: web(55), memory: steady(72) },
  'k8s-node-b': { cpu: web(52), memory: steady(70) },
  'k8s-node-c': { cpu: overprovisioned(12), memory: steady(31) },
  'k8s-node-d': { cpu: overprovisioned(11), memory: steady(29) },
  'k8s-node-eu-a': { cpu: overprovisioned(12), memory: steady(28) },
  'k8s-node-eu-b': { cpu: overprovisioned(13), memory: steady(30) },
  'ci-runner-1': { cpu: ci(60) },
  'ci-runner-2': { cpu: ci(55) },
  'ci-runner-3': { cpu: ci(50) },
  'ci-runner-4': { cpu: ci(45) },
  'ci-runner-arm-1': { cpu: ci(50) },
  'prometheus-1': { cpu: steady(70), memory: steady(82) },
  'prometheus-2': { cpu: steady(68), memory: steady(80) },
  'grafana-1': { cpu: web(20), memory: steady(45) },
  'legacy-jumphost': { cpu: steady(2.5) },
  'unknown-batch-box': { cpu: office(40, 8) },
};

// ---------------------------------------------------------------------------
// instances and their root volumes

const INSTANCES = RESOURCES.filter(
  r =>
    r.provider.provider === 'AWS' &&
    r.svc.name === SVC.ec2.name &&
    r.resourceType === 'Instance',
);
const byKey = new Map(INSTANCES.map(r => [r.key, r]));
const byResourceId = new Map(INSTANCES.map(r => [r.resourceId, r]));

const ROOT_GIB = {
  t3: 30,
  c6i: 50,
  c7g: 50,
  m5: 100,
  m6i: 100,
  r6i: 200,
  g5: 300,
};
const rootVolumeId = key => `vol-0${hex(`vol:${key}`, 16)}`;
const zone = (region, key) => `${region}${'abc'[pick(`az:${key}`, 3)]}`;

// Tags fixed on the resource today: the inventory has them, billing data does not yet (the
// tag compliance card shows the disagreement).
const TAGS_ADDED_TODAY = {
  'ci-runner-arm-1': { team: 'platform-team' },
};

function instanceTags(r) {
  const tags = { ...(r.tags || {}), ...(TAGS_ADDED_TODAY[r.key] || {}) };
  if (!tags.Name && r.resourceName) tags.Name = r.resourceName;
  return tags;
}

/** Launched before the billing window, or on its activeFromDaysBeforeEnd day. */
function launchTime(r, end) {
  const minutes = pick(`launch:${r.key}`, 600);
  if (r.activeFromDaysBeforeEnd)
    return end - r.activeFromDaysBeforeEnd * DAY + minutes * 60000;
  return end - (400 + pick(`age:${r.key}`, 300)) * DAY + minutes * 60000;
}

function instanceResource(r, end) {
  const tags = instanceTags(r);
  return {
    provider: 'AWS',
    accountId: r.account.id,
    region: r.region,
    resourceId: r.resourceId,
    kind: 'instance',
    ...(tags.Name ? { name: tags.Name } : {}),
    state: 'running',
    type: r.instanceType,
    createdAt: iso(launchTime(r, end)),
    tags,
  };
}

function rootVolume(r, end) {
  const { Name, ...rest } = instanceTags(r);
  const tags = Name ? { ...rest, Name: `${Name}-root` } : rest;
  return {
    provider: 'AWS',
    accountId: r.account.id,
    region: r.region,
    resourceId: rootVolumeId(r.key),
    kind: 'volume',
    ...(tags.Name ? { name: tags.Name } : {}),
    state: 'in-use',
    type: 'gp3',
    sizeGiB: ROOT_GIB[r.instanceType.split('.')[0]],
    attachedTo: r.resourceId,
    createdAt: iso(launchTime(r, end)),
    tags,
  };
}

// ---------------------------------------------------------------------------
// the extras: idle and untidy resources for the rightsizing and tag-compliance screens

const tLedger = {
  service: 'ledger-service',
  team: 'payments-squad',
  env: 'prod',
};
const EXTRA_VOLUMES = [
  // the untagged orphan that the billing data already charges for (same id)
  {
    key: 'orphan-volume',
    resourceId: `vol-0${hex('orphan-volume', 16)}`,
    account: ACCOUNTS.prod,
    region: 'us-east-1',
    sizeGiB: 2625,
    ageDays: 530,
    tags: {},
  },
  {
    key: 'ledger-backfill-scratch',
    resourceId: `vol-0${hex('vol:ledger-backfill-scratch', 16)}`,
    account: ACCOUNTS.prod,
    region: 'eu-west-1',
    sizeGiB: 500,
    ageDays: 45,
    tags: { ...tLedger, Name: 'ledger-backfill-scratch' },
  },
];
const EXTRA_ADDRESSES = [
  {
    key: 'jumphost-eip',
    instanceKey: 'legacy-jumphost',
    publicIp: '203.0.113.10',
    tags: {},
  },
  {
    key: 'payment-egress-old',
    publicIp: '198.51.100.24',
    tags: {
      service: 'payment-gateway',
      team: 'payments-squad',
      env: 'prod',
      Name: 'payment-egress-old',
    },
  },
];
const EXTRA_SNAPSHOTS = [
  { key: 'prometheus-1-data-2025', volumeOf: 'prometheus-1', ageDays: 210 },
  {
    key: 'legacy-jumphost-pre-upgrade',
    volumeOf: 'legacy-jumphost',
    ageDays: 320,
    tags: { team: 'platform-team' },
  },
  {
    key: 'checkout-api-node-a-nightly',
    volumeOf: 'checkout-api-node-a',
    ageDays: 1,
    tags: {
      service: 'checkout-api',
      team: 'checkout-squad',
      env: 'prod',
      Name: 'checkout-api-node-a-nightly',
    },
  },
  {
    key: 'ledger-backfill-scratch-weekly',
    volume: 'ledger-backfill-scratch',
    ageDays: 6,
    tags: { ...tLedger, Name: 'ledger-backfill-scratch-weekly' },
  },
];

const addressId = key => `eipalloc-0${hex(`eip:${key}`, 16)}`;
const snapshotId = key => `snap-0${hex(`snap:${key}`, 16)}`;

function extraVolume(v, end) {
  return {
    provider: 'AWS',
    accountId: v.account.id,
    region: v.region,
    resourceId: v.resourceId,
    kind: 'volume',
    ...(v.tags.Name ? { name: v.tags.Name } : {}),
    state: 'available',
    type: 'gp3',
    sizeGiB: v.sizeGiB,
    createdAt: iso(end - v.ageDays * DAY + pick(`t:${v.key}`, 86400) * 1000),
    tags: { ...v.tags },
  };
}

function address(a) {
  const inst = a.instanceKey && byKey.get(a.instanceKey);
  return {
    provider: 'AWS',
    accountId: ACCOUNTS.prod.id,
    region: 'us-east-1',
    resourceId: addressId(a.key),
    kind: 'address',
    ...(a.tags.Name ? { name: a.tags.Name } : {}),
    ...(inst ? { attachedTo: inst.resourceId } : {}),
    tags: { ...a.tags },
  };
}

/** The volume a snapshot was taken from: an instance's root volume or an extra volume. */
function snapshotSource(s) {
  if (s.volumeOf) {
    const r = byKey.get(s.volumeOf);
    return {
      volumeId: rootVolumeId(r.key),
      accountId: r.account.id,
      region: r.region,
      sizeGiB: ROOT_GIB[r.instanceType.split('.')[0]],
    };
  }
  const v = EXTRA_VOLUMES.find(x => x.key === s.volume);
  return {
    volumeId: v.resourceId,
    accountId: v.account.id,
    region: v.region,
    sizeGiB: v.sizeGiB,
  };
}

function snapshot(s, end) {
  const src = snapshotSource(s);
  const tags = { ...(s.tags || {}) };
  return {
    provider: 'AWS',
    accountId: src.accountId,
    region: src.region,
    resourceId: snapshotId(s.key),
    kind: 'snapshot',
    ...(tags.Name ? { name: tags.Name } : {}),
    state: 'completed',
    sizeGiB: src.sizeGiB,
    createdAt: iso(end - s.ageDays * DAY + pick(`t:${s.key}`, 86400) * 1000),
    tags,
  };
}

// ---------------------------------------------------------------------------
// public API

/** An instance is in the inventory when it still runs on the end date. */
const aliveAtEnd = r => !r.activeUntilDaysBeforeEnd;

/**
 * The demo AWS inventory on `endDate` (YYYY-MM-DD), shaped like costscope-node's
 * InventoryResource (without utilisation).
 */
function demoInventory({ endDate } = {}) {
  const end = parseDate(endDate);
  const instances = INSTANCES.filter(aliveAtEnd);
  return [
    ...instances.map(r => instanceResource(r, end)),
    ...instances.map(r => rootVolume(r, end)),
    ...EXTRA_VOLUMES.map(v => extraVolume(v, end)),
    ...EXTRA_ADDRESSES.map(address),
    ...EXTRA_SNAPSHOTS.map(s => snapshot(s, end)),
  ];
}

/**
 * EC2-only attributes that InventoryResource has no field for: an instance's or volume's
 * availability zone, an address's public IP and association, a snapshot's source volume.
 */
function ec2Attributes(resource) {
  const { resourceId, kind, region } = resource;
  if (kind === 'instance' || kind === 'volume')
    return { availabilityZone: zone(region, resourceId) };
  if (kind === 'address') {
    const a = EXTRA_ADDRESSES.find(x => addressId(x.key) === resourceId);
    if (!a) return { domain: 'vpc' };
    return {
      domain: 'vpc',
      publicIp: a.publicIp,
      ...(a.instanceKey
        ? {
            associationId: `eipassoc-0${hex(`assoc:${a.key}`, 16)}`,
            networkInterfaceId: `eni-0${hex(`eni:${a.instanceKey}`, 16)}`,
          }
        : {}),
    };
  }
  if (kind === 'snapshot') {
    const s = EXTRA_SNAPSHOTS.find(x => snapshotId(x.key) === resourceId);
    return s ? { volumeId: snapshotSource(s).volumeId } : {};
  }
  return {};
}

const METRICS = ['cpu', 'memory'];

/**
 * Utilisation of one instance for the hour starting at hourStartMs: { average, maximum } in
 * percent, or undefined when the instance does not report that metric (memory needs the
 * CloudWatch agent). Says nothing about whether the instance existed at that hour.
 */
function utilisationPoint(resourceId, metric, hourStartMs) {
  if (!METRICS.includes(metric)) return undefined;
  const r = byResourceId.get(resourceId);
  const profile = r && UTILISATION[r.key] && UTILISATION[r.key][metric];
  if (!profile) return undefined;
  const hour = Math.floor(hourStartMs / HOUR);
  const rand = mulberry32(fnv1a(`${resourceId}|${metric}|${hour}`));
  return profile(hour * HOUR, rand);
}

/** True when the instance runs the CloudWatch agent (reports mem_used_percent). */
function hasMemoryMetrics(resourceId) {
  const r = byResourceId.get(resourceId);
  return !!(r && UTILISATION[r.key] && UTILISATION[r.key].memory);
}

/**
 * The demo inventory on `endDate` with hourly CPU and memory over the `days` before the end of
 * that day, as the fake CloudWatch serves them: one point per hour the instance existed, memory
 * only where the demo runs the CloudWatch agent. `npm start` serves this file to the backend.
 */
function demoInventoryWithUtilisation({
  endDate,
  days = 14,
  endOfDay = true,
} = {}) {
  const end = parseDate(endDate) + (endOfDay ? DAY : 0);
  return demoInventory({ endDate }).map(r => {
    if (r.kind !== 'instance') return r;
    const launch = r.createdAt ? Date.parse(r.createdAt) : -Infinity;
    const utilisation = [];
    for (const metric of METRICS) {
      const points = [];
      for (let t = end - days * DAY; t < end; t += HOUR) {
        if (t + HOUR <= launch) continue;
        const p = utilisationPoint(r.resourceId, metric, t);
        if (p) points.push({ timestamp: iso(t), ...p });
      }
      if (points.length)
        utilisation.push({ metric, periodSeconds: 3600, points });
    }
    return { ...r, utilisation };
  });
}

module.exports = {
  demoInventory,
  demoInventoryWithUtilisation,
  utilisationPoint,
  hasMemoryMetrics,
  ec2Attributes,
};
