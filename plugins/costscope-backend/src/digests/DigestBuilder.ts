import {
  BudgetListItem,
  BudgetState,
  ChargebackReport,
  CostAlert,
  CostBasis,
  CostBreakdownItem,
  CommitmentMonth,
  CostDigest,
  DateRange,
  DigestBudget,
  DigestCommitments,
  DigestOwnUnitCost,
  DigestChangeItem,
  DigestPeriod,
  DigestUnitCost,
  EntityCompliance,
  EntityUnitCost,
  EntityCostSummary,
  moneyToNanos,
  nanosToMoney,
  RecommendationList,
  UnitCostQuery,
} from '@costscope/backstage-plugin-common';
import { EVERYTHING_VISIBLE, Visibility } from '../service/access';
import {
  hideRecommendationEntities,
  withoutHiddenEntities,
} from '../service/hideEntities';
import { changeRatioOf, compareBigInt } from '../lib/decimal';
import { JsonAnswer, jsonTextOf } from '../lib/gzippedJson';
import { lastYearDigestPeriod, previousDigestPeriod } from './digestPeriods';

/** How many entities, services, tips and alerts a digest lists. */
const TOP_ENTITIES = 5;
const TOP_SERVICES = 5;
const TOP_TIPS = 3;
const ALERT_LIMIT = 20;
const UNIT_COST_LIMIT = 5;

const BUDGET_STATE_ORDER: Record<BudgetState, number> = {
  over: 0,
  'forecast-over': 1,
  warning: 2,
  ok: 3,
};

/** What a digest reads; each the service the matching route uses, so the numbers agree. */
export interface DigestSources {
  /** `CostReadService.summary`: the summary serialised (as text, or kept gzipped). */
  summary(
    entityRef: string,
    query: DateRange & { costBasis: CostBasis },
    visibility: Visibility,
  ): Promise<JsonAnswer>;
  /** Budgets in force with their status; with `entityRefs`, only those entities' budgets. */
  listBudgets(entityRefs?: ReadonlySet<string>): Promise<BudgetListItem[]>;
  alertsCreated(entityRefs: string[], range: DateRange): Promise<CostAlert[]>;
  recommendations(
    entityRef: string,
    today: string,
  ): Promise<RecommendationList>;
  /** Compliance by cost on `query.costBasis`. */
  compliance(
    entityRef: string,
    query: DateRange & { costBasis: CostBasis },
    hidden: ReadonlySet<string>,
  ): Promise<EntityCompliance>;
  /**
   * `summary` of any entity on the configured basis, nothing hidden, read once for all of
   * them (`SummaryKeeper.everyEntitySummary`).
   */
  everyEntitySummary(range: DateRange): Promise<EntitySummaryOf>;
  /** `compliance` of any entity, nothing hidden, read once for all of them. */
  everyEntityCompliance(
    query: DateRange & { costBasis: CostBasis },
  ): Promise<EntityComplianceOf>;
  /** The chargeback report's totals by owner (`chargebackTotalsOf`). */
  chargebackTotals(
    query: DateRange & { costBasis: CostBasis },
    hidden: ReadonlySet<string>,
  ): Promise<ReadonlyMap<string, bigint>>;
  /** The entity and every entity whose cost rolls up into it, lower-case refs. */
  below(entityRef: string): Promise<string[]>;
  /** The first and last days with cost data. */
  costDays(): Promise<{ first?: string; last?: string }>;
  /** Of these refs, those that report business metrics, and which. */
  metricsOf(
    entityRefs: string[],
  ): Promise<Array<{ entityRef: string; metric: string }>>;
  /** `UnitCostService.entityUnitCost`: the entity's cost per unit over a range. */
  unitCost(entityRef: string, query: UnitCostQuery): Promise<EntityUnitCost>;
  /** The metrics the entity or an entity below it reports. */
  metricsBelow(entityRef: string): Promise<string[]>;
  /**
   * Commitment figures per month of the range (`commitmentMonths`): the organisation's, as
   * `GET /v1/commitments` answers, or with `entityRef` of the facts allocated to it and below.
   */
  commitments(range: DateRange, entityRef?: string): Promise<CommitmentMonth[]>;
}

export interface DigestRequest {
  /** Lower-case entity ref. */
  entityRef: string;
  title?: string;
  period: DigestPeriod;
  range: DateRange;
  /** Left out, the configured basis. */
  costBasis?: CostBasis;
  /** Today (UTC), for the open savings tips. */
  today: string;
  /** What of the rollup the reader may see; everything for scheduled deliveries. */
  visibility?: Visibility;
  /**
   * Whether the reader may see organisation-wide figures (`costscope.overview.read`): the
   * organisation's commitment month. Scheduled deliveries, which reach every member of a
   * team, leave them out.
   */
  organisationFigures?: boolean;
  /**
   * What every digest of the period reads alike, when the caller has it (a scheduled run
   * reads it once for every team); otherwise read for this digest.
   */
  shared?: SharedDigestReads;
}

/** An entity's summary, nothing hidden, in a range read for every entity. */
export type EntitySummaryOf = (entityRef: string) => EntityCostSummary;

/** An entity's compliance, nothing hidden, in a range read for every entity. */
export type EntityComplianceOf = (entityRef: string) => EntityCompliance;

/** Reads that are the same for every digest of a period and basis, whoever it is for. */
export interface SharedDigestReads {
  /** Every budget in force with its status. */
  budgets: BudgetListItem[];
  /**
   * Any entity's compliance in the period and in the one before, for digests that hide
   * nothing: two reads for the run instead of two per digest.
   */
  compliance?: { current: EntityComplianceOf; previous: EntityComplianceOf };
  /** Likewise any entity's summary in the period and in the one before. */
  summaries?: { current: EntitySummaryOf; previous: EntitySummaryOf };
  /** Monthly digests: chargeback totals by owner (lower-case refs or cost centers). */
  chargebackTotals?: ReadonlyMap<string, bigint>;
}

function changeItems(
  current: CostBreakdownItem[],
  previous: CostBreakdownItem[],
  limit: number,
): DigestChangeItem[] {
  const before = new Map(previous.map(item => [item.key, item.cost]));
  return [...current]
    .sort(
      (a, b) =>
        compareBigInt(moneyToNanos(b.cost), moneyToNanos(a.cost)) ||
        a.key.localeCompare(b.key),
    )
    .slice(0, limit)
    .map(item => {
      const previousCost = before.get(item.key) ?? '0.000000000';
      return {
        key: item.key,
        ...(item.label ? { label: item.label } : {}),
        cost: item.cost,
        previousCost,
        change: nanosToMoney(
          moneyToNanos(item.cost) - moneyToNanos(previousCost),
        ),
      };
    });
}

function budgetsAtRisk(
  items: BudgetListItem[],
  below: ReadonlySet<string>,
): DigestBudget[] {
  const atRisk = (
    item: BudgetListItem,
  ): item is BudgetListItem & {
    status: { state: DigestBudget['state'] };
  } =>
    below.has(item.entityRef.toLocaleLowerCase('en-US')) &&
    item.status.state !== 'ok';
  return items
    .filter(atRisk)
    .sort(
      (a, b) =>
        BUDGET_STATE_ORDER[a.status.state] -
          BUDGET_STATE_ORDER[b.status.state] ||
        b.status.percentUsed - a.status.percentUsed,
    )
    .map(({ entityRef, title, status }) => ({
      entityRef,
      ...(title ? { title } : {}),
      state: status.state,
      amount: status.budget.amount,
      spent: status.spent,
      forecast: status.forecast.amount,
      percentUsed: status.percentUsed,
      period: status.period,
    }));
}

/** A digest's unit cost line from the unit cost of the period and of the one before. */
function unitCostChange(
  entityRef: string,
  metric: string,
  now: EntityUnitCost,
  before: EntityUnitCost,
): DigestUnitCost {
  const unitCost = now.total.unitCost;
  const previousUnitCost = before.total.unitCost;
  return {
    entityRef,
    metric,
    unit: now.unit ?? metric,
    unitCost,
    previousUnitCost,
    change:
      unitCost === null || previousUnitCost === null
        ? null
        : nanosToMoney(moneyToNanos(unitCost) - moneyToNanos(previousUnitCost)),
  };
}

/** Sums chargeback lines by owner (lower-case refs or cost centers). */
export function chargebackTotalsOf(
  report: ChargebackReport,
): Map<string, bigint> {
  const totals = new Map<string, bigint>();
  for (const line of report.lines) {
    const owner = line.owner.toLocaleLowerCase('en-US');
    totals.set(owner, (totals.get(owner) ?? 0n) + moneyToNanos(line.cost));
  }
  return totals;
}

/**
 * Totals of a kept chargeback report (JSON text), parsed and summed once while the text
 * stays the same: every group's monthly digest reads the same report.
 */
export function keptChargebackTotals(): (
  text: string,
) => ReadonlyMap<string, bigint> {
  let last: { text: string; totals: ReadonlyMap<string, bigint> } | undefined;
  return text => {
    if (last?.text !== text) {
      last = { text, totals: chargebackTotalsOf(JSON.parse(text)) };
    }
    return last.totals;
  };
}

/**
 * Builds the digest of one entity and period from the same services the routes use, so
 * that a digest's totals equal the summary, budget and recommendation routes' to the
 * nano-unit.
 */
export class DigestBuilder {
  constructor(
    private readonly sources: DigestSources,
    /** The basis digests count on: `costscope.costBasis`, as the Cost tab by default. */
    private readonly costBasis: CostBasis,
  ) {}

  async build(request: DigestRequest): Promise<CostDigest> {
    const { sources } = this;
    const { entityRef, period, range, today } = request;
    const costBasis = request.costBasis ?? this.costBasis;
    const visibility = request.visibility ?? EVERYTHING_VISIBLE;
    const hidden = await visibility.hidden();
    const previousRange = previousDigestPeriod(period, range);
    const lastYearRange = lastYearDigestPeriod(period, range);
    // Shared reads are on the configured basis with nothing hidden.
    const shared =
      hidden.size === 0 && costBasis === this.costBasis
        ? request.shared
        : undefined;
    const read = async (r: DateRange): Promise<EntityCostSummary> => {
      if (shared?.summaries && r === range) {
        return shared.summaries.current(entityRef);
      }
      if (shared?.summaries && r === previousRange) {
        return shared.summaries.previous(entityRef);
      }
      return JSON.parse(
        jsonTextOf(
          await sources.summary(entityRef, { ...r, costBasis }, visibility),
        ),
      );
    };
    const [current, previous, days, below] = await Promise.all([
      read(range),
      read(previousRange),
      sources.costDays(),
      sources.below(entityRef),
    ]);
    const { first: firstDay, last: lastDay } = days;
    const lastYear =
      firstDay !== undefined && firstDay <= lastYearRange.from
        ? await read(lastYearRange)
        : undefined;

    const totalNanos = moneyToNanos(current.total);
    const previousNanos = moneyToNanos(previous.total);
    const belowSet = new Set(below);
    const [
      budgets,
      alerts,
      tips,
      compliance,
      chargeback,
      unitCosts,
      ownUnitCosts,
      commitments,
    ] = await Promise.all([
      request.shared?.budgets ?? sources.listBudgets(belowSet),
      sources.alertsCreated(below, range),
      sources.recommendations(entityRef, today),
      this.compliance(request, previousRange, costBasis, hidden),
      period === 'month' && entityRef.startsWith('group:')
        ? this.chargebackTotal(request, costBasis, hidden)
        : undefined,
      this.unitCosts(
        below.filter(ref => !hidden.has(ref)),
        range,
        previousRange,
        costBasis,
      ),
      /^(group|system):/.test(entityRef)
        ? this.ownUnitCosts(entityRef, range, previousRange, costBasis)
        : undefined,
      period === 'month' ? this.commitments(request) : undefined,
    ]);
    const openTips = hideRecommendationEntities(tips, hidden);

    return {
      entityRef,
      ...(request.title ? { title: request.title } : {}),
      period,
      from: range.from,
      to: range.to,
      currency: current.currency,
      costBasis: current.costBasis,
      ...(lastDay !== undefined && lastDay < range.to
        ? { dataThrough: lastDay }
        : {}),
      total: current.total,
      previous: { ...previousRange, total: previous.total },
      change: nanosToMoney(totalNanos - previousNanos),
      changeRatio: changeRatioOf(totalNanos, previousNanos),
      lastYear: lastYear
        ? {
            ...lastYearRange,
            total: lastYear.total,
            change: nanosToMoney(totalNanos - moneyToNanos(lastYear.total)),
          }
        : null,
      topEntities: changeItems(
        current.byEntity,
        previous.byEntity,
        TOP_ENTITIES,
      ),
      topServices: changeItems(
        current.byService,
        previous.byService,
        TOP_SERVICES,
      ),
      budgetsAtRisk: budgetsAtRisk(
        withoutHiddenEntities(budgets, hidden),
        belowSet,
      ),
      alerts: withoutHiddenEntities(alerts, hidden)
        .slice(0, ALERT_LIMIT)
        .map(alert => ({
          id: alert.id,
          entityRef: alert.entityRef,
          kind: alert.kind,
          title: alert.title,
          createdAt: alert.createdAt,
          link: alert.link,
        })),
      unitCosts,
      ...(ownUnitCosts !== undefined ? { ownUnitCosts } : {}),
      savings: {
        openCount: openTips.items.length + (openTips.notVisible?.count ?? 0),
        monthlySaving: openTips.totalMonthlySaving,
        top: openTips.items.slice(0, TOP_TIPS).map(tip => ({
          id: tip.id,
          ...(tip.entityRef ? { entityRef: tip.entityRef } : {}),
          resourceId: tip.resourceId,
          action: tip.action,
          // a Savings Plan purchase saves the entity its share, as the total counts it
          monthlySaving: tip.share?.monthlySaving ?? tip.monthlySaving,
        })),
      },
      compliance,
      ...(chargeback !== undefined
        ? { chargeback: { total: nanosToMoney(chargeback) } }
        : {}),
      ...(commitments !== undefined ? { commitments } : {}),
    };
  }

  /**
   * What every digest of the period shares, for {@link DigestRequest.shared}: on the
   * configured basis (scheduled digests are built on it), nothing hidden.
   */
  async sharedReads(
    period: DigestPeriod,
    range: DateRange,
  ): Promise<SharedDigestReads> {
    const costBasis = this.costBasis;
    const [budgets, chargebackTotals] = await Promise.all([
      this.sources.listBudgets(),
      period === 'month'
        ? this.sources.chargebackTotals({ ...range, costBasis }, new Set())
        : undefined,
    ]);
    const previous = previousDigestPeriod(period, range);
    // One read after the other: each holds a whole period of the organisation.
    const compliance = {
      current: await this.sources.everyEntityCompliance({
        ...range,
        costBasis,
      }),
      previous: await this.sources.everyEntityCompliance({
        ...previous,
        costBasis,
      }),
    };
    const summaries = {
      current: await this.sources.everyEntitySummary(range),
      previous: await this.sources.everyEntitySummary(previous),
    };
    return {
      budgets,
      ...(chargebackTotals ? { chargebackTotals } : {}),
      compliance,
      summaries,
    };
  }

  private async chargebackTotal(
    request: DigestRequest,
    costBasis: CostBasis,
    hidden: ReadonlySet<string>,
  ): Promise<bigint> {
    const totals =
      request.shared?.chargebackTotals ??
      (await this.sources.chargebackTotals(
        { ...request.range, costBasis },
        hidden,
      ));
    return totals.get(request.entityRef) ?? 0n;
  }

  /** Unit cost in the period and the one before, of the first entities that report a metric. */
  private async unitCosts(
    refs: string[],
    range: DateRange,
    previousRange: DateRange,
    costBasis: CostBasis,
  ): Promise<DigestUnitCost[]> {
    const reporting = (await this.sources.metricsOf(refs)).slice(
      0,
      UNIT_COST_LIMIT,
    );
    return Promise.all(
      reporting.map(async ({ entityRef, metric }) => {
        const [now, before] = await this.unitCostOfBoth(
          entityRef,
          metric,
          [range, previousRange],
          costBasis,
        );
        return unitCostChange(entityRef, metric, now, before);
      }),
    );
  }

  /** The entity's monthly unit cost of a metric in each of two ranges. */
  private unitCostOfBoth(
    entityRef: string,
    metric: string,
    ranges: [DateRange, DateRange],
    costBasis: CostBasis,
  ) {
    return Promise.all(
      ranges.map(r =>
        this.sources.unitCost(entityRef, {
          ...r,
          metric,
          costBasis,
          granularity: 'month',
        }),
      ),
    );
  }

  /**
   * The month's commitment figures: coverage and savings rate of the entity's own eligible
   * usage, utilization and unused commitment of the organisation's; undefined when the entity
   * had no eligible usage (a ratio would be unknown, not zero).
   */
  private async commitments(
    request: DigestRequest,
  ): Promise<DigestCommitments | undefined> {
    const [own, organisation] = await Promise.all([
      this.sources.commitments(request.range, request.entityRef),
      // only a reader's own digest has them; scheduled digests reach every team member
      request.organisationFigures
        ? this.sources.commitments(request.range).then(months => months[0])
        : undefined,
    ]);
    const month = own[0];
    if (!month || moneyToNanos(month.eligibleListCost) === 0n) return undefined;
    return {
      month: month.month,
      eligibleListCost: month.eligibleListCost,
      coveredListCost: month.coveredListCost,
      eligibleEffectiveCost: month.eligibleEffectiveCost,
      coverage: month.coverage,
      effectiveSavingsRate: month.effectiveSavingsRate,
      ...(request.organisationFigures
        ? {
            organisation: {
              coverage: organisation?.coverage ?? null,
              utilization: organisation?.utilization ?? null,
              usedCommitmentCost:
                organisation?.usedCommitmentCost ?? nanosToMoney(0n),
              unusedCommitmentCost:
                organisation?.unusedCommitmentCost ?? nanosToMoney(0n),
              effectiveSavingsRate: organisation?.effectiveSavingsRate ?? null,
            },
          }
        : {}),
    };
  }

  /**
   * The entity's own cost per unit of each metric reported below it, in the period and the
   * one before: the metric summed over the entities that report it, over their cost.
   */
  private async ownUnitCosts(
    entityRef: string,
    range: DateRange,
    previousRange: DateRange,
    costBasis: CostBasis,
  ): Promise<DigestOwnUnitCost[]> {
    const metrics = await this.sources.metricsBelow(entityRef);
    return Promise.all(
      metrics.map(async metric => {
        const [now, before] = await this.unitCostOfBoth(
          entityRef,
          metric,
          [range, previousRange],
          costBasis,
        );
        return {
          ...unitCostChange(entityRef, metric, now, before),
          reportingEntities: now.reportingEntities,
        };
      }),
    );
  }

  private async compliance(
    request: DigestRequest,
    previousRange: DateRange,
    costBasis: CostBasis,
    hidden: ReadonlySet<string>,
  ): Promise<CostDigest['compliance']> {
    const { entityRef, range } = request;
    const shared =
      hidden.size === 0 && costBasis === this.costBasis
        ? request.shared?.compliance
        : undefined;
    const [current, previous] = shared
      ? [shared.current(entityRef), shared.previous(entityRef)]
      : await Promise.all([
          this.sources.compliance(entityRef, { ...range, costBasis }, hidden),
          this.sources.compliance(
            entityRef,
            { ...previousRange, costBasis },
            hidden,
          ),
        ]);
    if (current.policy.rules.length === 0) return null;
    return {
      shareByCost: current.compliantShareByCost,
      previousShareByCost: previous.compliantShareByCost,
    };
  }
}
