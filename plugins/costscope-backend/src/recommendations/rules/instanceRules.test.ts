import { InventoryResource } from '@costscope/backstage-plugin-node';
import { computeRecommendations } from '../computeRecommendations';
import {
  recommendationsConfig,
  RecommendationsConfigOverrides,
} from '../recommendationsConfig';
import { flat, hourly, instance, NOW } from '../__testUtils__/resources';
import { testPriceTable } from '../__testUtils__/prices';

const prices = testPriceTable();

function run(
  resources: InventoryResource[],
  overrides: RecommendationsConfigOverrides = {},
  extra: {
    billingHourlyCost?: Map<string, bigint>;
  } = {},
) {
  return computeRecommendations(resources, {
    config: recommendationsConfig({
      ...overrides,
    }),
    now: NOW,
    prices,
    ...extra,
  });
}

const kinds = (result: ReturnType<typeof run>) =>
  result.recommendations.map(r => r.kind);

describe('idle instances', () => {
  it('flags a flat idle instance, with its evidence and whole cost as saving', () => {
    const result = run([
      instance({
        type: 't3.medium',
        utilisation: [flat('cpu', 1, 3)],
      }),
    ]);
    expect(result.skipped).toEqual([]);
    expect(result.recommendations).toHaveLength(1);
    const [recommendation] = result.recommendations;
    expect(recommendation).toMatchObject({
      id: 'idle-instance:i-0123456789abcdef0',
      kind: 'idle-instance',
      resourceName: 'test-instance',
      currentType: 't3.medium',
      // 0.0416 USD/h x 730 h = 30.368
      monthlySaving: '30.368000000',
      currentMonthlyCost: '30.368000000',
      currency: 'USD',
      confidence: 'high',
      priceSource: 'price-table',
      state: 'open',
      evidence: {
        cpu: { average: 1, p95: 3, maximum: 3 },
        hours: 336,
        lookbackDays: 14,
        runningPercent: 100,
      },
    });
    expect(recommendation.reason).toContain(
      'CPU averaged 1.0 % and never went above 3.0 %',
    );
  });

  it('honours both idle thresholds', () => {
    const box = instance({ utilisation: [flat('cpu', 4, 12)] });
    expect(kinds(run([box]))).toEqual(['idle-instance']);
    // average threshold
    expect(kinds(run([box], { idle: { cpuAveragePercent: 4 } }))).not.toContain(
      'idle-instance',
    );
    // maximum threshold
    expect(
      kinds(run([box], { idle: { cpuMaximumPercent: 12 } })),
    ).not.toContain('idle-instance');
    expect(kinds(run([box], { idle: { enabled: false } }))).not.toContain(
      'idle-instance',
    );
  });

  it('lowers the confidence for partial data and for GPU instances', () => {
    const partial = run([instance({ utilisation: [flat('cpu', 1, 2, 100)] })])
      .recommendations[0];
    expect(partial.confidence).toBe('medium');
    const gpu = run([
      instance({ type: 'g5.xlarge', utilisation: [flat('cpu', 1, 2)] }),
    ]).recommendations[0];
    expect(gpu).toMatchObject({ kind: 'idle-instance', confidence: 'medium' });
    expect(gpu.reason).toContain('GPU load is not measured');
  });
});

describe('over-provisioned instances', () => {
  it('downsizes a steadily low instance one size, when two sizes would not fit', () => {
    // c6i.2xlarge (8 vCPU, 16 GiB): CPU p95 = max = 30 %, memory p95 = max = 30 %
    // c6i.xlarge (4 vCPU): CPU 60 % <= 70 and <= 90, memory 60 % <= 80 and <= 90 -> fits
    // c6i.large (2 vCPU): CPU 120 % -> does not fit
    const result = run([
      instance({
        utilisation: [flat('cpu', 20, 30), flat('memory', 25, 30)],
      }),
    ]);
    expect(result.recommendations).toHaveLength(1);
    expect(result.recommendations[0]).toMatchObject({
      kind: 'overprovisioned-instance',
      action: 'Resize from c6i.2xlarge to c6i.xlarge',
      currentType: 'c6i.2xlarge',
      suggestedType: 'c6i.xlarge',
      // (0.34 - 0.17) x 730 = 124.1
      monthlySaving: '124.100000000',
      currentMonthlyCost: '248.200000000',
      confidence: 'high',
      evidence: {
        cpu: { average: 20, p95: 30, maximum: 30 },
        memory: { average: 25, p95: 30, maximum: 30 },
      },
    });
    expect(result.recommendations[0].reason).toContain(
      'on 4 vCPUs that is about 60.0 % p95 and 60.0 % maximum',
    );
  });

  it('does not downsize a spiky instance with a low average when its peaks would not fit', () => {
    // average about 6 %, p95 of hourly maxima 15 %, but a daily job peaks at 92 %
    const spiky = hourly('cpu', 14 * 24, (_i, t) =>
      t.getUTCHours() === 2
        ? { average: 60, maximum: 92 }
        : { average: 4, maximum: 15 },
    );
    const result = run([
      instance({ type: 'c6i.4xlarge', utilisation: [spiky] }),
    ]);
    expect(result.recommendations).toEqual([]);
    expect(result.skipped).toEqual([]);
    // p95 alone would allow it: only the maximum (92 % -> 184 %) stops the resize
    expect(
      kinds(
        run([instance({ type: 'c6i.4xlarge', utilisation: [spiky] })], {
          overprovisioned: { cpuMaximumPercent: 100 },
        }),
      ),
    ).toEqual([]);
  });

  it('does not downsize when p95 would not fit though the average is low', () => {
    // average 10 %, but 10 % of the hours peak at 60 %: p95 60 % -> 120 % on half the vCPUs
    const busyHours = hourly('cpu', 14 * 24, i =>
      i % 10 === 0 ? { average: 40, maximum: 60 } : { average: 7, maximum: 12 },
    );
    expect(kinds(run([instance({ utilisation: [busyHours] })]))).toEqual([]);
  });

  it('leaves a steadily busy instance alone', () => {
    const result = run([
      instance({
        type: 'm6i.8xlarge',
        utilisation: [flat('cpu', 65, 85), flat('memory', 70, 80)],
      }),
    ]);
    expect(result.recommendations).toEqual([]);
    expect(result.skipped).toEqual([]);
  });

  it('keeps a memory-bound instance at its size though its CPU is low', () => {
    // r6i.4xlarge: CPU 10 % / 20 %, memory 70 % / 78 %: half the memory would be 140 %
    const boxes = [
      instance({
        type: 'r6i.4xlarge',
        utilisation: [flat('cpu', 10, 20), flat('memory', 70, 78)],
      }),
    ];
    expect(run(boxes).recommendations).toEqual([]);
    // without memory data the same CPU would be downsized (to r6i.2xlarge, 8 vCPU: 40 %)
    const cpuOnly = run([
      instance({ type: 'r6i.4xlarge', utilisation: [flat('cpu', 10, 20)] }),
    ]).recommendations;
    expect(cpuOnly).toHaveLength(1);
    expect(cpuOnly[0]).toMatchObject({
      suggestedType: 'r6i.2xlarge',
      confidence: 'medium', // memory not reported
    });
    expect(cpuOnly[0].reason).toContain('Memory is not reported');
  });

  it('moves a CPU-light, memory-heavy m instance to a smaller size only as far as memory allows', () => {
    // m6i.24xlarge (96 vCPU, 384 GiB): CPU 22.6 / 25.4 %, memory 42.8 / 44.7 %
    // m6i.12xlarge: memory 85.6 % > 80 -> no; m6i.16xlarge: memory 64.2 %, CPU 33.9 % -> yes
    // c6i.24xlarge (192 GiB) has the memory of m6i.12xlarge -> no
    const [recommendation] = run([
      instance({
        type: 'm6i.24xlarge',
        utilisation: [flat('cpu', 12, 22.6), flat('memory', 31, 42.8)].map(
          s => ({
            ...s,
            points: s.points.map((p, i) =>
              i === 0 ? { ...p, maximum: s.metric === 'cpu' ? 25.4 : 44.7 } : p,
            ),
          }),
        ),
      }),
    ]).recommendations;
    expect(recommendation).toMatchObject({
      suggestedType: 'm6i.16xlarge',
      // (4.608 - 3.072) x 730 = 1121.28
      monthlySaving: '1121.280000000',
    });
  });

  it('suggests a cheaper family when the profile allows, and not across architectures by default', () => {
    // t3.large (2 vCPU, 8 GiB), CPU 20 % avg / 40 % max, memory 45 / 60 %:
    // t3.medium halves memory (120 %) -> no; t3a.large fits and costs 0.0752 instead of 0.0832
    const grafana = instance({
      type: 't3.large',
      utilisation: [flat('cpu', 20, 40), flat('memory', 45, 60)],
    });
    const [recommendation] = run([grafana]).recommendations;
    expect(recommendation).toMatchObject({
      suggestedType: 't3a.large',
      // (0.0832 - 0.0752) x 730 = 5.84
      monthlySaving: '5.840000000',
      confidence: 'medium', // another family
    });
    expect(
      run([grafana], { overprovisioned: { otherFamilies: false } })
        .recommendations,
    ).toEqual([]);

    // c6i.xlarge at 20 / 30 %, memory 30 / 35 %: c6i.large fits (60 % / 70 %);
    // c6g.large / c7g.large (arm64) are cheaper still, but need the architecture change
    const compute = instance({
      type: 'c6i.xlarge',
      utilisation: [flat('cpu', 20, 30), flat('memory', 30, 35)],
    });
    expect(run([compute]).recommendations[0].suggestedType).toBe('c6i.large');
    const arm = run([compute], {
      overprovisioned: { architectureChange: true },
    }).recommendations[0];
    expect(arm).toMatchObject({
      suggestedType: 'c6g.large', // 0.068 < c7g.large 0.0725 < c6i.large 0.085
      confidence: 'low',
      action: 'Resize from c6i.xlarge to c6g.large (arm64: needs arm64 builds)',
      // (0.17 - 0.068) x 730 = 74.46
      monthlySaving: '74.460000000',
    });
  });

  it('puts a burstable type forward only when the average stays under its baseline', () => {
    // m5.large (2 vCPU, 8 GiB, 0.096) -> t3.large (2 vCPU, 8 GiB, baseline 30 %, 0.0832)
    const box = (average: number) =>
      instance({
        type: 'm5.large',
        utilisation: [flat('cpu', average, 45), flat('memory', 50, 60)],
      });
    expect(run([box(25)]).recommendations[0]).toMatchObject({
      suggestedType: 't3.large',
      // (0.096 - 0.0832) x 730 = 9.344
      monthlySaving: '9.344000000',
    });
    expect(run([box(35)]).recommendations).toEqual([]);
  });

  it('honours every fit threshold', () => {
    const box = instance({
      utilisation: [flat('cpu', 20, 30), flat('memory', 25, 30)],
    });
    // projected on c6i.xlarge: CPU p95 = max = 60 %, memory p95 = max = 60 %
    for (const key of [
      'cpuP95Percent',
      'cpuMaximumPercent',
      'memoryP95Percent',
      'memoryMaximumPercent',
    ] as const) {
      expect(
        run([box], { overprovisioned: { [key]: 60 } }).recommendations,
      ).toHaveLength(1);
      expect(
        run([box], { overprovisioned: { [key]: 59 } }).recommendations,
      ).toEqual([]);
    }
    expect(
      run([box], { overprovisioned: { enabled: false } }).recommendations,
    ).toEqual([]);
  });

  it('skips a GPU instance and an instance type the table does not know, saying why', () => {
    const result = run([
      instance({
        resourceId: 'i-gpu',
        type: 'g5.8xlarge',
        utilisation: [flat('cpu', 20, 30)],
      }),
      instance({
        resourceId: 'i-odd',
        type: 'x2idn.large',
        utilisation: [flat('cpu', 20, 30)],
      }),
    ]);
    expect(result.recommendations).toEqual([]);
    expect(result.skipped).toEqual([
      expect.objectContaining({
        resourceId: 'i-gpu',
        kind: 'overprovisioned-instance',
        code: 'accelerated',
      }),
      expect.objectContaining({
        resourceId: 'i-odd',
        code: 'no-price',
        message:
          'No billing cost for this instance, and no on-demand price is known for instance type x2idn.large in us-east-1 ' +
          '(prices from test, read 2026-07-20): configure the AWS module (costscope.aws, with pricing:GetProducts) ' +
          'to read the AWS Price List for that region, or list the price in the file costscope.recommendations.prices.file names',
      }),
    ]);
  });
});

describe('missing or short data', () => {
  it('gives no recommendation without utilisation, and says why', () => {
    const result = run([
      instance({ resourceId: 'i-none', utilisation: undefined }),
      instance({ resourceId: 'i-empty', utilisation: [] }),
      instance({
        resourceId: 'i-old',
        utilisation: [
          hourly(
            'cpu',
            48,
            () => ({ average: 1, maximum: 2 }),
            new Date('2026-10-01T00:00:00Z'),
          ),
        ],
      }),
    ]);
    expect(result.recommendations).toEqual([]);
    expect(result.skipped.map(s => [s.resourceId, s.code, s.message])).toEqual([
      [
        'i-none',
        'no-utilisation',
        'No utilisation data: the inventory source does not read CPU for this instance',
      ],
      ['i-empty', 'no-utilisation', 'No CPU data in the last 14 days'],
      ['i-old', 'no-utilisation', 'No CPU data in the last 14 days'],
    ]);
  });

  it('gives no recommendation with fewer hours than the minimum', () => {
    const idleButShort = instance({ utilisation: [flat('cpu', 1, 2, 29)] });
    const result = run([idleButShort]);
    expect(result.recommendations).toEqual([]);
    expect(result.skipped).toEqual([
      expect.objectContaining({
        code: 'insufficient-data',
        message:
          'Only 29 hours of CPU data in the last 14 days; at least 30 are needed',
      }),
    ]);
    // the minimum is configurable
    expect(kinds(run([idleButShort], { minimumHours: 29 }))).toEqual([
      'idle-instance',
    ]);
    // and so is the window
    expect(
      run([instance({ utilisation: [flat('cpu', 1, 2, 14 * 24)] })], {
        lookbackDays: 1,
        minimumHours: 24,
      }).recommendations[0].evidence,
    ).toMatchObject({ hours: 24, lookbackDays: 1 });
  });

  it('ignores memory with fewer hours than the minimum', () => {
    const [recommendation] = run([
      instance({
        utilisation: [flat('cpu', 20, 30), flat('memory', 95, 99, 10)],
      }),
    ]).recommendations;
    expect(recommendation.kind).toBe('overprovisioned-instance');
    expect(recommendation.evidence.memory).toBeUndefined();
  });

  it('does not judge stopped instances', () => {
    expect(
      run([instance({ state: 'stopped', utilisation: [flat('cpu', 0, 0)] })]),
    ).toEqual({ recommendations: [], skipped: [] });
  });
});

describe('office-hours schedule', () => {
  const staging = (overrides: Partial<InventoryResource> = {}) =>
    instance({
      type: 'c6i.xlarge',
      tags: { Env: 'staging' },
      utilisation: [
        hourly('cpu', 14 * 24, (_i, t) =>
          t.getUTCHours() >= 8 && t.getUTCHours() < 18
            ? { average: 40, maximum: 80 }
            : { average: 2, maximum: 5 },
        ),
      ],
      ...overrides,
    });

  it('suggests a schedule for a non-production instance running around the clock', () => {
    const [recommendation] = run([staging()]).recommendations;
    expect(recommendation).toMatchObject({
      kind: 'office-hours-schedule',
      currentType: 'c6i.xlarge',
      // 0.17 x 730 x (168 - 50) / 168 = 124.1 x 118 / 168 = 87.165476190|476... -> 87.165476190
      monthlySaving: '87.165476190',
      confidence: 'medium',
      evidence: { runningPercent: 100 },
    });
    expect(recommendation.reason).toContain(
      'Tagged Env=staging (not production)',
    );
  });

  it('does not schedule production, untagged, or already scheduled instances', () => {
    expect(
      run([staging({ tags: { env: 'Production' } })]).recommendations,
    ).toEqual([]);
    expect(run([staging({ tags: {} })]).recommendations).toEqual([]);
    const allHours = hourly('cpu', 14 * 24, () => ({
      average: 30,
      maximum: 80,
    }));
    const weekdaysOnly = staging({
      utilisation: [
        {
          ...allHours,
          points: allHours.points.filter(p => {
            const day = new Date(p.timestamp).getUTCDay();
            return day !== 0 && day !== 6;
          }),
        },
      ],
    });
    // 10 of 14 days = 71 % of the window: not around the clock
    expect(run([weekdaysOnly]).recommendations).toEqual([]);
  });

  it('honours its thresholds', () => {
    expect(
      run([staging({ tags: { env: 'prod-like' } })], {
        officeHours: { productionValues: ['prod-like'] },
      }).recommendations,
    ).toEqual([]);
    expect(
      run([staging({ tags: { tier: 'dev' } })], {
        officeHours: { environmentTagKeys: ['tier'] },
      }).recommendations[0]?.kind,
    ).toBe('office-hours-schedule');
    // 0.17 x 730 x (168 - 84) / 168 = 62.05
    expect(
      run([staging()], { officeHours: { scheduledHoursPerWeek: 84 } })
        .recommendations[0].monthlySaving,
    ).toBe('62.050000000');
    expect(
      run([staging({ utilisation: [flat('cpu', 30, 80, 300)] })], {
        officeHours: { minimumRunningPercent: 90 },
      }).recommendations,
    ).toEqual([]); // 300 of 336 hours = 89 %
    expect(
      run([staging()], { officeHours: { enabled: false } }).recommendations,
    ).toEqual([]);
  });

  it('counts the schedule on the resized cost, so both savings add up', () => {
    // c6i.2xlarge at 20 / 30 %: resize to c6i.xlarge saves 124.1; the schedule then saves
    // 0.17 x 730 x 118 / 168 = 87.165476190 (not 0.34 x ...)
    const result = run([
      instance({
        tags: { env: 'dev' },
        utilisation: [flat('cpu', 20, 30), flat('memory', 20, 30)],
      }),
    ]);
    expect(
      result.recommendations.map(r => [r.kind, r.monthlySaving, r.currentType]),
    ).toEqual([
      ['overprovisioned-instance', '124.100000000', 'c6i.2xlarge'],
      ['office-hours-schedule', '87.165476190', 'c6i.xlarge'],
    ]);
    // The schedule says which tip it builds on; the resize builds on none.
    expect(result.recommendations.map(r => r.countedAfter)).toEqual([
      undefined,
      result.recommendations[0].id,
    ]);
  });
});

describe('billing prices', () => {
  it('uses the billing cost per hour when known and says so', () => {
    // billing: 0.2448/h (a c6i.2xlarge at 72 % of 0.34); resize to c6i.xlarge keeps the discount:
    // saving = 0.2448 x (1 - 0.17 / 0.34) x 730 = 0.1224 x 730 = 89.352
    const result = run(
      [
        instance({
          utilisation: [flat('cpu', 20, 30), flat('memory', 20, 30)],
        }),
      ],
      {},
      { billingHourlyCost: new Map([['i-0123456789abcdef0', 244_800_000n]]) },
    );
    expect(result.recommendations[0]).toMatchObject({
      priceSource: 'billing',
      monthlySaving: '89.352000000',
      currentMonthlyCost: '178.704000000', // 0.2448 x 730
    });
  });

  it('prices instances the table does not know from billing alone', () => {
    const result = run(
      [instance({ type: 'x2idn.large', utilisation: [flat('cpu', 1, 2)] })],
      {},
      { billingHourlyCost: new Map([['i-0123456789abcdef0', 500_000_000n]]) },
    );
    expect(result.recommendations[0]).toMatchObject({
      kind: 'idle-instance',
      priceSource: 'billing',
      monthlySaving: '365.000000000',
    });
  });

  it('does not use a USD table for another billing currency', () => {
    const result = computeRecommendations(
      [instance({ utilisation: [flat('cpu', 1, 2)] })],
      { now: NOW, currency: 'EUR', prices },
    );
    expect(result.recommendations).toEqual([]);
    expect(result.skipped[0].message).toBe(
      'No billing cost for this instance, and the cached prices are in USD, not EUR',
    );
  });
});
