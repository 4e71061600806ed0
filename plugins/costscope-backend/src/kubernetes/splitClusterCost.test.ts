import { parseDecimal } from '@costscope/backstage-plugin-common';
import {
  ClusterDayInput,
  largestRemainder,
  prepareClusterDay,
  SplitPolicy,
  splitAmount,
  splitClusterCost,
} from './splitClusterCost';

const DAY = '2026-03-01';
type Allocation = ClusterDayInput['allocations'][number];

function alloc(
  name: string,
  weights: Partial<Allocation['weights']>,
  extra: Partial<Allocation> = {},
): Allocation {
  const [namespace, controller] = name.split('/');
  const idle = name === '__idle__';
  return {
    day: DAY,
    name,
    namespace: idle ? undefined : namespace,
    controller: idle ? undefined : controller?.replace(/^.*:/, ''),
    labels: {},
    idle,
    unallocated: name.split('/').includes('__unallocated__'),
    weights: { cpu: '0', ram: '0', gpu: '0', pv: '0', ...weights },
    ...extra,
  };
}

const split = (
  nodeNanos: bigint,
  allocations: Allocation[],
  policy: SplitPolicy,
  volumeNanos?: bigint,
) =>
  splitClusterCost({
    cluster: 'k8s',
    day: DAY,
    nodeNanos,
    volumeNanos,
    allocations,
    policy,
  });

const nanosByKey = (parts: { key: string; nanos: bigint }[]) =>
  Object.fromEntries(parts.map(p => [p.key, p.nanos]));
const sum = (parts: { nanos: bigint }[]) =>
  parts.reduce((s, p) => s + p.nanos, 0n);

/** Each part is its exact quota rounded up or down: |nanos * W - total * w| < W. */
function withinOneNano(
  total: bigint,
  parts: { nanos: bigint; share: string }[],
  scale: number,
) {
  const weights = parts.map(p => parseDecimal(p.share, scale)!);
  const W = weights.reduce((s, w) => s + w, 0n);
  parts.forEach((p, i) => {
    const error = p.nanos * W - total * weights[i];
    expect(error < W && -error < W).toBe(true);
  });
}

// Three workloads, one system daemon and idle. Weights (cpu+ram+gpu+pv):
//   shop/web 3+1 = 4, shop/db 2+1+0.5 = 3.5, data/etl 1.5, kube-system/coredns 0.5+0.5 = 1,
//   __idle__ 2; 12 in all. The bill: 10.000000001 = 10_000_000_001 nanos (T).
const day = [
  alloc(
    'shop/deployment:web',
    { cpu: '3', ram: '1' },
    { labels: { app: 'web' } },
  ),
  alloc('shop/statefulset:db', { cpu: '2', ram: '1', pv: '0.5' }),
  alloc('data/job:etl', { cpu: '1.5' }),
  alloc('kube-system/daemonset:coredns', { cpu: '0.5', ram: '0.5' }),
  alloc('__idle__', { cpu: '2' }),
];
const T = 10_000_000_001n;

describe('splitClusterCost', () => {
  it('keeps idle and system as owner parts: largest remainders, worked by hand', () => {
    // In tenths (the scale that holds every weight): 40, 35, 15, 10, 20; W = 120.
    //   web    T*40/120 = 3333333333 rem 80
    //   db     T*35/120 = 2916666666 rem 115
    //   etl    T*15/120 = 1250000000 rem 15
    //   system T*10/120 =  833333333 rem 50
    //   idle   T*20/120 = 1666666666 rem 100
    // floors sum to 9999999998, 3 nanos left: db (115), idle (100), web (80).
    const result = split(T, day, { idle: 'owner', systemTo: 'owner' });
    expect(result.status).toBe('split');
    expect(nanosByKey(result.parts)).toEqual({
      'shop/web': 3_333_333_334n,
      'shop/db': 2_916_666_667n,
      'data/etl': 1_250_000_000n,
      system: 833_333_333n,
      idle: 1_666_666_667n,
    });
    expect(sum(result.parts)).toBe(T);
    expect(result.parts.map(p => [p.key, p.kind, p.share])).toEqual([
      ['data/etl', 'workload', '1.5'],
      ['idle', 'idle', '2'],
      ['shop/db', 'workload', '3.5'],
      ['shop/web', 'workload', '4'],
      ['system', 'system', '1'],
    ]);
    expect(result.parts.find(p => p.key === 'shop/web')).toMatchObject({
      namespace: 'shop',
      controller: 'web',
      labels: { app: 'web' },
    });
  });

  it('spreads idle and system over the workloads by weight', () => {
    // Recipients web 40, db 35, etl 15; W = 90.
    //   web T*40/90 = 4444444444 rem 80
    //   db  T*35/90 = 3888888889 rem 25
    //   etl T*15/90 = 1666666666 rem 75
    // floors sum to 9999999999, 2 nanos left: web (80), etl (75).
    const result = split(T, day, { idle: 'spread', systemTo: 'spread' });
    expect(nanosByKey(result.parts)).toEqual({
      'shop/web': 4_444_444_445n,
      'shop/db': 3_888_888_889n,
      'data/etl': 1_666_666_667n,
    });
    expect(sum(result.parts)).toBe(T);
  });

  it('spreads idle over workloads and the system part, system kept', () => {
    // Recipients web 40, db 35, etl 15, system 10; W = 100: floors 4000000000, 3500000000,
    // 1500000000, 1000000000 with remainders 40, 35, 15, 10; the 1 nano left goes to web.
    const result = split(T, day, { idle: 'spread', systemTo: 'owner' });
    expect(nanosByKey(result.parts)).toEqual({
      'shop/web': 4_000_000_001n,
      'shop/db': 3_500_000_000n,
      'data/etl': 1_500_000_000n,
      system: 1_000_000_000n,
    });
  });

  it('splits node and volume cost together, and custom system namespaces', () => {
    // 1 + 2 = 3 nanos over web 40 / etl 15 / coredns (now a workload) 10, idle owner 20:
    // W = 85: floors 1, 0, 0, 0 (3*40/85 = 1 rem 35; 3*15/85 = 0 rem 45; 3*10/85 = 0 rem 30;
    // 3*20/85 = 0 rem 60); 2 left: idle (60), etl (45).
    const result = split(
      1n,
      [day[0], day[2], day[3], day[4]],
      { idle: 'owner', systemTo: 'owner', systemNamespaces: ['monitoring'] },
      2n,
    );
    expect(result.totalNanos).toBe(3n);
    expect(nanosByKey(result.parts)).toEqual({
      'shop/web': 1n,
      'data/etl': 1n,
      'kube-system/coredns': 0n,
      idle: 1n,
    });
  });

  it('splits volumes by the pv weights alone', () => {
    // 8 nanos over pv 3 (web) and 1 (etl); their cpu and the idle cpu weigh nothing here.
    const result = splitClusterCost({
      cluster: 'k8s',
      day: DAY,
      nodeNanos: 8n,
      allocations: [
        alloc('shop/web', { cpu: '100', pv: '0.3' }),
        alloc('data/etl', { pv: '0.1' }),
        alloc('__idle__', { cpu: '50' }),
      ],
      policy: { idle: 'owner', systemTo: 'owner' },
      resources: ['pv'],
    });
    expect(nanosByKey(result.parts)).toEqual({
      'shop/web': 6n,
      'data/etl': 2n,
      idle: 0n,
    });
    // No pv weight at all: the volumes stay with the owner.
    expect(
      splitClusterCost({
        cluster: 'k8s',
        day: DAY,
        nodeNanos: 8n,
        allocations: [alloc('shop/web', { cpu: '100' })],
        policy: { idle: 'owner', systemTo: 'owner' },
        resources: ['pv'],
      }).status,
    ).toBe('zero-weight');
  });

  it('a day without OpenCost data leaves the bill with the owner, saying so', () => {
    const result = split(T, [], { idle: 'spread', systemTo: 'spread' });
    expect(result).toEqual({
      cluster: 'k8s',
      day: DAY,
      totalNanos: T,
      status: 'no-data',
      reason: `OpenCost has no allocations for k8s on ${DAY}`,
      parts: [{ key: 'unsplit', kind: 'unsplit', nanos: T, share: '0' }],
    });
  });

  it('zero total weight: everything to the owner part with a reason', () => {
    const result = split(5n, [alloc('a/x', {}), alloc('__idle__', {})], {
      idle: 'owner',
      systemTo: 'owner',
    });
    expect(result.status).toBe('zero-weight');
    expect(result.reason).toMatch(
      /every OpenCost weight of k8s on 2026-03-01 is 0/,
    );
    expect(result.parts).toEqual([
      { key: 'unsplit', kind: 'unsplit', nanos: 5n, share: '0' },
    ]);
  });

  it('nothing to spread over: idle stays with the owner, with a reason', () => {
    const result = split(
      7n,
      [alloc('a/x', {}), alloc('__idle__', { cpu: '1' })],
      {
        idle: 'spread',
        systemTo: 'spread',
      },
    );
    expect(result.status).toBe('split');
    expect(result.reason).toBe(
      'no workload weight to spread idle and system over on 2026-03-01',
    );
    expect(nanosByKey(result.parts)).toEqual({ 'a/x': 0n, idle: 7n });
  });

  it('rounding: 1 nano over 3 equal workloads goes to the first key, whatever the order', () => {
    const three = [
      alloc('c/z', { cpu: '1' }),
      alloc('a/x', { cpu: '1' }),
      alloc('b/y', { cpu: '1' }),
    ];
    const policy: SplitPolicy = { idle: 'spread', systemTo: 'spread' };
    expect(nanosByKey(split(1n, three, policy).parts)).toEqual({
      'a/x': 1n,
      'b/y': 0n,
      'c/z': 0n,
    });
    expect(nanosByKey(split(1n, [...three].reverse(), policy).parts)).toEqual({
      'a/x': 1n,
      'b/y': 0n,
      'c/z': 0n,
    });
    expect(nanosByKey(split(2n, three, policy).parts)).toEqual({
      'a/x': 1n,
      'b/y': 1n,
      'c/z': 0n,
    });
    expect(nanosByKey(split(3n, three, policy).parts)).toEqual({
      'a/x': 1n,
      'b/y': 1n,
      'c/z': 1n,
    });
  });

  it('merges allocations of one controller (e.g. per pod) and unallocated ones', () => {
    const result = split(
      100n,
      [
        alloc(
          'shop/web',
          { cpu: '1' },
          { name: 'web-a', labels: { app: 'web', pod: 'a' } },
        ),
        alloc(
          'shop/web',
          { cpu: '3' },
          { name: 'web-b', labels: { app: 'web', pod: 'b' } },
        ),
        alloc('default/__unallocated__', { cpu: '1' }),
        alloc('x/__unallocated__', { ram: '0.000000001' }),
      ],
      { idle: 'owner', systemTo: 'owner' },
    );
    // weights 4 and 1.000000001 of 5.000000001: 100*4/5.000000001 = 79.99999998.. -> 79 rem
    // large, 100*1.000000001/5.000000001 = 20.00000001.. -> 20; 1 left goes to web.
    expect(nanosByKey(result.parts)).toEqual({
      'shop/web': 80n,
      unallocated: 20n,
    });
    expect(result.parts[0].labels).toEqual({ app: 'web' });
    expect(result.parts[1].share).toBe('1.000000001');
  });

  it('reads weights in exponent form and beyond a double, exactly', () => {
    // 0.10000000000000000001 vs 0.1: a double would tie them; exactly, a wins the 1 nano.
    const result = split(
      1n,
      [
        alloc('b/y', { cpu: '0.1' }),
        alloc('a/x', { cpu: '1e-1', ram: '1e-20' }),
      ],
      { idle: 'owner', systemTo: 'owner' },
    );
    expect(nanosByKey(result.parts)).toEqual({ 'a/x': 1n, 'b/y': 0n });
    expect(result.parts[0].share).toBe('0.10000000000000000001');
    const flipped = split(
      1n,
      [
        alloc('a/x', { cpu: '0.1' }),
        alloc('b/y', { cpu: '1e-1', ram: '1e-20' }),
      ],
      { idle: 'owner', systemTo: 'owner' },
    );
    expect(nanosByKey(flipped.parts)).toEqual({ 'a/x': 0n, 'b/y': 1n });
  });

  it('splits a credit (negative bill) as its magnitude', () => {
    const result = split(
      -10n,
      [alloc('a/x', { cpu: '1' }), alloc('b/y', { cpu: '2' })],
      {
        idle: 'owner',
        systemTo: 'owner',
      },
    );
    // 10*1/3 = 3 rem 1, 10*2/3 = 6 rem 2; 1 left to b/y.
    expect(nanosByKey(result.parts)).toEqual({ 'a/x': -3n, 'b/y': -7n });
  });

  it('large values stay exact', () => {
    const total = 9_223_372_036_854_775_807n; // the largest stored BIGINT
    const allocations = [
      alloc('a/x', { cpu: '123456789012.12345', ram: '98765.4321' }),
      alloc('b/y', { cpu: '0.00001' }),
      alloc('c/z', { gpu: '987654321098765.4321', pv: '3' }),
      alloc('__idle__', { cpu: '55555555555.5' }),
    ];
    const result = split(total, allocations, {
      idle: 'owner',
      systemTo: 'owner',
    });
    expect(sum(result.parts)).toBe(total);
    // In 1e-5 units W = 98783333354210148766; floors of total*w/W are 1152713487002504,
    // 0, 9221700602708929801 and 518720658843500, 2 nanos left: idle (remainder 9.2e19) and
    // a/x (6.1e19) before c/z (3.6e19) and b/y (9.2e18).
    expect(nanosByKey(result.parts)).toEqual({
      'a/x': 1_152_713_487_002_505n,
      'b/y': 0n,
      'c/z': 9_221_700_602_708_929_801n,
      idle: 518_720_658_843_501n,
    });
    withinOneNano(total, result.parts, 5);
  });

  it('rejects negative weights, non-numbers and allocations of another day', () => {
    const policy: SplitPolicy = { idle: 'owner', systemTo: 'owner' };
    expect(() =>
      split(1n, [alloc('a/x', { cpu: '1', ram: '-0.5' })], policy),
    ).toThrow(
      "splitClusterCost k8s 2026-03-01: allocation 'a/x': negative ram weight -0.5",
    );
    expect(() => split(1n, [alloc('a/x', { cpu: 'NaN' })], policy)).toThrow(
      "allocation 'a/x': cpu weight 'NaN' is not a number",
    );
    expect(() =>
      split(1n, [alloc('a/x', { cpu: '1' }, { day: '2026-03-02' })], policy),
    ).toThrow(
      "splitClusterCost k8s 2026-03-01: allocation 'a/x' is of 2026-03-02",
    );
  });

  it('property: parts sum to the bill exactly and each is within a nano of its quota', () => {
    let seed = 20260301;
    const random = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const decimal = () =>
      random() < 0.2
        ? '0'
        : `${Math.floor(random() * 10 ** Math.floor(random() * 7))}.${String(
            Math.floor(random() * 1e9),
          ).padStart(9, '0')}`;
    const namespaces = ['kube-system', 'shop', 'data', 'default'];
    for (let run = 0; run < 500; run++) {
      const allocations: Allocation[] = [];
      const n = Math.floor(random() * 8);
      for (let i = 0; i < n; i++) {
        const kind = random();
        let name = `${namespaces[Math.floor(random() * 4)]}/c${Math.floor(
          random() * 4,
        )}`;
        if (kind < 0.2) name = `${namespaces[i % 4]}/__unallocated__`;
        if (kind < 0.1) name = '__idle__';
        allocations.push(
          alloc(name, {
            cpu: decimal(),
            ram: decimal(),
            gpu: decimal(),
            pv: decimal(),
          }),
        );
      }
      const total =
        BigInt(Math.floor(random() * 2 ** 40)) *
        BigInt(Math.floor(random() * 2 ** 20)) *
        (random() < 0.1 ? -1n : 1n);
      const policy: SplitPolicy = {
        idle: random() < 0.5 ? 'spread' : 'owner',
        systemTo: random() < 0.5 ? 'spread' : 'owner',
      };
      const result = split(total, allocations, policy);
      expect(sum(result.parts)).toBe(total);
      const keys = result.parts.map(p => p.key);
      expect(new Set(keys).size).toBe(keys.length);
      // the unsplit part (share 0) is outside the quota check
      withinOneNano(total, result.status === 'split' ? result.parts : [], 9);
      expect(total < 0n || result.parts.every(p => p.nanos >= 0n)).toBe(true);
    }
  });
});

describe('prepareClusterDay', () => {
  const policy: SplitPolicy = { idle: 'owner', systemTo: 'owner' };

  it('reads weights in any decimal form as their plain form, and splits each amount of a day alike', () => {
    const plain = [
      alloc('a/x', { cpu: '0.5', ram: '2' }),
      alloc('b/y', { cpu: '0.125', pv: '3' }),
      alloc('__idle__', { cpu: '1' }),
    ];
    const odd = [
      alloc('a/x', { cpu: '5e-1', ram: ' 2 ' }),
      alloc('b/y', { cpu: '.125', pv: '3.' }),
      alloc('__idle__', { cpu: '1.000' }),
    ];
    // Prepared once, as the allocation does for a day's bases and bill dimensions.
    const prepared = prepareClusterDay({
      cluster: 'k8s',
      day: DAY,
      allocations: odd,
      policy,
    });
    for (const total of [10_000_000_001n, 7n, -3n, 0n]) {
      const expected = split(total, plain, policy).parts;
      expect(prepared.recipients.map(r => r.key)).toEqual(
        expected.map(p => p.key),
      );
      expect(splitAmount(prepared, total)).toEqual(expected.map(p => p.nanos));
    }
  });

  it('checks the weights it does not count', () => {
    const volumes = (weights: Partial<Allocation['weights']>) =>
      prepareClusterDay({
        cluster: 'k8s',
        day: DAY,
        allocations: [alloc('a/x', { pv: '1', ...weights })],
        policy,
        resources: ['pv'],
      });
    expect(volumes({ cpu: '2.5' }).recipients).toEqual([
      expect.objectContaining({ key: 'a/x', weight: 10n }),
    ]);
    expect(() => volumes({ cpu: '-1' })).toThrow(/negative cpu weight -1/);
    expect(() => volumes({ ram: 'x' })).toThrow(
      /ram weight 'x' is not a number/,
    );
  });
});

describe('largestRemainder', () => {
  it('refuses a zero weight sum', () => {
    expect(() => largestRemainder(5n, [{ key: 'a', weight: 0n }])).toThrow(
      /sum to 0/,
    );
  });
});
