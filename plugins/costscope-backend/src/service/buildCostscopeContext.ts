import { Config } from '@backstage/config';
import {
  AuthService,
  CacheService,
  HttpAuthService,
  LoggerService,
  PermissionsRegistryService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  CommitmentReportSource,
  CostSource,
  InventorySource,
  PriceSource,
  UnitMetricSource,
} from '@costscope/backstage-plugin-node';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { Knex } from 'knex';
import { AlertDelivery } from '../alerts/AlertDelivery';
import { AlertEvaluator } from '../alerts/AlertEvaluator';
import { NotificationsDelivery } from '../alerts/NotificationsDelivery';
import { WebhookDelivery } from '../alerts/WebhookDelivery';
import { AllocationEngine } from '../allocation/AllocationEngine';
import { SummaryKeeper } from '../allocation/SummaryKeeper';
import {
  ALLOCATABLE_KINDS,
  displayTitleOf,
  toSnapshot,
} from '../allocation/catalogSnapshot';
import { BudgetService } from '../budgets/BudgetService';
import { catalogDirectory } from '../budgets/catalogDirectory';
import { loadExchangeRates } from '../currency/readExchangeRates';
import { IngestEngine } from '../ingest/IngestEngine';
import { InventoryEngine } from '../inventory/InventoryEngine';
import { registerCostscopePermissions } from '../permissions/registerPermissions';
import { CostPipeline } from '../pipeline/CostPipeline';
import { RunRecorder } from '../pipeline/RunRecorder';
import { RecommendationService } from '../recommendations/RecommendationService';
import {
  PriceCache,
  PriceFileSource,
  readPriceStatus,
  readPriceTable,
} from '../recommendations/PriceCache';
import { FocusFileSource } from '../sources/focus/FocusFileSource';
import { createObjectStoreSource } from '../sources/objectStore/createObjectStoreSource';
import { InventoryFileSource } from '../sources/inventoryFile/InventoryFileSource';
import { AllocationStore } from '../store/AllocationStore';
import { KubernetesStore } from '../store/KubernetesStore';
import { KubernetesSplitter } from '../kubernetes/KubernetesSplitter';
import { KubernetesCostReader } from '../kubernetes/KubernetesCostReader';
import { BudgetStore } from '../store/BudgetStore';
import { EntitySnapshotStore } from '../store/EntitySnapshotStore';
import { loadEntityResources } from '../permissions/entityResource';
import { CostQueries } from '../store/CostQueries';
import { KeptSummaryStore } from '../store/KeptSummaryStore';
import { FactStore } from '../store/FactStore';
import { InventoryStore } from '../store/InventoryStore';
import { PriceStore } from '../store/PriceStore';
import { RecommendationStore } from '../store/RecommendationStore';
import { RollupReadCache } from '../store/RollupReadCache';
import { KeptReportStore } from '../store/KeptReportStore';
import { ReportKeeper } from '../compliance/ReportKeeper';
import { createComplianceService } from './createComplianceService';
import { RunStore } from '../store/RunStore';
import { SpendQueries } from '../store/SpendQueries';
import { UnitMetricStore } from '../store/UnitMetricStore';
import { UnitMetricFileLoader } from '../unitCost/UnitMetricFileLoader';
import { PrometheusUnitMetricSource } from '../unitCost/PrometheusUnitMetricSource';
import { UnitMetricSourceRunner } from '../unitCost/UnitMetricSourceRunner';
import { CostscopeSettings } from '../readCostscopeSettings';
import { CostscopeAccess, DefaultCostscopeAccess } from './access';
import { HiddenSetCache } from './HiddenSetCache';
import { DefaultBudgetsService } from './DefaultBudgetsService';
import { DefaultCostReadService } from './DefaultCostReadService';
import { CommitmentQueries } from '../store/CommitmentQueries';
import { commitmentMonths } from '../commitments/commitmentMonths';
import { CommitmentReportStore } from '../store/CommitmentReportStore';
import { CommitmentReportEngine } from '../commitments/CommitmentReportEngine';
import { DefaultUnitCostService } from './DefaultUnitCostService';
import { CostscopeServices } from './services';
import { DefaultDigestsService } from './DefaultDigestsService';
import {
  chargebackTotalsOf,
  DigestBuilder,
  DigestSources,
  keptChargebackTotals,
} from '../digests/DigestBuilder';
import { oneAtATime } from '../lib/oneAtATime';
import { isSqlite } from '../store/isSqlite';
import {
  DigestDelivery,
  NotificationsDigestDelivery,
  WebhookDigestDelivery,
} from '../digests/digestDeliveries';
import { DigestSender } from '../digests/DigestSender';
import { DigestStore } from '../store/DigestStore';

export interface CostscopeContextOptions {
  settings: CostscopeSettings;
  /** Backstage's root config, for what sources share with other plugins (`aws.accounts`). */
  config: Config;
  knex: Knex;
  logger: LoggerService;
  auth: AuthService;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  permissionsRegistry: PermissionsRegistryService;
  cache: CacheService;
  catalog: CatalogService;
  notifications: NotificationService;
  /** Sources that backend modules added through the extension points. */
  moduleSources: {
    cost: CostSource[];
    inventory: InventorySource[];
    unitMetric: UnitMetricSource[];
    /** Absent in setups built before price sources existed: none. */
    price?: PriceSource[];
    /** Providers' commitment reports; none when absent. */
    commitmentReport?: CommitmentReportSource[];
  };
}

/** What the plugin runs: the pipeline on the scheduler, the services and access for the router. */
export interface CostscopeContext {
  pipeline: CostPipeline;
  services: CostscopeServices;
  access: CostscopeAccess;
}

/** Builds the stores, engines, services and pipeline from settings and Backstage's services. */
export function buildCostscopeContext(
  options: CostscopeContextOptions,
): CostscopeContext {
  const { settings, knex, logger, auth, catalog } = options;
  const { config } = settings;

  const loadEntities = async () => {
    const { items } = await catalog.getEntities(
      { filter: { kind: ALLOCATABLE_KINDS } },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    return items;
  };
  const directory = catalogDirectory(catalog, auth);
  const queries = new CostQueries(knex);
  const snapshot = new EntitySnapshotStore(knex);
  const readCache = new RollupReadCache(knex, options.cache);
  const keptSummaries = new KeptSummaryStore(knex);
  const keptReports = new KeptReportStore(knex);
  const currency = () => queries.currency(config.currency);
  const spend = new SpendQueries(knex);
  const budgetStore = new BudgetStore(knex);
  const inventoryStore = new InventoryStore(knex);
  const runs = new RunRecorder(new RunStore(knex));
  const unitMetrics = new UnitMetricStore(knex);
  const commitmentQueries = new CommitmentQueries(knex);

  const allocation = new AllocationEngine({
    store: new AllocationStore(knex),
    logger,
    conventions: config.allocation.conventions,
    caseInsensitiveTagKeys: config.allocation.caseInsensitiveTagKeys,
    loadEntities,
    ...(config.kubernetes.clusters.length > 0
      ? {
          kubernetes: new KubernetesSplitter({
            clusters: config.kubernetes.clusters,
            store: new KubernetesStore(knex),
            logger,
            runs,
          }),
        }
      : {}),
  });
  const budgets = new BudgetService({
    store: budgetStore,
    spend,
    directory,
    configured: settings.budgets,
    currency,
    costBasis: config.costBasis,
  });
  const deliveries: AlertDelivery[] = [
    new NotificationsDelivery(options.notifications),
  ];
  if (settings.alerts.webhook) {
    deliveries.push(
      new WebhookDelivery(settings.alerts.webhook, settings.appBaseUrl),
    );
  }
  const alerts = new AlertEvaluator({
    budgets,
    spend,
    store: budgetStore,
    deliveries,
    logger,
    anomalies: settings.alerts.anomalies,
    currency,
    costBasis: config.costBasis,
    getEntity: ref => directory.getEntity(ref),
  });
  // Prices: the file first, so that a module's live prices win over it where both have one.
  const priceStore = new PriceStore(knex);
  const priceSources = [
    ...(settings.prices?.file
      ? [new PriceFileSource(settings.prices.file)]
      : []),
    ...(options.moduleSources.price ?? []),
  ];
  const kubernetesCosts = new KubernetesCostReader(
    new KubernetesStore(knex),
    config.kubernetes.clusters,
  );
  const recommendations = new RecommendationService({
    kubernetesWorkloads: range => kubernetesCosts.allWorkloads(range, 'billed'),
    store: new RecommendationStore(knex),
    inventory: inventoryStore,
    config: settings.recommendations,
    currency,
    entityForTags: (_provider, accountId, tags) =>
      allocation.entityForTags(accountId, tags),
    prices: billingCurrency =>
      readPriceTable(
        priceStore,
        priceSources.map(source => source.id),
        billingCurrency,
      ),
    priceStatus: () =>
      readPriceStatus(
        priceStore,
        priceSources.map(source => source.id),
      ),
    logger,
  });
  // New prices compute the recommendations again.
  const prices = new PriceCache({
    store: priceStore,
    sources: priceSources,
    inventoryRegions: () => inventoryStore.regionsByProvider(),
    ...(settings.prices ? { schedule: settings.prices.schedule } : {}),
    afterChange: async () => {
      try {
        await recommendations.refresh();
      } catch (error) {
        logger.error(
          `Costscope could not compute recommendations after new prices: ${error}`,
        );
      }
    },
    logger,
  });

  const commitmentReports = new CommitmentReportStore(knex);
  const costs = new DefaultCostReadService({
    queries,
    commitments: commitmentQueries,
    reportedCommitments: commitmentReports,
    readCache,
    keptSummaries,
    currency: config.currency,
    costBasis: config.costBasis,
    kubernetes: kubernetesCosts,
  });
  const compliance = createComplianceService({
    settings,
    knex,
    loadEntities,
    currency: () => costs.currency(),
    keptReports,
  });
  const summaryKeeper = new SummaryKeeper({
    store: keptSummaries,
    queries,
    costBasis: config.costBasis,
    currency: config.currency,
  });
  const pipeline = new CostPipeline({
    logger,
    ingest: new IngestEngine({
      store: new FactStore(knex),
      runs,
      logger,
      maxRejectedShare: config.maxRejectedShare,
      exchangeRates: () =>
        loadExchangeRates(config.exchangeRates, config.currency),
    }),
    inventory: new InventoryEngine({ inventory: inventoryStore, runs, logger }),
    allocation,
    alerts,
    recommendations,
    runs,
    allocationSchedule: config.allocation.schedule,
    commitmentReports: new CommitmentReportEngine({
      store: commitmentReports,
      runs,
      logger,
    }),
    summaries: summaryKeeper,
    reports: new ReportKeeper({
      store: keptReports,
      compliance,
      costBasis: config.costBasis,
    }),
  });
  const budgetsService = new DefaultBudgetsService({
    budgets,
    store: budgetStore,
    logger,
    afterBudgetSet: ref => pipeline.afterBudgetSet(ref),
  });
  const unitCostService = new DefaultUnitCostService({
    store: unitMetrics,
    spend,
    config: settings.unitCost,
    entityExists: ref => queries.entityExists(ref),
    currency: () => costs.currency(),
    costBasis: config.costBasis,
  });
  const chargebackTotalsIn = keptChargebackTotals();
  const digestSources: DigestSources = {
    summary: (ref, query, visibility) => costs.summary(ref, query, visibility),
    listBudgets: refs => budgetsService.listBudgets(refs),
    alertsCreated: (refs, range) =>
      budgetStore.listAlertsCreated({ entityRefs: refs, range, limit: 100 }),
    recommendations: (ref, today) => recommendations.listForEntity(ref, today),
    compliance: (ref, query, hidden) =>
      compliance.entityCompliance(ref, query, hidden),
    everyEntityCompliance: query => compliance.everyEntityCompliance(query),
    everyEntitySummary: range => summaryKeeper.everyEntitySummary(range),
    // The organisation's chargeback, kept per allocation like the pages' answers: every
    // group's monthly digest reads the same one.
    chargebackTotals: async (query, hidden) =>
      hidden.size > 0
        ? chargebackTotalsOf(
            await compliance.chargeback(query, 'group', hidden),
          )
        : chargebackTotalsIn(
            await readCache.json(
              ['digest-chargeback', query.from, query.to, query.costBasis],
              () => compliance.chargeback(query, 'group'),
            ),
          ),
    below: ref => snapshot.below(ref),
    costDays: () => spend.costDays(),
    metricsOf: refs => unitMetrics.metricsOfEntities(refs),
    unitCost: (ref, query) => unitCostService.entityUnitCost(ref, query),
    metricsBelow: async ref => [
      ...(await unitMetrics.reportersBelow(ref)).keys(),
    ],
    // The organisation's months, kept per allocation like the chargeback: every digest
    // read by someone with the overview permission shows them.
    commitments: async (range, ref) =>
      ref === undefined
        ? JSON.parse(
            await readCache.json(
              ['digest-commitments', range.from, range.to],
              async () =>
                commitmentMonths(range, await commitmentQueries.monthly(range)),
            ),
          )
        : commitmentMonths(range, await commitmentQueries.monthly(range, ref)),
  };
  const digestBuilder = new DigestBuilder(
    // SQLite runs reads in this thread, one at a time: a digest's reads then take turns with
    // page reads instead of queueing ahead of them.
    isSqlite(knex) ? oneAtATime(digestSources) : digestSources,
    config.costBasis,
  );
  const digestDeliveries: DigestDelivery[] = [
    new NotificationsDigestDelivery(options.notifications),
  ];
  if (settings.alerts.webhook && settings.digests.webhook) {
    digestDeliveries.push(
      new WebhookDigestDelivery(settings.alerts.webhook, settings.appBaseUrl),
    );
  }
  if (settings.digests.schedules.length > 0) {
    pipeline.addDigests(
      new DigestSender({
        config: settings.digests,
        builder: digestBuilder,
        store: new DigestStore(knex),
        deliveries: digestDeliveries,
        listEntities: async kinds => {
          const { items } = await catalog.getEntities(
            // Capitalised as the catalog writes kinds (its own filter ignores case).
            {
              filter: {
                kind: kinds.map(kind => kind[0].toUpperCase() + kind.slice(1)),
              },
            },
            { credentials: await auth.getOwnServiceCredentials() },
          );
          // Digests greet a team by the name its members know.
          const entities = items.map(item => ({
            ...toSnapshot(item),
            title: displayTitleOf(item),
          }));
          const known = await snapshot.entitiesOf(
            entities.map(entity => entity.ref),
          );
          return entities.filter(entity => known.has(entity.ref));
        },
        lastCostDay: () => spend.lastCostDay(),
        logger,
      }),
    );
  }

  for (const sourceConfig of config.sources) {
    pipeline.addCostSource(
      sourceConfig.type === 'focus'
        ? new FocusFileSource(sourceConfig)
        : createObjectStoreSource(sourceConfig, options.config),
      sourceConfig.schedule,
    );
  }
  for (const source of options.moduleSources.cost) {
    pipeline.addCostSource(source);
  }
  for (const sourceConfig of config.inventorySources) {
    pipeline.addInventorySource(
      new InventoryFileSource(sourceConfig),
      sourceConfig.schedule,
    );
  }
  for (const source of options.moduleSources.inventory) {
    pipeline.addInventorySource(source);
  }
  for (const source of options.moduleSources.commitmentReport ?? []) {
    pipeline.addCommitmentReportSource(source);
  }

  const services: CostscopeServices = {
    costs,
    budgets: budgetsService,
    compliance,
    recommendations,
    ingest: pipeline,
    digests: new DefaultDigestsService({
      builder: digestBuilder,
      lastCostDay: () => spend.lastCostDay(),
      getEntity: async ref => (await snapshot.entitiesOf([ref])).get(ref),
    }),
    unitCost: unitCostService,
  };
  const access = new DefaultCostscopeAccess({
    auth,
    httpAuth: options.httpAuth,
    userInfo: options.userInfo,
    permissions: options.permissions,
    directory,
    entityExists: ref => queries.entityExists(ref),
    ...registerCostscopePermissions(options.permissionsRegistry, ref =>
      directory.getEntity(ref),
    ),
    loadSnapshotResources: refs =>
      loadEntityResources(snapshot.batchedGetter(), refs),
    entitiesBelow: ref => snapshot.below(ref),
    resourcesBelow: async ref => {
      const { below, entities } = await snapshot.belowWithAncestors(ref);
      const resources = await loadEntityResources(
        snapshot.batchedGetter(entities),
        below,
      );
      return new Map(below.map((entity, i) => [entity, resources[i]]));
    },
    allEntities: () => snapshot.refs(),
    // Hidden sets from Costscope's own conditions depend only on the snapshot and the
    // decisions: kept until the catalog snapshot changes, which most rebuilds (new facts)
    // do not.
    hiddenSets: new HiddenSetCache({ version: () => snapshot.version() }),
  });
  // Prices keep their own (daily) schedule; new prices compute the recommendations again.
  pipeline.addScheduledPart(prices);
  const { file, prometheus } = settings.unitCost;
  const unitMetricSources = [
    ...(prometheus ? [new PrometheusUnitMetricSource(prometheus)] : []),
    ...options.moduleSources.unitMetric,
  ];
  // Business metrics keep their own schedules: `costscope.unitCost.file` and the sources.
  if (file) {
    pipeline.addScheduledPart(
      new UnitMetricFileLoader({
        file,
        metrics: settings.unitCost.metrics,
        store: unitMetrics,
        logger,
      }),
    );
  }
  if (unitMetricSources.length > 0) {
    pipeline.addScheduledPart(
      new UnitMetricSourceRunner({
        sources: unitMetricSources,
        metrics: settings.unitCost.metrics.map(m => m.name),
        store: unitMetrics,
        loadEntities: async () =>
          (await loadEntities()).map(entity => ({
            entityRef: stringifyEntityRef(entity).toLocaleLowerCase('en-US'),
            annotations: entity.metadata.annotations ?? {},
          })),
        logger,
      }),
    );
  }
  return { pipeline, services, access };
}
