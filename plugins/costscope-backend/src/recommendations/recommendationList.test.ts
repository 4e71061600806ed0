import { Recommendation } from '@costscope/backstage-plugin-common';
import {
  buildRecommendationList,
  evidenceChangedMaterially,
  stateOn,
} from './recommendationList';

const recommendation = (
  id: string,
  monthlySaving: string,
  extra: Partial<Recommendation> = {},
): Recommendation => ({
  id,
  kind: 'idle-instance',
  provider: 'AWS',
  resourceId: id,
  resourceKind: 'instance',
  accountId: '1',
  region: 'us-east-1',
  action: 'Stop it',
  reason: 'Idle',
  evidence: {},
  monthlySaving,
  currency: 'USD',
  confidence: 'high',
  priceSource: 'price-table',
  state: 'open',
  ...extra,
});

const dismissal = (state: 'dismissed' | 'snoozed', until?: string) => ({
  state,
  reason: 'needed for the audit',
  by: 'user:default/jane',
  at: '2026-11-01T10:00:00Z',
  ...(until ? { until } : {}),
});

describe('buildRecommendationList', () => {
  it('totals open recommendations exactly and keeps set-aside recommendations apart', () => {
    const list = buildRecommendationList({
      entityRef: 'component:default/checkout-api',
      currency: 'USD',
      today: '2026-11-22',
      recommendations: [
        recommendation('a', '0.100000000'),
        recommendation('b', '0.200000000'),
        recommendation('c', '500.000000000', {
          state: 'dismissed',
          dismissal: dismissal('dismissed'),
        }),
        recommendation('d', '7.000000000', {
          state: 'snoozed',
          dismissal: dismissal('snoozed', '2026-12-01'),
        }),
        recommendation('e', '1.000000000', {
          state: 'snoozed',
          dismissal: dismissal('snoozed', '2026-11-22'),
        }),
      ],
    });
    expect(list.totalMonthlySaving).toBe('1.300000000'); // 0.1 + 0.2 + 1, not 1.3000000000000003
    expect(list.items.map(i => [i.id, i.state])).toEqual([
      ['e', 'open'], // its snooze ended today
      ['b', 'open'],
      ['a', 'open'],
    ]);
    expect(list.items[0].dismissal).toBeUndefined();
    expect(list.dismissed.map(i => [i.id, i.state])).toEqual([
      ['c', 'dismissed'],
      ['d', 'snoozed'],
    ]);
  });

  it('stateOn', () => {
    const snoozed = recommendation('x', '1', {
      state: 'snoozed',
      dismissal: dismissal('snoozed', '2026-12-01'),
    });
    expect(stateOn(snoozed, '2026-11-30')).toBe('snoozed');
    expect(stateOn(snoozed, '2026-12-01')).toBe('open');
    expect(stateOn(recommendation('y', '1'), '2026-12-01')).toBe('open');
  });
});

describe('evidenceChangedMaterially', () => {
  const before = recommendation('x', '100.000000000', {
    suggestedType: 'c6i.xlarge',
  });
  it('reopens on another suggested type or a saving that moved by more than the threshold', () => {
    expect(
      evidenceChangedMaterially(
        before,
        recommendation('x', '149.000000000', { suggestedType: 'c6i.xlarge' }),
      ),
    ).toBe(false);
    expect(
      evidenceChangedMaterially(
        before,
        recommendation('x', '150.000000001', { suggestedType: 'c6i.xlarge' }),
      ),
    ).toBe(true);
    expect(
      evidenceChangedMaterially(
        before,
        recommendation('x', '49.999999999', { suggestedType: 'c6i.xlarge' }),
      ),
    ).toBe(true);
    expect(
      evidenceChangedMaterially(
        before,
        recommendation('x', '100.000000000', { suggestedType: 'c6i.large' }),
      ),
    ).toBe(true);
    expect(
      evidenceChangedMaterially(
        before,
        recommendation('x', '120.000000000', { suggestedType: 'c6i.xlarge' }),
        10,
      ),
    ).toBe(true);
  });
});
