const DAY_MS = 86_400_000;

/** Days of the range a request gets when it names none: the last 30 days up to yesterday. */
export const DEFAULT_RANGE_DAYS = 30;

/** Yesterday (UTC): the last day with complete billing data, where default ranges end. */
export function defaultRangeEnd(now: Date): string {
  return new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 1),
  )
    .toISOString()
    .slice(0, 10);
}

/** The range a request gets when it names none (and pages open on). */
export function defaultRange(now: Date): { from: string; to: string } {
  const to = defaultRangeEnd(now);
  return { from: fromEpochDay(toEpochDay(to) - DEFAULT_RANGE_DAYS + 1), to };
}

function toEpochDay(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / DAY_MS;
}

function fromEpochDay(epochDay: number): string {
  return new Date(epochDay * DAY_MS).toISOString().slice(0, 10);
}

/** Whether `value` is a real UTC day written `YYYY-MM-DD` (not 2026-02-30). */
export function isCalendarDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return (
    !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value
  );
}

/** Days in an inclusive range. */
export function daysInRange(from: string, to: string): number {
  return toEpochDay(to) - toEpochDay(from) + 1;
}

/** The range of equal length that ends the day before `from`. */
export function previousRange(
  from: string,
  to: string,
): { from: string; to: string } {
  const length = daysInRange(from, to);
  const start = toEpochDay(from);
  return { from: fromEpochDay(start - length), to: fromEpochDay(start - 1) };
}

/** Every day of an inclusive range, in order. */
export function eachDay(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = toEpochDay(from); day <= toEpochDay(to); day++) {
    days.push(fromEpochDay(day));
  }
  return days;
}

/** The calendar months (UTC) an inclusive range touches, each clipped to the range. */
export function monthsOf(
  from: string,
  to: string,
): Array<{ month: string; from: string; to: string }> {
  const months: Array<{ month: string; from: string; to: string }> = [];
  let year = Number(from.slice(0, 4));
  let month = Number(from.slice(5, 7));
  for (;;) {
    const key = `${year}-${String(month).padStart(2, '0')}`;
    if (key > to.slice(0, 7)) break;
    const last = fromEpochDay(Date.UTC(year, month, 1) / DAY_MS - 1);
    months.push({
      month: key,
      from: `${key}-01` < from ? from : `${key}-01`,
      to: last > to ? to : last,
    });
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return months;
}
