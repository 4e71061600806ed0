import {
  DateRange,
  EntityCompliance,
  EntityCostSummary,
} from '@costscope/backstage-plugin-common';
import { Visibility } from '../service/access';
import {
  DigestBuilder,
  DigestSources,
  keptChargebackTotals,
} from './DigestBuilder';

const report = (cost: string) =>
  JSON.stringify({
    lines: [
      { owner: 'group:default/Team-A', cost },
      { owner: 'group:default/team-a', cost: '0.000000001' },
      { owner: 'CC-7', cost: '2.000000000' },
    ],
  });

describe('keptChargebackTotals', () => {
  it('sums the lines by lower-case owner, exactly', () => {
    const totals = keptChargebackTotals()(report('1.100000000'));
    expect([...totals]).toEqual([
      ['group:default/team-a', 1_100_000_001n],
      ['cc-7', 2_000_000_000n],
    ]);
  });

  it('parses a report once while its text stays the same', () => {
    const totalsOf = keptChargebackTotals();
    const parse = jest.spyOn(JSON, 'parse');
    try {
      const first = totalsOf(report('1.000000000'));
      expect(totalsOf(report('1.000000000'))).toBe(first);
      expect(parse).toHaveBeenCalledTimes(1);
      const next = totalsOf(report('3.000000000'));
      expect(next).not.toBe(first);
      expect(next.get('group:default/team-a')).toBe(3_000_000_001n);
      expect(parse).toHaveBeenCalledTimes(2);
    } finally {
      parse.mockRestore();
    }
  });
});

describe('DigestBuilder with shared reads', () => {
  const range = { from: '2026-03-01', to: '2026-03-31' };
  const complianceOf = (share: number) =>
    ({
      policy: { rules: [{ key: 'team' }] },
      compliantShareByCost: share,
    } as unknown as EntityCompliance);

  const summaryOf = (total: string) =>
    ({
      total,
      currency: 'USD',
      costBasis: 'billed',
      byEntity: [],
      byService: [],
    } as unknown as EntityCostSummary);

  /**
   * Sources that answer a month of 10.00 and compliance 0.25 read one by one; read for every
   * entity, 12.00 and 0.75 in the month, 8.00 and 0.5 in the month before.
   */
  function sources() {
    return {
      summary: jest.fn(async () => JSON.stringify(summaryOf('10.000000000'))),
      everyEntitySummary: jest.fn(
        async (r: DateRange) => () =>
          summaryOf(r.from === range.from ? '12.000000000' : '8.000000000'),
      ),
      listBudgets: jest.fn(async () => []),
      alertsCreated: jest.fn(async () => []),
      recommendations: jest.fn(async () => ({
        entityRef: 'group:default/a',
        currency: 'USD',
        items: [],
        dismissed: [],
        totalMonthlySaving: '0.000000000',
      })),
      compliance: jest.fn(async () => complianceOf(0.25)),
      everyEntityCompliance: jest.fn(
        async (query: DateRange) => () =>
          complianceOf(query.from === range.from ? 0.75 : 0.5),
      ),
      chargebackTotals: jest.fn(async () => new Map()),
      below: jest.fn(async (ref: string) => [ref]),
      costDays: jest.fn(async () => ({})),
      metricsOf: jest.fn(async () => []),
      unitCost: jest.fn(),
      metricsBelow: jest.fn(async () => []),
      commitments: jest.fn(async () => []),
    };
  }

  it('reads each period’s summaries and compliance once for every digest of a run', async () => {
    const source = sources();
    const builder = new DigestBuilder(source as DigestSources, 'billed');
    const shared = await builder.sharedReads('month', range);
    expect(
      source.everyEntityCompliance.mock.calls.map(([query]) => query),
    ).toEqual([
      { ...range, costBasis: 'billed' },
      { from: '2026-02-01', to: '2026-02-28', costBasis: 'billed' },
    ]);
    expect(source.everyEntitySummary.mock.calls).toEqual([
      [range],
      [{ from: '2026-02-01', to: '2026-02-28' }],
    ]);
    for (const entityRef of ['group:default/a', 'group:default/b']) {
      const digest = await builder.build({
        entityRef,
        period: 'month',
        range,
        today: '2026-04-01',
        shared,
      });
      expect(digest.compliance).toEqual({
        shareByCost: 0.75,
        previousShareByCost: 0.5,
      });
      expect(digest).toMatchObject({
        total: '12.000000000',
        previous: { total: '8.000000000' },
        change: '4.000000000',
      });
    }
    expect(source.compliance).not.toHaveBeenCalled();
    expect(source.summary).not.toHaveBeenCalled();
  });

  it('reads for the digest alone when it hides entities or counts on another basis', async () => {
    const source = sources();
    const builder = new DigestBuilder(source as DigestSources, 'billed');
    const shared = await builder.sharedReads('month', range);
    const hiding = await builder.build({
      entityRef: 'group:default/a',
      period: 'month',
      range,
      today: '2026-04-01',
      shared,
      visibility: {
        hidden: async () => new Set(['component:default/x']),
      } as unknown as Visibility,
    });
    const effective = await builder.build({
      entityRef: 'group:default/a',
      period: 'month',
      range,
      today: '2026-04-01',
      costBasis: 'effective',
      shared,
    });
    for (const digest of [hiding, effective]) {
      expect(digest.compliance).toEqual({
        shareByCost: 0.25,
        previousShareByCost: 0.25,
      });
      expect(digest.total).toBe('10.000000000');
    }
    expect(source.compliance).toHaveBeenCalledTimes(4);
    expect(source.summary).toHaveBeenCalledTimes(4);
  });
});
