import { IngestRun } from '@costscope/backstage-plugin-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { applyMigrations } from './migrations';
import { RunStore } from './RunStore';

jest.setTimeout(60_000);

function runRecord(id: string, startedAt: string): IngestRun {
  return {
    id,
    sourceId: 'files',
    kind: 'cost',
    trigger: 'schedule',
    status: 'running',
    startedAt,
    filesRead: 0,
    filesSkipped: 0,
    inputs: [],
    rowsRead: 0,
    rowsRejected: 0,
    factsWritten: 0,
    billingPeriods: [],
    apiCalls: {},
    apiCostUsd: '0',
    rejections: [],
  };
}

describe('RunStore', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'stores a finished run as it was recorded on %p',
    async id => {
      const knex = await databases.init(id);
      await applyMigrations(knex);
      const store = new RunStore(knex);
      const run = runRecord('run-1', '2026-04-01T10:00:00.000Z');
      await store.insertRun(run);
      const finished: IngestRun = {
        ...run,
        status: 'succeeded',
        finishedAt: '2026-04-01T10:00:05.000Z',
        durationMs: 5_000,
        filesRead: 1,
        filesSkipped: 1,
        inputs: [
          { name: 'data/a.csv', status: 'read', focusVersion: '1.2' },
          { name: 'data/b.parquet', status: 'skipped', reason: 'unchanged' },
        ],
        rowsRead: 3,
        rowsRejected: 1,
        factsWritten: 2,
        billingPeriods: ['2026-03-01'],
        daysReplaced: { from: '2026-03-30', to: '2026-04-01' },
        rejections: [{ file: 'a.csv', line: 2, reason: 'no cost' }],
        apiCalls: { 'ce:GetCostAndUsage': 2 },
        apiCostUsd: '0.000000001',
      };
      await store.finishRun(finished);
      expect(await store.listRuns(10)).toEqual([finished]);
    },
  );

  it.each(databases.eachSupportedId())(
    'closes only running runs silent since the cutoff, at their last heartbeat, on %p',
    async id => {
      const knex = await databases.init(id);
      await applyMigrations(knex);
      const store = new RunStore(knex);
      await store.insertRun(runRecord('silent', '2026-04-01T10:00:00.000Z'));
      await store.updateHeartbeat('silent', '2026-04-01T10:00:30.000Z');
      await store.insertRun(runRecord('beating', '2026-04-01T10:00:00.000Z'));
      await store.updateHeartbeat('beating', '2026-04-01T10:10:00.000Z');
      const done = runRecord('done', '2026-04-01T09:00:00.000Z');
      await store.insertRun(done);
      await store.finishRun({ ...done, status: 'succeeded' });

      expect(await store.closeRunsSilentSince('2026-04-01T10:05:00.000Z')).toBe(
        1,
      );
      const byId = new Map((await store.listRuns(10)).map(r => [r.id, r]));
      expect(byId.get('silent')).toMatchObject({
        status: 'failed',
        finishedAt: '2026-04-01T10:00:30.000Z',
        durationMs: 30_000,
        error: expect.stringMatching(/^Abandoned: no heartbeat since/),
      });
      expect(byId.get('beating')?.status).toBe('running');
      expect(byId.get('done')?.status).toBe('succeeded');
    },
  );
});
