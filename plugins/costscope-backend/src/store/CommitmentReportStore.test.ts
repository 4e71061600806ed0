import { createTestDatabases } from '../__testUtils__/databases';
import { CommitmentReportStore } from './CommitmentReportStore';
import { applyMigrations, rollbackMigrations } from './migrations';
import { CommitmentReportRow } from './types';

jest.setTimeout(60_000);

const row = (
  month: string,
  extra: Partial<CommitmentReportRow> = {},
): CommitmentReportRow => ({
  sourceId: 'aws-ce-commitments-1',
  provider: 'AWS',
  commitmentType: 'SavingsPlans',
  month,
  currency: 'USD',
  coveredNanos: 100_000_000_000n,
  eligibleNanos: 400_000_000_000n,
  usedNanos: 72_000_000_000n,
  purchasedNanos: 75_000_000_000n,
  unusedNanos: 3_000_000_000n,
  netSavingsNanos: 25_000_000_000n,
  ...extra,
});

describe('CommitmentReportStore', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'replaces a source’s months of the range, keeps the others, exact beyond 2^53, on %p',
    async id => {
      const knex = await databases.init(id);
      await applyMigrations(knex);
      const store = new CommitmentReportStore(knex);
      await store.replace(
        'aws-ce-commitments-1',
        ['2026-08', '2026-09', '2026-10'],
        [row('2026-08'), row('2026-09'), row('2026-10')],
      );
      await store.replace(
        'other',
        ['2026-10'],
        [row('2026-10', { sourceId: 'other', commitmentType: 'Reservations' })],
      );
      // A refresh of September and October: August stays, October is replaced, September is
      // gone (the provider no longer reports it), the other source is untouched.
      const big = 9_007_199_254_740_993_123n;
      await store.replace(
        'aws-ce-commitments-1',
        ['2026-09', '2026-10'],
        [
          row('2026-10', {
            coveredNanos: big,
            usedNanos: null,
            purchasedNanos: null,
            unusedNanos: null,
            netSavingsNanos: -1n,
          }),
        ],
      );
      const rows = await store.list('2026-08', '2026-10');
      expect(rows).toEqual([
        row('2026-08'),
        row('2026-10', {
          coveredNanos: big,
          usedNanos: null,
          purchasedNanos: null,
          unusedNanos: null,
          netSavingsNanos: -1n,
        }),
        row('2026-10', { sourceId: 'other', commitmentType: 'Reservations' }),
      ]);
      expect(await store.list('2026-09', '2026-09')).toEqual([]);

      await expect(
        store.replace('aws-ce-commitments-1', ['2026-09'], [row('2026-10')]),
      ).rejects.toThrow(/not of source/);

      await rollbackMigrations(knex);
      expect(await knex.schema.hasTable('costscope_commitment_reports')).toBe(
        false,
      );
      await applyMigrations(knex);
      expect(await knex.schema.hasTable('costscope_commitment_reports')).toBe(
        true,
      );
    },
  );
});
