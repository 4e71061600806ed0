import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import {
  coreServices,
  createBackendModule,
  createServiceFactory,
  LoggerService,
} from '@backstage/backend-plugin-api';
// The real database and scheduler services, so that both instances coordinate through PostgreSQL.
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
import knexFactory, { Knex } from 'knex';
import { costscopePlugin } from './plugin';
import { entity } from './__testUtils__/entities';
import { focusCsv, writeFocusDir } from './__testUtils__/focus';

/*
 * Two Costscope backends share one PostgreSQL database, each with the real database and
 * scheduler services, so the scheduler coordinates them through its own tables there. PostgreSQL
 * only, on purpose: this is the production topology. When the server cannot be reached the test
 * fails; it is never skipped.
 */

jest.setTimeout(60_000);

const INTERVAL_MS = 2_000;
/** How long both instances run side by side. */
const WINDOW_MS = 10_000;
/** Clock reading slack between the database and the instances (same host). */
const CLOCK_SLACK_MS = 100;
const TASK_ID = 'costscope-ingest-files';

const entities = [
  entity('Group', 'team-a', { type: 'team', children: [] }),
  entity('Component', 'api', { owner: 'team-a', type: 'service' }),
];

/** 150.25 USD for component:default/api in September 2026, against a budget of 100. */
const rows = [
  { day: '2026-09-01', cost: '100', tags: { service: 'api' }, resource: 'i-1' },
  {
    day: '2026-09-02',
    cost: '50.25',
    tags: { service: 'api' },
    resource: 'i-1',
  },
  { day: '2026-09-02', cost: '7', resource: 'i-untagged' },
];

type ServerConnection = {
  host: string;
  port: number;
  user: string;
  password?: string;
};

function serverConnection(): ServerConnection {
  const url = new URL(
    process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
      'postgresql://postgres@127.0.0.1:5432',
  );
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username || 'postgres'),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
  };
}

/** A logger that keeps every message, so that the test can tell the instances apart. */
function recordingLogger(lines: string[]): LoggerService {
  const logger: LoggerService = {
    error: message => lines.push(`error ${message}`),
    warn: message => lines.push(`warn ${message}`),
    info: message => lines.push(`info ${message}`),
    debug: () => {},
    child: () => logger,
  };
  return logger;
}

interface Instance {
  stop: () => Promise<void>;
  sent: NotificationSendOptions[];
  log: string[];
}

/**
 * Hands out the plugin's own database client. Stopping a test backend leaves PostgreSQL pools
 * open, so the test closes them itself.
 */
function databaseClientOf(clients: Knex[]) {
  return createBackendModule({
    pluginId: 'costscope',
    moduleId: 'test-database-client',
    register(env) {
      env.registerInit({
        deps: { database: coreServices.database },
        async init({ database }) {
          clients.push(await database.getClient());
        },
      });
    },
  });
}

async function startInstance(
  database: string,
  focusDir: string,
): Promise<Instance> {
  const sent: NotificationSendOptions[] = [];
  const log: string[] = [];
  const clients: Knex[] = [];
  const backend = await startTestBackend({
    features: [
      costscopePlugin,
      databaseClientOf(clients),
      catalogServiceMock.factory({ entities }),
      // The real services, not mocks: the scheduler keeps its tasks and their locks in the
      // plugin's database, which both instances share.
      databaseServiceFactory,
      schedulerServiceFactory,
      createServiceFactory({
        service: coreServices.logger,
        deps: {},
        factory: () => recordingLogger(log),
      }),
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({
          send: async (options: NotificationSendOptions) => {
            sent.push(options);
          },
        }),
      }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://portal.test' },
          backend: {
            database: {
              client: 'pg',
              connection: serverConnection(),
              ensureExists: false,
              plugin: { costscope: { connection: { database } } },
            },
          },
          costscope: {
            currency: 'USD',
            sources: [
              {
                id: 'files',
                type: 'focus',
                paths: [focusDir],
                schedule: {
                  frequency: { milliseconds: INTERVAL_MS },
                  timeout: { minutes: 1 },
                  initialDelay: { milliseconds: 500 },
                },
              },
            ],
            allocation: {
              schedule: {
                frequency: { hours: 24 },
                timeout: { minutes: 5 },
                initialDelay: { hours: 1 },
              },
            },
            budgets: [
              {
                entityRef: 'component:default/api',
                amount: 100,
                period: 'monthly',
                thresholds: [{ kind: 'actual', percent: 100 }],
              },
            ],
            alerts: { anomalies: { enabled: false } },
          },
        },
      }),
    ],
  });
  return {
    stop: async () => {
      await backend.stop();
      await Promise.all(clients.map(client => client.destroy()));
    },
    sent,
    log,
  };
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

describe('two backend instances on one PostgreSQL database', () => {
  const database = `costscope_two_${randomBytes(6).toString('hex')}`;
  let admin: Knex;
  let knex: Knex;

  beforeAll(async () => {
    admin = knexFactory({
      client: 'pg',
      connection: { ...serverConnection(), database: 'postgres' },
      pool: { min: 0, max: 1 },
    });
    await admin.raw('CREATE DATABASE ??', [database]);
    knex = knexFactory({
      client: 'pg',
      connection: { ...serverConnection(), database },
      pool: { min: 0, max: 2 },
    });
  });

  afterAll(async () => {
    await knex?.destroy();
    if (admin) {
      await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [database]);
      await admin.destroy();
    }
  });

  it('runs a scheduled ingest once per interval, not once per instance, and fires a budget alert once', async () => {
    const focusDir = await writeFocusDir({ 'focus.csv': focusCsv(rows) });
    const startedAt = Date.now();
    // One after the other. Two first starts at once on an empty database race in knex's
    // creation of migration tables (knex/knex#3457): Costscope's own migrations wait and retry
    // (store/migrations.ts, tested in migrations.test.ts), but the Backstage scheduler's do not.
    const first = await startInstance(database, focusDir);
    const instances = [first, await startInstance(database, focusDir)];
    let runs: Array<{ started: number; finished?: number; status: string }>;
    try {
      await sleep(WINDOW_MS - (Date.now() - startedAt));
      // Let a run in progress finish, so that (nearly always) every run has its end time.
      const deadline = Date.now() + 10_000;
      while (
        (await knex('costscope_ingest_runs').where({ status: 'running' }))
          .length > 0 &&
        Date.now() < deadline
      ) {
        await sleep(50);
      }
      runs = (
        await knex('costscope_ingest_runs')
          .where({ source_id: 'files' })
          .orderBy('started_at')
      ).map(row => ({
        started: Date.parse(row.started_at),
        finished: row.finished_at ? Date.parse(row.finished_at) : undefined,
        status: row.status,
      }));
    } finally {
      await Promise.all(instances.map(instance => instance.stop()));
      await fs.rm(focusDir, { recursive: true, force: true });
    }
    const elapsed = Date.now() - startedAt;

    // Both instances registered the task; the scheduler holds it once, in the shared database.
    for (const instance of instances) {
      expect(instance.log).toContainEqual(
        expect.stringMatching(`^info Registered scheduled task: ${TASK_ID},`),
      );
    }
    expect(
      await knex('backstage_backend_tasks__tasks').where({ id: TASK_ID }),
    ).toHaveLength(1);

    // Every run succeeded and none overlapped the one before (the last one may have begun
    // as the runs were read).
    runs.slice(0, -1).forEach((run, i) => {
      expect(run.status).toBe('succeeded');
      expect(runs[i + 1].started).toBeGreaterThanOrEqual(run.finished!);
    });
    // Once per interval: the k-th run cannot start before k intervals have passed since the
    // instances started (two schedulers each running the task would break this from run 2 on).
    runs.forEach((run, k) => {
      expect(run.started).toBeGreaterThanOrEqual(
        startedAt + k * INTERVAL_MS - CLOCK_SLACK_MS,
      );
    });
    expect(runs.length).toBeLessThanOrEqual(
      Math.floor(elapsed / INTERVAL_MS) + 1,
    );
    // ...and it kept running every interval, whichever instance claimed it.
    expect(runs.length).toBeGreaterThanOrEqual(3);

    // The budget was crossed on the first run and stays crossed on every run after it, on
    // either instance: one stored alert, one notification in all.
    const alerts = await knex('costscope_alerts');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      entity_ref: 'component:default/api',
      kind: 'budget',
      period: '2026-09-01',
    });
    expect(JSON.parse(alerts[0].delivered_to)).toEqual(['notifications']);
    const sent = instances.flatMap(instance => instance.sent);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      recipients: { type: 'entity', entityRef: ['group:default/team-a'] },
      payload: { severity: 'critical', topic: 'Costscope budgets' },
    });
  });
});
