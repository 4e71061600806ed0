import { addMoney, moneyToNanos, nanosToMoney } from './money';

describe('money', () => {
  it('round-trips nano-units', () => {
    for (const value of [
      '0.000000000',
      '-0.000000001',
      '123456789012.345678901',
      '-5.100000000',
    ]) {
      expect(nanosToMoney(moneyToNanos(value))).toBe(value);
    }
  });

  it('adds exactly where floats would not', () => {
    expect(addMoney('0.100000000', '0.200000000')).toBe('0.300000000');
    expect(addMoney('9007199254.740993001', '0.000000001')).toBe(
      '9007199254.740993002',
    );
  });

  it('rejects malformed amounts', () => {
    expect(() => moneyToNanos('1e3')).toThrow("Invalid money amount '1e3'");
    expect(() => moneyToNanos('0.0000000001')).toThrow();
  });
});
