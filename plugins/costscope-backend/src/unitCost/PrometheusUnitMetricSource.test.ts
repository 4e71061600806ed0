import { mockServices } from '@backstage/backend-test-utils';
import { UnitMetricEntity } from '@costscope/backstage-plugin-node';
import {
  parseUnitMetricAnnotation,
  PrometheusUnitMetricSource,
} from './PrometheusUnitMetricSource';

const DAY = 86_400;
const epoch = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000;

describe('parseUnitMetricAnnotation', () => {
  const metrics = ['orders', 'users'];
  it.each([
    [
      'orders=sum(increase(orders_total[1d]))',
      { metric: 'orders', query: 'sum(increase(orders_total[1d]))' },
    ],
    [
      ' users = max(active_users) ',
      { metric: 'users', query: 'max(active_users)' },
    ],
    // Not a configured name before `=`: the whole value is the first metric's query.
    ['sum(x{job="a"})', { metric: 'orders', query: 'sum(x{job="a"})' }],
    ['streams=sum(x)', { metric: 'orders', query: 'streams=sum(x)' }],
    ['orders==1', { metric: 'orders', query: 'orders==1' }],
    ['orders=', undefined],
    ['  ', undefined],
  ])('reads %j', (value, expected) => {
    expect(parseUnitMetricAnnotation(value, metrics)).toEqual(expected);
  });

  it('has no metric without configured ones', () => {
    expect(parseUnitMetricAnnotation('sum(x)', [])).toBeUndefined();
  });
});

describe('PrometheusUnitMetricSource', () => {
  const logger = mockServices.logger.mock();
  const config = {
    url: 'http://prom.test:9090/',
    headers: { 'X-Scope-OrgID': 'acme' },
    timeoutMs: 1000,
    schedule: { frequency: { hours: 6 }, timeout: { minutes: 1 } },
  };
  const entities: UnitMetricEntity[] = [
    {
      entityRef: 'component:default/checkout-api',
      annotations: {
        'costscope.io/unit-metric': 'orders=sum(increase(orders_total[1d]))',
      },
    },
    {
      entityRef: 'component:default/broken',
      annotations: { 'costscope.io/unit-metric': 'users=bad(' },
    },
    { entityRef: 'component:default/plain', annotations: {} },
  ];

  it('asks for the end of each day and sums the series exactly, leaving out NaN and negatives', async () => {
    const fetch = jest.fn(async (_url: string, init?: RequestInit) => {
      const query = new URLSearchParams(String(init?.body)).get('query');
      if (query === 'bad(') {
        return new Response(
          JSON.stringify({ status: 'error', error: 'parse error' }),
          { status: 400 },
        );
      }
      return new Response(
        JSON.stringify({
          status: 'success',
          data: {
            resultType: 'matrix',
            result: [
              {
                values: [
                  [epoch('2026-03-02'), '4210'],
                  [epoch('2026-03-03'), '4.2e3'],
                  [epoch('2026-03-04'), 'NaN'],
                ],
              },
              {
                values: [
                  [epoch('2026-03-02'), '0.1000000005'],
                  [epoch('2026-03-04'), '-3'],
                ],
              },
            ],
          },
        }),
      );
    });
    const source = new PrometheusUnitMetricSource(config, fetch as any);
    const samples = await source.read({
      entities,
      metrics: ['orders', 'users'],
      from: '2026-03-01',
      to: '2026-03-03',
      logger,
    });
    expect(samples).toEqual([
      // 4210 + 0.1000000005 (half to even: 0.100000000).
      {
        entityRef: 'component:default/checkout-api',
        metric: 'orders',
        date: '2026-03-01',
        value: '4210.100000000',
      },
      {
        entityRef: 'component:default/checkout-api',
        metric: 'orders',
        date: '2026-03-02',
        value: '4200.000000000',
      },
    ]);
    expect(fetch).toHaveBeenCalledTimes(2);
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe('http://prom.test:9090/api/v1/query_range');
    expect(init?.headers).toMatchObject({ 'X-Scope-OrgID': 'acme' });
    expect(Object.fromEntries(new URLSearchParams(String(init?.body)))).toEqual(
      {
        query: 'sum(increase(orders_total[1d]))',
        start: String(epoch('2026-03-01') + DAY),
        end: String(epoch('2026-03-03') + DAY),
        step: String(DAY),
      },
    );
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'could not read users of component:default/broken from Prometheus: HTTP 400: parse error',
      ),
    );
  });
});
