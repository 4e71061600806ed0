import {
  CostAlert,
  CostDriver,
  nanosToMoney,
} from '@costscope/backstage-plugin-common';
import { SpendAnomaly } from '../budgets/anomalies';
import { formatAlertMoney } from './formatAlertMoney';

/** What turns a spend anomaly into an alert besides the anomaly itself. */
export interface AnomalyAlertContext {
  entityRef: string;
  entityTitle: string;
  currency: string;
  drivers: CostDriver[];
  link: string;
  now: string;
  newId: () => string;
}

/** An anomaly alert, keyed by its day so a re-run finds the same alert stored. */
export function anomalyAlertOf(
  anomaly: SpendAnomaly,
  context: AnomalyAlertContext,
): CostAlert {
  const money = (nanos: bigint) =>
    formatAlertMoney(nanosToMoney(nanos), context.currency);
  const drivers = context.drivers
    .map(
      driver =>
        `${driver.resourceId ?? driver.serviceName} +${formatAlertMoney(
          driver.change,
          context.currency,
        )}`,
    )
    .join(', ');
  return {
    id: context.newId(),
    entityRef: context.entityRef,
    kind: 'anomaly',
    period: anomaly.day,
    amount: nanosToMoney(anomaly.actual),
    reference: nanosToMoney(anomaly.expected),
    currency: context.currency,
    title: `Unusual spend on ${context.entityTitle} on ${anomaly.day}`,
    description: `Spent ${money(anomaly.actual)} against an expected ${money(
      anomaly.expected,
    )} (${anomaly.score.toFixed(1)} robust deviations ${
      anomaly.direction === 'up' ? 'above' : 'below'
    } the usual same-weekday level).${
      drivers
        ? ` Drivers against the same weekday a week before: ${drivers}.`
        : ''
    }`,
    drivers: context.drivers,
    link: context.link,
    createdAt: context.now,
    deliveredTo: [],
  };
}
