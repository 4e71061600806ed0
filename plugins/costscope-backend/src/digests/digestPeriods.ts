import { DateRange, DigestPeriod } from '@costscope/backstage-plugin-common';
import { fromEpochDay, toEpochDay, weekdayOf } from '../budgets/series';

/*
 * Digest periods are UTC days, like every other range in Costscope: ISO weeks (Monday to
 * Sunday) and calendar months. Only when a digest is *sent* does the configured time zone
 * matter (Monday 09:00 in Berlin), see {@link latestDueDigest}.
 */

/** The week or month that contains `day`, inclusive. */
export function digestPeriodOf(period: DigestPeriod, day: string): DateRange {
  const epochDay = toEpochDay(day);
  if (period === 'week') {
    const monday = epochDay - ((weekdayOf(epochDay) + 6) % 7);
    return { from: fromEpochDay(monday), to: fromEpochDay(monday + 6) };
  }
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  return {
    from: `${day.slice(0, 7)}-01`,
    to: fromEpochDay(Date.UTC(year, month, 1) / 86_400_000 - 1),
  };
}

/** The period of the same kind just before `range`. */
export function previousDigestPeriod(
  period: DigestPeriod,
  range: DateRange,
): DateRange {
  return digestPeriodOf(period, fromEpochDay(toEpochDay(range.from) - 1));
}

/**
 * The same period a year earlier: the ISO week 52 weeks before (so weekdays line up), or the
 * same calendar month.
 */
export function lastYearDigestPeriod(
  period: DigestPeriod,
  range: DateRange,
): DateRange {
  if (period === 'week') {
    return digestPeriodOf(period, fromEpochDay(toEpochDay(range.from) - 364));
  }
  const year = Number(range.from.slice(0, 4)) - 1;
  return digestPeriodOf(period, `${year}${range.from.slice(4, 7)}-01`);
}

/**
 * The latest complete period given the last day with data: the one ending that day, or else
 * the one before the period the day falls in. What a page shows when no date is asked for.
 */
export function latestCompleteDigestPeriod(
  period: DigestPeriod,
  lastDataDay: string,
): DateRange {
  const current = digestPeriodOf(period, lastDataDay);
  return current.to === lastDataDay
    ? current
    : previousDigestPeriod(period, current);
}

/** When digests go out, in `timeZone`: weekly on a weekday, monthly on a day of the month. */
export interface DigestSchedule {
  period: DigestPeriod;
  /** Weekly: 1 = Monday ... 7 = Sunday. Monthly: 1 to 28. */
  day: number;
  /** Local time `HH:MM`. */
  time: string;
  /** An IANA time zone, e.g. `Europe/Berlin`. */
  timeZone: string;
}

/** A period whose digest is due: the period, and the instant it was due. */
export interface DueDigest {
  period: DigestPeriod;
  range: DateRange;
  dueAt: Date;
}

const LOCAL_PARTS = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock date and time `at` shows in `timeZone`. */
function localParts(at: Date, timeZone: string) {
  let format = LOCAL_PARTS.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    LOCAL_PARTS.set(timeZone, format);
  }
  const parts = Object.fromEntries(
    format.formatToParts(at).map(part => [part.type, part.value]),
  );
  return {
    day: `${parts.year}-${parts.month}-${parts.day}`,
    ms: Date.UTC(
      Number(parts.year),
      Number(parts.month) - 1,
      Number(parts.day),
      Number(parts.hour),
      Number(parts.minute),
      Number(parts.second),
    ),
  };
}

/** The instant at which the wall clock in `timeZone` shows `day` at `time`. */
export function instantOf(day: string, time: string, timeZone: string): Date {
  const [hours, minutes] = time.split(':').map(Number);
  const wallClock =
    toEpochDay(day) * 86_400_000 + (hours * 60 + minutes) * 60_000;
  // The zone's offset at the guess, then once more at the result: right across DST changes
  // except for wall-clock times a change skips, which land an hour off.
  let instant = wallClock;
  for (let i = 0; i < 2; i++) {
    const offset = localParts(new Date(instant), timeZone).ms - instant;
    instant = wallClock - offset;
  }
  return new Date(instant);
}

/** The day, on or before `day`, on which a digest of the schedule goes out. */
function sendDayOnOrBefore(schedule: DigestSchedule, day: string): string {
  const epochDay = toEpochDay(day);
  if (schedule.period === 'week') {
    const isoWeekday = ((weekdayOf(epochDay) + 6) % 7) + 1;
    return fromEpochDay(epochDay - ((isoWeekday - schedule.day + 7) % 7));
  }
  const dayOfMonth = Number(day.slice(8, 10));
  const sendDay = `${day.slice(0, 8)}${String(schedule.day).padStart(2, '0')}`;
  if (dayOfMonth >= schedule.day) return sendDay;
  const earlierMonth = digestPeriodOf(
    'month',
    fromEpochDay(epochDay - dayOfMonth),
  );
  return `${earlierMonth.from.slice(0, 8)}${String(schedule.day).padStart(
    2,
    '0',
  )}`;
}

/** The digest that goes out on `sendDay`: the period before the one that day falls in. */
function dueOnSendDay(schedule: DigestSchedule, sendDay: string): DueDigest {
  return {
    period: schedule.period,
    range: previousDigestPeriod(
      schedule.period,
      digestPeriodOf(schedule.period, sendDay),
    ),
    dueAt: instantOf(sendDay, schedule.time, schedule.timeZone),
  };
}

/** The send day before `sendDay`. */
function earlierSendDay(schedule: DigestSchedule, sendDay: string): string {
  return sendDayOnOrBefore(schedule, fromEpochDay(toEpochDay(sendDay) - 1));
}

/**
 * The latest period whose digest was due at or before `now`: the period that ended before
 * the last send day whose send time has passed in the schedule's time zone.
 */
export function latestDueDigest(
  schedule: DigestSchedule,
  now: Date,
): DueDigest {
  return dueDigests(schedule, now, { after: undefined, missed: 0 })[0];
}

/**
 * The periods whose digests are due at `now`, oldest first: the latest due one and, before
 * it, at most `missed` earlier ones that start after the period `after` starts (the latest
 * period a run has claimed). Without `after` (no digest was ever sent) only the latest: a
 * new installation does not send history.
 */
export function dueDigests(
  schedule: DigestSchedule,
  now: Date,
  options: { after: string | undefined; missed: number },
): DueDigest[] {
  let sendDay = sendDayOnOrBefore(
    schedule,
    localParts(now, schedule.timeZone).day,
  );
  if (dueOnSendDay(schedule, sendDay).dueAt.getTime() > now.getTime()) {
    sendDay = earlierSendDay(schedule, sendDay);
  }
  const due = [dueOnSendDay(schedule, sendDay)];
  const { after, missed } = options;
  while (after !== undefined && due.length <= missed) {
    sendDay = earlierSendDay(schedule, sendDay);
    const earlier = dueOnSendDay(schedule, sendDay);
    if (earlier.range.from <= after) break;
    due.unshift(earlier);
  }
  return due;
}
