// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import {
  demoCluster,
  FakeOpenCost,
  FakeOpenCostCluster,
  startFakeOpenCost,
} from '../../../../test/fake-opencost';
import { OpenCostClient, OpenCostClientOptions } from './OpenCostClient';

// Costs with more digits than a double holds: the client must hand them on as sent.
const cluster: FakeOpenCostCluster = {
  name: 'k8s-test',
  days: [
    {
      day: '2026-03-01',
      workloads: [
        {
          namespace: 'checkout',
          controller: 'checkout-api',
          labels: { 'backstage.io/kubernetes-id': 'checkout-api' },
          cpuCost: '1.00000000000000000001',
          ramCost: '0.5',
          gpuCost: '0',
          pvCost: '0.25',
          cpuCoreRequestAverage: 2,
          cpuCoreUsageAverage: 1.25,
          ramByteRequestAverage: 1073741824,
          ramByteUsageAverage: 536870912,
        },
        {
          namespace: 'kube-system',
          controller: 'coredns',
          cpuCost: '0.1',
          ramCost: '0.1',
        },
        { namespace: 'default', pod: 'debug', cpuCost: '0.01', ramCost: '0' },
      ],
      idle: { cpuCost: '3', ramCost: '1' },
    },
    {
      day: '2026-03-02',
      workloads: [
        {
          namespace: 'checkout',
          controller: 'checkout-api',
          cpuCost: '2',
          ramCost: '1',
        },
      ],
    },
  ],
};

const NOW = new Date('2026-03-10T12:00:00Z');
let fake: FakeOpenCost;
let guarded: FakeOpenCost;
const sleeps: number[] = [];

beforeAll(async () => {
  fake = await startFakeOpenCost({ clusters: [cluster] });
  guarded = await startFakeOpenCost({
    clusters: [cluster],
    authToken: 't0ken',
  });
});
afterAll(async () => {
  await fake.close();
  await guarded.close();
});
beforeEach(() => {
  fake.reset();
  sleeps.length = 0;
});

const client = (options: Partial<OpenCostClientOptions> = {}) =>
  new OpenCostClient({
    cluster: 'k8s-test',
    baseUrl: fake.url,
    now: () => NOW,
    sleep: async ms => {
      sleeps.push(ms);
    },
    ...options,
  });

const march = { startDay: '2026-03-01', endDay: '2026-03-03' };

describe('OpenCostClient', () => {
  it('asks for daily steps and returns typed allocations with the weights as sent', async () => {
    const rows = await client().dailyAllocations(march);
    const [request] = fake.requestLog();
    expect(request.query).toEqual({
      window: '2026-03-01T00:00:00Z,2026-03-03T00:00:00Z',
      step: '1d',
      aggregate: 'namespace,controller',
      accumulate: 'false',
      includeIdle: 'true',
      includeAggregatedMetadata: 'true',
    });
    expect(rows.map(r => `${r.day} ${r.name}`)).toEqual([
      '2026-03-01 __idle__',
      '2026-03-01 checkout/deployment:checkout-api',
      '2026-03-01 default/__unallocated__',
      '2026-03-01 kube-system/deployment:coredns',
      '2026-03-02 checkout/deployment:checkout-api',
    ]);
    const api = rows[1];
    expect(api).toEqual({
      day: '2026-03-01',
      name: 'checkout/deployment:checkout-api',
      cluster: 'k8s-test',
      namespace: 'checkout',
      controller: 'checkout-api',
      controllerKind: 'deployment',
      labels: { backstage_io_kubernetes_id: 'checkout-api' },
      idle: false,
      unallocated: false,
      weights: {
        cpu: '1.00000000000000000001',
        ram: '0.5',
        gpu: '0',
        pv: '0.25',
      },
      cpuCoreRequestAverage: '2',
      cpuCoreUsageAverage: '1.25',
      ramByteRequestAverage: '1073741824',
      ramByteUsageAverage: '536870912',
    });
    expect(rows[0]).toMatchObject({
      idle: true,
      unallocated: false,
      weights: { cpu: '3', ram: '1' },
    });
    expect(rows[2]).toMatchObject({
      idle: false,
      unallocated: true,
      namespace: 'default',
    });
  });

  it('passes other aggregate keys through', async () => {
    const rows = await client().dailyAllocations({
      ...march,
      aggregate: ['label:backstage.io/kubernetes-id'],
    });
    expect(fake.requestLog()[0].query.aggregate).toBe(
      'label:backstage.io/kubernetes-id',
    );
    expect(rows.filter(r => r.day === '2026-03-01').map(r => r.name)).toEqual([
      '__idle__',
      '__unallocated__',
      'checkout-api',
    ]);
  });

  it('returns nothing for days OpenCost has no data for', async () => {
    const rows = await client().dailyAllocations({
      startDay: '2026-03-05',
      endDay: '2026-03-07',
    });
    expect(rows).toEqual([]);
  });

  it('sends the bearer token; without it the proxy says 401', async () => {
    const rows = await client({
      baseUrl: guarded.url,
      token: 't0ken',
    }).dailyAllocations(march);
    expect(rows).toHaveLength(5);
    expect(guarded.requestLog().at(-1)?.authorization).toBe('Bearer t0ken');
    await expect(
      client({ baseUrl: guarded.url }).dailyAllocations(march),
    ).rejects.toThrow(
      'OpenCost of cluster k8s-test: HTTP 401: not authorised (check the token)',
    );
  });

  it('retries 5xx with doubling backoff, then succeeds', async () => {
    fake.injectFault({ kind: 'server-error', times: 2 });
    const rows = await client({ backoffMs: 100 }).dailyAllocations(march);
    expect(rows).toHaveLength(5);
    expect(sleeps).toEqual([100, 200]);
    expect(fake.requestLog()).toHaveLength(3);
  });

  it('gives up after maxAttempts, naming the cluster and the problem', async () => {
    fake.injectFault({ kind: 'server-error', times: 10 });
    await expect(
      client({ maxAttempts: 3 }).dailyAllocations(march),
    ).rejects.toThrow(
      /^OpenCost of cluster k8s-test: HTTP 500: .*injected server error.* \(gave up after 3 attempts\)$/,
    );
    expect(fake.requestLog()).toHaveLength(3);
  });

  it('times out a slow answer and retries it', async () => {
    fake.injectFault({ kind: 'slow', delayMs: 1000 });
    const rows = await client({ timeoutMs: 150 }).dailyAllocations(march);
    expect(rows).toHaveLength(5);
    expect(sleeps).toEqual([500]);
    fake.injectFault({ kind: 'slow', delayMs: 1000, times: 2 });
    await expect(
      client({ timeoutMs: 150, maxAttempts: 2 }).dailyAllocations(march),
    ).rejects.toThrow(
      'OpenCost of cluster k8s-test: no answer within 150 ms (gave up after 2 attempts)',
    );
  });

  it('retries network errors', async () => {
    const closed = await startFakeOpenCost({ clusters: [cluster] });
    await closed.close();
    await expect(
      client({ baseUrl: closed.url, maxAttempts: 2 }).dailyAllocations(march),
    ).rejects.toThrow(
      /^OpenCost of cluster k8s-test: request failed: .* \(gave up after 2 attempts\)$/,
    );
    expect(sleeps).toEqual([500]);
  });

  it('rejects malformed JSON without retrying', async () => {
    fake.injectFault({ kind: 'malformed' });
    await expect(client().dailyAllocations(march)).rejects.toThrow(
      /^OpenCost of cluster k8s-test: malformed JSON answer: /,
    );
    expect(fake.requestLog()).toHaveLength(1);
  });

  it('rejects negative costs', async () => {
    fake.injectFault({ kind: 'negative-cost' });
    await expect(client().dailyAllocations(march)).rejects.toThrow(
      "OpenCost of cluster k8s-test: allocation 'checkout/deployment:checkout-api': negative cpuCost -0.5",
    );
  });

  it('rejects windows in the future', async () => {
    fake.injectFault({ kind: 'future-window' });
    await expect(client().dailyAllocations(march)).rejects.toThrow(
      /^OpenCost of cluster k8s-test: allocation 'checkout\/deployment:checkout-api': window 2027-04-05T00:00:00Z to 2027-04-06T00:00:00Z is in the future$/,
    );
  });

  it('rejects windows outside the requested range', async () => {
    // the fake answers 2026-03-01..03; asked for 03-01..02, the second day is outside
    const lying = (async (url: string, init?: RequestInit) =>
      fetch(
        url.replace('2026-03-02T00%3A00%3A00Z', '2026-03-03T00%3A00%3A00Z'),
        init,
      )) as typeof fetch;
    await expect(
      client({ fetch: lying }).dailyAllocations({
        startDay: '2026-03-01',
        endDay: '2026-03-02',
      }),
    ).rejects.toThrow(
      "OpenCost of cluster k8s-test: allocation 'checkout/deployment:checkout-api': window 2026-03-02T00:00:00Z to 2026-03-03T00:00:00Z is outside the requested 2026-03-01T00:00:00Z to 2026-03-02T00:00:00Z",
    );
  });

  it('rejects a non-200 code in the body and non-day steps', async () => {
    const answer = (body: string) =>
      (async () =>
        new Response(body, { status: 200 })) as unknown as typeof fetch;
    await expect(
      client({
        fetch: answer(
          '{"code":500,"status":"error","message":"prometheus down"}',
        ),
      }).dailyAllocations(march),
    ).rejects.toThrow(
      'OpenCost of cluster k8s-test: answer code 500: prometheus down',
    );
    const twoDays = JSON.stringify({
      code: 200,
      data: [
        {
          x: {
            window: {
              start: '2026-03-01T00:00:00Z',
              end: '2026-03-03T00:00:00Z',
            },
            start: '2026-03-01T00:00:00Z',
            end: '2026-03-03T00:00:00Z',
            cpuCost: 1,
            ramCost: 1,
            gpuCost: 0,
            pvCost: 0,
          },
        },
      ],
    });
    await expect(
      client({ fetch: answer(twoDays) }).dailyAllocations(march),
    ).rejects.toThrow(
      "OpenCost of cluster k8s-test: allocation 'x': window 2026-03-01T00:00:00Z to 2026-03-03T00:00:00Z is not one UTC day",
    );
  });

  it('reports a 400 with the body OpenCost sent', async () => {
    await expect(
      client().dailyAllocations({ ...march, aggregate: ['flavour'] }),
    ).rejects.toThrow(
      "OpenCost of cluster k8s-test: HTTP 400: Invalid 'aggregate' parameter: Failed to parse property: invalid allocation property: flavour",
    );
    expect(fake.requestLog()).toHaveLength(1);
  });

  it('reads the demo cluster', async () => {
    const demo = await startFakeOpenCost({ clusters: [demoCluster()] });
    try {
      const rows = await client({
        baseUrl: demo.url,
        cluster: 'k8s-platform-prod',
      }).dailyAllocations(march);
      const day1 = rows.filter(r => r.day === '2026-03-01');
      expect(day1.some(r => r.idle)).toBe(true);
      expect(
        day1.find(r => r.name === 'checkout/deployment:checkout-api')?.labels,
      ).toMatchObject({
        backstage_io_kubernetes_id: 'checkout-api',
      });
      expect(day1.filter(r => r.namespace === 'kube-system').length).toBe(3);
    } finally {
      await demo.close();
    }
  });
});
