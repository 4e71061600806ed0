import { monthsOf } from './dates';

describe('monthsOf', () => {
  it('clips the first and last month to the range', () => {
    expect(monthsOf('2025-12-15', '2026-02-10')).toEqual([
      { month: '2025-12', from: '2025-12-15', to: '2025-12-31' },
      { month: '2026-01', from: '2026-01-01', to: '2026-01-31' },
      { month: '2026-02', from: '2026-02-01', to: '2026-02-10' },
    ]);
  });

  it('knows leap years and single days', () => {
    expect(monthsOf('2028-02-01', '2028-02-29')).toEqual([
      { month: '2028-02', from: '2028-02-01', to: '2028-02-29' },
    ]);
    expect(monthsOf('2026-03-31', '2026-03-31')).toEqual([
      { month: '2026-03', from: '2026-03-31', to: '2026-03-31' },
    ]);
  });
});
