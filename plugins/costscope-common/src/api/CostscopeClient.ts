import { ResponseError } from '@backstage/errors';
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
import {
  CostOverview,
  CostSeries,
  DateRange,
  EntityCostSummary,
  IngestRun,
  ResourceCostList,
  SeriesGroupBy,
} from './types';

/** Splits `kind:namespace/name` into URL path segments. */
function entityPath(entityRef: string): string {
  const match = /^([^:/]+):(?:([^/]+)\/)?(.+)$/.exec(entityRef);
  if (!match) {
    throw new TypeError(`Invalid entity ref '${entityRef}'`);
  }
  const [, kind, namespace = 'default', name] = match;
  return [kind, namespace, name]
    .map(part => encodeURIComponent(part.toLocaleLowerCase('en-US')))
    .join('/');
}

/**
 * Typed client for the Costscope backend. Works in the browser (with the frontend's
 * discovery and fetch APIs) and in Node.js (with a discovery service and a token).
 * @public
 */
export class CostscopeClient implements CostscopeApi {
  private readonly discoveryApi: {
    getBaseUrl(pluginId: string): Promise<string>;
  };
  private readonly fetchApi: { fetch: typeof fetch };

  constructor(options: {
    discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
    fetchApi?: { fetch: typeof fetch };
  }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi ?? { fetch: (...args) => fetch(...args) };
  }

  async getEntitySummary(
    entityRef: string,
    range: DateRange,
    options?: RequestOptions,
  ) {
    return this.get<EntityCostSummary>(
      `/v1/entities/${entityPath(entityRef)}/summary`,
      { from: range.from, to: range.to },
      options,
    );
  }

  async getEntitySeries(
    entityRef: string,
    range: DateRange & { groupBy?: SeriesGroupBy },
    options?: RequestOptions,
  ) {
    return this.get<CostSeries>(
      `/v1/entities/${entityPath(entityRef)}/series`,
      { from: range.from, to: range.to, groupBy: range.groupBy },
      options,
    );
  }

  async getEntityResources(
    entityRef: string,
    range: DateRange & { limit?: number },
    options?: RequestOptions,
  ) {
    return this.get<ResourceCostList>(
      `/v1/entities/${entityPath(entityRef)}/resources`,
      { from: range.from, to: range.to, limit: range.limit },
      options,
    );
  }

  getOverview(range: DateRange, options?: RequestOptions) {
    return this.get<CostOverview>(
      '/v1/overview',
      { from: range.from, to: range.to },
      options,
    );
  }

  getIngestRuns(query?: { limit?: number }, options?: RequestOptions) {
    return this.get<{ items: IngestRun[] }>(
      '/v1/ingest-runs',
      { limit: query?.limit },
      options,
    );
  }

  async triggerIngest(body?: { sourceId?: string }, options?: RequestOptions) {
    return this.request<{ runs: IngestRun[] }>(
      'POST',
      '/v1/ingest',
      {},
      options,
      body ?? {},
    );
  }

  getEntityBudget(entityRef: string, options?: RequestOptions) {
    return this.get<EntityBudgetResponse>(
      `/v1/entities/${entityPath(entityRef)}/budget`,
      {},
      options,
    );
  }

  putEntityBudget(
    entityRef: string,
    budget: BudgetInput,
    options?: RequestOptions,
  ) {
    return this.request<EntityBudgetResponse>(
      'PUT',
      `/v1/entities/${entityPath(entityRef)}/budget`,
      {},
      options,
      budget,
    );
  }

  async deleteEntityBudget(entityRef: string, options?: RequestOptions) {
    await this.request<unknown>(
      'DELETE',
      `/v1/entities/${entityPath(entityRef)}/budget`,
      {},
      options,
    );
  }

  getEntityBudgetHistory(entityRef: string, options?: RequestOptions) {
    return this.get<{ items: BudgetChange[] }>(
      `/v1/entities/${entityPath(entityRef)}/budget/history`,
      {},
      options,
    );
  }

  listBudgets(options?: RequestOptions) {
    return this.get<{ items: BudgetListItem[] }>('/v1/budgets', {}, options);
  }

  getAlerts(
    query?: { entityRef?: string; limit?: number },
    options?: RequestOptions,
  ) {
    return this.get<{ items: CostAlert[] }>(
      '/v1/alerts',
      { entityRef: query?.entityRef, limit: query?.limit },
      options,
    );
  }

  getEntityCompliance(
    entityRef: string,
    range: DateRange,
    options?: RequestOptions,
  ) {
    return this.get<EntityCompliance>(
      `/v1/entities/${entityPath(entityRef)}/compliance`,
      { from: range.from, to: range.to },
      options,
    );
  }

  getOrganisationCompliance(range: DateRange, options?: RequestOptions) {
    return this.get<OrganisationCompliance>(
      '/v1/compliance',
      { from: range.from, to: range.to },
      options,
    );
  }

  getChargeback(
    query: DateRange & { by: ChargebackOwnerBy },
    options?: RequestOptions,
  ) {
    return this.get<ChargebackReport>(
      '/v1/chargeback',
      { from: query.from, to: query.to, by: query.by },
      options,
    );
  }

  async getChargebackCsv(
    query: DateRange & { by: ChargebackOwnerBy },
    options?: RequestOptions,
  ) {
    const response = await this.send(
      'GET',
      '/v1/chargeback.csv',
      { from: query.from, to: query.to, by: query.by },
      options,
    );
    return response.text();
  }

  getEntityRecommendations(entityRef: string, options?: RequestOptions) {
    return this.get<RecommendationList>(
      `/v1/entities/${entityPath(entityRef)}/recommendations`,
      {},
      options,
    );
  }

  getRecommendations(query?: { limit?: number }, options?: RequestOptions) {
    return this.get<RecommendationList>(
      '/v1/recommendations',
      { limit: query?.limit },
      options,
    );
  }

  setRecommendationState(
    id: string,
    input: RecommendationStateInput,
    options?: RequestOptions,
  ) {
    return this.request<Recommendation>(
      'PUT',
      `/v1/recommendations/${encodeURIComponent(id)}/state`,
      {},
      options,
      input,
    );
  }

  private get<T>(
    path: string,
    query: Record<string, string | number | undefined>,
    options?: RequestOptions,
  ): Promise<T> {
    return this.request<T>('GET', path, query, options);
  }

  private async request<T>(
    method: string,
    path: string,
    query: Record<string, string | number | undefined>,
    options?: RequestOptions,
    body?: unknown,
  ): Promise<T> {
    const response = await this.send(method, path, query, options, body);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  /** Sends a request and answers the response when it is OK; throws a ResponseError otherwise. */
  private async send(
    method: string,
    path: string,
    query: Record<string, string | number | undefined>,
    options?: RequestOptions,
    body?: unknown,
  ): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('costscope');
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) params.set(key, String(value));
    }
    const search = params.toString();
    const headers: Record<string, string> = {};
    if (options?.token) headers.authorization = `Bearer ${options.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await this.fetchApi.fetch(
      `${baseUrl}${path}${search ? `?${search}` : ''}`,
      {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      },
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }
}
