/**
 * The real Costscope backend plugin on a loaded database, listening on a free local port:
 * Backstage's test backend (mock auth that accepts mock tokens, permissions that allow) with
 * a catalog holding the synthetic entities. Sources none and the allocation scheduled a year
 * ahead, so nothing recomputes while the load runs.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  coreServices,
  createServiceFactory,
  SchedulerService,
  SchedulerServiceTaskInvocationDefinition,
} from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import { Knex } from 'knex';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { costscopePlugin } from '../../plugins/costscope-backend/src/plugin';
import {
  costscopeConditions,
  createCostscopeConditionalDecision,
} from '../../plugins/costscope-backend/src/permissions/rules';
import { BenchOrg, CURRENCY } from './org';

const NEVER = {
  frequency: { days: 365 },
  timeout: { minutes: 5 },
  initialDelay: { days: 365 },
};

/** The caller who may see the cost of 4 of the 8 domains only. */
export const RESTRICTED_USER = 'user:default/restricted';

/**
 * Permissions that allow everything, except entity cost for {@link RESTRICTED_USER}: a
 * conditional decision the plugin applies itself, as a real policy's would be.
 */
function benchPermissions() {
  const decide = (permission: any, credentials: any) =>
    credentials.principal?.userEntityRef === RESTRICTED_USER &&
    permission.name === 'costscope.entity.cost.read'
      ? createCostscopeConditionalDecision(permission, {
          anyOf: [
            // Teams stay visible; what they own outside the domains is their hidden part.
            costscopeConditions.isEntityKind({ kinds: ['group'] }),
            ...[1, 2, 3, 4].map(d =>
              costscopeConditions.isInDomain({
                domain: `domain:default/domain-${d}`,
              }),
            ),
          ],
        })
      : { result: AuthorizeResult.ALLOW };
  // A plain factory: mockServices' `.mock()` needs jest.
  return createServiceFactory({
    service: coreServices.permissions,
    deps: {},
    factory: () => ({
      authorizeConditional: async (requests: any[], { credentials }: any) =>
        requests.map(({ permission }) =>
          decide(permission, credentials),
        ) as any,
      authorize: async (requests: any[]) =>
        requests.map(() => ({ result: AuthorizeResult.ALLOW })),
    }),
  });
}

/** The app-config the bench's backend runs with (the reports it keeps are made under it). */
export const BENCH_CONFIG = {
  app: { baseUrl: 'http://localhost:3000' },
  costscope: {
    currency: CURRENCY,
    allocation: { schedule: NEVER },
    alerts: { anomalies: { enabled: false } },
    // Components' resources carry `service`; teams' shared ones and the 40 that
    // match no rule do not, and are what the compliance pages list.
    tagPolicy: { requiredTags: [{ key: 'service' }] },
  },
};

/** Monthly digests to every group, on the first of the month at 09:00 UTC. */
export const BENCH_DIGESTS = {
  monthly: { day: 1, time: '09:00' },
  timeZone: 'UTC',
  kinds: ['group'],
};

export interface BenchServer {
  baseUrl: string;
  /** Runs a task the plugin scheduled (none runs on its own), as the scheduler would. */
  runTask(id: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A scheduler that keeps the plugin's tasks for the bench to run: a run is then measured
 * from its start to its end, which a real scheduler's trigger (it returns at once) hides.
 */
function benchScheduler(
  tasks: Map<string, SchedulerServiceTaskInvocationDefinition['fn']>,
) {
  const scheduler: SchedulerService = {
    triggerTask: async id => {
      await tasks.get(id)?.(new AbortController().signal);
    },
    cancelTask: async () => {},
    scheduleTask: async task => {
      tasks.set(task.id, task.fn);
    },
    createScheduledTaskRunner: schedule => ({
      run: task => scheduler.scheduleTask({ ...schedule, ...task }),
    }),
    getScheduledTasks: async () => [],
  };
  return createServiceFactory({
    service: coreServices.scheduler,
    deps: {},
    factory: () => scheduler,
  });
}

export async function startBenchServer(
  knex: Knex,
  org: BenchOrg,
  options: { digests?: boolean } = {},
): Promise<BenchServer> {
  const tasks = new Map<
    string,
    SchedulerServiceTaskInvocationDefinition['fn']
  >();
  const config = options.digests
    ? {
        ...BENCH_CONFIG,
        costscope: { ...BENCH_CONFIG.costscope, digests: BENCH_DIGESTS },
      }
    : BENCH_CONFIG;
  const backend = await startTestBackend({
    features: [
      costscopePlugin,
      catalogServiceMock.factory({ entities: org.entities }),
      mockServices.database.factory({ knex }),
      benchScheduler(tasks),
      benchPermissions(),
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({ send: async () => {} }),
      }),
      mockServices.rootConfig.factory({ data: config }),
    ],
  });
  const address = backend.server.address();
  if (!address || typeof address === 'string') {
    throw new Error(`backend is not listening on a TCP port: ${address}`);
  }
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    runTask: async id => {
      const fn = tasks.get(id);
      if (!fn) throw new Error(`the plugin scheduled no task '${id}'`);
      await fn(new AbortController().signal);
    },
    stop: () => backend.stop(),
  };
}
