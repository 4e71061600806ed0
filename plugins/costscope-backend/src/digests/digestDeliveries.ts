import { NotificationService } from '@backstage/plugin-notifications-node';
import { CostDigest } from '@costscope/backstage-plugin-common';
import { WebhookConfig } from '../alerts/WebhookDelivery';
import {
  DigestDeliveryContext,
  digestPathOf,
  digestSlackBody,
  digestSummaryText,
} from './digestText';

/** A channel that carries digests. */
export interface DigestDelivery {
  /** Recorded with the sent digest. */
  readonly name: string;
  /** Throws when the channel did not take the digest. */
  deliver(
    digest: CostDigest,
    recipients: string[],
    context: DigestDeliveryContext,
  ): Promise<void>;
}

/** Digests as Backstage notifications to the team's members. */
export class NotificationsDigestDelivery implements DigestDelivery {
  readonly name = 'notifications';

  constructor(private readonly notifications: NotificationService) {}

  async deliver(
    digest: CostDigest,
    recipients: string[],
    context: DigestDeliveryContext,
  ): Promise<void> {
    if (recipients.length === 0) {
      throw new Error(`${digest.entityRef} has no owner to send its digest to`);
    }
    const { title, description } = digestSummaryText(digest, context);
    await this.notifications.send({
      recipients: { type: 'entity', entityRef: recipients },
      payload: {
        title,
        description,
        link: digestPathOf(digest),
        severity: 'normal',
        topic: 'Costscope digests',
        // A digest sent twice (an instance stopped after sending, before recording it)
        // replaces the first one instead of showing twice.
        scope: `costscope:digest:${digest.entityRef}:${digest.period}:${digest.from}`,
      },
    });
  }
}

/** Digests posted to the alerts webhook (`costscope.alerts.webhook`) as Slack blocks. */
export class WebhookDigestDelivery implements DigestDelivery {
  readonly name = 'webhook';

  constructor(
    private readonly config: WebhookConfig,
    private readonly portalUrl: string,
  ) {}

  async deliver(
    digest: CostDigest,
    _recipients: string[],
    context: DigestDeliveryContext,
  ): Promise<void> {
    const response = await fetch(this.config.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.config.headers },
      body: JSON.stringify(digestSlackBody(digest, context, this.portalUrl)),
      signal: AbortSignal.timeout(this.config.timeoutMs),
    });
    if (!response.ok) {
      throw new Error(
        `webhook answered ${response.status} ${response.statusText}`.trim(),
      );
    }
  }
}
