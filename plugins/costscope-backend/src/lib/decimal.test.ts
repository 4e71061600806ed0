import { divideHalfEven, parseDecimal, toNanos } from './decimal';

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
    expect(parseDecimal(text)).toBe(expected);
  });

  it('rounds beyond 18 fractional digits half to even', () => {
    expect(parseDecimal('0.0000000000000000005')).toBe(0n);
    expect(parseDecimal('0.0000000000000000015')).toBe(2n);
    expect(parseDecimal('0.0000000000000000025')).toBe(2n);
  });

  it.each(['', 'abc', '1,5', '1.2.3', 'NaN', '--1', 'e5', '1e99999', 'NULL'])(
    'rejects %p',
    text => {
      expect(parseDecimal(text)).toBeUndefined();
    },
  );
});

describe('toNanos', () => {
  it('rounds once, half to even', () => {
    expect(toNanos(parseDecimal('0.0000000005')!)).toBe(0n);
    expect(toNanos(parseDecimal('0.0000000015')!)).toBe(2n);
    expect(toNanos(parseDecimal('-0.0000000015')!)).toBe(-2n);
    expect(toNanos(parseDecimal('1.0000000004999')!)).toBe(1_000_000_000n);
  });

  it('does not accumulate error when summing before rounding', () => {
    // Ten lines of 0.00000000015 each: rounding each line would give 10 * 0 = 0 nanos
    // (half-even of 0.15 nano) but the exact sum is 1.5 nanos -> 2.
    let sum = 0n;
    for (let i = 0; i < 10; i++) sum += parseDecimal('0.00000000015')!;
    expect(toNanos(sum)).toBe(2n);
  });
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
