import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { readRecommendationsConfig } from './readRecommendationsConfig';
import { DEFAULT_RECOMMENDATIONS_CONFIG } from './recommendationsConfig';

const read = (recommendations: JsonObject) =>
  readRecommendationsConfig(
    new ConfigReader({ costscope: { recommendations } }),
  );

describe('readRecommendationsConfig', () => {
  it('gives the defaults when nothing is configured', () => {
    expect(readRecommendationsConfig(new ConfigReader({}))).toEqual(
      DEFAULT_RECOMMENDATIONS_CONFIG,
    );
    expect(read({})).toEqual(DEFAULT_RECOMMENDATIONS_CONFIG);
    expect(DEFAULT_RECOMMENDATIONS_CONFIG).toMatchObject({
      lookbackDays: 14,
      minimumHours: 30,
      idle: { cpuAveragePercent: 5, cpuMaximumPercent: 15 },
      oldSnapshot: { olderThanDays: 90 },
    });
  });

  it('reads every key', () => {
    const config = read({
      lookbackDays: 30,
      minimumHours: 48,
      minimumMonthlySaving: '2.50',
      idle: { enabled: false, cpuAveragePercent: 2, cpuMaximumPercent: 5 },
      overprovisioned: {
        cpuP95Percent: 60,
        cpuMaximumPercent: 80,
        memoryP95Percent: 70,
        memoryMaximumPercent: 85,
        otherFamilies: false,
        architectureChange: true,
      },
      officeHours: {
        environmentTagKeys: ['Stage'],
        productionValues: ['live'],
        minimumRunningPercent: 80,
        scheduledHoursPerWeek: 60,
      },
      unattachedVolume: { enabled: false },
      unassociatedAddress: { enabled: false },
      oldSnapshot: { olderThanDays: 180 },
      kubernetesRequests: {
        enabled: false,
        cpuUsagePercent: 30,
        ramUsagePercent: 40,
        minimumDays: 10,
      },
      commitment: {
        scope: 'account',
        lookbackDays: 60,
        discountPercent: 40,
        termMonths: 36,
        upfrontPercent: 100,
      },
    });
    expect(config).toEqual({
      lookbackDays: 30,
      minimumHours: 48,
      minimumMonthlySaving: '2.50',
      idle: { enabled: false, cpuAveragePercent: 2, cpuMaximumPercent: 5 },
      overprovisioned: {
        enabled: true,
        cpuP95Percent: 60,
        cpuMaximumPercent: 80,
        memoryP95Percent: 70,
        memoryMaximumPercent: 85,
        otherFamilies: false,
        architectureChange: true,
      },
      officeHours: {
        enabled: true,
        environmentTagKeys: ['Stage'],
        productionValues: ['live'],
        minimumRunningPercent: 80,
        scheduledHoursPerWeek: 60,
      },
      unattachedVolume: { enabled: false },
      unassociatedAddress: { enabled: false },
      oldSnapshot: { enabled: true, olderThanDays: 180 },
      kubernetesRequests: {
        enabled: false,
        cpuUsagePercent: 30,
        ramUsagePercent: 40,
        minimumDays: 10,
      },
      commitment: {
        enabled: true,
        scope: 'account',
        lookbackDays: 60,
        discountPercent: 40,
        termMonths: 36,
        upfrontPercent: 100,
      },
    });
    expect(read({ minimumMonthlySaving: 5 }).minimumMonthlySaving).toBe('5');
  });

  it.each([
    [
      { lookbackDays: 0 },
      'costscope.recommendations.lookbackDays must be a whole number above 0, got 0',
    ],
    [
      { lookbackDays: 1.5 },
      'costscope.recommendations.lookbackDays must be a whole number above 0',
    ],
    [
      { lookbackDays: 100 },
      'costscope.recommendations.lookbackDays must be at most 93',
    ],
    [
      { lookbackDays: 1, minimumHours: 25 },
      'costscope.recommendations.minimumHours must fit in the lookback window (24 hours), got 25',
    ],
    [
      { minimumMonthlySaving: '-1' },
      'costscope.recommendations.minimumMonthlySaving must be a decimal amount',
    ],
    [
      { minimumMonthlySaving: 'ten' },
      'costscope.recommendations.minimumMonthlySaving must be a decimal amount',
    ],
    [
      { idle: { cpuAveragePercent: 0 } },
      'costscope.recommendations.idle.cpuAveragePercent must be more than 0 and at most 100, got 0',
    ],
    [
      { idle: { cpuAveragePercent: 10, cpuMaximumPercent: 8 } },
      'costscope.recommendations.idle.cpuMaximumPercent must not be below cpuAveragePercent (10), got 8',
    ],
    [
      { overprovisioned: { cpuP95Percent: 101 } },
      'costscope.recommendations.overprovisioned.cpuP95Percent must be more than 0 and at most 100, got 101',
    ],
    [
      { overprovisioned: { memoryMaximumPercent: -5 } },
      'costscope.recommendations.overprovisioned.memoryMaximumPercent',
    ],
    [
      { officeHours: { environmentTagKeys: [] } },
      'costscope.recommendations.officeHours.environmentTagKeys must list at least one value',
    ],
    [
      { officeHours: { productionValues: ['prod', ' '] } },
      'costscope.recommendations.officeHours.productionValues must list at least one value, none of them empty',
    ],
    [
      { officeHours: { scheduledHoursPerWeek: 168 } },
      'costscope.recommendations.officeHours.scheduledHoursPerWeek must be more than 0 and less than 168, got 168',
    ],
    [
      { oldSnapshot: { olderThanDays: 0 } },
      'costscope.recommendations.oldSnapshot.olderThanDays must be a whole number above 0, got 0',
    ],
    [
      { commitment: { discountPercent: 100 } },
      'costscope.recommendations.commitment.discountPercent must be more than 0 and less than 100, got 100',
    ],
    [
      { commitment: { termMonths: 24 } },
      'costscope.recommendations.commitment.termMonths must be 12 or 36, got 24',
    ],
    [
      { commitment: { lookbackDays: 14 } },
      'costscope.recommendations.commitment.lookbackDays must be 7, 30 or 60, got 14',
    ],
    [
      { commitment: { scope: 'organisation' } },
      'costscope.recommendations.commitment.scope must be payer or account, got "organisation"',
    ],
    [
      { commitment: { upfrontPercent: 120 } },
      'costscope.recommendations.commitment.upfrontPercent must be between 0 and 100, got 120',
    ],
  ])('rejects %j', (recommendations, message) => {
    expect(() => read(recommendations)).toThrow(message);
  });

  it('names the key of a value of the wrong type', () => {
    expect(() => read({ idle: { cpuAveragePercent: 'five' } })).toThrow(
      /costscope\.recommendations\.idle\.cpuAveragePercent/,
    );
    expect(() => read({ overprovisioned: { otherFamilies: 'maybe' } })).toThrow(
      /costscope\.recommendations\.overprovisioned\.otherFamilies/,
    );
  });
});
