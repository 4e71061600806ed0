import { InputError } from '@backstage/errors';
import { DEFAULT_THRESHOLDS, parseBudgetInput } from './parseBudgetInput';

const valid = { amount: '1200', period: 'monthly', currency: 'USD' };

describe('parseBudgetInput', () => {
  it('normalises a minimal budget and fills the defaults', () => {
    expect(parseBudgetInput(valid, 'USD')).toEqual({
      amount: '1200.000000000',
      period: 'monthly',
      currency: 'USD',
      thresholds: DEFAULT_THRESHOLDS,
      recipients: [],
    });
  });

  it('keeps exact amounts and sorts thresholds and normalises recipients', () => {
    expect(
      parseBudgetInput(
        {
          amount: '9999999.123456789',
          period: 'quarterly',
          currency: 'EUR',
          thresholds: [
            { kind: 'forecast', percent: 90 },
            { kind: 'actual', percent: 120.5 },
            { kind: 'actual', percent: 75 },
          ],
          recipients: [
            'group:team-a',
            'User:Default/Jane',
            'group:default/team-a',
          ],
        },
        'EUR',
      ),
    ).toEqual({
      amount: '9999999.123456789',
      period: 'quarterly',
      currency: 'EUR',
      thresholds: [
        { kind: 'actual', percent: 75 },
        { kind: 'actual', percent: 120.5 },
        { kind: 'forecast', percent: 90 },
      ],
      recipients: ['group:default/team-a', 'user:default/jane'],
    });
  });

  it('accepts an empty threshold list, the largest amount and 1000 %', () => {
    expect(
      parseBudgetInput(
        {
          amount: '1000000000000',
          period: 'annual',
          currency: 'USD',
          thresholds: [{ kind: 'forecast', percent: 1000 }],
        },
        'USD',
      ).thresholds,
    ).toEqual([{ kind: 'forecast', percent: 1000 }]);
    expect(
      parseBudgetInput({ ...valid, thresholds: [] }, 'USD').thresholds,
    ).toEqual([]);
    expect(
      parseBudgetInput({ ...valid, amount: '0.000000001' }, 'USD').amount,
    ).toBe('0.000000001');
  });

  const bad: Array<[string, unknown, string]> = [
    ['null body', null, 'the budget must be a JSON object'],
    ['array body', [valid], 'the budget must be a JSON object'],
    ['string body', 'amount=5', 'the budget must be a JSON object'],
    [
      'missing amount',
      { period: 'monthly', currency: 'USD' },
      'amount is required',
    ],
    [
      'numeric amount',
      { ...valid, amount: 1200 },
      'amount must be a decimal string such as "1200.50"',
    ],
    [
      'non-numeric amount',
      { ...valid, amount: 'lots' },
      `amount 'lots' is not a decimal number`,
    ],
    [
      'amount with a comma',
      { ...valid, amount: '1,200' },
      `amount '1,200' is not a decimal number`,
    ],
    [
      'empty amount',
      { ...valid, amount: '' },
      `amount '' is not a decimal number`,
    ],
    [
      'negative amount',
      { ...valid, amount: '-5' },
      'amount must be greater than zero',
    ],
    [
      'zero amount',
      { ...valid, amount: '0.000' },
      'amount must be greater than zero',
    ],
    [
      'ten decimals',
      { ...valid, amount: '1.0000000001' },
      'amount must have at most 9 decimal places',
    ],
    [
      'too large',
      { ...valid, amount: '1000000000000.000000001' },
      'amount must be at most 1000000000000',
    ],
    [
      'absurdly large',
      { ...valid, amount: '99999999999999999999' },
      'amount must be at most 1000000000000',
    ],
    [
      'exponent',
      { ...valid, amount: '1e3' },
      `amount '1e3' must not use exponent notation`,
    ],
    [
      'signed exponent',
      { ...valid, amount: '1.5E+3' },
      `amount '1.5E+3' must not use exponent notation`,
    ],
    ['missing period', { amount: '1', currency: 'USD' }, 'period is required'],
    [
      'unknown period',
      { ...valid, period: 'weekly' },
      'period must be one of monthly, quarterly, annual',
    ],
    [
      'missing currency',
      { amount: '1', period: 'monthly' },
      'currency is required',
    ],
    [
      'other currency',
      { ...valid, currency: 'EUR' },
      `currency 'EUR' must be the billing currency USD`,
    ],
    [
      'lower-case currency',
      { ...valid, currency: 'usd' },
      `currency 'usd' must be the billing currency USD`,
    ],
    [
      'thresholds not an array',
      { ...valid, thresholds: { kind: 'actual', percent: 5 } },
      'thresholds must be an array',
    ],
    [
      'eleven thresholds',
      {
        ...valid,
        thresholds: Array.from({ length: 11 }, (_, i) => ({
          kind: 'actual',
          percent: i + 1,
        })),
      },
      'thresholds must have at most 10 entries',
    ],
    [
      'zero percent',
      { ...valid, thresholds: [{ kind: 'actual', percent: 0 }] },
      'thresholds[0].percent must be greater than 0',
    ],
    [
      'negative percent',
      { ...valid, thresholds: [{ kind: 'actual', percent: -10 }] },
      'thresholds[0].percent must be greater than 0',
    ],
    [
      'percent over 1000',
      { ...valid, thresholds: [{ kind: 'forecast', percent: 1000.5 }] },
      'thresholds[0].percent must be at most 1000',
    ],
    [
      'percent as string',
      { ...valid, thresholds: [{ kind: 'actual', percent: '80' }] },
      'thresholds[0].percent must be a number',
    ],
    [
      'percent with 3 places',
      { ...valid, thresholds: [{ kind: 'actual', percent: 33.333 }] },
      'thresholds[0].percent must be an integer or a decimal with at most 2 places',
    ],
    [
      'missing percent',
      { ...valid, thresholds: [{ kind: 'actual' }] },
      'thresholds[0].percent is required',
    ],
    [
      'unknown kind',
      {
        ...valid,
        thresholds: [
          { kind: 'actual', percent: 5 },
          { kind: 'budget', percent: 5 },
        ],
      },
      `thresholds[1].kind must be 'actual' or 'forecast'`,
    ],
    [
      'unknown threshold field',
      { ...valid, thresholds: [{ kind: 'actual', percent: 5, email: true }] },
      `unknown field 'email' in thresholds[0]`,
    ],
    [
      'duplicate thresholds',
      {
        ...valid,
        thresholds: [
          { kind: 'actual', percent: 80 },
          { kind: 'forecast', percent: 80 },
          { kind: 'actual', percent: 80 },
        ],
      },
      'thresholds[2] repeats actual 80 %',
    ],
    [
      'recipients not an array',
      { ...valid, recipients: 'group:default/a' },
      'recipients must be an array',
    ],
    [
      'recipient without kind',
      { ...valid, recipients: ['team-a'] },
      `recipients[0] 'team-a' is not a user or group entity ref`,
    ],
    [
      'recipient of another kind',
      { ...valid, recipients: ['group:a', 'component:default/svc'] },
      `recipients[1] 'component:default/svc' is not a user or group entity ref`,
    ],
    [
      'malformed recipient',
      { ...valid, recipients: ['user:'] },
      `recipients[0] 'user:' is not a user or group entity ref`,
    ],
    [
      'recipient with spaces',
      { ...valid, recipients: ['user:jane doe'] },
      `recipients[0] 'user:jane doe' is not a user or group entity ref`,
    ],
    [
      'recipient not a string',
      { ...valid, recipients: [42] },
      'recipients[0] must be an entity ref string',
    ],
    [
      'unknown top-level field',
      { ...valid, source: 'config' },
      `unknown field 'source'`,
    ],
    [
      'unknown top-level fields',
      { ...valid, a: 1, b: 2 },
      `unknown fields 'a', 'b'`,
    ],
  ];

  it.each(bad)('rejects %s', (_name, body, message) => {
    let error: unknown;
    try {
      parseBudgetInput(body, 'USD');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(message);
  });

  it('reports every problem at once', () => {
    expect(() =>
      parseBudgetInput(
        { amount: '-1', period: 'daily', currency: 'USD' },
        'USD',
      ),
    ).toThrow(
      'invalid budget: amount must be greater than zero; period must be one of monthly, quarterly, annual',
    );
  });
});
