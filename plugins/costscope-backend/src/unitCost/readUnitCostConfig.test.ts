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
  ])('refuses %j naming the key', (unitCost, message) => {
    expect(() => read(unitCost)).toThrow(message);
  });
});
