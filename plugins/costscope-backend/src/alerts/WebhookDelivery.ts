import { CostAlert } from '@costscope/backstage-plugin-common';
import { AlertDelivery } from './AlertDelivery';

export interface WebhookConfig {
  url: string;
  /** Extra request headers, e.g. an authorization token. */
  headers: Record<string, string>;
  timeoutMs: number;
}

/**
 * The body Slack's incoming webhooks take (`text` plus Block Kit `blocks`); Mattermost,
 * Teams workflows and most chat bridges accept the same.
 */
export function slackBodyOf(alert: CostAlert, portalUrl: string) {
  const link = new URL(alert.link, portalUrl).toString();
  const drivers = alert.drivers
    .map(
      driver =>
        `• ${driver.resourceId ?? driver.serviceName}: ${driver.amount} ${
          alert.currency
        } (+${driver.change})`,
    )
    .join('\n');
  return {
    text: `${alert.title}: ${alert.description} ${link}`,
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `*${alert.title}*\n${alert.description}`,
        },
      },
      ...(drivers
        ? [
            {
              type: 'section',
              text: { type: 'mrkdwn', text: `*Top drivers*\n${drivers}` },
            },
          ]
        : []),
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `${alert.entityRef} · <${link}|Open the Cost tab>`,
          },
        ],
      },
    ],
  };
}

/** Posts alerts as Slack-compatible JSON to a configured webhook. */
export class WebhookDelivery implements AlertDelivery {
  readonly name = 'webhook';

  constructor(
    private readonly config: WebhookConfig,
    private readonly portalUrl: string,
  ) {}

  async deliver(alert: CostAlert): Promise<void> {
    const response = await fetch(this.config.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.config.headers },
      body: JSON.stringify(slackBodyOf(alert, this.portalUrl)),
      signal: AbortSignal.timeout(this.config.timeoutMs),
    });
    if (!response.ok) {
      throw new Error(
        `webhook answered ${response.status} ${response.statusText}`.trim(),
      );
    }
  }
}
