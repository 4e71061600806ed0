import {
  compareMoney,
  formatChangeRatio,
  formatDuration,
  formatMoney,
  formatShare,
  formatUnitCost,
  isZeroMoney,
  moneySign,
} from './format';

describe('format', () => {
  it('formats money with Intl in the given currency', () => {
    const expected = new Intl.NumberFormat(undefined, {
      style: 'currency',
      currency: 'EUR',
    }).format(1234.567890123);
    expect(formatMoney('1234.567890123', 'EUR')).toBe(expected);
  });

  it('shows up to 4 fractional digits of a unit cost below 1', () => {
    const fine = new Intl.NumberFormat(undefined, {
      style: 'currency',
      currency: 'USD',
      minimumFractionDigits: 2,
      maximumFractionDigits: 4,
    });
    expect(formatUnitCost('0.012345678', 'USD')).toBe(fine.format(0.0123));
    expect(formatUnitCost('2.5', 'USD')).toBe(formatMoney('2.5', 'USD'));
    expect(formatUnitCost('0.5', 'NOT-A-CODE')).toContain('NOT-A-CODE');
  });

  it('signs changes', () => {
    expect(formatMoney('12.5', 'USD', { signed: true })).toMatch(/^\+/);
    expect(formatMoney('-12.5', 'USD', { signed: true })).toMatch(/^-/);
    expect(formatChangeRatio(0.25)).toMatch(/^\+25/);
    expect(formatChangeRatio(-0.1)).toMatch(/^-10/);
    expect(formatChangeRatio(null)).toBe('–');
    expect(formatShare(null)).toBe('–');
  });

  it('survives an unknown currency code', () => {
    expect(formatMoney('1', 'NOT-A-CODE')).toContain('NOT-A-CODE');
  });

  it('compares money exactly', () => {
    expect(compareMoney('0.000000001', '0.000000002')).toBe(-1);
    expect(compareMoney('10.0', '9.999999999')).toBe(1);
    expect(compareMoney('1.5', '1.500000000')).toBe(0);
    expect(moneySign('-0.000000001')).toBe(-1);
    expect(isZeroMoney('0.000000000')).toBe(true);
    expect(isZeroMoney('0.000000001')).toBe(false);
  });

  it('formats durations', () => {
    expect(formatDuration(undefined)).toBe('–');
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12345)).toBe('12.3 s');
    expect(formatDuration(245000)).toBe('4m 05s');
    expect(formatDuration(3720000)).toBe('1h 02m');
  });
});
