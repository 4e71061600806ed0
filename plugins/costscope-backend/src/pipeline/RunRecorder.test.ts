import { Knex } from 'knex';
import { newRunRecord } from '../ingest/runRecord';
import { createTestDatabases } from '../__testUtils__/databases';
import { applyMigrations } from '../store/migrations';
import { RunStore } from '../store/RunStore';
import { RunRecorder } from './RunRecorder';

jest.setTimeout(60_000);

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

async function statusOf(knex: Knex, id: string) {
  return knex('costscope_ingest_runs')
    .where({ id })
    .first('status', 'started_at', 'finished_at', 'heartbeat_at', 'error');
}

describe('RunRecorder', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'beats while a run is in progress and stops when it finishes on %p',
    async id => {
      const knex = await databases.init(id);
      await applyMigrations(knex);
      const recorder = new RunRecorder(new RunStore(knex), {
        heartbeatMs: 20,
      });
      const run = newRunRecord('files', 'cost', 'manual', Date.now() - 1_000);
      await recorder.startRun(run);

      await sleep(200);
      const beating = await statusOf(knex, run.id);
      expect(beating.status).toBe('running');
      expect(beating.heartbeat_at > run.startedAt).toBe(true);

      await recorder.finishRun({
        ...run,
        status: 'succeeded',
        finishedAt: new Date().toISOString(),
      });
      const finished = await statusOf(knex, run.id);
      await sleep(100);
      expect(await statusOf(knex, run.id)).toEqual(finished);
      expect(finished.status).toBe('succeeded');
    },
  );

  it.each(databases.eachSupportedId())(
    'closes a run whose backend was killed, and leaves a live one, on %p',
    async id => {
      const knex = await databases.init(id);
      await applyMigrations(knex);
      const recorder = new RunRecorder(new RunStore(knex), {
        abandonedAfterMs: 60_000,
      });
      // Killed 10 minutes ago: it started and beat once, then its process was gone.
      const t0 = Date.now() - 10 * 60_000;
      const killed = newRunRecord('files', 'cost', 'schedule', t0);
      await new RunRecorder(new RunStore(knex)).startRun(killed);
      const lastBeat = new Date(t0 + 30_000).toISOString();
      await knex('costscope_ingest_runs')
        .where({ id: killed.id })
        .update({ heartbeat_at: lastBeat });

      expect(await recorder.closeAbandonedRuns()).toBe(1);
      expect(await statusOf(knex, killed.id)).toMatchObject({
        status: 'failed',
        finished_at: lastBeat,
        error: expect.stringContaining(`no heartbeat since ${lastBeat}`),
      });

      // Live, maybe on another instance: started 10 seconds ago, beating.
      const live = newRunRecord('cur', 'cost', 'schedule', Date.now() - 10_000);
      await new RunRecorder(new RunStore(knex)).startRun(live);
      expect(await recorder.closeAbandonedRuns()).toBe(0);
      const listed = await recorder.listRuns(10);
      expect(listed.map(r => [r.id, r.status])).toEqual([
        [live.id, 'running'],
        [killed.id, 'failed'],
      ]);
      expect(listed[1].error).toMatch(/^Abandoned/);
    },
  );
});
