import { ConfigReader } from '@backstage/config';
import { readAlertsConfig } from './readAlertsConfig';

const read = (alerts: unknown) =>
  readAlertsConfig(new ConfigReader({ costscope: { alerts } } as any));

describe('readAlertsConfig', () => {
  it('has defaults: anomalies on for components, no webhook', () => {
    expect(readAlertsConfig(new ConfigReader({}))).toEqual({
      anomalies: {
        enabled: true,
        kinds: ['component'],
        lookbackDays: 14,
        options: {
          sensitivity: 4,
          minHistoryDays: 14,
          minAbsoluteChange: 10_000_000_000n,
        },
      },
    });
  });

  it('reads tuning and a webhook', () => {
    const config = read({
      anomalies: {
        sensitivity: 3.5,
        kinds: ['component', 'system'],
        minAbsoluteChange: '2.5',
      },
      webhook: {
        url: 'https://hooks.slack.test/T/B/x',
        headers: { 'x-token': 's' },
      },
    });
    expect(config.anomalies.options).toMatchObject({
      sensitivity: 3.5,
      minAbsoluteChange: 2_500_000_000n,
    });
    expect(config.anomalies.kinds).toEqual(['component', 'system']);
    expect(config.webhook).toEqual({
      url: 'https://hooks.slack.test/T/B/x',
      headers: { 'x-token': 's' },
      timeoutMs: 10_000,
    });
  });

  it.each([
    [
      { anomalies: { sensitivity: 0 } },
      'costscope.alerts.anomalies.sensitivity must be from 1 to 20, got 0',
    ],
    [
      { anomalies: { kinds: ['user'] } },
      "costscope.alerts.anomalies.kinds: 'user' is not one of",
    ],
    [
      { anomalies: { minAbsoluteChange: 'ten' } },
      "costscope.alerts.anomalies.minAbsoluteChange 'ten' is not a decimal amount",
    ],
    [
      { webhook: { url: 'not a url' } },
      "costscope.alerts.webhook.url 'not a url' is not a URL",
    ],
    [
      { webhook: { url: 'ftp://x/y' } },
      'costscope.alerts.webhook.url must be http or https, got ftp:',
    ],
  ])('names the bad key (%#)', (alerts, message) => {
    expect(() => read(alerts)).toThrow(message);
  });
});
