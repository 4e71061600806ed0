import { nextCostWindowState, planCostWindow } from './costWindow';

describe('planCostWindow', () => {
  const options = { today: '2026-11-23', backfillDays: 90, settleDays: 3 };

  it('backfills history on the first run', () => {
    expect(planCostWindow({ ...options, state: undefined })).toEqual({
      from: '2026-08-25',
      to: '2026-11-23',
      backfill: true,
    });
  });

  it('re-reads only the days that can still change', () => {
    const state = { backfilledFrom: '2026-08-25', finalThrough: '2026-11-18' };
    expect(planCostWindow({ ...options, state })).toEqual({
      from: '2026-11-19',
      to: '2026-11-23',
      backfill: false,
    });
  });

  it('re-reads at least the settle days even when they were final', () => {
    const state = { backfilledFrom: '2026-08-25', finalThrough: '2026-11-22' };
    expect(planCostWindow({ ...options, state }).from).toBe('2026-11-20');
  });

  it('catches up after a long pause, from the day after the last final one', () => {
    const state = { backfilledFrom: '2026-08-25', finalThrough: '2026-10-01' };
    expect(planCostWindow({ ...options, state }).from).toBe('2026-10-02');
  });

  it('backfills again when the history to keep grew', () => {
    const state = { backfilledFrom: '2026-10-01', finalThrough: '2026-11-18' };
    expect(planCostWindow({ ...options, state })).toMatchObject({
      from: '2026-08-25',
      backfill: true,
    });
  });
});

describe('nextCostWindowState', () => {
  const window = { from: '2026-08-25', to: '2026-11-23' };

  it('marks days final up to the settle days', () => {
    expect(
      nextCostWindowState({
        window,
        previous: undefined,
        firstEstimatedDay: undefined,
        settleDays: 3,
      }),
    ).toEqual({ backfilledFrom: '2026-08-25', finalThrough: '2026-11-19' });
  });

  it('keeps Estimated days and everything after them open', () => {
    expect(
      nextCostWindowState({
        window,
        previous: undefined,
        firstEstimatedDay: '2026-11-15',
        settleDays: 3,
      }).finalThrough,
    ).toBe('2026-11-14');
  });

  it('keeps the earliest backfilled day of earlier runs', () => {
    expect(
      nextCostWindowState({
        window: { from: '2026-11-19', to: '2026-11-23' },
        previous: { backfilledFrom: '2026-08-25', finalThrough: '2026-11-18' },
        firstEstimatedDay: '2026-11-19',
        settleDays: 3,
      }),
    ).toEqual({ backfilledFrom: '2026-08-25', finalThrough: '2026-11-18' });
  });
});
