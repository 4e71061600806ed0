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
      benchPermissions(),
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({ send: async () => {} }),
      }),
      mockServices.rootConfig.factory({
        data: BENCH_CONFIG,
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
