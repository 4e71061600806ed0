import { parseRecommendationState } from './parseRecommendationState';

const TODAY = '2026-11-22';

describe('parseRecommendationState', () => {
  it('reads each state, trimming the reason', () => {
    expect(parseRecommendationState({ state: 'open' }, TODAY)).toEqual({
      state: 'open',
    });
    // a reason sent with a reopen is not kept
    expect(
      parseRecommendationState({ state: 'open', reason: 'back' }, TODAY),
    ).toEqual({ state: 'open' });
    expect(
      parseRecommendationState(
        { state: 'dismissed', reason: ' kept for DR \n' },
        TODAY,
      ),
    ).toEqual({ state: 'dismissed', reason: 'kept for DR' });
    expect(
      parseRecommendationState(
        { state: 'snoozed', reason: 'freeze', until: '2026-11-23' },
        TODAY,
      ),
    ).toEqual({ state: 'snoozed', reason: 'freeze', until: '2026-11-23' });
  });

  it('counts characters, not UTF-16 units, against the limit', () => {
    expect(
      parseRecommendationState(
        { state: 'dismissed', reason: '😀'.repeat(500) },
        TODAY,
      ).reason,
    ).toHaveLength(1000);
    expect(() =>
      parseRecommendationState(
        { state: 'dismissed', reason: '😀'.repeat(501) },
        TODAY,
      ),
    ).toThrow(
      'invalid recommendation state: reason must be at most 500 characters',
    );
  });

  it('names the field of a bad body', () => {
    const problem = (body: unknown) => {
      try {
        parseRecommendationState(body, TODAY);
        return 'accepted';
      } catch (error) {
        // Only an InputError becomes a 400; anything else would be a 500.
        const { name, message } = error as Error;
        return name === 'InputError'
          ? message.replace('invalid recommendation state: ', '')
          : `${name}: ${message}`;
      }
    };
    expect(problem(undefined)).toBe('the body must be a JSON object');
    expect(
      problem({ state: 'snoozed', reason: 'x', until: '2026-11-21' }),
    ).toBe('until must be after today (2026-11-22)');
    expect(
      problem({ state: 'snoozed', reason: 'x', until: '23/11/2026' }),
    ).toBe("until '23/11/2026' is not a date YYYY-MM-DD");
    expect(problem({ state: 'snoozed', reason: 'x', until: 20261123 })).toBe(
      'until must be a date string',
    );
    expect(problem({ state: 'open', a: 1, b: 2 })).toBe(
      "unknown fields 'a', 'b'",
    );
  });
});
