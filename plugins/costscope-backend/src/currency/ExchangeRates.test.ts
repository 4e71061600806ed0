import {
  convertToNanos,
  ExchangeRates,
  impliedRate,
  parseRate,
} from './ExchangeRates';

const ATTO_PER_NANO = 10n ** 9n;

describe('parseRate', () => {
  it('keeps the rate as written, exactly', () => {
    expect(parseRate(' 1.0842 ')).toEqual({
      text: '1.0842',
      digits: 10842n,
      divisor: 10000n,
    });
    expect(parseRate('157')).toEqual({
      text: '157',
      digits: 157n,
      divisor: 1n,
    });
    expect(parseRate('0.000000000001')?.digits).toBe(1n);
  });

  it.each([
    '0',
    '0.000',
    '-1.1',
    '1e3',
    '1.',
    '.5',
    '1.0000000000001',
    'x',
    '',
  ])('refuses %p', text => {
    expect(parseRate(text)).toBeUndefined();
  });
});

describe('convertToNanos', () => {
  const rate = parseRate('1.1')!;

  it('multiplies the exact amount and rounds the product once, half to even', () => {
    // 4.5 nano-units x 1.1 = 4.95: 5; rounding 4.5 first would give 4 x 1.1 = 4.4: 4.
    expect(convertToNanos((45n * ATTO_PER_NANO) / 10n, rate)).toBe(5n);
    // 2.5 x 1 = 2.5: half to even is 2; 3.5: 4.
    const one = parseRate('1')!;
    expect(convertToNanos((25n * ATTO_PER_NANO) / 10n, one)).toBe(2n);
    expect(convertToNanos((35n * ATTO_PER_NANO) / 10n, one)).toBe(4n);
    expect(convertToNanos((-35n * ATTO_PER_NANO) / 10n, one)).toBe(-4n);
  });

  it('stays exact beyond 2^53 nano-units', () => {
    // 12,345,678,901.123456789 EUR x 1.0842 = 13,385,185,064.5980518506338 USD
    const amount = 12_345_678_901_123_456_789n * ATTO_PER_NANO;
    expect(convertToNanos(amount, parseRate('1.0842')!)).toBe(
      13_385_185_064_598_051_851n,
    );
  });
});

describe('ExchangeRates', () => {
  const rates = new ExchangeRates(
    'USD',
    new Map([['EUR', new Map([['2026-03', parseRate('1.1')!]])]]),
  );

  it('needs no rate for the reporting currency and names what is missing', () => {
    expect(rates.refusal('USD', '2026-04')).toBeUndefined();
    expect(rates.refusal('EUR', '2026-03')).toBeUndefined();
    expect(rates.refusal('EUR', '2026-04')).toBe(
      'BillingCurrency EUR has no exchange rate to USD for 2026-04 (set costscope.exchangeRates)',
    );
    expect(rates.refusal('GBP', '2026-03')).toMatch(/GBP .* 2026-03/);
    // Priced in the reporting currency (FOCUS 1.2): the export itself gives the rate.
    expect(rates.refusal('EUR', '2026-04', 'USD')).toBeUndefined();
    expect(rates.refusal('EUR', '2026-04', 'GBP')).toMatch(/EUR .* 2026-04/);
    expect(rates.currencies()).toEqual(['EUR']);
  });
});

describe('impliedRate', () => {
  const work = (text: string) => BigInt(text) * 10n ** 16n; // hundredths to 1e-18 units

  it('divides the priced sum by the billed one once, to 12 digits, half to even', () => {
    // 16.25 USD for 15.00 EUR: 1.0833333333333...
    expect(impliedRate(work('1625'), work('1500'))).toEqual({
      text: '1.083333333333',
      digits: 1_083_333_333_333n,
      divisor: 10n ** 12n,
    });
    expect(impliedRate(work('300'), work('150'))?.text).toBe('2');
    // Credits: both sums negative, the rate positive.
    expect(impliedRate(work('-108'), work('-100'))?.text).toBe('1.08');
  });

  it('gives none for a zero or negative ratio', () => {
    expect(impliedRate(work('100'), 0n)).toBeUndefined();
    expect(impliedRate(work('-100'), work('100'))).toBeUndefined();
    expect(impliedRate(0n, work('100'))).toBeUndefined();
  });
});
