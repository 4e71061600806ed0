import { ConfigReader } from '@backstage/config';
import { readDigestsConfig } from './readDigestsConfig';

const read = (digests: unknown) =>
  readDigestsConfig(new ConfigReader({ costscope: { digests } } as any));

describe('readDigestsConfig', () => {
  it('sends nothing when costscope.digests is absent', () => {
    expect(readDigestsConfig(new ConfigReader({}))).toEqual({
      schedules: [],
      kinds: [],
      webhook: false,
      missedPeriods: 0,
    });
  });

  it('reads weekly and monthly schedules with defaults', () => {
    expect(
      read({ timeZone: 'Europe/Berlin', weekly: {}, monthly: { day: 3 } }),
    ).toEqual({
      kinds: ['group'],
      webhook: true,
      missedPeriods: 4,
      schedules: [
        { period: 'week', day: 1, time: '09:00', timeZone: 'Europe/Berlin' },
        { period: 'month', day: 3, time: '09:00', timeZone: 'Europe/Berlin' },
      ],
    });
    expect(
      read({
        kinds: ['Group', 'system'],
        weekly: { day: 'Friday', time: '16:30' },
        monthly: { enabled: false },
        webhook: false,
        missedPeriods: 0,
      }),
    ).toEqual({
      kinds: ['group', 'system'],
      webhook: false,
      missedPeriods: 0,
      schedules: [{ period: 'week', day: 5, time: '16:30', timeZone: 'UTC' }],
    });
  });

  it.each([
    [
      { timeZone: 'Mars/Olympus', weekly: {} },
      "timeZone 'Mars/Olympus' is not",
    ],
    [
      { weekly: { day: 'someday' } },
      'costscope.digests.weekly.day must be a weekday',
    ],
    [
      { weekly: { time: '9am' } },
      "costscope.digests.weekly.time must be HH:MM (24-hour), got '9am'",
    ],
    [
      { monthly: { day: 31 } },
      'costscope.digests.monthly.day must be a day of the month from 1 to 28, got 31',
    ],
    [
      { weekly: {}, kinds: ['component'] },
      "costscope.digests.kinds: 'component' is not one of group, system",
    ],
    [
      { weekly: {}, missedPeriods: 53 },
      'costscope.digests.missedPeriods must be a whole number from 0 to 52, got 53',
    ],
    [
      { weekly: {}, missedPeriods: 1.5 },
      'costscope.digests.missedPeriods must be a whole number from 0 to 52, got 1.5',
    ],
    [
      { weekly: {}, missedPeriods: -1 },
      'costscope.digests.missedPeriods must be a whole number from 0 to 52, got -1',
    ],
  ])('refuses %j', (digests, message) => {
    expect(() => read(digests)).toThrow(message);
  });
});
