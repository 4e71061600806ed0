import {
  evidenceFacts,
  formatCommitmentTerm,
  formatHourlyMoney,
  kindLabel,
  nextDay,
  todayUtc,
} from './recommendations';
import { commitmentRecommendation } from '../__testUtils__/recommendationFixtures';
import { formatMoney } from './format';

describe('recommendation formatting', () => {
  it('keeps four decimals of an hourly amount', () => {
    expect(formatHourlyMoney('0.138240000', 'USD')).toBe(
      new Intl.NumberFormat(undefined, {
        style: 'currency',
        currency: 'USD',
        maximumFractionDigits: 4,
      }).format(0.1382),
    );
    // A malformed code falls back to the plain number and the code.
    expect(formatHourlyMoney('1.5', 'US')).toBe(formatMoney('1.5', 'US'));
  });

  it('lists only the evidence present', () => {
    expect(evidenceFacts({})).toEqual([]);
    expect(
      evidenceFacts({
        cpu: { average: 1, p95: 2.5, maximum: 3 },
        hours: 40,
        ageDays: 120,
      }),
    ).toEqual([
      { label: 'CPU', value: 'avg 1%, p95 2.5%, max 3%' },
      { label: 'Data', value: '40 hours' },
      { label: 'Age', value: '120 days' },
    ]);
  });

  it('describes a commitment term', () => {
    const c = commitmentRecommendation.commitment!;
    expect(formatCommitmentTerm(c)).toBe('12 months, no upfront');
    expect(
      formatCommitmentTerm({ ...c, termMonths: 36, upfrontPercent: 100 }),
    ).toBe('36 months, all upfront');
    expect(formatCommitmentTerm({ ...c, upfrontPercent: 50 })).toBe(
      '12 months, 50% upfront',
    );
  });

  it('counts days in UTC', () => {
    expect(todayUtc(new Date('2024-05-15T23:30:00-02:00'))).toBe('2024-05-16');
    expect(nextDay('2024-02-28')).toBe('2024-02-29');
    expect(nextDay('2024-12-31')).toBe('2025-01-01');
  });

  it('labels kinds, and passes unknown ones through', () => {
    expect(kindLabel('idle-instance')).toBe('Idle instance');
    expect(kindLabel('gpu-idle')).toBe('gpu-idle');
  });
});
