import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  CommitmentReportSource,
  costscopeCommitmentReportSourcesExtensionPoint,
  CostSource,
  costscopeCostSourcesExtensionPoint,
  costscopeInventorySourcesExtensionPoint,
  costscopeUnitMetricSourcesExtensionPoint,
  costscopePriceSourcesExtensionPoint,
  InventorySource,
  PriceSource,
  UnitMetricSource,
} from '@costscope/backstage-plugin-node';
import { readCostscopeSettings } from './readCostscopeSettings';
import { buildCostscopeContext } from './service/buildCostscopeContext';
import { createRouter } from './service/router';
import { applyMigrations } from './store/migrations';
import { withoutPostgresJit } from './store/withoutPostgresJit';

/**
 * Costscope backend plugin: ingests cost, allocates it to catalog entities, serves the API.
 * This file only reads config and wires; the data flow is in `pipeline/CostPipeline.ts`.
 * @public
 */
export const costscopePlugin = createBackendPlugin({
  pluginId: 'costscope',
  register(env) {
    const moduleSources = {
      cost: [] as CostSource[],
      inventory: [] as InventorySource[],
      unitMetric: [] as UnitMetricSource[],
      price: [] as PriceSource[],
      commitmentReport: [] as CommitmentReportSource[],
    };
    env.registerExtensionPoint(costscopeCostSourcesExtensionPoint, {
      addCostSource: (...sources) => moduleSources.cost.push(...sources),
    });
    env.registerExtensionPoint(costscopeInventorySourcesExtensionPoint, {
      addInventorySource: (...sources) =>
        moduleSources.inventory.push(...sources),
    });

    env.registerExtensionPoint(costscopeUnitMetricSourcesExtensionPoint, {
      addUnitMetricSource: (...sources) =>
        moduleSources.unitMetric.push(...sources),
    });
    env.registerExtensionPoint(costscopePriceSourcesExtensionPoint, {
      addPriceSource: (...sources) => moduleSources.price.push(...sources),
    });
    env.registerExtensionPoint(costscopeCommitmentReportSourcesExtensionPoint, {
      addCommitmentReportSource: (...sources) =>
        moduleSources.commitmentReport.push(...sources),
    });

    env.registerInit({
      deps: {
        auditor: coreServices.auditor,
        auth: coreServices.auth,
        cache: coreServices.cache,
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        notifications: notificationService,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        userInfo: coreServices.userInfo,
      },
      async init({ config: root, database, httpRouter, ...deps }) {
        // Every setting first: broken config stops the backend before anything runs.
        const settings = await readCostscopeSettings(root);
        const knex = await database.getClient();
        withoutPostgresJit(knex, error =>
          deps.logger.warn(
            `Costscope could not turn PostgreSQL's JIT off for its connections: ${error}`,
          ),
        );
        if (!database.migrations?.skip) {
          await applyMigrations(knex);
        }
        const { pipeline, services, access } = buildCostscopeContext({
          ...deps,
          settings,
          config: root,
          knex,
          moduleSources,
        });
        await pipeline.start(deps.scheduler);
        httpRouter.use(
          await createRouter({
            logger: deps.logger,
            auditor: deps.auditor,
            access,
            services,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
