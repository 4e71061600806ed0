import { Config } from '@backstage/config';
import { moneyToNanos } from '@costscope/backstage-plugin-common';
import { AnomalyAlertConfig } from './AlertEvaluator';
import { WebhookConfig } from './WebhookDelivery';

export interface AlertsConfig {
  anomalies: AnomalyAlertConfig;
  webhook?: WebhookConfig;
}

const KINDS = ['component', 'resource', 'system', 'domain', 'group'];

function numberIn(
  config: Config | undefined,
  key: string,
  where: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = config?.getOptionalNumber(key) ?? fallback;
  if (!(value >= min && value <= max)) {
    throw new Error(
      `${where}.${key} must be from ${min} to ${max}, got ${value}`,
    );
  }
  return value;
}

/**
 * Reads `costscope.alerts`: anomaly detection (on by default for components) and an
 * optional webhook. Throws an error naming the bad key, which stops the backend at start.
 */
export function readAlertsConfig(root: Config): AlertsConfig {
  const alerts = root.getOptionalConfig('costscope.alerts');
  const where = 'costscope.alerts.anomalies';
  const anomalies = alerts?.getOptionalConfig('anomalies');
  const kinds = anomalies?.getOptionalStringArray('kinds') ?? ['component'];
  for (const kind of kinds) {
    if (!KINDS.includes(kind)) {
      throw new Error(
        `${where}.kinds: '${kind}' is not one of ${KINDS.join(', ')}`,
      );
    }
  }
  const minChange = String(anomalies?.getOptional('minAbsoluteChange') ?? '10');
  let minAbsoluteChange: bigint;
  try {
    minAbsoluteChange = moneyToNanos(minChange);
  } catch {
    throw new Error(
      `${where}.minAbsoluteChange '${minChange}' is not a decimal amount`,
    );
  }
  if (minAbsoluteChange < 0n) {
    throw new Error(`${where}.minAbsoluteChange must not be negative`);
  }

  let webhook: WebhookConfig | undefined;
  const hook = alerts?.getOptionalConfig('webhook');
  if (hook) {
    const url = hook.getString('url');
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Error(`costscope.alerts.webhook.url '${url}' is not a URL`);
    }
    if (!['http:', 'https:'].includes(parsed.protocol)) {
      throw new Error(
        `costscope.alerts.webhook.url must be http or https, got ${parsed.protocol}`,
      );
    }
    const headers: Record<string, string> = {};
    const headerConfig = hook.getOptionalConfig('headers');
    for (const key of headerConfig?.keys() ?? []) {
      headers[key] = headerConfig!.getString(key);
    }
    webhook = {
      url,
      headers,
      timeoutMs: numberIn(
        hook,
        'timeoutMs',
        'costscope.alerts.webhook',
        10_000,
        100,
        120_000,
      ),
    };
  }

  return {
    anomalies: {
      enabled: anomalies?.getOptionalBoolean('enabled') ?? true,
      kinds,
      lookbackDays: numberIn(anomalies, 'lookbackDays', where, 14, 1, 90),
      options: {
        sensitivity: numberIn(anomalies, 'sensitivity', where, 4, 1, 20),
        minHistoryDays: numberIn(
          anomalies,
          'minHistoryDays',
          where,
          14,
          7,
          365,
        ),
        minAbsoluteChange,
      },
    },
    ...(webhook ? { webhook } : {}),
  };
}
