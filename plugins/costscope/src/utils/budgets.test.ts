import { formatThreshold, lastDayOf, trimAmount } from './budgets';

describe('budget helpers', () => {
  it('gives the last day of a period whose end is exclusive', () => {
    expect(lastDayOf({ to: '2024-06-01' })).toBe('2024-05-31');
    expect(lastDayOf({ to: '2024-03-01' })).toBe('2024-02-29');
    expect(lastDayOf({ to: '2025-01-01' })).toBe('2024-12-31');
  });

  it('trims amounts for editing without changing them', () => {
    expect(trimAmount('1200.000000000')).toBe('1200');
    expect(trimAmount('1200.500000000')).toBe('1200.5');
    expect(trimAmount('1000')).toBe('1000');
    expect(trimAmount('0.000000001')).toBe('0.000000001');
  });

  it('describes thresholds', () => {
    expect(formatThreshold({ kind: 'actual', percent: 80 })).toBe(
      '80% of actual spend',
    );
    expect(formatThreshold({ kind: 'forecast', percent: 100 })).toBe(
      '100% of the forecast',
    );
  });
});
