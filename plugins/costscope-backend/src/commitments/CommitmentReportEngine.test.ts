import { mockServices } from '@backstage/backend-test-utils';
import {
  CommitmentReport,
  CommitmentReportSource,
} from '@costscope/backstage-plugin-node';
import { createTestDatabases } from '../__testUtils__/databases';
import { RunRecorder } from '../pipeline/RunRecorder';
import { CommitmentReportStore } from '../store/CommitmentReportStore';
import { applyMigrations } from '../store/migrations';
import { RunStore } from '../store/RunStore';
import {
  commitmentReportRange,
  CommitmentReportEngine,
} from './CommitmentReportEngine';

jest.setTimeout(60_000);

const TODAY = new Date('2026-11-22T06:00:00Z');
const plans = (months: CommitmentReport['months']): CommitmentReport => ({
  provider: 'AWS',
  commitmentType: 'SavingsPlans',
  currency: 'USD',
  months,
});
const october = {
  month: '2026-10',
  coveredCost: '12570.624000000',
  eligibleCost: '35853.846960000',
  usedCommitment: '9050.849280000',
  purchasedCommitment: '9427.970000000',
  unusedCommitment: '377.120720000',
  netSavings: '3142.654000000',
};

function sourceOf(
  read: CommitmentReportSource['read'],
): CommitmentReportSource & { contexts: Array<{ from: string; to: string }> } {
  const contexts: Array<{ from: string; to: string }> = [];
  return {
    id: 'aws-ce-commitments-111122223333',
    provider: 'AWS',
    contexts,
    read: async context => {
      contexts.push({ from: context.from, to: context.to });
      return read(context);
    },
  };
}

describe('commitmentReportRange', () => {
  it('reads 13 months, the current one included, to today', () => {
    expect(commitmentReportRange(TODAY)).toEqual({
      from: '2025-11-01',
      to: '2026-11-22',
    });
    // across a year end
    expect(commitmentReportRange(new Date('2027-01-01T00:00:00Z'))).toEqual({
      from: '2026-01-01',
      to: '2027-01-01',
    });
  });
});

describe('CommitmentReportEngine', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'stores what a source reports, records the run and its API cost, and keeps the figures when a later read fails on %p',
    async id => {
      const knex = await databases.init(id);
      await applyMigrations(knex);
      const store = new CommitmentReportStore(knex);
      const runStore = new RunStore(knex);
      const engine = new CommitmentReportEngine({
        store,
        runs: new RunRecorder(runStore),
        logger: mockServices.logger.mock(),
        now: () => TODAY,
      });

      const good = sourceOf(async context => {
        for (let i = 0; i < 4; i++) {
          context.apiCall('ce:GetSavingsPlansCoverage', '0.01');
        }
        context.apiCall('ce:GetSavingsPlansUtilization', '0.01');
        return [
          plans([
            october,
            // the provider reports a month the bill may not have yet
            {
              month: '2026-11',
              coveredCost: '1.000000000',
              eligibleCost: '4.000000000',
            },
          ]),
        ];
      });
      const run = await engine.run(good, 'manual');
      expect(good.contexts).toEqual([{ from: '2025-11-01', to: '2026-11-22' }]);
      expect(run).toMatchObject({
        kind: 'commitments',
        status: 'succeeded',
        rowsRead: 2,
        factsWritten: 2,
        apiCalls: {
          'ce:GetSavingsPlansCoverage': 4,
          'ce:GetSavingsPlansUtilization': 1,
        },
        apiCostUsd: '0.050000000',
      });
      const stored = await store.list('2025-11', '2026-11');
      expect(stored.map(r => [r.month, r.coveredNanos, r.usedNanos])).toEqual([
        ['2026-10', 12_570_624_000_000n, 9_050_849_280_000n],
        ['2026-11', 1_000_000_000n, null],
      ]);

      // A failing read and a read with a bad figure each fail the run and keep October.
      const failing = sourceOf(async context => {
        context.apiCall('ce:GetSavingsPlansCoverage', '0.01');
        throw new Error(
          'Cost Explorer GetSavingsPlansCoverage, account 111122223333: AccessDeniedException: denied',
        );
      });
      const failed = await engine.run(failing, 'schedule');
      expect(failed).toMatchObject({
        status: 'failed',
        error: expect.stringContaining('AccessDeniedException'),
        apiCostUsd: '0.010000000',
      });
      const outside = sourceOf(async () => [
        plans([{ ...october, month: '2025-10' }]),
      ]);
      expect(await engine.run(outside, 'schedule')).toMatchObject({
        status: 'failed',
        error: expect.stringMatching(
          /reported SavingsPlans 2025-10, outside the months/,
        ),
      });
      const notMoney = sourceOf(async () => [
        plans([{ ...october, netSavings: '3142.654000000001' }]),
      ]);
      expect(await engine.run(notMoney, 'schedule')).toMatchObject({
        status: 'failed',
        error: expect.stringMatching(/netSavings '3142.654000000001'/),
      });
      const twice = sourceOf(async () => [plans([october, october])]);
      expect((await engine.run(twice, 'schedule')).error).toMatch(
        /SavingsPlans 2026-10 twice/,
      );
      expect(await store.list('2025-11', '2026-11')).toHaveLength(2);

      // Every run is in the runs table, newest first.
      const runs = await runStore.listRuns(10);
      expect(runs.map(r => [r.kind, r.status])).toEqual([
        ['commitments', 'failed'],
        ['commitments', 'failed'],
        ['commitments', 'failed'],
        ['commitments', 'failed'],
        ['commitments', 'succeeded'],
      ]);

      // A later read without November removes it; October is replaced.
      await engine.run(
        sourceOf(async () => [plans([{ ...october, coveredCost: '1.5' }])]),
        'schedule',
      );
      expect(
        (await store.list('2025-11', '2026-11')).map(r => [
          r.month,
          r.coveredNanos,
        ]),
      ).toEqual([['2026-10', 1_500_000_000n]]);
    },
  );
});
