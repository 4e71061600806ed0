/**
 * The real Costscope backend plugin on a loaded database, listening on a free local port:
 * Backstage's test backend (mock auth that accepts mock tokens, permissions that allow) with
 * a catalog holding the synthetic entities. Sources none and the allocation scheduled a year
 * ahead, so nothing recomputes while the load runs.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  CacheService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import { Knex } from 'knex';
import { costscopePlugin } from '../../plugins/costscope-backend/src/plugin';
import { BenchOrg, CURRENCY } from './org';

const NEVER = {
  frequency: { days: 365 },
  timeout: { minutes: 5 },
  initialDelay: { days: 365 },
};

export interface BenchServer {
  baseUrl: string;
  stop(): Promise<void>;
}

/** A cache that keeps nothing: every request reads the database, as on a first visit. */
const keepsNothing: CacheService = {
  get: async () => undefined,
  set: async () => {},
  delete: async () => {},
  withOptions: () => keepsNothing,
};

/**
 * `readCache: false` serves every request from the database; by default the plugin keeps
 * answers in Backstage's (in-memory) cache per rollup version, as it does when deployed.
 */
export async function startBenchServer(
  knex: Knex,
  org: BenchOrg,
  { readCache = true }: { readCache?: boolean } = {},
): Promise<BenchServer> {
  const backend = await startTestBackend({
    features: [
      ...(readCache
        ? []
        : [
            createServiceFactory({
              service: coreServices.cache,
              deps: {},
              factory: () => keepsNothing,
            }),
          ]),
      costscopePlugin,
      catalogServiceMock.factory({ entities: org.entities }),
      mockServices.database.factory({ knex }),
      mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({ send: async () => {} }),
      }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          costscope: {
            currency: CURRENCY,
            allocation: { schedule: NEVER },
            alerts: { anomalies: { enabled: false } },
          },
        },
      }),
    ],
  });
  const address = backend.server.address();
  if (!address || typeof address === 'string') {
    throw new Error(`backend is not listening on a TCP port: ${address}`);
  }
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    stop: () => backend.stop(),
  };
}
