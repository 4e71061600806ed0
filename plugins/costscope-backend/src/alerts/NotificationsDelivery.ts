import { parseEntityRef } from '@backstage/catalog-model';
import { CostAlert } from '@costscope/backstage-plugin-common';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { alertKeyOf } from '../store/BudgetStore';
import { AlertDelivery } from './AlertDelivery';
import { withoutDrivers } from './costDrivers';

/** Kinds whose cost rolls up from other entities (their parts may be hidden from a member). */
const ROLLUP_KINDS = new Set(['group', 'user', 'system', 'domain']);

/**
 * What a notification may say of an alert. The permission policy can only be asked with a
 * caller's credentials, which a notification's recipients have not sent: an alert on a
 * rollup is pushed without its drivers (they may name parts hidden from a recipient). The
 * link opens the alert history, which shows each reader the drivers they may see.
 */
export function notifiedAlert(alert: CostAlert): CostAlert {
  const kind = parseEntityRef(alert.entityRef).kind.toLocaleLowerCase('en-US');
  if (!ROLLUP_KINDS.has(kind) || alert.drivers.length === 0) return alert;
  const redacted = withoutDrivers(alert);
  return {
    ...redacted,
    description: `${redacted.description} Open it in the portal to see what drove it.`,
  };
}

/** Delivers alerts through the Backstage notifications system to entity refs. */
export class NotificationsDelivery implements AlertDelivery {
  readonly name = 'notifications';

  constructor(private readonly notifications: NotificationService) {}

  async deliver(stored: CostAlert, recipients: string[]): Promise<void> {
    const alert = notifiedAlert(stored);
    if (recipients.length === 0) {
      throw new Error(
        'the alert has no recipients (no owner, none configured)',
      );
    }
    const overBudget =
      alert.kind === 'budget' &&
      alert.threshold?.kind === 'actual' &&
      alert.threshold.percent >= 100;
    await this.notifications.send({
      recipients: { type: 'entity', entityRef: recipients },
      payload: {
        title: alert.title,
        description: alert.description,
        link: alert.link,
        severity: overBudget ? 'critical' : 'high',
        topic:
          alert.kind === 'budget' ? 'Costscope budgets' : 'Costscope anomalies',
        // Notifications sharing a scope replace each other: one per alert, as stored.
        scope: `costscope:${alert.entityRef}:${alert.kind}:${
          alert.period
        }:${alertKeyOf(alert)}`,
      },
    });
  }
}
