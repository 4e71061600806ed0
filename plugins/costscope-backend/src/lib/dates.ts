const DAY_MS = 86_400_000;

function toEpochDay(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / DAY_MS;
}

function fromEpochDay(epochDay: number): string {
  return new Date(epochDay * DAY_MS).toISOString().slice(0, 10);
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
