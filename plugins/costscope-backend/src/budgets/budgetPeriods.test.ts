import { budgetPeriodOf } from './budgetPeriods';

describe('budgetPeriodOf', () => {
  it.each([
    ['monthly', '2026-03-15', '2026-03-01', '2026-04-01'],
    ['monthly', '2026-03-01', '2026-03-01', '2026-04-01'],
    ['monthly', '2026-03-31', '2026-03-01', '2026-04-01'],
    ['monthly', '2024-02-29', '2024-02-01', '2024-03-01'],
    ['monthly', '2026-02-28', '2026-02-01', '2026-03-01'],
    ['monthly', '2026-12-31', '2026-12-01', '2027-01-01'],
    ['monthly', '2027-01-01', '2027-01-01', '2027-02-01'],
    ['quarterly', '2026-01-01', '2026-01-01', '2026-04-01'],
    ['quarterly', '2026-03-31', '2026-01-01', '2026-04-01'],
    ['quarterly', '2026-04-01', '2026-04-01', '2026-07-01'],
    ['quarterly', '2024-02-29', '2024-01-01', '2024-04-01'],
    ['quarterly', '2026-08-15', '2026-07-01', '2026-10-01'],
    ['quarterly', '2026-12-31', '2026-10-01', '2027-01-01'],
    ['annual', '2026-06-30', '2026-01-01', '2027-01-01'],
    ['annual', '2024-02-29', '2024-01-01', '2025-01-01'],
    ['annual', '2026-12-31', '2026-01-01', '2027-01-01'],
    ['annual', '2027-01-01', '2027-01-01', '2028-01-01'],
    ['annual', '1999-12-31', '1999-01-01', '2000-01-01'],
  ] as const)('%s period of %s is %s..%s', (period, day, from, to) => {
    expect(budgetPeriodOf(period, day)).toEqual({ from, to });
  });

  it('rejects invalid days and periods', () => {
    expect(() => budgetPeriodOf('monthly', '2026-02-29')).toThrow(TypeError);
    expect(() => budgetPeriodOf('monthly', '2026-1-5')).toThrow(TypeError);
    expect(() => budgetPeriodOf('weekly' as any, '2026-01-05')).toThrow(
      "unknown budget period 'weekly'",
    );
  });
});
