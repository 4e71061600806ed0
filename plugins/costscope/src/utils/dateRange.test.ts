import {
  lastTwelveMonths,
  rangeForPreset,
  rangeLengthInDays,
} from './dateRange';

describe('rangeForPreset', () => {
  const now = new Date('2024-05-15T10:30:00Z');

  it('ends every range yesterday (UTC)', () => {
    expect(rangeForPreset('last30', now)).toEqual({
      from: '2024-04-15',
      to: '2024-05-14',
    });
    expect(rangeForPreset('last90', now)).toEqual({
      from: '2024-02-15',
      to: '2024-05-14',
    });
    expect(rangeForPreset('mtd', now)).toEqual({
      from: '2024-05-01',
      to: '2024-05-14',
    });
    expect(rangeForPreset('last12m', now)).toEqual({
      from: '2023-05-15',
      to: '2024-05-14',
    });
  });

  it('uses UTC days, not the local day', () => {
    // 23:30 UTC: still the 15th in UTC whatever the machine's zone.
    expect(rangeForPreset('last30', new Date('2024-05-15T23:30:00Z')).to).toBe(
      '2024-05-14',
    );
    expect(rangeForPreset('last30', new Date('2024-05-16T00:10:00Z')).to).toBe(
      '2024-05-15',
    );
  });

  it('gives inclusive ranges of the right length', () => {
    expect(rangeLengthInDays(rangeForPreset('last30', now))).toBe(30);
    expect(rangeLengthInDays(rangeForPreset('last90', now))).toBe(90);
    expect(rangeLengthInDays(rangeForPreset('last12m', now))).toBe(366); // includes 29 Feb 2024
    expect(
      rangeLengthInDays(
        rangeForPreset('last12m', new Date('2023-05-15T00:00:00Z')),
      ),
    ).toBe(365);
  });

  it('makes month to date on the 1st the 1st alone', () => {
    expect(rangeForPreset('mtd', new Date('2024-03-01T08:00:00Z'))).toEqual({
      from: '2024-03-01',
      to: '2024-03-01',
    });
    expect(rangeForPreset('mtd', new Date('2024-03-02T08:00:00Z'))).toEqual({
      from: '2024-03-01',
      to: '2024-03-01',
    });
  });

  it('crosses month and year ends', () => {
    expect(rangeForPreset('last30', new Date('2024-01-01T00:00:00Z'))).toEqual({
      from: '2023-12-02',
      to: '2023-12-31',
    });
    expect(rangeForPreset('last12m', new Date('2024-03-01T12:00:00Z'))).toEqual(
      {
        from: '2023-03-01',
        to: '2024-02-29',
      },
    );
  });
});

describe('lastTwelveMonths', () => {
  it('ends yesterday and starts on the 1st eleven months before its month', () => {
    expect(lastTwelveMonths(new Date('2026-12-06T10:00:00Z'))).toEqual({
      from: '2026-01-01',
      to: '2026-12-05',
    });
    // On the 1st, yesterday is last month's last day.
    expect(lastTwelveMonths(new Date('2026-03-01T00:30:00Z'))).toEqual({
      from: '2025-03-01',
      to: '2026-02-28',
    });
  });
});
