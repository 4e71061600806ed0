import { randomUUID } from 'node:crypto';
import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  CostAlert,
  CostBasis,
  CostDriver,
  DateRange,
} from '@costscope/backstage-plugin-common';
import { SnapshotEntity } from '../allocation/catalogSnapshot';
import { AnomalyOptions, detectAnomalies } from '../budgets/anomalies';
import { owningGroupOf } from '../budgets/budgetAccess';
import { BudgetInForce, BudgetService } from '../budgets/BudgetService';
import { fromEpochDay, toEpochDay } from '../budgets/series';
import { BudgetStore } from '../store/BudgetStore';
import { SpendQueries } from '../store/SpendQueries';
import { AlertDelivery } from './AlertDelivery';
import { anomalyAlertOf } from './anomalyAlerts';
import { budgetAlertsOf } from './budgetAlerts';
import {
  resourceCandidates,
  serviceCandidates,
  topDrivers,
} from './costDrivers';

/** Anomaly detection settings from `costscope.alerts.anomalies`. */
export interface AnomalyAlertConfig {
  enabled: boolean;
  /** Entity kinds whose daily cost is watched. */
  kinds: string[];
  /** Only days this close to the last day with data alert, so old history stays quiet. */
  lookbackDays: number;
  options: AnomalyOptions;
}

export interface AlertEvaluatorOptions {
  budgets: BudgetService;
  spend: SpendQueries;
  store: BudgetStore;
  deliveries: AlertDelivery[];
  logger: LoggerService;
  anomalies: AnomalyAlertConfig;
  currency: () => Promise<string>;
  /**
   * The basis anomalies are judged on (`costscope.costBasis`), so that an alert's amounts are
   * the ones the Cost tab shows. Budgets use their own basis.
   */
  costBasis: CostBasis;
  /** Looks up entities for titles and owners. */
  getEntity: (entityRef: string) => Promise<SnapshotEntity | undefined>;
  now?: () => Date;
}

const DRIVER_LIMIT = 3;
/** Weeks of history an anomaly baseline reads: its weeks plus the days it judges. */
const ANOMALY_HISTORY_DAYS = 7 * 8;

/** The path of an entity's Cost tab in the portal. */
export function costTabPathOf(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${namespace}/${kind}/${name}/cost`;
}

function shift(day: string, days: number): string {
  return fromEpochDay(toEpochDay(day) + days);
}

/**
 * Fires budget and anomaly alerts after ingestion or allocation. Each alert is stored once
 * per entity, threshold and period (or day) whatever the number of runs or instances, and
 * only the run that stored it delivers it.
 */
export class AlertEvaluator {
  private readonly now: () => Date;

  constructor(private readonly options: AlertEvaluatorOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** Evaluates every budget (or only those of `entityRefs`) and, unless narrowed, anomalies. */
  async evaluate(
    options: { entityRefs?: string[] } = {},
  ): Promise<CostAlert[]> {
    const fired: CostAlert[] = [];
    const today = await this.options.budgets.today();
    const only = options.entityRefs && new Set(options.entityRefs);
    for (const inForce of await this.options.budgets.listInForce()) {
      if (only && !only.has(inForce.entity.ref)) continue;
      try {
        fired.push(...(await this.evaluateBudget(inForce, today)));
      } catch (error) {
        this.options.logger.error(
          `Costscope could not evaluate the budget of ${inForce.entity.ref}: ${error}`,
        );
      }
    }
    if (!only && this.options.anomalies.enabled) {
      fired.push(...(await this.evaluateAnomalies(today)));
    }
    return fired;
  }

  private async evaluateBudget(
    inForce: BudgetInForce,
    today: string,
  ): Promise<CostAlert[]> {
    const status = await this.options.budgets.status(inForce, today);
    if (status.crossed.length === 0) return [];
    const elapsedDays = toEpochDay(today) - toEpochDay(status.period.from);
    const current: DateRange = {
      from: status.period.from,
      to: shift(today, -1),
    };
    const previousFrom = shift(
      status.period.from,
      -(toEpochDay(status.period.to) - toEpochDay(status.period.from)),
    );
    const previous: DateRange = {
      from: previousFrom,
      to: shift(previousFrom, Math.max(elapsedDays, 1) - 1),
    };
    const drivers = await this.driversOf(
      inForce.entity.ref,
      current,
      previous,
      status.costBasis,
    );
    const alerts = budgetAlertsOf(status, {
      entityTitle: inForce.entity.title ?? inForce.entity.name,
      drivers,
      link: costTabPathOf(inForce.entity.ref),
      now: this.now().toISOString(),
      newId: randomUUID,
    });
    const recipients = inForce.budget.recipients.length
      ? inForce.budget.recipients
      : [owningGroupOf(inForce.entity)].filter((ref): ref is string => !!ref);
    return this.storeAndDeliver(alerts, recipients);
  }

  private async evaluateAnomalies(today: string): Promise<CostAlert[]> {
    const { anomalies, spend } = this.options;
    const lastDay = shift(today, -1);
    const firstJudged = shift(today, -anomalies.lookbackDays);
    const range = {
      from: shift(firstJudged, -ANOMALY_HISTORY_DAYS),
      to: lastDay,
    };
    const currency = await this.options.currency();
    const fired: CostAlert[] = [];
    for (const kind of anomalies.kinds) {
      const byEntity = await spend.dailyTotalsOfKind(
        kind,
        range,
        this.options.costBasis,
      );
      for (const [ref, daily] of byEntity) {
        const found = detectAnomalies(daily, anomalies.options).filter(
          anomaly => anomaly.direction === 'up' && anomaly.day >= firstJudged,
        );
        if (found.length === 0) continue;
        const entity = await this.options.getEntity(ref);
        if (!entity) continue;
        for (const anomaly of found) {
          const weekBefore = shift(anomaly.day, -7);
          const drivers = await this.driversOf(
            ref,
            { from: anomaly.day, to: anomaly.day },
            { from: weekBefore, to: weekBefore },
            this.options.costBasis,
          );
          const alert = anomalyAlertOf(anomaly, {
            entityRef: ref,
            entityTitle: entity.title ?? entity.name,
            currency,
            drivers,
            link: costTabPathOf(ref),
            now: this.now().toISOString(),
            newId: randomUUID,
          });
          const owner = owningGroupOf(entity);
          fired.push(
            ...(await this.storeAndDeliver([alert], owner ? [owner] : [])),
          );
        }
      }
    }
    return fired;
  }

  /** The services and resources whose cost grew most between two ranges. */
  private async driversOf(
    entityRef: string,
    current: DateRange,
    previous: DateRange,
    basis: CostBasis,
  ): Promise<CostDriver[]> {
    const { spend } = this.options;
    const [services, servicesBefore, resources, resourcesBefore] =
      await Promise.all([
        spend.serviceTotals(entityRef, current, basis),
        spend.serviceTotals(entityRef, previous, basis),
        spend.resourceTotals(entityRef, current, basis),
        spend.resourceTotals(entityRef, previous, basis),
      ]);
    return [
      ...topDrivers(serviceCandidates(services, servicesBefore), DRIVER_LIMIT),
      ...topDrivers(
        resourceCandidates(resources, resourcesBefore),
        DRIVER_LIMIT,
      ),
    ];
  }

  private async storeAndDeliver(
    alerts: CostAlert[],
    recipients: string[],
  ): Promise<CostAlert[]> {
    const fired: CostAlert[] = [];
    for (const alert of alerts) {
      if (!(await this.options.store.recordAlertOnce(alert))) continue;
      const deliveredTo: string[] = [];
      for (const delivery of this.options.deliveries) {
        try {
          await delivery.deliver(alert, recipients);
          deliveredTo.push(delivery.name);
        } catch (error) {
          this.options.logger.warn(
            `Costscope could not deliver alert '${alert.title}' through ${delivery.name}: ${error}`,
          );
        }
      }
      await this.options.store.setAlertDelivery(alert.id, deliveredTo);
      fired.push({ ...alert, deliveredTo });
    }
    return fired;
  }
}
