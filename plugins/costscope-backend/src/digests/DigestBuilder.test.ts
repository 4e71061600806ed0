import { keptChargebackTotals } from './DigestBuilder';

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
