import { toSnapshot } from '../allocation/catalogSnapshot';
import { ChargebackFactRow } from '../store/types';
import { entity } from '../__testUtils__/entities';
import { chargebackLines, chargebackRules, splitExactly } from './chargeback';

const entities = [
  entity(
    'Group',
    'commerce',
    { type: 'team', children: ['checkout'] },
    { 'costscope.io/cost-center': 'CC-1100' },
  ),
  entity('Group', 'checkout', { type: 'team', parent: 'commerce' }),
  entity('Group', 'data', { type: 'team' }),
  entity('Component', 'api', { owner: 'checkout' }),
  entity('Component', 'lake', { owner: 'data' }),
  entity('System', 'platform', { owner: 'data' }),
  entity('Component', 'mesh', { owner: 'data', system: 'platform' }),
  entity('Component', 'stray', {}),
].map(toSnapshot);

async function collect(
  rows: ChargebackFactRow[],
  options: Partial<Parameters<typeof chargebackRules>[0]> = {},
) {
  const lines = [];
  for await (const line of chargebackLines(
    (async function* facts() {
      yield* rows;
    })(),
    chargebackRules({
      entities,
      by: 'group',
      sharedEntities: ['system:default/platform'],
      sharedCost: 'own-line',
      ...options,
    }),
  )) {
    lines.push(line);
  }
  return lines;
}

const row = (
  month: string,
  entityRef: string | null,
  costNanos: bigint,
  service = 'EC2',
): ChargebackFactRow => ({ month, entityRef, service, costNanos });

describe('splitExactly', () => {
  it.each([
    [10n, [1n, 1n, 1n], [4n, 3n, 3n]],
    [5n, [2n, 1n], [3n, 2n]],
    [-10n, [1n, 1n, 1n], [-4n, -3n, -3n]],
    [100n, [3n, 1n], [75n, 25n]],
    [7n, [5n, 0n, 2n], [5n, 0n, 2n]],
    [1n, [1n, 2n], [0n, 1n]],
  ])('splits %p by %p into %p', (cost, weights, parts) => {
    const split = splitExactly(cost, weights);
    expect(split).toEqual(parts);
    expect(split.reduce((a, b) => a + b, 0n)).toBe(cost);
  });
});

describe('chargebackLines', () => {
  it('charges owning groups, and shows shared and unallocated cost as own lines', async () => {
    const lines = await collect([
      row('2026-01', 'component:default/api', 10n),
      row('2026-01', 'component:default/api', 5n, 'RDS'),
      row('2026-01', 'group:default/data', 7n),
      row('2026-01', 'component:default/mesh', 3n),
      row('2026-01', null, 2n, 'Tax'),
      row('2026-01', 'component:default/stray', 1n),
      row('2026-02', 'component:default/lake', 4n),
    ]);
    expect(
      lines.map(l => [l.month, l.owner, l.service, l.kind, l.costNanos]),
    ).toEqual([
      ['2026-01', 'group:default/checkout', 'EC2', 'allocated', 10n],
      ['2026-01', 'group:default/checkout', 'RDS', 'allocated', 5n],
      ['2026-01', 'group:default/data', 'EC2', 'allocated', 7n],
      ['2026-01', '', 'EC2', 'allocated', 1n],
      ['2026-01', '', 'EC2', 'shared', 3n],
      ['2026-01', '', 'Tax', 'unallocated', 2n],
      ['2026-02', 'group:default/data', 'EC2', 'allocated', 4n],
    ]);
    expect(lines[3].ownerName).toBe('No owner in the catalog');
  });

  it('charges cost centers, inherited from the parent group', async () => {
    const lines = await collect(
      [
        row('2026-01', 'component:default/api', 10n),
        row('2026-01', 'component:default/lake', 4n),
      ],
      { by: 'costCenter' },
    );
    expect(lines.map(l => [l.owner, l.ownerName, l.costNanos])).toEqual([
      ['CC-1100', undefined, 10n],
      ['', 'No cost center', 4n],
    ]);
  });

  it('splits shared and unallocated cost by each owner’s cost, to the nano', async () => {
    const rows = [
      row('2026-01', 'component:default/api', 2n),
      row('2026-01', 'component:default/lake', 1n),
      row('2026-01', 'component:default/mesh', 10n),
      row('2026-01', null, 5n, 'Tax'),
    ];
    const lines = await collect(rows, { sharedCost: 'proportional' });
    const shared = lines.filter(l => l.kind === 'shared');
    expect(shared.map(l => [l.owner, l.service, l.costNanos])).toEqual([
      ['group:default/checkout', 'EC2', 7n],
      ['group:default/checkout', 'Tax', 3n],
      ['group:default/data', 'EC2', 3n],
      ['group:default/data', 'Tax', 2n],
    ]);
    const total = (list: Array<{ costNanos: bigint }>) =>
      list.reduce((sum, l) => sum + l.costNanos, 0n);
    expect(total(lines)).toBe(total(rows));
  });

  it('refuses facts out of month order, which would split a month in two', async () => {
    await expect(
      collect([row('2026-02', null, 1n), row('2026-01', null, 1n)]),
    ).rejects.toThrow('ordered by month');
  });
});
