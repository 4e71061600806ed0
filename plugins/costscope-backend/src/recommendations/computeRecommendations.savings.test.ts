import { addMoney } from '@costscope/backstage-plugin-common';
import { computeRecommendations } from './computeRecommendations';
import { recommendationsConfig } from './recommendationsConfig';
import { flat, instance, NOW, resource } from './__testUtils__/resources';
import { testPriceTable } from './__testUtils__/prices';

const prices = testPriceTable();

/**
 * Saving arithmetic against cases computed by hand, in exact decimal. Each case writes the
 * computation out; the expected string is what a person with pencil and paper gets.
 */
describe('saving arithmetic', () => {
  const config = recommendationsConfig({ commitment: { enabled: false } });

  it('office hours: one rounding, half to even, at the end', () => {
    // billing 0.000000021 USD/h: 21 nanos x 730 x 118 / 168 = 21 x 21535 / 42 = 10767.5 nanos
    // -> half to even -> 10768 nanos = 0.000010768
    // billing 0.000000063 USD/h: 63 x 21535 / 42 = 32302.5 nanos -> 32302 (even) = 0.000032302
    // Rounding each step instead (730 x 118 / 168 = 512.738... per nano) would give 10767.
    const result = computeRecommendations(
      [
        instance({
          resourceId: 'i-a',
          tags: { env: 'dev' },
          utilisation: [flat('cpu', 60, 80)],
        }),
        instance({
          resourceId: 'i-b',
          tags: { env: 'dev' },
          utilisation: [flat('cpu', 60, 80)],
        }),
      ],
      {
        config,
        now: NOW,
        prices,
        billingHourlyCost: new Map([
          ['i-a', 21n],
          ['i-b', 63n],
        ]),
      },
    );
    expect(
      Object.fromEntries(
        result.recommendations.map(r => [r.resourceId, r.monthlySaving]),
      ),
    ).toEqual({ 'i-a': '0.000010768', 'i-b': '0.000032302' });
  });

  it('office hours with a fractional schedule', () => {
    // t3.large 0.0832/h, 52.5 h a week:
    // 0.0832 x 730 = 60.736; 60.736 x (168 - 52.5) / 168 = 60.736 x 115.5 / 168
    // = 7015.008 / 168 = 41.756 exactly
    const [recommendation] = computeRecommendations(
      [
        instance({
          type: 't3.large',
          tags: { env: 'test' },
          utilisation: [flat('cpu', 25, 28), flat('memory', 70, 75)],
        }),
      ],
      {
        config: recommendationsConfig({
          commitment: { enabled: false },
          overprovisioned: { enabled: false },
          officeHours: { scheduledHoursPerWeek: 52.5 },
        }),
        now: NOW,
        prices,
      },
    ).recommendations;
    expect(recommendation).toMatchObject({
      kind: 'office-hours-schedule',
      monthlySaving: '41.756000000',
    });
  });

  it('resize with a discounted billing cost that does not divide evenly', () => {
    // billing 0.1 USD/h for an m6i.xlarge (list 0.192); m6i.large lists 0.096
    // resized = 0.1 x 0.096 / 0.192 = 0.05; saving = (0.1 - 0.05) x 730 = 36.5
    // billing 0.1 USD/h for a t3.large (0.0832) -> t3a.large (0.0752):
    // resized = 0.1 x 0.0752 / 0.0832 = 0.0903846153846...; saving = 0.0096153846153846 x 730
    // = 7.01923076923076... -> 7.019230769 (next digit 2)
    const result = computeRecommendations(
      [
        instance({
          resourceId: 'i-m',
          type: 'm6i.xlarge',
          // average 16 % -> 32 % on 2 vCPUs: above t3.large's 30 % baseline, so m6i.large
          utilisation: [flat('cpu', 16, 20), flat('memory', 20, 30)],
        }),
        instance({
          resourceId: 'i-t',
          type: 't3.large',
          utilisation: [flat('cpu', 20, 40), flat('memory', 45, 60)],
        }),
      ],
      {
        config,
        now: NOW,
        prices,
        billingHourlyCost: new Map([
          ['i-m', 100_000_000n],
          ['i-t', 100_000_000n],
        ]),
      },
    );
    expect(
      Object.fromEntries(
        result.recommendations.map(r => [
          r.resourceId,
          [r.suggestedType, r.monthlySaving, r.priceSource],
        ]),
      ),
    ).toEqual({
      'i-m': ['m6i.large', '36.500000000', 'billing'],
      'i-t': ['t3a.large', '7.019230769', 'billing'],
    });
  });

  it('totals many small savings exactly where floats drift', () => {
    // 1000 unassociated addresses at 0.005 x 730 = 3.65 each: exactly 3650.
    // As floats, 0.005 * 730 is 3.6500000000000004 and a running sum of 3.65 ends at
    // 3649.9999999999463: the exact path must not go through either.
    const addresses = Array.from({ length: 1000 }, (_, i) =>
      resource('address', { resourceId: `eipalloc-${i}` }),
    );
    const { recommendations } = computeRecommendations(addresses, {
      now: NOW,
      prices,
    });
    expect(recommendations).toHaveLength(1000);
    expect(recommendations.every(r => r.monthlySaving === '3.650000000')).toBe(
      true,
    );
    expect(addMoney(...recommendations.map(r => r.monthlySaving))).toBe(
      '3650.000000000',
    );
    let float = 0;
    for (let i = 0; i < 1000; i++) float += 0.005 * 730;
    expect(float).not.toBe(3650);
  });
});
