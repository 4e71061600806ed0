import { Readable } from 'node:stream';
import {
  BudgetChange,
  BudgetInput,
  ChargebackOwnerBy,
  ChargebackReport,
  CostAlert,
  CostOverview,
  CostQuery,
  CostBasis,
  CostDigest,
  DigestPeriod,
  DateRange,
  BudgetListItem,
  EntityBudgetResponse,
  EntityCompliance,
  IngestRun,
  OrganisationCompliance,
  Recommendation,
  RecommendationList,
  RecommendationStateInput,
  ResourceCostList,
  SeriesGroupBy,
  EntityUnitCost,
  UnitCostQuery,
  UnitMetricsWriteResult,
  CommitmentSummary,
} from '@costscope/backstage-plugin-common';
import { SnapshotEntity } from '../allocation/catalogSnapshot';
import { JsonAnswer } from '../lib/gzippedJson';
import { Caller, KubernetesCallerVisibility, Visibility } from './access';

/**
 * The services the HTTP routes use, one per concern. Routes take these and the access
 * module, never stores, so that route tests can mock them and a store can change behind
 * them. The default implementations are built in `buildCostscopeContext`.
 */
export interface CostscopeServices {
  costs: CostReadService;
  budgets: BudgetsService;
  compliance: ComplianceService;
  recommendations: RecommendationsService;
  ingest: IngestService;
  digests: DigestsService;
  unitCost: UnitCostService;
}

/** An answer already serialised as JSON: cached answers are kept as text, not objects. */
export type JsonText = string;

/** Cost per entity and for the organisation, read from the allocated rollups. */
export interface CostReadService {
  /** The stored billing currency, or the configured one before any data exists. */
  currency(): Promise<string>;
  /**
   * Amounts are counted on `query.costBasis`, or on the configured basis when it is left out.
   * Throws NotFoundError for an entity Costscope does not know. `visibility` (or `hidden`):
   * entities below it hidden from the caller, whose cost shows as one "not visible to you" line.
   */
  summary(
    entityRef: string,
    query: CostQuery,
    visibility?: Visibility,
  ): Promise<JsonAnswer>;
  series(
    entityRef: string,
    query: CostQuery,
    groupBy: SeriesGroupBy,
    visibility?: Visibility,
  ): Promise<JsonText>;
  resources(
    entityRef: string,
    query: CostQuery,
    limit: number,
    hidden?: ReadonlySet<string>,
  ): Promise<ResourceCostList>;
  /**
   * The entity's workloads on shared Kubernetes clusters with their resource shares and
   * efficiency, and the whole split of the clusters it owns (an `EntityKubernetesCost`).
   * `visibility.below`: hidden entities below it; `visibility.organisation`: hidden anywhere
   * (asked only for an owner).
   */
  kubernetes(
    entityRef: string,
    query: CostQuery,
    visibility?: KubernetesCallerVisibility,
  ): Promise<JsonText>;
  /** `hidden`: groups hidden from the caller, merged into one line of `byGroup`. */
  overview(
    query: CostQuery,
    hidden?: ReadonlySet<string>,
  ): Promise<CostOverview>;
  /** Commitment coverage, utilization and savings rate per month of the range. */
  commitments(range: DateRange): Promise<CommitmentSummary>;
}

/** Budgets per entity, their history and the alerts they raised. */
export interface BudgetsService {
  /**
   * The entity's budget status, and whether (or why not) the caller can change it, given
   * whether the policy lets them (`mayEdit`).
   */
  entityBudget(
    entity: SnapshotEntity,
    mayEdit: boolean,
  ): Promise<EntityBudgetResponse>;
  /** Throws ConflictError for a budget declared as code (the policy has been asked before). */
  checkEditable(entity: SnapshotEntity): Promise<void>;
  /** Stores a UI budget; what a new budget triggers (alerts) has run when this resolves. */
  setBudget(
    entity: SnapshotEntity,
    input: BudgetInput,
    caller: Caller,
  ): Promise<void>;
  /** Removes the entity's UI budget; false when it had none. */
  deleteBudget(entity: SnapshotEntity, caller: Caller): Promise<boolean>;
  history(entityRef: string, limit: number): Promise<BudgetChange[]>;
  /** Every budget in force with its status; with `entityRefs`, only those entities' budgets. */
  listBudgets(entityRefs?: ReadonlySet<string>): Promise<BudgetListItem[]>;
  listAlerts(options: {
    entityRef?: string;
    limit: number;
  }): Promise<CostAlert[]>;
}

/** Tag compliance per entity and for the organisation, and the chargeback report. */
export interface ComplianceService {
  /** `hidden` (in each): entities hidden from the caller, see {@link CostReadService}. */
  /** Cost counted on `query.costBasis`, or on the configured basis when it is left out. */
  entityCompliance(
    entityRef: string,
    query: CostQuery,
    hidden?: ReadonlySet<string>,
  ): Promise<EntityCompliance>;
  organisationCompliance(
    query: CostQuery,
    hidden?: ReadonlySet<string>,
  ): Promise<OrganisationCompliance>;
  /** The same serialised, as the route sends it (a kept report is sent as it was kept). */
  organisationComplianceJson(
    query: CostQuery,
    visibility?: Visibility,
  ): Promise<JsonAnswer>;
  /** On `query.costBasis`, or on the configured basis when it is left out. */
  chargeback(
    query: CostQuery,
    by: ChargebackOwnerBy,
    hidden?: ReadonlySet<string>,
  ): Promise<ChargebackReport>;
  /** The same serialised, as the route sends it (a kept report is sent as it was kept). */
  chargebackJson(
    query: CostQuery,
    by: ChargebackOwnerBy,
    visibility?: Visibility,
  ): Promise<JsonAnswer>;
  /** The chargeback as CSV lines, streamed; it fails mid-stream if a total misses the bill. */
  chargebackCsv(
    query: CostQuery,
    by: ChargebackOwnerBy,
    hidden?: ReadonlySet<string>,
  ): Promise<Readable>;
}

/** Recommendations per entity and for the organisation, and their state. */
export interface RecommendationsService {
  listForEntity(entityRef: string, today: string): Promise<RecommendationList>;
  listForOrganisation(
    limit: number,
    today: string,
  ): Promise<RecommendationList>;
  get(id: string, today: string): Promise<Recommendation | undefined>;
  setState(
    id: string,
    input: RecommendationStateInput,
    by: string,
    today: string,
  ): Promise<Recommendation>;
}

/** The configured sources, their recorded runs, and running them now. */
export interface IngestService {
  sourceIds(): string[];
  /** Runs one source now, serialised with its scheduled runs, and what follows an ingest. */
  run(sourceId: string): Promise<IngestRun>;
  listRuns(limit: number): Promise<IngestRun[]>;
}

/** What a team (or system) is told of a week or a month: the scheduled digest, on demand. */
export interface DigestsService {
  /**
   * The digest of the period of `date` (left out: the latest complete period), on the
   * configured basis unless one is asked for. `visibility`: see {@link CostReadService}.
   * `organisationFigures`: whether the reader may see organisation-wide figures
   * (`costscope.overview.read`), such as the organisation's commitment month.
   */
  digest(
    entityRef: string,
    request: { period: DigestPeriod; date?: string; costBasis?: CostBasis },
    visibility?: Visibility,
    organisationFigures?: boolean,
  ): Promise<CostDigest>;
}

/** Business metrics per entity (orders, streams) and cost per unit of them. */
export interface UnitCostService {
  /**
   * Stores the daily values of a `POST /v1/metrics` body, all or nothing, each replacing the
   * value of its entity, metric and day. Throws InputError naming the first bad input (an
   * entity Costscope does not know included) before anything is stored.
   */
  write(body: unknown): Promise<UnitMetricsWriteResult>;
  /**
   * The entity's cost per unit of a metric over the range, on `query.costBasis` or the
   * configured basis. Throws NotFoundError for an entity Costscope does not know, InputError
   * for a metric that is not configured.
   */
  entityUnitCost(
    entityRef: string,
    query: UnitCostQuery,
  ): Promise<EntityUnitCost>;
}
