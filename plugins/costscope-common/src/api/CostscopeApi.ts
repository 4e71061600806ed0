import { CommitmentSummary } from './commitmentTypes';
import {
  BudgetChange,
  BudgetInput,
  BudgetListItem,
  CostAlert,
  EntityBudgetResponse,
} from './budgetTypes';
import {
  ChargebackOwnerBy,
  ChargebackReport,
  EntityCompliance,
  OrganisationCompliance,
} from './complianceTypes';
import {
  Recommendation,
  RecommendationList,
  RecommendationStateInput,
} from './recommendationTypes';
import { CostDigest, DigestPeriod } from './digestTypes';
import {
  CostBasis,
  CostOverview,
  CostQuery,
  CostSeries,
  DateRange,
  EntityCostSummary,
  IngestRun,
  ResourceCostList,
  SeriesGroupBy,
} from './types';
import { EntityKubernetesCost } from './kubernetesTypes';
import {
  EntityUnitCost,
  UnitCostQuery,
  UnitMetricsInput,
  UnitMetricsWriteResult,
} from './unitCostTypes';

/** Options every call may take. @public */
export interface RequestOptions {
  /** A Backstage token, for callers outside the frontend's fetchApi. */
  token?: string;
}

/**
 * The Costscope HTTP API (`/api/costscope`), as the typed client exposes it.
 * Entity refs are full refs such as `component:default/checkout-api`.
 * @public
 */
export interface CostscopeApi {
  getEntitySummary(
    entityRef: string,
    range: CostQuery,
    options?: RequestOptions,
  ): Promise<EntityCostSummary>;
  getEntitySeries(
    entityRef: string,
    range: CostQuery & { groupBy?: SeriesGroupBy },
    options?: RequestOptions,
  ): Promise<CostSeries>;
  getEntityResources(
    entityRef: string,
    range: CostQuery & { limit?: number },
    options?: RequestOptions,
  ): Promise<ResourceCostList>;
  /** Workloads on shared Kubernetes clusters, and the split of the clusters the entity owns. */
  getEntityKubernetes(
    entityRef: string,
    range: CostQuery,
    options?: RequestOptions,
  ): Promise<EntityKubernetesCost>;
  getOverview(
    range: CostQuery,
    options?: RequestOptions,
  ): Promise<CostOverview>;
  /** Commitment coverage, utilization and savings rate per month (organisation). */
  getCommitments(
    range: DateRange,
    options?: RequestOptions,
  ): Promise<CommitmentSummary>;
  getIngestRuns(
    query?: { limit?: number },
    options?: RequestOptions,
  ): Promise<{ items: IngestRun[] }>;
  triggerIngest(
    body?: { sourceId?: string },
    options?: RequestOptions,
  ): Promise<{ runs: IngestRun[] }>;
  getEntityBudget(
    entityRef: string,
    options?: RequestOptions,
  ): Promise<EntityBudgetResponse>;
  putEntityBudget(
    entityRef: string,
    budget: BudgetInput,
    options?: RequestOptions,
  ): Promise<EntityBudgetResponse>;
  deleteEntityBudget(
    entityRef: string,
    options?: RequestOptions,
  ): Promise<void>;
  getEntityBudgetHistory(
    entityRef: string,
    options?: RequestOptions,
  ): Promise<{ items: BudgetChange[] }>;
  listBudgets(options?: RequestOptions): Promise<{ items: BudgetListItem[] }>;
  getAlerts(
    query?: { entityRef?: string; limit?: number },
    options?: RequestOptions,
  ): Promise<{ items: CostAlert[] }>;
  /** Costs on `range.costBasis`, or on the configured basis when it is left out. */
  getEntityCompliance(
    entityRef: string,
    range: CostQuery,
    options?: RequestOptions,
  ): Promise<EntityCompliance>;
  getOrganisationCompliance(
    range: CostQuery,
    options?: RequestOptions,
  ): Promise<OrganisationCompliance>;
  getChargeback(
    query: CostQuery & { by: ChargebackOwnerBy },
    options?: RequestOptions,
  ): Promise<ChargebackReport>;
  /** The chargeback report as CSV text (`text/csv`), exactly as the API streams it. */
  getChargebackCsv(
    query: CostQuery & { by: ChargebackOwnerBy },
    options?: RequestOptions,
  ): Promise<string>;
  getEntityRecommendations(
    entityRef: string,
    options?: RequestOptions,
  ): Promise<RecommendationList>;
  /**
   * What the entity's scheduled digest says of the week or month that contains `date`
   * (the latest complete one when left out).
   */
  getEntityDigest(
    entityRef: string,
    query: { period: DigestPeriod; date?: string; costBasis?: CostBasis },
    options?: RequestOptions,
  ): Promise<CostDigest>;
  /** Every recommendation of the organisation, largest saving first. */
  getRecommendations(
    query?: { limit?: number },
    options?: RequestOptions,
  ): Promise<RecommendationList>;
  /** Dismisses, snoozes or reopens one recommendation. */
  setRecommendationState(
    id: string,
    input: RecommendationStateInput,
    options?: RequestOptions,
  ): Promise<Recommendation>;
  /** An entity's cost per unit of a business metric over time. */
  getEntityUnitCost(
    entityRef: string,
    query: UnitCostQuery,
    options?: RequestOptions,
  ): Promise<EntityUnitCost>;
  /** Stores daily business metric values, all or nothing (`costscope.metrics.write`). */
  postUnitMetrics(
    input: UnitMetricsInput,
    options?: RequestOptions,
  ): Promise<UnitMetricsWriteResult>;
}
