import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/databases';
import { applyMigrations } from '../store/migrations';
import { UnitMetricStore } from '../store/UnitMetricStore';
import {
  parseUnitMetricFile,
  UnitMetricFileLoader,
} from './UnitMetricFileLoader';

jest.setTimeout(60_000);

const HEADER = 'date,entity_ref,metric,value';
const rules = { metrics: new Set(['orders']), today: '2026-03-10' };
const NOW = new Date('2026-03-10T08:00:00Z');

describe('parseUnitMetricFile', () => {
  it('reads rows, lower-cases refs and skips blank lines', () => {
    const rows = parseUnitMetricFile(
      `${HEADER}\r\n2026-03-01,Component:default/Checkout-API,orders,1200\n\n2026-03-02,component:checkout-api,orders,0.5\n`,
      'm.csv',
      rules,
    );
    expect(rows).toEqual([
      {
        entityRef: 'component:default/checkout-api',
        metric: 'orders',
        day: '2026-03-01',
        valueNanos: 1_200_000_000_000n,
      },
      {
        entityRef: 'component:default/checkout-api',
        metric: 'orders',
        day: '2026-03-02',
        valueNanos: 500_000_000n,
      },
    ]);
  });

  it.each([
    [
      'date,entity,metric,value\n',
      /m\.csv:1: the first line must be the header/,
    ],
    [
      `${HEADER}\n2026-03-01,component:default/a,orders\n`,
      /m\.csv:2: has 3 fields, expected 4/,
    ],
    [
      `${HEADER}\n2026-03-01,component:default/a,orders,1\n2026-03-02,component:default/a,orders,-1\n`,
      /m\.csv:3: value '-1' must be a non-negative decimal/,
    ],
    [
      `${HEADER}\n2026-03-11,component:default/a,orders,1\n`,
      /m\.csv:2: date 2026-03-11 is in the future/,
    ],
    [
      `${HEADER}\n2026-03-01,component:default/a,streams,1\n`,
      /m\.csv:2: metric 'streams' is not a configured metric/,
    ],
    [
      `${HEADER}\n2026-03-01,a,orders,1\n`,
      /m\.csv:2: entity_ref 'a' is not an entity ref/,
    ],
    [
      `${HEADER}\n2026-03-01,component:default/a,orders,1\n2026-03-01,component:default/A,orders,2\n`,
      /m\.csv:3: component:default\/a orders 2026-03-01 appears twice/,
    ],
  ])('names the file and line of a bad row', (text, message) => {
    expect(() => parseUnitMetricFile(text, 'm.csv', rules)).toThrow(message);
  });
});

describe('UnitMetricFileLoader', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'stores a good file, and nothing of a bad one, on %p',
    async id => {
      const knex = await databases.init(id);
      await applyMigrations(knex);
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'unit-metrics-'));
      const file = path.join(dir, 'metrics.csv');
      const loader = new UnitMetricFileLoader({
        file: {
          path: file,
          schedule: { frequency: { hours: 1 }, timeout: { minutes: 1 } },
        },
        metrics: [{ name: 'orders', unit: 'order' }],
        store: new UnitMetricStore(knex),
        logger: mockServices.logger.mock(),
      });
      await fs.writeFile(
        file,
        `${HEADER}\n2026-03-01,component:default/a,orders,3\n2026-03-02,component:default/a,orders,4\n`,
      );
      expect(await loader.load(NOW)).toBe(2);

      await fs.writeFile(
        file,
        `${HEADER}\n2026-03-01,component:default/a,orders,30\n2026-03-03,component:default/a,orders,1.5.1\n`,
      );
      await expect(loader.load(NOW)).rejects.toThrow(
        `${file}:3: value '1.5.1'`,
      );
      const rows = await knex('costscope_unit_metrics')
        .orderBy('day')
        .select('day', 'source', knex.raw('CAST(value_nanos AS TEXT) as v'));
      expect(rows).toEqual([
        { day: '2026-03-01', source: 'file', v: '3000000000' },
        { day: '2026-03-02', source: 'file', v: '4000000000' },
      ]);
      await fs.rm(dir, { recursive: true });
    },
  );
});
