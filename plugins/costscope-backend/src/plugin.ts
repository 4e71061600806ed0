import {
  coreServices,
  createBackendPlugin,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  costscopePermissions,
  IngestRun,
} from '@costscope/backstage-plugin-common';
import {
  CostSource,
  costscopeCostSourcesExtensionPoint,
  costscopeInventorySourcesExtensionPoint,
  InventorySource,
} from '@costscope/backstage-plugin-node';
import { AlertDelivery } from './alerts/AlertDelivery';
import { AlertEvaluator } from './alerts/AlertEvaluator';
import { NotificationsDelivery } from './alerts/NotificationsDelivery';
import { readAlertsConfig } from './alerts/readAlertsConfig';
import { WebhookDelivery } from './alerts/WebhookDelivery';
import { AllocationEngine } from './allocation/AllocationEngine';
import { ALLOCATABLE_KINDS, toSnapshot } from './allocation/catalogSnapshot';
import { BudgetService } from './budgets/BudgetService';
import { catalogDirectory } from './budgets/catalogDirectory';
import { readConfiguredBudgets } from './budgets/declaredBudgets';
import { readChargebackConfig } from './compliance/readChargebackConfig';
import { readTagPolicy } from './compliance/tagPolicy';
import { readRecommendationsConfig } from './recommendations/readRecommendationsConfig';
import { RecommendationService } from './recommendations/RecommendationService';
import { RecommendationStore } from './store/RecommendationStore';
import { readCostscopeConfig } from './config';
import { IngestEngine } from './ingest/IngestEngine';
import { InventoryEngine } from './inventory/InventoryEngine';
import { createRouter } from './service/router';
import { FocusFileSource } from './sources/focus/FocusFileSource';
import { InventoryFileSource } from './sources/inventoryFile/InventoryFileSource';
import { AllocationStore } from './store/AllocationStore';
import { BudgetStore } from './store/BudgetStore';
import { ComplianceQueries } from './store/ComplianceQueries';
import { CostQueries } from './store/CostQueries';
import { FactStore } from './store/FactStore';
import { InventoryStore } from './store/InventoryStore';
import { applyMigrations } from './store/migrations';
import { RollupReadCache } from './store/RollupReadCache';
import { SpendQueries } from './store/SpendQueries';

/** Schedule of sources added by modules that bring no schedule of their own. */
const MODULE_SOURCE_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
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
    const inventorySources: InventorySource[] = [];
    env.registerExtensionPoint(costscopeInventorySourcesExtensionPoint, {
      addInventorySource(...sources) {
        inventorySources.push(...sources);
      },
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
      async init(deps) {
        const { auth, catalog, database, httpRouter, logger, scheduler } = deps;
        const config = readCostscopeConfig(deps.config);
        const configuredBudgets = readConfiguredBudgets(
          deps.config,
          config.currency,
        );
        const alertsConfig = readAlertsConfig(deps.config);
        const tagPolicy = readTagPolicy(deps.config);
        const chargebackConfig = readChargebackConfig(deps.config);
        const recommendationsConfig = readRecommendationsConfig(deps.config);
        const knex = await database.getClient();
        if (!database.migrations?.skip) {
          await applyMigrations(knex);
        }
        deps.permissionsRegistry.addPermissions(costscopePermissions);

        const loadEntities = async () => {
          const { items } = await catalog.getEntities(
            { filter: { kind: ALLOCATABLE_KINDS } },
            { credentials: await auth.getOwnServiceCredentials() },
          );
          return items;
        };
        const allocation = new AllocationEngine({
          store: new AllocationStore(knex),
          logger,
          conventions: config.allocation.conventions,
          caseInsensitiveTagKeys: config.allocation.caseInsensitiveTagKeys,
          loadEntities,
        });
        const queries = new CostQueries(knex);
        const currency = () => queries.currency(config.currency);
        const spend = new SpendQueries(knex);
        const budgetStore = new BudgetStore(knex);
        const directory = catalogDirectory(catalog, auth);
        const budgets = new BudgetService({
          store: budgetStore,
          spend,
          directory,
          configured: configuredBudgets,
          currency,
        });
        const deliveries: AlertDelivery[] = [
          new NotificationsDelivery(deps.notifications),
        ];
        if (alertsConfig.webhook) {
          deliveries.push(
            new WebhookDelivery(
              alertsConfig.webhook,
              deps.config.getString('app.baseUrl'),
            ),
          );
        }
        const alerts = new AlertEvaluator({
          budgets,
          spend,
          store: budgetStore,
          deliveries,
          logger,
          anomalies: alertsConfig.anomalies,
          currency,
          getEntity: ref => directory.getEntity(ref),
        });
        /** Alerts follow every recomputation; a failure is logged, never fails the run. */
        const evaluateAlerts = async () => {
          try {
            const fired = await alerts.evaluate();
            if (fired.length) {
              logger.info(`Costscope fired ${fired.length} alert(s)`);
            }
          } catch (error) {
            logger.error(`Costscope alert evaluation failed: ${error}`);
          }
        };

        const inventoryStore = new InventoryStore(knex);
        const recommendations = new RecommendationService({
          store: new RecommendationStore(knex),
          inventory: inventoryStore,
          config: recommendationsConfig,
          currency,
          entityForTags: (_provider, accountId, tags) =>
            allocation.entityForTags(accountId, tags),
          logger,
        });
        /** Tips follow new inventory, new billing costs and re-allocation; failures are logged. */
        const refreshRecommendations = async () => {
          try {
            await recommendations.refresh();
          } catch (error) {
            logger.error(`Costscope could not compute savings tips: ${error}`);
          }
        };

        const factStore = new FactStore(knex);
        const ingest = new IngestEngine({
          store: factStore,
          logger,
          maxRejectedShare: config.maxRejectedShare,
          onFactsChanged: async () => {
            await allocation.run({ force: true });
            await evaluateAlerts();
            await refreshRecommendations();
          },
        });

        const inventoryEngine = new InventoryEngine({
          inventory: inventoryStore,
          runs: factStore,
          logger,
          onSnapshotReplaced: refreshRecommendations,
        });

        // Every source, cost or inventory, by its id, with how to run it and when.
        const runnables = new Map<
          string,
          {
            schedule: SchedulerServiceTaskScheduleDefinition;
            run: (trigger: 'schedule' | 'manual') => Promise<IngestRun>;
          }
        >();
        const addRunnable = (
          id: string,
          schedule: SchedulerServiceTaskScheduleDefinition,
          run: (trigger: 'schedule' | 'manual') => Promise<IngestRun>,
        ) => {
          if (runnables.has(id)) {
            throw new Error(`Costscope source id '${id}' is used twice`);
          }
          runnables.set(id, { schedule, run });
        };
        for (const sourceConfig of config.sources) {
          const source = new FocusFileSource(sourceConfig);
          addRunnable(
            source.id,
            sourceConfig.schedule as SchedulerServiceTaskScheduleDefinition,
            trigger => ingest.run(source, trigger),
          );
        }
        for (const source of moduleSources) {
          addRunnable(
            source.id,
            source.schedule ?? MODULE_SOURCE_SCHEDULE,
            trigger => ingest.run(source, trigger),
          );
        }
        for (const sourceConfig of config.inventorySources) {
          const source = new InventoryFileSource(sourceConfig);
          addRunnable(source.id, sourceConfig.schedule, trigger =>
            inventoryEngine.run(source, trigger),
          );
        }
        for (const source of inventorySources) {
          addRunnable(
            source.id,
            source.schedule ?? MODULE_SOURCE_SCHEDULE,
            trigger => inventoryEngine.run(source, trigger),
          );
        }

        for (const [id, runnable] of runnables) {
          await scheduler.scheduleTask({
            id: `costscope-ingest-${id}`,
            ...runnable.schedule,
            fn: async () => {
              await runnable.run('schedule');
            },
          });
        }
        await scheduler.scheduleTask({
          id: 'costscope-allocation',
          ...config.allocation.schedule,
          fn: async () => {
            const outcome = await allocation.run();
            if (outcome.recomputed) {
              await evaluateAlerts();
              await refreshRecommendations();
            }
          },
        });

        httpRouter.use(
          await createRouter({
            logger,
            auditor: deps.auditor,
            auth,
            httpAuth: deps.httpAuth,
            userInfo: deps.userInfo,
            permissions: deps.permissions,
            queries,
            readCache: new RollupReadCache(knex, deps.cache),
            compliance: {
              queries: new ComplianceQueries(knex),
              policy: tagPolicy,
              chargeback: chargebackConfig,
              loadEntities: async () => (await loadEntities()).map(toSnapshot),
              likelyOwnerOptions: {
                ownerTagKeys: [
                  ...new Set([
                    'team',
                    'owner',
                    'squad',
                    'group',
                    'contact',
                    ...config.allocation.conventions.groupTagKeys,
                  ]),
                ],
                entityTagKeys: [
                  ...new Set([
                    'service',
                    'app',
                    'application',
                    'component',
                    'system',
                    'project',
                    ...config.allocation.conventions.componentTagKeys,
                  ]),
                ],
              },
            },
            recommendations,
            budgets,
            budgetStore,
            directory,
            alerts,
            factStore,
            currency: config.currency,
            sourceIds: [...runnables.keys()],
            ingest: sourceId => runnables.get(sourceId)!.run('manual'),
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
