import {
  evidenceFacts,
  formatCommitmentTerm,
  formatHourlyMoney,
  kindLabel,
  lookbackText,
  nextDay,
  pricesProblems,
  sizedAfterText,
  todayUtc,
} from './recommendations';
import { purchaseRecommendation } from '../__testUtils__/recommendationFixtures';
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
    const c = purchaseRecommendation.savingsPlan!;
    expect(formatCommitmentTerm(c)).toBe('12 months, no upfront');
    expect(
      formatCommitmentTerm({ ...c, termMonths: 36, upfrontPercent: 100 }),
    ).toBe('36 months, all upfront');
    expect(formatCommitmentTerm({ ...c, upfrontPercent: 50 })).toBe(
      '12 months, 50% upfront',
    );
  });

  it('describes how a Savings Plan purchase was sized', () => {
    const plan = purchaseRecommendation.savingsPlan!;
    expect(sizedAfterText(plan)).toBe('Sized after 2 rightsizing tips');
    expect(sizedAfterText({ sizedAfter: ['a'] })).toBe(
      'Sized after 1 rightsizing tip',
    );
    expect(sizedAfterText({ sizedAfter: [] })).toBe(
      'No rightsizing tip to act on first',
    );
    expect(lookbackText(plan)).toBe('30 days (2024-04-15 to 2024-05-14)');
    expect(
      lookbackText({
        ...plan,
        window: { from: '2024-05-01', to: '2024-05-14' },
      }),
    ).toBe('14 of 30 days (2024-05-01 to 2024-05-14)');
  });

  it('says which price refreshes failed and which prices are used', () => {
    expect(pricesProblems(undefined)).toEqual([]);
    expect(
      pricesProblems([
        {
          source: 'prices-file',
          refreshedAt: '2024-05-15T02:00:00Z',
          attemptedAt: '2024-05-15T02:00:00Z',
        },
        {
          source: 'aws-pricing',
          refreshedAt: '2024-05-13T02:00:00Z',
          attemptedAt: '2024-05-15T02:00:00Z',
          error: 'AccessDeniedException: not authorized',
        },
        {
          source: 'other',
          attemptedAt: '2024-05-15T02:00:00Z',
          error: 'Error: timeout',
        },
      ]),
    ).toEqual([
      'Prices could not be refreshed (aws-pricing): AccessDeniedException: not authorized; using prices from 2024-05-13.',
      'Prices could not be refreshed (other): Error: timeout; no prices from this source yet.',
    ]);
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
