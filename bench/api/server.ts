/**
 * The real Costscope backend plugin on a loaded database, listening on a free local port:
 * Backstage's test backend (mock auth that accepts mock tokens, permissions that allow) with
 * a catalog holding the synthetic entities. Sources none and the allocation scheduled a year
 * ahead, so nothing recomputes while the load runs.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
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

export async function startBenchServer(
  knex: Knex,
  org: BenchOrg,
): Promise<BenchServer> {
  const backend = await startTestBackend({
    features: [
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
            // Components' resources carry `service`; teams' shared ones and the 40 that
            // match no rule do not, and are what the compliance pages list.
            tagPolicy: { requiredTags: [{ key: 'service' }] },
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
