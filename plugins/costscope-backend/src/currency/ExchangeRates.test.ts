import { convertToNanos, ExchangeRates, parseRate } from './ExchangeRates';

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
    expect(rates.currencies()).toEqual(['EUR']);
  });
});
