/**
 * Runs `fn` with the process's clock moved to `at` (and running on from there), then puts it
 * back. The bench's organisation ends on a fixed day, and the digest sender decides what is
 * due from the clock; a scheduler in a real backend runs the task on that day instead.
 * Worker threads (the page driver) keep their own clock.
 */
export async function atClock<T>(at: string, fn: () => Promise<T>): Promise<T> {
  const RealDate = Date;
  const offset = RealDate.parse(at) - RealDate.now();
  class MovedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(RealDate.now() + offset);
      else super(...(args as [string | number | Date]));
    }
    static now(): number {
      return RealDate.now() + offset;
    }
  }
  globalThis.Date = MovedDate as DateConstructor;
  try {
    return await fn();
  } finally {
    globalThis.Date = RealDate;
  }
}
