import { ResponseError } from '@backstage/errors';
import { DefaultApiClient, TypedResponse } from '../schema/openapi/generated';
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
import { CostscopeApi, RequestOptions } from './CostscopeApi';
import {
  Recommendation,
  RecommendationList,
  RecommendationStateInput,
} from './recommendationTypes';
import { CostDigest, DigestPeriod } from './digestTypes';
import { CommitmentSummary } from './commitmentTypes';
import { EntityKubernetesCost } from './kubernetesTypes';
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
import {
  EntityUnitCost,
  UnitCostQuery,
  UnitMetricsInput,
  UnitMetricsWriteResult,
} from './unitCostTypes';

/** The path parameters of an entity ref `kind:namespace/name` (namespace `default` when left out). */
function entityPath(entityRef: string) {
  const match = /^([^:/]+):(?:([^/]+)\/)?(.+)$/.exec(entityRef);
  if (!match) {
    throw new TypeError(`Invalid entity ref '${entityRef}'`);
  }
  const [, kind, namespace = 'default', name] = match;
  const lower = (part: string) => part.toLocaleLowerCase('en-US');
  return { kind: lower(kind), namespace: lower(namespace), name: lower(name) };
}

/** The query parameters of a range and its basis (left out when the caller names none). */
function costQueryOf(range: CostQuery) {
  return {
    from: range.from,
    to: range.to,
    ...(range.costBasis ? { costBasis: range.costBasis } : {}),
  };
}

/**
 * Reads the body of an OK response (a ResponseError otherwise) as `Answer`, which must fit the
 * model generated from the spec: the compiler checks each type the client promises against it.
 */
function answer<Spec>(pending: Promise<TypedResponse<Spec>>) {
  return {
    async as<Answer extends Spec>(): Promise<Answer> {
      const response = await pending;
      if (!response.ok) {
        throw await ResponseError.fromResponse(response as Response);
      }
      if (response.status === 204) return undefined as Answer;
      return (await response.json()) as Answer;
    },
  };
}

/**
 * Typed client for the Costscope backend. Works in the browser (with the frontend's
 * discovery and fetch APIs) and in Node.js (with a discovery service and a token).
 * Requests go through the client generated from the OpenAPI spec (`DefaultApiClient`); this
 * class keeps the `CostscopeApi` the frontend uses: entity refs, date ranges, errors thrown.
 * @public
 */
export class CostscopeClient implements CostscopeApi {
  private readonly api: DefaultApiClient;

  constructor(options: {
    discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
    fetchApi?: { fetch: typeof fetch };
  }) {
    this.api = new DefaultApiClient(options);
  }

  async getEntitySummary(
    entityRef: string,
    range: CostQuery,
    options?: RequestOptions,
  ) {
    const path = entityPath(entityRef);
    const query = costQueryOf(range);
    return answer(
      this.api.getEntitySummary({ path, query }, options),
    ).as<EntityCostSummary>();
  }

  async getEntitySeries(
    entityRef: string,
    range: CostQuery & { groupBy?: SeriesGroupBy },
    options?: RequestOptions,
  ) {
    const path = entityPath(entityRef);
    const query = { ...costQueryOf(range), groupBy: range.groupBy };
    return answer(
      this.api.getEntitySeries({ path, query }, options),
    ).as<CostSeries>();
  }

  async getEntityResources(
    entityRef: string,
    range: CostQuery & { limit?: number },
    options?: RequestOptions,
  ) {
    const path = entityPath(entityRef);
    const query = { ...costQueryOf(range), limit: range.limit };
    return answer(
      this.api.getEntityResources({ path, query }, options),
    ).as<ResourceCostList>();
  }

  async getEntityKubernetes(
    entityRef: string,
    range: CostQuery,
    options?: RequestOptions,
  ) {
    const path = entityPath(entityRef);
    const query = costQueryOf(range);
    return answer(
      this.api.getEntityKubernetes({ path, query }, options),
    ).as<EntityKubernetesCost>();
  }

  async getOverview(range: CostQuery, options?: RequestOptions) {
    const query = costQueryOf(range);
    return answer(this.api.getOverview({ query }, options)).as<CostOverview>();
  }

  async getCommitments(range: DateRange, options?: RequestOptions) {
    return answer(
      this.api.getCommitments(
        { query: { from: range.from, to: range.to } },
        options,
      ),
    ).as<CommitmentSummary>();
  }

  async getIngestRuns(query?: { limit?: number }, options?: RequestOptions) {
    return answer(
      this.api.getIngestRuns({ query: { limit: query?.limit } }, options),
    ).as<{ items: IngestRun[] }>();
  }

  async triggerIngest(body?: { sourceId?: string }, options?: RequestOptions) {
    return answer(this.api.triggerIngest({ body: body ?? {} }, options)).as<{
      runs: IngestRun[];
    }>();
  }

  async getEntityBudget(entityRef: string, options?: RequestOptions) {
    return answer(
      this.api.getEntityBudget({ path: entityPath(entityRef) }, options),
    ).as<EntityBudgetResponse>();
  }

  async putEntityBudget(
    entityRef: string,
    budget: BudgetInput,
    options?: RequestOptions,
  ) {
    const path = entityPath(entityRef);
    return answer(
      this.api.putEntityBudget({ path, body: budget }, options),
    ).as<EntityBudgetResponse>();
  }

  async deleteEntityBudget(entityRef: string, options?: RequestOptions) {
    await answer(
      this.api.deleteEntityBudget({ path: entityPath(entityRef) }, options),
    ).as<void>();
  }

  async getEntityBudgetHistory(entityRef: string, options?: RequestOptions) {
    const path = entityPath(entityRef);
    return answer(
      this.api.getEntityBudgetHistory({ path, query: {} }, options),
    ).as<{ items: BudgetChange[] }>();
  }

  async listBudgets(options?: RequestOptions) {
    return answer(this.api.listBudgets({}, options)).as<{
      items: BudgetListItem[];
    }>();
  }

  async getAlerts(
    query?: { entityRef?: string; limit?: number },
    options?: RequestOptions,
  ) {
    const params = { entityRef: query?.entityRef, limit: query?.limit };
    return answer(this.api.getAlerts({ query: params }, options)).as<{
      items: CostAlert[];
    }>();
  }

  async getEntityCompliance(
    entityRef: string,
    range: CostQuery,
    options?: RequestOptions,
  ) {
    const path = entityPath(entityRef);
    const query = costQueryOf(range);
    return answer(
      this.api.getEntityCompliance({ path, query }, options),
    ).as<EntityCompliance>();
  }

  async getOrganisationCompliance(range: CostQuery, options?: RequestOptions) {
    const query = costQueryOf(range);
    return answer(
      this.api.getOrganisationCompliance({ query }, options),
    ).as<OrganisationCompliance>();
  }

  async getChargeback(
    query: CostQuery & { by: ChargebackOwnerBy },
    options?: RequestOptions,
  ) {
    const params = { ...costQueryOf(query), by: query.by };
    return answer(
      this.api.getChargeback({ query: params }, options),
    ).as<ChargebackReport>();
  }

  async getChargebackCsv(
    query: CostQuery & { by: ChargebackOwnerBy },
    options?: RequestOptions,
  ) {
    const params = { ...costQueryOf(query), by: query.by };
    const response = await this.api.getChargebackCsv(
      { query: params },
      options,
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response as Response);
    }
    return response.text();
  }

  async getEntityRecommendations(entityRef: string, options?: RequestOptions) {
    const path = entityPath(entityRef);
    return answer(
      this.api.getEntityRecommendations({ path }, options),
    ).as<RecommendationList>();
  }

  async getEntityDigest(
    entityRef: string,
    query: { period: DigestPeriod; date?: string; costBasis?: CostBasis },
    options?: RequestOptions,
  ) {
    const path = entityPath(entityRef);
    return answer(
      this.api.getEntityDigest(
        {
          path,
          query: {
            period: query.period,
            ...(query.date ? { date: query.date } : {}),
            ...(query.costBasis ? { costBasis: query.costBasis } : {}),
          },
        },
        options,
      ),
    ).as<CostDigest>();
  }

  async getRecommendations(
    query?: { limit?: number },
    options?: RequestOptions,
  ) {
    return answer(
      this.api.getRecommendations({ query: { limit: query?.limit } }, options),
    ).as<RecommendationList>();
  }

  async setRecommendationState(
    id: string,
    input: RecommendationStateInput,
    options?: RequestOptions,
  ) {
    return answer(
      this.api.setRecommendationState({ path: { id }, body: input }, options),
    ).as<Recommendation>();
  }

  async getEntityUnitCost(
    entityRef: string,
    query: UnitCostQuery,
    options?: RequestOptions,
  ) {
    const path = entityPath(entityRef);
    return answer(
      this.api.getEntityUnitCost(
        {
          path,
          query: {
            ...costQueryOf(query),
            ...(query.metric ? { metric: query.metric } : {}),
            ...(query.granularity ? { granularity: query.granularity } : {}),
          },
        },
        options,
      ),
    ).as<EntityUnitCost>();
  }

  async postUnitMetrics(input: UnitMetricsInput, options?: RequestOptions) {
    return answer(
      this.api.postUnitMetrics({ body: input }, options),
    ).as<UnitMetricsWriteResult>();
  }
}
