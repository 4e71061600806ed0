import { CostAlert } from '@costscope/backstage-plugin-common';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { alertKeyOf } from '../store/BudgetStore';
import { AlertDelivery } from './AlertDelivery';

/** Delivers alerts through the Backstage notifications system to entity refs. */
export class NotificationsDelivery implements AlertDelivery {
  readonly name = 'notifications';

  constructor(private readonly notifications: NotificationService) {}

  async deliver(alert: CostAlert, recipients: string[]): Promise<void> {
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
