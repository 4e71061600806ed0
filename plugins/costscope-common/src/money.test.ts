import {
  addMoney,
  divideHalfEven,
  isMoneyText,
  moneyToNanos,
  nanosToMoney,
  parseDecimal,
} from './money';

/** The backend's working precision (1e-18), where billing exports are summed. */
const ATTO = 18;

describe('parseDecimal', () => {
  it.each([
    ['0', 0n],
    ['1', 10n ** 18n],
    ['-1.5', -15n * 10n ** 17n],
    ['0.000000000000000001', 1n],
    ['12.345678901234', 12_345_678_901_234_000_000n],
    ['+3.', 3n * 10n ** 18n],
    ['.25', 25n * 10n ** 16n],
    ['1.5E-7', 150_000_000_000n],
    ['2e3', 2000n * 10n ** 18n],
    ['  7.1  ', 71n * 10n ** 17n],
  ])('parses %s exactly', (text, expected) => {
    expect(parseDecimal(text, ATTO)).toBe(expected);
  });

  it('rounds beyond the scale half to even', () => {
    expect(parseDecimal('0.0000000000000000005', ATTO)).toBe(0n);
    expect(parseDecimal('0.0000000000000000015', ATTO)).toBe(2n);
    expect(parseDecimal('0.0000000000000000025', ATTO)).toBe(2n);
    expect(parseDecimal('0.0000000025', 9)).toBe(2n);
    expect(parseDecimal('-0.0000000035', 9)).toBe(-4n);
  });

  it('parses at any scale', () => {
    expect(parseDecimal('12.5', 9)).toBe(12_500_000_000n);
    expect(parseDecimal('12.5', 0)).toBe(12n); // half to even
    expect(parseDecimal('1e45', 9)).toBe(10n ** 54n);
  });

  it.each(['', 'abc', '1,5', '1.2.3', 'NaN', '--1', 'e5', '1e99999', 'NULL'])(
    'rejects %p',
    text => {
      expect(parseDecimal(text, ATTO)).toBeUndefined();
    },
  );
});

describe('divideHalfEven', () => {
  it('handles signs', () => {
    expect(divideHalfEven(5n, 2n)).toBe(2n);
    expect(divideHalfEven(7n, 2n)).toBe(4n);
    expect(divideHalfEven(-7n, 2n)).toBe(-4n);
    expect(divideHalfEven(7n, -2n)).toBe(-4n);
    expect(divideHalfEven(8n, 3n)).toBe(3n);
  });
});

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

  it('reads only the API form, where parseDecimal reads more', () => {
    expect(moneyToNanos(' 1.5 ')).toBe(1_500_000_000n);
    expect(moneyToNanos('-0')).toBe(0n);
    for (const text of ['+1', '1.', '.5', '1e3', '1 000', '0.0000000001']) {
      expect(isMoneyText(text)).toBe(false);
      expect(() => moneyToNanos(text)).toThrow(TypeError);
    }
    expect(isMoneyText('-12.000000001')).toBe(true);
    expect(isMoneyText(' 1')).toBe(false); // moneyToNanos trims first
  });
});
