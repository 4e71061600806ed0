import {
  complement,
  decimalFraction,
  divide,
  exact,
  monthly,
  multiply,
  percentShare,
  roundNanos,
  subtract,
} from './exact';
import { formatAmount, toMoney } from './rules/common';

describe('exact', () => {
  it('keeps fractions exact and rounds once, half to even', () => {
    // 1/3 of a nano a month, and back
    const third = divide(exact(1n), exact(3n));
    expect(roundNanos(monthly(third))).toBe(243n); // 730 / 3 = 243.33
    expect(roundNanos(subtract(exact(10n), third))).toBe(10n); // 9.67
    expect(toMoney(multiply(exact(1_000_000_000n), percentShare(28)))).toBe(
      '0.280000000',
    );
    expect(toMoney(complement(decimalFraction('0.25')))).toBe('0.000000001'); // 0.75 nano
    expect(formatAmount(exact(1_232_640_000n), 4)).toBe('1.2326');
    expect(formatAmount(exact(1_232_650_000n), 4)).toBe('1.2326'); // half to even
    expect(formatAmount(exact(-15_000_000n), 2)).toBe('-0.02'); // -0.015 -> -0.02 (even)
    expect(() => decimalFraction('lots')).toThrow(
      "'lots' is not a decimal number",
    );
  });

  it('reads config numbers through their decimal text', () => {
    expect(decimalFraction(0.28)).toEqual({
      n: 28n * 10n ** 16n,
      d: 10n ** 18n,
    });
    expect(decimalFraction('52.5')).toEqual({
      n: 525n * 10n ** 17n,
      d: 10n ** 18n,
    });
    expect(() => decimalFraction(Number.NaN)).toThrow(
      "'NaN' is not a decimal number",
    );
  });
});
