import {
  digestPeriodOf,
  dueDigests,
  instantOf,
  lastYearDigestPeriod,
  latestCompleteDigestPeriod,
  latestDueDigest,
  previousDigestPeriod,
} from './digestPeriods';

describe('digest periods', () => {
  it('are ISO weeks and calendar months', () => {
    // 2026-12-06 is a Sunday, 2026-12-07 a Monday.
    expect(digestPeriodOf('week', '2026-12-06')).toEqual({
      from: '2026-11-30',
      to: '2026-12-06',
    });
    expect(digestPeriodOf('week', '2026-12-07')).toEqual({
      from: '2026-12-07',
      to: '2026-12-13',
    });
    expect(digestPeriodOf('month', '2024-02-10')).toEqual({
      from: '2024-02-01',
      to: '2024-02-29',
    });
  });

  it('step back to the previous period and to last year', () => {
    expect(
      previousDigestPeriod('month', { from: '2026-01-01', to: '2026-01-31' }),
    ).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    expect(
      previousDigestPeriod('week', { from: '2026-12-07', to: '2026-12-13' }),
    ).toEqual({ from: '2026-11-30', to: '2026-12-06' });
    expect(
      lastYearDigestPeriod('week', { from: '2026-11-30', to: '2026-12-06' }),
    ).toEqual({ from: '2025-12-01', to: '2025-12-07' });
    expect(
      lastYearDigestPeriod('month', { from: '2026-02-01', to: '2026-02-28' }),
    ).toEqual({ from: '2025-02-01', to: '2025-02-28' });
  });

  it('take the latest complete period from the last day with data', () => {
    expect(latestCompleteDigestPeriod('week', '2026-12-06')).toEqual({
      from: '2026-11-30',
      to: '2026-12-06',
    });
    expect(latestCompleteDigestPeriod('week', '2026-12-05')).toEqual({
      from: '2026-11-23',
      to: '2026-11-29',
    });
    expect(latestCompleteDigestPeriod('month', '2026-11-30').from).toBe(
      '2026-11-01',
    );
    expect(latestCompleteDigestPeriod('month', '2026-12-05').from).toBe(
      '2026-11-01',
    );
  });
});

describe('latestDueDigest', () => {
  const weekly = {
    period: 'week' as const,
    day: 1,
    time: '09:00',
    timeZone: 'Europe/Berlin',
  };

  it('is last week once Monday 09:00 has passed in the time zone', () => {
    // Monday 2026-12-07 08:00 UTC is 09:00 in Berlin (UTC+1 in winter).
    const due = latestDueDigest(weekly, new Date('2026-12-07T08:00:00Z'));
    expect(due.range).toEqual({ from: '2026-11-30', to: '2026-12-06' });
    expect(due.dueAt.toISOString()).toBe('2026-12-07T08:00:00.000Z');

    const before = latestDueDigest(weekly, new Date('2026-12-07T07:59:00Z'));
    expect(before.range).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(before.dueAt.toISOString()).toBe('2026-11-30T08:00:00.000Z');
  });

  it('follows daylight saving time', () => {
    // Berlin is UTC+2 in summer: 09:00 on Monday 2026-06-08 is 07:00 UTC.
    const due = latestDueDigest(weekly, new Date('2026-06-10T12:00:00Z'));
    expect(due.range).toEqual({ from: '2026-06-01', to: '2026-06-07' });
    expect(due.dueAt.toISOString()).toBe('2026-06-08T07:00:00.000Z');
    expect(
      instantOf('2026-03-30', '09:00', 'Europe/Berlin').toISOString(),
    ).toBe('2026-03-30T07:00:00.000Z');
  });

  it('sends on the chosen weekday', () => {
    const wednesday = { ...weekly, day: 3, timeZone: 'UTC' };
    // Tuesday 2026-12-08: the last Wednesday send was 2026-12-02, for the week before it.
    expect(
      latestDueDigest(wednesday, new Date('2026-12-08T12:00:00Z')).range,
    ).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(
      latestDueDigest(wednesday, new Date('2026-12-09T09:00:00Z')).range,
    ).toEqual({ from: '2026-11-30', to: '2026-12-06' });
  });

  it('is last month once the day of the month has come', () => {
    const monthly = {
      period: 'month' as const,
      day: 3,
      time: '07:30',
      timeZone: 'America/New_York',
    };
    // 2026-12-03 07:30 in New York is 12:30 UTC.
    expect(
      latestDueDigest(monthly, new Date('2026-12-03T12:30:00Z')).range,
    ).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    const early = latestDueDigest(monthly, new Date('2026-12-03T12:29:00Z'));
    expect(early.range).toEqual({ from: '2026-10-01', to: '2026-10-31' });
    expect(early.dueAt.toISOString()).toBe('2026-11-03T12:30:00.000Z');
    // Early in January: December's digest is not due before the 3rd.
    expect(
      latestDueDigest(monthly, new Date('2027-01-02T12:00:00Z')).range,
    ).toEqual({ from: '2026-11-01', to: '2026-11-30' });
  });
});

describe('dueDigests', () => {
  const monthly = {
    period: 'month' as const,
    day: 3,
    time: '07:30',
    timeZone: 'America/New_York',
  };
  const froms = (options: { after: string | undefined; missed: number }) =>
    dueDigests(monthly, new Date('2027-02-10T12:00:00Z'), options).map(
      due => `${due.range.from} due ${due.dueAt.toISOString().slice(0, 10)}`,
    );

  it('is the latest alone before any digest was sent', () => {
    expect(froms({ after: undefined, missed: 4 })).toEqual([
      '2027-01-01 due 2027-02-03',
    ]);
  });

  it('adds the periods after the latest one claimed, oldest first, at most missed', () => {
    expect(froms({ after: '2026-10-01', missed: 4 })).toEqual([
      '2026-11-01 due 2026-12-03',
      '2026-12-01 due 2027-01-03',
      '2027-01-01 due 2027-02-03',
    ]);
    expect(froms({ after: '2026-10-01', missed: 1 })).toEqual([
      '2026-12-01 due 2027-01-03',
      '2027-01-01 due 2027-02-03',
    ]);
    expect(froms({ after: '2027-01-01', missed: 4 })).toEqual([
      '2027-01-01 due 2027-02-03',
    ]);
  });
});
