import { parseDecimal } from '@costscope/backstage-plugin-common';
import { compareBigInt, toNanos, WORK_SCALE } from './decimal';

const work = (text: string) => parseDecimal(text, WORK_SCALE)!;

describe('toNanos', () => {
  it('rounds once, half to even', () => {
    expect(toNanos(work('0.0000000005'))).toBe(0n);
    expect(toNanos(work('0.0000000015'))).toBe(2n);
    expect(toNanos(work('-0.0000000015'))).toBe(-2n);
    expect(toNanos(work('1.0000000004999'))).toBe(1_000_000_000n);
  });

  it('does not accumulate error when summing before rounding', () => {
    // Ten lines of 0.00000000015 each: rounding each line would give 10 * 0 = 0 nanos
    // (half-even of 0.15 nano) but the exact sum is 1.5 nanos -> 2.
    let sum = 0n;
    for (let i = 0; i < 10; i++) sum += work('0.00000000015');
    expect(toNanos(sum)).toBe(2n);
  });
});

describe('compareBigInt', () => {
  it('orders beyond the doubles', () => {
    const big = 2n ** 64n;
    expect([big + 1n, -big, big, 0n].sort(compareBigInt)).toEqual([
      -big,
      0n,
      big,
      big + 1n,
    ]);
  });
});
