import { ConfigReader } from '@backstage/config';
import { readUnitCostConfig } from './readUnitCostConfig';

const read = (unitCost: unknown) =>
  readUnitCostConfig(new ConfigReader({ costscope: { unitCost } } as any));

describe('readUnitCostConfig', () => {
  it('has defaults: no metrics, 400 days per request, no file', () => {
    expect(readUnitCostConfig(new ConfigReader({}))).toEqual({
      metrics: [],
      maxDaysPerRequest: 400,
    });
  });

  it('reads metrics, the limit and the file with its default schedule', () => {
    const config = read({
      metrics: [
        { name: 'orders', unit: 'order', description: 'Checkout orders' },
        { name: 'active-users', unit: 'user' },
      ],
      maxDaysPerRequest: 31,
      file: '/tmp/metrics.csv',
    });
    expect(config.metrics).toEqual([
      { name: 'orders', unit: 'order', description: 'Checkout orders' },
      { name: 'active-users', unit: 'user' },
    ]);
    expect(config.maxDaysPerRequest).toBe(31);
    expect(config.file?.path).toBe('/tmp/metrics.csv');
    expect(config.file?.schedule.frequency).toEqual({ hours: 1 });
  });

  it('reads a Prometheus API with its headers and default schedule', () => {
    const config = read({
      metrics: [{ name: 'orders', unit: 'order' }],
      prometheus: {
        url: 'http://prom:9090',
        headers: { 'X-Scope-OrgID': 'a' },
      },
    });
    expect(config.prometheus).toEqual({
      url: 'http://prom:9090',
      headers: { 'X-Scope-OrgID': 'a' },
      timeoutMs: 30000,
      schedule: expect.objectContaining({ frequency: { hours: 6 } }),
    });
  });

  it.each([
    [
      { metrics: [{ name: 'Orders', unit: 'order' }] },
      /metrics\[0\]\.name 'Orders'/,
    ],
    [
      {
        metrics: [
          { name: 'orders', unit: 'order' },
          { name: 'orders', unit: 'order' },
        ],
      },
      /metrics\[1\]\.name 'orders' is used by another metric/,
    ],
    [{ metrics: [{ name: 'orders', unit: ' ' }] }, /metrics\[0\]\.unit/],
    [{ metrics: [{ name: 'orders' }] }, /unit/],
    [{ maxDaysPerRequest: 0 }, /costscope\.unitCost\.maxDaysPerRequest/],
    [{ maxDaysPerRequest: 1.5 }, /maxDaysPerRequest/],
    [
      { file: 'x.csv' },
      /costscope\.unitCost\.file is set but .*metrics is empty/,
    ],
    [
      { prometheus: { url: 'http://p' } },
      /costscope\.unitCost\.prometheus is set but/,
    ],
    [
      {
        metrics: [{ name: 'orders', unit: 'order' }],
        prometheus: { url: 'nope' },
      },
      /costscope\.unitCost\.prometheus\.url 'nope' is not a URL/,
    ],
    [
      {
        metrics: [{ name: 'orders', unit: 'order' }],
        prometheus: { url: 'ftp://p' },
      },
      /prometheus\.url must be http or https/,
    ],
  ])('refuses %j naming the key', (unitCost, message) => {
    expect(() => read(unitCost)).toThrow(message);
  });
});
