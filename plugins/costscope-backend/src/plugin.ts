import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { costscopePermissions } from '@costscope/backstage-plugin-common';
import {
  CostSource,
  costscopeCostSourcesExtensionPoint,
} from '@costscope/backstage-plugin-node';
import { AllocationEngine } from './allocation/AllocationEngine';
import { ALLOCATABLE_KINDS } from './allocation/catalogSnapshot';
import { readCostscopeConfig } from './config';
import { IngestEngine } from './ingest/IngestEngine';
import { createRouter } from './service/router';
import { FocusFileSource } from './sources/focus/FocusFileSource';
import { AllocationStore } from './store/AllocationStore';
import { CostQueries } from './store/CostQueries';
import { FactStore } from './store/FactStore';
import { applyMigrations } from './store/migrations';

/** Schedule of sources added by modules, which bring no config of their own here. */
const MODULE_SOURCE_SCHEDULE = {
  frequency: { hours: 6 },
  timeout: { minutes: 30 },
  initialDelay: { seconds: 15 },
};

/**
 * Costscope backend plugin: ingests cost, allocates it to catalog entities, serves the API.
 * @public
 */
export const costscopePlugin = createBackendPlugin({
  pluginId: 'costscope',
  register(env) {
    const moduleSources: CostSource[] = [];
    env.registerExtensionPoint(costscopeCostSourcesExtensionPoint, {
      addCostSource(...sources) {
        moduleSources.push(...sources);
      },
    });

    env.registerInit({
      deps: {
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
      },
      async init(deps) {
        const { auth, catalog, database, httpRouter, logger, scheduler } = deps;
        const config = readCostscopeConfig(deps.config);
        const knex = await database.getClient();
        if (!database.migrations?.skip) {
          await applyMigrations(knex);
        }
        deps.permissionsRegistry.addPermissions(costscopePermissions);

        const allocation = new AllocationEngine({
          store: new AllocationStore(knex),
          logger,
          conventions: config.allocation.conventions,
          caseInsensitiveTagKeys: config.allocation.caseInsensitiveTagKeys,
          loadEntities: async () => {
            const { items } = await catalog.getEntities(
              { filter: { kind: ALLOCATABLE_KINDS } },
              { credentials: await auth.getOwnServiceCredentials() },
            );
            return items;
          },
        });
        const factStore = new FactStore(knex);
        const ingest = new IngestEngine({
          store: factStore,
          logger,
          maxRejectedShare: config.maxRejectedShare,
          onFactsChanged: async () => {
            await allocation.run({ force: true });
          },
        });

        const sources = new Map<string, CostSource>();
        const schedules = new Map<string, typeof MODULE_SOURCE_SCHEDULE>();
        for (const source of config.sources) {
          sources.set(source.id, new FocusFileSource(source));
          schedules.set(
            source.id,
            source.schedule as typeof MODULE_SOURCE_SCHEDULE,
          );
        }
        for (const source of moduleSources) {
          if (sources.has(source.id)) {
            throw new Error(
              `Costscope cost source id '${source.id}' is used twice`,
            );
          }
          sources.set(source.id, source);
          schedules.set(source.id, MODULE_SOURCE_SCHEDULE);
        }

        for (const [id, source] of sources) {
          await scheduler.scheduleTask({
            id: `costscope-ingest-${id}`,
            ...schedules.get(id)!,
            fn: async () => {
              await ingest.run(source, 'schedule');
            },
          });
        }
        await scheduler.scheduleTask({
          id: 'costscope-allocation',
          ...config.allocation.schedule,
          fn: async () => {
            await allocation.run();
          },
        });

        httpRouter.use(
          await createRouter({
            logger,
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            queries: new CostQueries(knex),
            factStore,
            currency: config.currency,
            sourceIds: [...sources.keys()],
            ingest: sourceId => ingest.run(sources.get(sourceId)!, 'manual'),
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
