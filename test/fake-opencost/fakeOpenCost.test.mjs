// The fake OpenCost allocation API: node --test test/fake-opencost/
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';

const require = createRequire(import.meta.url);
const {
  startFakeOpenCost,
  demoCluster,
  DEMO_COMPONENTS,
} = require('./index.js');

const W = (start, end) => `${start}T00:00:00Z,${end}T00:00:00Z`;

// Two small clusters with costs a float cannot hold, to check the text goes out unchanged.
const alpha = {
  name: 'alpha',
  namespaceLabels: { shop: { team: 'shop' } },
  days: [
    {
      day: '2026-03-01',
      workloads: [
        {
          namespace: 'shop',
          controller: 'web',
          pod: 'web-a',
          labels: { 'backstage.io/kubernetes-id': 'web', tier: 'front' },
          cpuCost: '0.10000000000000000001',
          ramCost: '2',
          cpuCoreRequestAverage: 1,
          cpuCoreUsageAverage: 0.5,
        },
        {
          namespace: 'shop',
          controller: 'web',
          pod: 'web-b',
          labels: { 'backstage.io/kubernetes-id': 'web', tier: 'edge' },
          cpuCost: '0.2',
          ramCost: '1.5',
          cpuCoreRequestAverage: 1,
          cpuCoreUsageAverage: 0.25,
        },
        {
          namespace: 'shop',
          controller: 'db',
          controllerKind: 'statefulset',
          labels: {},
          cpuCost: 3,
          ramCost: 4,
          pvCost: '0.75',
        },
        { namespace: 'default', pod: 'debug', cpuCost: '0.01', ramCost: '0' },
      ],
      idle: { cpuCost: '5', ramCost: '1.25' },
    },
    {
      day: '2026-03-02',
      workloads: [
        {
          namespace: 'shop',
          controller: 'web',
          labels: { 'backstage.io/kubernetes-id': 'web' },
          cpuCost: '1',
          ramCost: '1',
        },
      ],
    },
  ],
};
const beta = {
  name: 'beta',
  days: day =>
    day === '2026-03-01'
      ? {
          workloads: [
            {
              namespace: 'shop',
              controller: 'web',
              cpuCost: '7',
              ramCost: '0',
            },
          ],
          idle: { cpuCost: '1' },
        }
      : undefined,
};

let fake;
before(async () => {
  fake = await startFakeOpenCost({ clusters: [alpha, beta] });
});
after(() => fake.close());
beforeEach(() => fake.reset());

async function get(query, { base = fake.url, headers } = {}) {
  const res = await fetch(
    `${base}/allocation/compute?${new URLSearchParams(query)}`,
    {
      headers,
    },
  );
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    text,
    json,
  };
}

const compute = (extra = {}) =>
  get({
    window: W('2026-03-01', '2026-03-03'),
    step: '1d',
    accumulate: 'false',
    ...extra,
  });

describe('answer shape', () => {
  test('one set per day, OpenCost envelope and allocation fields', async () => {
    const { status, json } = await compute({
      aggregate: 'namespace',
      filter: 'cluster:"alpha"',
    });
    assert.equal(status, 200);
    assert.equal(json.code, 200);
    assert.equal(json.status, 'success');
    assert.equal(json.data.length, 2);
    const shop = json.data[0].shop;
    assert.equal(shop.name, 'shop');
    assert.deepEqual(shop.window, {
      start: '2026-03-01T00:00:00Z',
      end: '2026-03-02T00:00:00Z',
    });
    assert.equal(shop.start, '2026-03-01T00:00:00Z');
    assert.equal(shop.minutes, 1440);
    for (const field of [
      'cpuCores',
      'cpuCoreRequestAverage',
      'cpuCoreUsageAverage',
      'cpuCoreHours',
      'cpuCostAdjustment',
      'cpuEfficiency',
      'gpuCount',
      'gpuHours',
      'gpuCostAdjustment',
      'networkCost',
      'loadBalancerCost',
      'pvBytes',
      'pvByteHours',
      'pvCostAdjustment',
      'ramBytes',
      'ramByteRequestAverage',
      'ramByteUsageAverage',
      'ramByteHours',
      'ramCostAdjustment',
      'ramEfficiency',
      'sharedCost',
      'externalCost',
      'totalEfficiency',
    ])
      assert.equal(typeof shop[field], 'number', field);
    assert.ok('pvs' in shop);
    assert.equal(shop.properties.cluster, 'alpha');
    assert.equal(shop.properties.namespace, 'shop');
    assert.deepEqual(shop.properties.namespaceLabels, { team: 'shop' });
    // day 2 has one workload only, no idle and no other namespace
    assert.deepEqual(Object.keys(json.data[1]), ['shop']);
  });

  test('costs go out as the exact decimal text, sums exact', async () => {
    const { text, json } = await compute({
      aggregate: 'namespace,controller',
      filter: 'cluster:"alpha"',
    });
    // web-a + web-b: 0.10000000000000000001 + 0.2, beyond a double's digits
    assert.match(text, /"cpuCost":0\.30000000000000000001,/);
    const web = json.data[0]['shop/deployment:web'];
    assert.equal(web.ramCost, 3.5);
    assert.equal(web.cpuCoreRequestAverage, 2);
    assert.match(text, /"totalCost":3\.80000000000000000001,/);
    assert.equal(json.data[0]['shop/statefulset:db'].pvCost, 0.75);
  });

  test('future data: a set without data is {}', async () => {
    const { json } = await get({
      window: W('2026-03-02', '2026-03-05'),
      step: '1d',
      aggregate: 'namespace',
    });
    assert.equal(json.data.length, 3);
    assert.deepEqual(json.data[1], {});
    assert.deepEqual(json.data[2], {});
  });
});

describe('aggregation', () => {
  test('controller: kind:name, a bare pod is __unallocated__', async () => {
    const { json } = await compute({ aggregate: 'controller' });
    assert.deepEqual(Object.keys(json.data[0]).sort(), [
      '__unallocated__',
      'deployment:web',
      'statefulset:db',
    ]);
    // web runs in both clusters: 0.1...01 + 0.2 + 7
    assert.equal(json.data[0]['deployment:web'].ramCost, 3.5);
    assert.equal(json.data[0]['deployment:web'].properties.cluster, undefined);
  });

  test('pod, namespace and a combination joined with /', async () => {
    const pods = await compute({ aggregate: 'pod', filter: 'cluster:"alpha"' });
    assert.deepEqual(Object.keys(pods.json.data[0]).sort(), [
      'db-0',
      'debug',
      'web-a',
      'web-b',
    ]);
    const ns = await compute({ aggregate: 'cluster,namespace' });
    assert.deepEqual(Object.keys(ns.json.data[0]).sort(), [
      'alpha/default',
      'alpha/shop',
      'beta/shop',
    ]);
  });

  test('label:<name> sanitised like Prometheus, missing label is __unallocated__', async () => {
    const { json } = await compute({
      aggregate: 'namespace,label:backstage.io/kubernetes-id',
      filter: 'cluster:"alpha"',
    });
    assert.deepEqual(Object.keys(json.data[0]).sort(), [
      'default/__unallocated__',
      'shop/__unallocated__',
      'shop/web',
    ]);
  });

  test('labels survive a merge only with includeAggregatedMetadata (their intersection)', async () => {
    const plain = await compute({
      aggregate: 'controller',
      filter: 'cluster:"alpha"',
    });
    assert.equal(
      plain.json.data[0]['deployment:web'].properties.labels,
      undefined,
    );
    const single = plain.json.data[1]['deployment:web'].properties.labels;
    assert.deepEqual(single, { backstage_io_kubernetes_id: 'web' });
    const meta = await compute({
      aggregate: 'controller',
      filter: 'cluster:"alpha"',
      includeAggregatedMetadata: 'true',
    });
    assert.deepEqual(meta.json.data[0]['deployment:web'].properties.labels, {
      backstage_io_kubernetes_id: 'web',
    });
    assert.equal(meta.json.data[0]['deployment:web'].properties.pod, undefined);
  });

  test('__idle__ only with includeIdle=true, one per set across clusters', async () => {
    const without = await compute({ aggregate: 'namespace' });
    assert.equal(without.json.data[0].__idle__, undefined);
    const { text, json } = await compute({
      aggregate: 'namespace',
      includeIdle: 'true',
    });
    const idle = json.data[0].__idle__;
    assert.equal(idle.cpuCost, 6);
    assert.equal(idle.ramCost, 1.25);
    assert.deepEqual(idle.properties, {});
    assert.equal(json.data[1].__idle__, undefined);
    assert.match(text, /"__idle__":\{"name":"__idle__"/);
    const one = await compute({
      aggregate: 'namespace',
      includeIdle: 'true',
      filter: 'cluster:"alpha"',
    });
    assert.deepEqual(one.json.data[0].__idle__.properties, {
      cluster: 'alpha',
    });
  });

  test('an unknown aggregate is a plain-text 400', async () => {
    const { status, type, text } = await compute({ aggregate: 'flavour' });
    assert.equal(status, 400);
    assert.match(type, /^text\/plain/);
    assert.match(text, /^Invalid 'aggregate' parameter/);
  });
});

describe('windows and steps', () => {
  test('unix seconds as well as RFC3339', async () => {
    const start = Date.parse('2026-03-01T00:00:00Z') / 1000;
    const { status, json } = await get({
      window: `${start},${start + 86400}`,
      aggregate: 'namespace',
    });
    assert.equal(status, 200);
    assert.equal(json.data.length, 1);
    assert.equal(json.data[0].shop.window.end, '2026-03-02T00:00:00Z');
  });

  test('an illegal window: plain-text 400 like OpenCost http.Error', async () => {
    for (const window of ['', 'yesterday-ish', '2026-03-01,2026-03-02']) {
      const { status, type, text, json } = await get({ window });
      assert.equal(status, 400, window);
      assert.match(type, /^text\/plain/);
      assert.equal(json, undefined);
      assert.equal(
        text,
        `Invalid 'window' parameter: illegal window: ${window}\n`,
      );
    }
  });

  test('windows the fake cannot serve: JSON 400 {code, message}', async () => {
    for (const window of [
      '7d',
      W('2026-03-02', '2026-03-01'),
      '2026-03-01T06:00:00Z,2026-03-02T00:00:00Z',
    ]) {
      const { status, json } = await get({ window });
      assert.equal(status, 400, window);
      assert.equal(json.code, 400);
      assert.equal(json.data, null);
      assert.match(json.message, /^bad request: /);
    }
  });

  test('step 2d, no step, and accumulate', async () => {
    const window = W('2026-03-01', '2026-03-04');
    const two = await get({
      window,
      step: '2d',
      aggregate: 'namespace',
      filter: 'cluster:"alpha"',
    });
    assert.equal(two.json.data.length, 2);
    assert.equal(two.json.data[0].shop.window.end, '2026-03-03T00:00:00Z');
    assert.equal(two.json.data[1].shop, undefined); // 03-03 has no data
    // day 1 (shop: 0.1...01 + 0.2 + 3) + day 2 (1)
    assert.match(two.text, /"cpuCost":4\.30000000000000000001,/);
    const none = await get({ window, aggregate: 'namespace' });
    assert.equal(none.json.data.length, 1);
    const acc = await get({
      window,
      step: '1d',
      accumulate: 'true',
      aggregate: 'namespace',
    });
    assert.equal(acc.json.data.length, 1);
    assert.equal(acc.json.data[0].shop.window.end, '2026-03-04T00:00:00Z');
    const bad = await get({ window, step: '6h' });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.code, 400);
  });
});

describe('faults, auth and the log', () => {
  test('server-error, then the normal answer', async () => {
    fake.injectFault({ kind: 'server-error' });
    const first = await compute();
    assert.equal(first.status, 500);
    assert.equal(first.json.code, 500);
    assert.equal((await compute()).status, 200);
  });

  test('malformed: a 200 with half a body', async () => {
    fake.injectFault({ kind: 'malformed', times: 2 });
    for (let i = 0; i < 2; i++) {
      const { status, json, text } = await compute();
      assert.equal(status, 200);
      assert.equal(json, undefined);
      assert.ok(text.startsWith('{"code":200'));
    }
    assert.notEqual((await compute()).json, undefined);
  });

  test('slow answers after the delay', async () => {
    fake.injectFault({ kind: 'slow', delayMs: 300 });
    const t0 = Date.now();
    assert.equal((await compute()).status, 200);
    assert.ok(Date.now() - t0 >= 290);
  });

  test('negative-cost and future-window', async () => {
    fake.injectFault({ kind: 'negative-cost' });
    const neg = await compute({ aggregate: 'namespace' });
    const costs = neg.json.data.flatMap(set =>
      Object.values(set).map(a => a.cpuCost),
    );
    assert.ok(costs.some(c => c < 0));
    fake.injectFault({ kind: 'future-window' });
    const fut = await compute({ aggregate: 'namespace' });
    const start = Date.parse(fut.json.data[0].shop.window.start);
    assert.equal(start, Date.parse('2026-03-01T00:00:00Z') + 400 * 86400000);
    assert.equal(Date.parse(fut.json.data[0].shop.end), start + 86400000);
  });

  test('bad fault specs are refused', () => {
    assert.throws(() => fake.injectFault({ kind: 'meteor' }), /fault kind/);
    assert.throws(() => fake.injectFault({ kind: 'slow', times: 0 }), /times/);
  });

  test('requestLog records the query; reset clears it and the faults', async () => {
    fake.injectFault({ kind: 'server-error', times: Infinity });
    await compute({ aggregate: 'namespace' });
    const log = fake.requestLog();
    assert.equal(log.length, 1);
    assert.equal(log[0].path, '/allocation/compute');
    assert.equal(log[0].query.aggregate, 'namespace');
    assert.equal(log[0].query.step, '1d');
    fake.reset();
    assert.deepEqual(fake.requestLog(), []);
    assert.equal((await compute()).status, 200);
  });

  test('authToken: 401 without the bearer token', async () => {
    const guarded = await startFakeOpenCost({
      clusters: [alpha],
      authToken: 's3cret',
    });
    try {
      const base = guarded.url;
      const none = await get(
        { window: W('2026-03-01', '2026-03-02') },
        { base },
      );
      assert.equal(none.status, 401);
      const wrong = await get(
        { window: W('2026-03-01', '2026-03-02') },
        { base, headers: { authorization: 'Bearer nope' } },
      );
      assert.equal(wrong.status, 401);
      const right = await get(
        { window: W('2026-03-01', '2026-03-02') },
        { base, headers: { authorization: 'Bearer s3cret' } },
      );
      assert.equal(right.status, 200);
      assert.equal(guarded.requestLog()[2].authorization, 'Bearer s3cret');
    } finally {
      await guarded.close();
    }
  });
});

describe('demo cluster and CLI', () => {
  test('demoCluster: components labelled backstage.io/kubernetes-id, kube-system, idle', async () => {
    const demo = await startFakeOpenCost({
      clusters: [
        demoCluster({ startDate: '2026-03-01', endDate: '2026-03-02' }),
      ],
    });
    try {
      const { json } = await get(
        {
          window: W('2026-03-01', '2026-03-04'),
          step: '1d',
          aggregate: 'label:backstage.io/kubernetes-id',
          includeIdle: 'true',
        },
        { base: demo.url },
      );
      assert.deepEqual(
        Object.keys(json.data[0]).sort(),
        [...DEMO_COMPONENTS, '__idle__', '__unallocated__'].sort(),
      );
      assert.ok(DEMO_COMPONENTS.includes('checkout-api'));
      assert.deepEqual(json.data[2], {}); // after endDate
      assert.equal(
        json.data[0]['checkout-api'].properties.cluster,
        'k8s-platform-prod',
      );
      // the days differ, deterministically
      assert.notEqual(
        json.data[0]['checkout-api'].cpuCost,
        json.data[1]['checkout-api'].cpuCost,
      );
      const again = await get(
        { window: W('2026-03-01', '2026-03-02'), aggregate: 'namespace' },
        { base: demo.url },
      );
      assert.ok(again.json.data[0]['kube-system'].cpuCost > 0);
    } finally {
      await demo.close();
    }
  });

  test('the CLI serves the demo cluster on the given port', async () => {
    const cli = spawn(process.execPath, [
      path.join(path.dirname(new URL(import.meta.url).pathname), 'cli.js'),
      '--port',
      '0',
    ]);
    try {
      const url = await new Promise((resolve, reject) => {
        cli.stdout.on('data', d => {
          const m = /listening on (\S+)/.exec(String(d));
          if (m) resolve(m[1]);
        });
        cli.once('exit', code => reject(new Error(`CLI exited ${code}`)));
      });
      const { status, json } = await get(
        { window: W('2026-03-01', '2026-03-02'), aggregate: 'namespace' },
        { base: url },
      );
      assert.equal(status, 200);
      assert.ok(json.data[0].checkout);
    } finally {
      cli.kill('SIGTERM');
    }
  });
});
