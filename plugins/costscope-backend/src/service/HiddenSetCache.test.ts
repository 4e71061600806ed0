import { canonicalJson, HiddenSetCache } from './HiddenSetCache';

describe('HiddenSetCache', () => {
  const setup = (maxRefs?: number) => {
    let version: string | undefined = 'v1';
    const versionReads = jest.fn(async () => version);
    const cache = new HiddenSetCache({
      version: versionReads,
      ...(maxRefs !== undefined ? { maxRefs } : {}),
    });
    const computations: string[] = [];
    const computing =
      (label: string, refs: string[], keep = true) =>
      async () => {
        computations.push(label);
        return { hidden: new Set(refs), keep };
      };
    return {
      cache,
      computations,
      computing,
      versionReads,
      setVersion: (v: string | undefined) => {
        version = v;
      },
    };
  };

  it('reuses a set for the same scope, decision and snapshot version', async () => {
    const { cache, computations, computing } = setup();
    const first = await cache.get('below:t', 'd1', computing('a', ['x']));
    const again = await cache.get('below:t', 'd1', computing('b', ['y']));
    expect(computations).toEqual(['a']);
    expect(again).toBe(first);
    expect([...again]).toEqual(['x']);
  });

  it('computes again after a new snapshot version, and drops the old sets', async () => {
    const { cache, computations, computing, setVersion } = setup();
    await cache.get('below:t', 'd1', computing('a', ['x']));
    await cache.get('below:u', 'd1', computing('b', ['y', 'z']));
    expect(cache.size).toEqual({ sets: 2, refs: 3 });
    setVersion('v2');
    const after = await cache.get('below:t', 'd1', computing('c', ['w']));
    expect(computations).toEqual(['a', 'b', 'c']);
    expect([...after]).toEqual(['w']);
    expect(cache.size).toEqual({ sets: 1, refs: 1 });
  });

  it('keeps nothing before the first allocation (no version)', async () => {
    const { cache, computations, computing, setVersion } = setup();
    setVersion(undefined);
    await cache.get('below:t', 'd1', computing('a', ['x']));
    await cache.get('below:t', 'd1', computing('b', ['x']));
    expect(computations).toEqual(['a', 'b']);
    expect(cache.size).toEqual({ sets: 0, refs: 0 });
  });

  it('keeps two decisions, and two scopes, apart', async () => {
    const { cache, computations, computing } = setup();
    const d1 = await cache.get('below:t', 'd1', computing('a', ['x']));
    const d2 = await cache.get('below:t', 'd2', computing('b', ['y']));
    const u1 = await cache.get('below:u', 'd1', computing('c', ['z']));
    expect(computations).toEqual(['a', 'b', 'c']);
    expect([d1, d2, u1].map(set => [...set])).toEqual([['x'], ['y'], ['z']]);
    expect([...(await cache.get('below:t', 'd2', computing('d', [])))]).toEqual(
      ['y'],
    );
    expect(computations).toEqual(['a', 'b', 'c']);
  });

  it('evicts the least recently used sets beyond its bound of refs', async () => {
    const { cache, computations, computing } = setup(4);
    await cache.get('s1', 'd', computing('s1', ['a', 'b']));
    await cache.get('s2', 'd', computing('s2', ['c']));
    // s1 used again: s2 is now the least recently used.
    await cache.get('s1', 'd', computing('s1 again', []));
    // An empty set weighs one ref: 2 + 1 + 1 = 4 fits.
    await cache.get('s3', 'd', computing('s3', []));
    expect(cache.size).toEqual({ sets: 3, refs: 4 });
    await cache.get('s4', 'd', computing('s4', ['d']));
    expect(cache.size).toEqual({ sets: 3, refs: 4 });
    await cache.get('s1', 'd', computing('s1 again', []));
    await cache.get('s2', 'd', computing('s2 again', ['c']));
    expect(computations).toEqual(['s1', 's2', 's3', 's4', 's2 again']);
    // A set larger than the bound is answered, never kept.
    await cache.get('big', 'd', computing('big', ['1', '2', '3', '4', '5']));
    await cache.get('big', 'd', computing('big again', ['1']));
    expect(computations.slice(-2)).toEqual(['big', 'big again']);
    expect(cache.size.refs).toBeLessThanOrEqual(4);
  });

  it('shares one computation between concurrent calls', async () => {
    const { cache, versionReads } = setup();
    let release!: () => void;
    const compute = jest.fn(async () => {
      await new Promise<void>(resolve => {
        release = resolve;
      });
      return { hidden: new Set(['x']), keep: true };
    });
    const calls = Array.from({ length: 5 }, () =>
      cache.get('below:t', 'd1', compute),
    );
    await new Promise(resolve => setImmediate(resolve));
    release();
    const sets = await Promise.all(calls);
    expect(compute).toHaveBeenCalledTimes(1);
    expect(new Set(sets).size).toBe(1);
    // The version, too, is read once for the burst.
    expect(versionReads).toHaveBeenCalledTimes(1);
  });

  it('does not keep a set its computation says depends on more than the snapshot', async () => {
    const { cache, computations, computing } = setup();
    await cache.get('entity:e', 'd1', computing('a', ['e'], false));
    await cache.get('entity:e', 'd1', computing('b', ['e'], false));
    expect(computations).toEqual(['a', 'b']);
  });

  it('forgets a failed computation', async () => {
    const { cache, computing } = setup();
    await expect(
      cache.get('below:t', 'd1', async () => {
        throw new Error('snapshot unreadable');
      }),
    ).rejects.toThrow('snapshot unreadable');
    expect([
      ...(await cache.get('below:t', 'd1', computing('a', ['x']))),
    ]).toEqual(['x']);
  });
});

describe('canonicalJson', () => {
  it('gives equal decisions one form whatever the order of their keys', () => {
    const a = {
      result: 'CONDITIONAL',
      pluginId: 'costscope',
      conditions: { anyOf: [{ rule: 'R', params: { b: 1, a: [2, 1] } }] },
    };
    const b = {
      conditions: { anyOf: [{ params: { a: [2, 1], b: 1 }, rule: 'R' }] },
      pluginId: 'costscope',
      result: 'CONDITIONAL',
    };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    // Arrays keep their order.
    expect(canonicalJson({ a: [1, 2] })).not.toBe(canonicalJson({ a: [2, 1] }));
  });
});
