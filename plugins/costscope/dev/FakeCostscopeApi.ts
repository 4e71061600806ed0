import type {
  BudgetChange,
  BudgetInput,
  BudgetStatus,
  ChargebackOwnerBy,
  CostscopeApi,
  DateRange,
  DigestPeriod,
  Recommendation,
  RecommendationStateInput,
  UnitCostQuery,
} from '@costscope/backstage-plugin-common';
import { unitCostFor } from '../src/__testUtils__/unitCostFixtures';
import {
  budgetChanges,
  budgetList,
  budgetStatusFor,
  costAlerts,
  ingestRuns,
  overviewFor,
  resourcesFor,
  seriesFor,
  summaryFor,
  uiBudget,
} from '../src/__testUtils__/fixtures';
import {
  chargebackCsvFor,
  chargebackFor,
  entityComplianceFor,
  organisationComplianceFor,
} from '../src/__testUtils__/complianceFixtures';
import { digestFor } from '../src/__testUtils__/digestFixtures';
import { kubernetesFor } from '../src/__testUtils__/kubernetesFixtures';
import { commitmentsFor } from '../src/__testUtils__/commitmentFixtures';
import {
  entityRecommendations,
  recommendationListFor,
} from '../src/__testUtils__/recommendationFixtures';

/** A short wait, so that the spinners of a real network show too. */
function latency(): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, 150));
}

/**
 * The Costscope API answered from the test fixtures, with budgets and recommendation states
 * kept in memory: the dev page runs with no backend, and edits show up on reload.
 */
export class FakeCostscopeApi implements CostscopeApi {
  private readonly budgets = new Map<string, BudgetStatus>([
    [uiBudget.entityRef, budgetStatusFor('warning')],
  ]);
  private history: BudgetChange[] = [...budgetChanges];
  private recommendations: Recommendation[] = [
    ...entityRecommendations.items,
    ...entityRecommendations.dismissed,
  ];

  async getEntitySummary(entityRef: string, range: DateRange) {
    await latency();
    return summaryFor(entityRef, range);
  }

  async getEntitySeries(entityRef: string, range: DateRange) {
    await latency();
    return seriesFor(entityRef, range);
  }

  async getEntityResources(entityRef: string, range: DateRange) {
    await latency();
    return resourcesFor(entityRef, range);
  }

  async getEntityKubernetes(entityRef: string, range: DateRange) {
    await latency();
    return kubernetesFor(entityRef, range);
  }

  async getOverview(range: DateRange) {
    await latency();
    return overviewFor(range);
  }

  async getCommitments(range: DateRange) {
    await latency();
    return commitmentsFor(range);
  }

  async getIngestRuns() {
    await latency();
    return { items: ingestRuns };
  }

  async triggerIngest() {
    return { runs: [] };
  }

  async getEntityBudget(entityRef: string) {
    await latency();
    return { status: this.budgets.get(entityRef) ?? null, canEdit: true };
  }

  async putEntityBudget(entityRef: string, input: BudgetInput) {
    const before = this.budgets.get(entityRef)?.budget;
    const status = budgetStatusFor('ok', {
      budget: {
        ...uiBudget,
        ...input,
        thresholds: input.thresholds ?? uiBudget.thresholds,
        recipients: input.recipients ?? [],
        entityRef,
        source: 'ui',
        updatedAt: new Date().toISOString(),
        updatedBy: 'user:development/guest',
      },
    });
    this.budgets.set(entityRef, status);
    this.record(entityRef, before ? 'updated' : 'created', before, input);
    return { status, canEdit: true };
  }

  async deleteEntityBudget(entityRef: string) {
    const before = this.budgets.get(entityRef)?.budget;
    this.budgets.delete(entityRef);
    this.record(entityRef, 'deleted', before, undefined);
  }

  async getEntityBudgetHistory(entityRef: string) {
    await latency();
    return { items: this.history.filter(c => c.entityRef === entityRef) };
  }

  async listBudgets() {
    await latency();
    return { items: budgetList };
  }

  async getAlerts() {
    await latency();
    return { items: costAlerts };
  }

  async getEntityCompliance(entityRef: string, range: DateRange) {
    await latency();
    return entityComplianceFor(entityRef, range);
  }

  async getOrganisationCompliance(range: DateRange) {
    await latency();
    return organisationComplianceFor(range);
  }

  async getEntityUnitCost(entityRef: string, query: UnitCostQuery) {
    await latency();
    return unitCostFor(entityRef, query);
  }

  async postUnitMetrics() {
    return { stored: 0 };
  }

  async getChargeback(query: DateRange & { by: ChargebackOwnerBy }) {
    await latency();
    return chargebackFor(query);
  }

  async getChargebackCsv(query: DateRange & { by: ChargebackOwnerBy }) {
    return chargebackCsvFor(query);
  }

  async getEntityRecommendations(entityRef: string) {
    await latency();
    return this.recommendationList(entityRef);
  }

  async getEntityDigest(entityRef: string, query: { period: DigestPeriod }) {
    await latency();
    return digestFor(entityRef, query.period);
  }

  async getRecommendations() {
    await latency();
    return this.recommendationList('organization');
  }

  async setRecommendationState(id: string, input: RecommendationStateInput) {
    const found = this.recommendations.find(r => r.id === id);
    if (!found) throw new Error(`No recommendation ${id}`);
    const updated: Recommendation =
      input.state === 'open'
        ? { ...found, state: 'open', dismissal: undefined }
        : {
            ...found,
            state: input.state,
            dismissal: {
              state: input.state,
              reason: input.reason ?? '',
              by: 'user:development/guest',
              at: new Date().toISOString(),
              ...(input.until ? { until: input.until } : {}),
            },
          };
    this.recommendations = this.recommendations.map(r =>
      r.id === id ? updated : r,
    );
    return updated;
  }

  private recommendationList(entityRef: string) {
    return recommendationListFor(entityRef, this.recommendations, {
      skipped: entityRecommendations.skipped,
      computedAt: entityRecommendations.computedAt,
    });
  }

  private record(
    entityRef: string,
    action: BudgetChange['action'],
    before: BudgetInput | undefined,
    after: BudgetInput | undefined,
  ) {
    const change: BudgetChange = {
      id: `dev-${this.history.length + 1}`,
      entityRef,
      at: new Date().toISOString(),
      by: 'user:development/guest',
      action,
      ...(before ? { before: pick(before) } : {}),
      ...(after ? { after: pick(after) } : {}),
    };
    this.history = [change, ...this.history];
  }
}

/** The fields a history entry keeps of a budget. */
function pick(budget: BudgetInput): BudgetInput {
  return {
    amount: budget.amount,
    period: budget.period,
    currency: budget.currency,
  };
}
