import { Config } from '@backstage/config';
import { DigestSchedule } from './digestPeriods';

/** `costscope.digests`: when digests go out and to which entities. */
export interface DigestsConfig {
  /** Weekly and/or monthly; empty when digests are off. */
  schedules: DigestSchedule[];
  /** Lower-case kinds that get digests: `group`, optionally `system`. */
  kinds: string[];
  /** Whether digests also go to the alerts webhook, when one is set. */
  webhook: boolean;
  /** How many missed periods of a schedule are still sent, besides the latest due one. */
  missedPeriods: number;
}

const WEEKDAYS = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
];
const DIGEST_KINDS = ['group', 'system'];
/** Four weeks, or four months, of a backend that was down. */
const DEFAULT_MISSED_PERIODS = 4;
/** A year of weekly digests. */
const MAX_MISSED_PERIODS = 52;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

function readTime(config: Config, where: string): string {
  const time = config.getOptionalString('time') ?? '09:00';
  if (!TIME.test(time)) {
    throw new Error(`${where}.time must be HH:MM (24-hour), got '${time}'`);
  }
  return time;
}

function isOn(config: Config | undefined): config is Config {
  return !!config && config.getOptionalBoolean('enabled') !== false;
}

/**
 * Reads `costscope.digests`. Absent, no digest is sent. Throws an error naming the bad key,
 * which stops the backend at start.
 */
export function readDigestsConfig(root: Config): DigestsConfig {
  const digests = root.getOptionalConfig('costscope.digests');
  if (!digests) {
    return { schedules: [], kinds: [], webhook: false, missedPeriods: 0 };
  }
  const where = 'costscope.digests';
  const timeZone = digests.getOptionalString('timeZone') ?? 'UTC';
  try {
    Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions();
  } catch {
    throw new Error(
      `${where}.timeZone '${timeZone}' is not an IANA time zone such as Europe/Berlin`,
    );
  }
  const kinds = (digests.getOptionalStringArray('kinds') ?? ['group']).map(
    kind => kind.toLocaleLowerCase('en-US'),
  );
  for (const kind of kinds) {
    if (!DIGEST_KINDS.includes(kind)) {
      throw new Error(
        `${where}.kinds: '${kind}' is not one of ${DIGEST_KINDS.join(', ')}`,
      );
    }
  }

  const schedules: DigestSchedule[] = [];
  const weekly = digests.getOptionalConfig('weekly');
  if (isOn(weekly)) {
    const day = (weekly.getOptionalString('day') ?? 'monday').toLowerCase();
    if (!WEEKDAYS.includes(day)) {
      throw new Error(
        `${where}.weekly.day must be a weekday (monday ... sunday), got '${day}'`,
      );
    }
    schedules.push({
      period: 'week',
      day: WEEKDAYS.indexOf(day) + 1,
      time: readTime(weekly, `${where}.weekly`),
      timeZone,
    });
  }
  const monthly = digests.getOptionalConfig('monthly');
  if (isOn(monthly)) {
    const day = monthly.getOptionalNumber('day') ?? 1;
    if (!Number.isInteger(day) || day < 1 || day > 28) {
      throw new Error(
        `${where}.monthly.day must be a day of the month from 1 to 28, got ${day}`,
      );
    }
    schedules.push({
      period: 'month',
      day,
      time: readTime(monthly, `${where}.monthly`),
      timeZone,
    });
  }
  const missedPeriods =
    digests.getOptionalNumber('missedPeriods') ?? DEFAULT_MISSED_PERIODS;
  if (
    !Number.isInteger(missedPeriods) ||
    missedPeriods < 0 ||
    missedPeriods > MAX_MISSED_PERIODS
  ) {
    throw new Error(
      `${where}.missedPeriods must be a whole number from 0 to ${MAX_MISSED_PERIODS}, got ${missedPeriods}`,
    );
  }
  return {
    schedules,
    kinds: schedules.length > 0 ? kinds : [],
    webhook: digests.getOptionalBoolean('webhook') ?? true,
    missedPeriods,
  };
}
