import { Knex } from 'knex';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  mockAccess,
  mockCostscopeServices,
  routerApp,
} from '../__testUtils__/routeMocks';
import { applyMigrations } from '../store/migrations';
import { SpendQueries } from '../store/SpendQueries';
import { UnitMetricStore } from '../store/UnitMetricStore';
import { DefaultUnitCostService } from './DefaultUnitCostService';

jest.setTimeout(60_000);

const API = 'component:default/checkout-api';
const WRITER = 'user:default/pipeline';
const READER = 'user:default/reader';
const TODAY = '2026-03-10';

/** One rollup row of the entity's allocated cost, in nano-units on both bases. */
function costRow(day: string, effective: bigint, billed: bigint) {
  return {
    entity_ref: API,
    rule_id: 1,
    usage_date: day,
    provider: 'AWS',
    sub_account_id: '1',
    region: 'us-east-1',
    service_name: 'Amazon EC2',
    currency: 'USD',
    effective_nanos: effective.toString(),
    billed_nanos: billed.toString(),
  };
}

const values = (...pairs: Array<[string, unknown]>) =>
  pairs.map(([date, value]) => ({ date, value }));

/** A body of one series of the checkout API's orders. */
const orders = (list: unknown) => ({
  metrics: [{ entityRef: API, metric: 'orders', values: list }],
});

/**
 * Bad bodies of POST /v1/metrics: each is refused with a 4xx naming the problem, and nothing
 * is stored (some hold good values before the bad one, to prove all or nothing).
 */
const BAD_INPUTS: Array<[string, unknown, RegExp, number?]> = [
  ['no metrics field', {}, /metrics is required/],
  ['an empty list', { metrics: [] }, /metrics is empty/],
  ['metrics not a list', { metrics: 'orders' }, /metrics must be an array/],
  ['the body a list', [], /body must be an object/],
  [
    'an unknown top-level field',
    { ...orders(values(['2026-03-01', '1'])), dryRun: true },
    /unknown field dryRun/,
  ],
  [
    'a series without values',
    { metrics: [{ entityRef: API, metric: 'orders' }] },
    /metrics\[0\]\.values is required/,
  ],
  ['a series with no values', orders([]), /metrics\[0\]\.values is empty/],
  [
    'an entity ref of the wrong type',
    {
      metrics: [
        {
          entityRef: 42,
          metric: 'orders',
          values: values(['2026-03-01', '1']),
        },
      ],
    },
    /entityRef must be an entity ref/,
  ],
  [
    'an entity ref without kind',
    {
      metrics: [
        {
          entityRef: 'checkout-api',
          metric: 'orders',
          values: values(['2026-03-01', '1']),
        },
      ],
    },
    /entityRef 'checkout-api' is not an entity ref/,
  ],
  [
    'an entity Costscope does not know',
    {
      metrics: [
        {
          entityRef: 'component:default/nope',
          metric: 'orders',
          values: values(['2026-03-01', '1']),
        },
      ],
    },
    /component:default\/nope is not known to Costscope/,
  ],
  [
    'a metric not configured',
    {
      metrics: [
        {
          entityRef: API,
          metric: 'streams',
          values: values(['2026-03-01', '1']),
        },
      ],
    },
    /'streams' is not a configured metric \(costscope\.unitCost\.metrics: orders, users\)/,
  ],
  [
    'a metric of the wrong type',
    {
      metrics: [
        { entityRef: API, metric: null, values: values(['2026-03-01', '1']) },
      ],
    },
    /metric null is not a configured metric/,
  ],
  [
    'a negative value',
    orders(values(['2026-03-01', '-1'])),
    /values\[0\]\.value '-1' must be a non-negative decimal/,
  ],
  [
    'a value with an exponent',
    orders(values(['2026-03-01', '1e3'])),
    /value '1e3' must be a non-negative decimal/,
  ],
  [
    'a value with ten fractional digits',
    orders(values(['2026-03-01', '1.0000000001'])),
    /at most 9 fractional digits/,
  ],
  ['NaN as text', orders(values(['2026-03-01', 'NaN'])), /value 'NaN' must be/],
  [
    'Infinity as text',
    orders(values(['2026-03-01', 'Infinity'])),
    /value 'Infinity' must be/,
  ],
  [
    'a fractional JSON number',
    orders(values(['2026-03-01', 1.5])),
    /1\.5 must be a non-negative whole number; send fractional values as decimal strings/,
  ],
  [
    'a negative JSON number',
    orders(values(['2026-03-01', -2])),
    /-2 must be a non-negative whole number/,
  ],
  [
    'a JSON number beyond 2^53',
    orders(values(['2026-03-01', 2 ** 60])),
    /must be a non-negative whole number/,
  ],
  [
    'a null value',
    orders(values(['2026-03-01', null])),
    /value must be a decimal string or a whole number, not null/,
  ],
  ['a boolean value', orders(values(['2026-03-01', true])), /not boolean true/],
  ['an empty value', orders(values(['2026-03-01', ''])), /value '' must be/],
  [
    'a value with spaces',
    orders(values(['2026-03-01', ' 5'])),
    /value ' 5' must be/,
  ],
  ['a plus sign', orders(values(['2026-03-01', '+5'])), /value '\+5' must be/],
  [
    'a value beyond BIGINT nano-units',
    orders(values(['2026-03-01', '9223372037'])),
    /above 9223372036\.854775807/,
  ],
  [
    'a day that does not exist',
    orders(values(['2026-02-30', '1'])),
    /date must be a calendar day written YYYY-MM-DD, not '2026-02-30'/,
  ],
  [
    'a day in another format',
    orders(values(['03/01/2026', '1'])),
    /date must be a calendar day/,
  ],
  [
    'a day in the future',
    orders(values(['2026-03-11', '1'])),
    /date 2026-03-11 is in the future \(today is 2026-03-10 UTC\)/,
  ],
  [
    'a value without a day',
    orders([{ value: '1' }]),
    /values\[0\]\.date is required/,
  ],
  [
    'a value that is not an object',
    orders(['5']),
    /values\[0\] must be an object/,
  ],
  [
    'an unknown field of a value',
    orders([{ date: '2026-03-01', value: '1', unit: 'order' }]),
    /unknown field unit/,
  ],
  [
    'a day twice in one series',
    orders(values(['2026-03-01', '1'], ['2026-03-01', '2'])),
    /values\[1\]\.date 2026-03-01 is sent twice/,
  ],
  [
    'a day twice across two series',
    {
      metrics: [
        orders(values(['2026-03-01', '1'])).metrics[0],
        {
          entityRef: 'Component:default/Checkout-API',
          metric: 'orders',
          values: values(['2026-03-01', '2']),
        },
      ],
    },
    /metrics\[1\]\.values\[0\]\.date 2026-03-01 is sent twice for component:default\/checkout-api and orders/,
  ],
  [
    'more values than maxDaysPerRequest',
    orders(
      values(
        ...['01', '02', '03', '04', '05', '06'].map((d): [string, string] => [
          `2026-03-${d}`,
          '1',
        ]),
      ),
    ),
    /holds 6 values; at most 5 are allowed per request \(costscope\.unitCost\.maxDaysPerRequest\)/,
  ],
  [
    'a good series, then a bad one',
    {
      metrics: [
        orders(values(['2026-03-01', '1'])).metrics[0],
        {
          entityRef: API,
          metric: 'users',
          values: values(['2026-03-01', '-3']),
        },
      ],
    },
    /metrics\[1\]\.values\[0\]\.value '-3'/,
  ],
  [
    'a NUL character',
    {
      metrics: [
        {
          entityRef: API,
          metric: 'orders\u0000',
          values: values(['2026-03-01', '1']),
        },
      ],
    },
    /NUL character/,
  ],
];

describe('unit cost routes', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', id => {
    let knex: Knex;
    let app: Awaited<ReturnType<typeof routerApp>>['app'];

    /** The router on the real unit cost service and store, and access by `x-user`. */
    const appWith = async (maxDaysPerRequest: number) => {
      const services = mockCostscopeServices();
      (services as any).unitCost = new DefaultUnitCostService({
        store: new UnitMetricStore(knex),
        spend: new SpendQueries(knex),
        config: {
          metrics: [
            { name: 'orders', unit: 'order' },
            { name: 'users', unit: 'user', description: 'Daily active users' },
          ],
          maxDaysPerRequest,
        },
        entityExists: async ref =>
          Boolean(
            await knex('costscope_entities').where({ entity_ref: ref }).first(),
          ),
        currency: async () => 'USD',
        costBasis: 'effective',
        now: () => new Date(`${TODAY}T12:00:00Z`),
      });
      const access = mockAccess({
        grants: {
          [WRITER]: ['costscope.metrics.write', 'costscope.entity.cost.read'],
          [READER]: ['costscope.entity.cost.read'],
        },
      });
      return (await routerApp(services, access)).app;
    };

    beforeAll(async () => {
      knex = await databases.init(id);
      await applyMigrations(knex);
      await knex('costscope_entities').insert({
        entity_ref: API,
        kind: 'component',
      });
      await knex('costscope_rollup_daily').insert([
        costRow('2026-03-01', 10_000_000_001n, 12_000_000_000n),
        costRow('2026-03-02', 2_000_000_000n, 2_000_000_000n),
        // The previous range of 03-03..03-04 (two days) is 03-01..03-02.
        costRow('2026-03-03', 3_000_000_000n, 3_000_000_000n),
        costRow('2026-03-04', 3_000_000_000n, 3_000_000_000n),
      ]);
      app = await appWith(5);
    });

    afterEach(async () => {
      await knex('costscope_unit_metrics').delete();
    });

    const stored = async () =>
      Number((await knex('costscope_unit_metrics').count({ n: '*' }))[0].n);
    const post = (body: unknown, user = WRITER) =>
      request(app)
        .post('/v1/metrics')
        .set('x-user', user)
        .send(body as object);
    const unitCostOf = (query: string, user = READER) =>
      request(app)
        .get(`/v1/entities/component/default/checkout-api/unit-cost?${query}`)
        .set('x-user', user);

    it('stores values and divides the allocated cost by them, exactly', async () => {
      const res = await post(
        orders(values(['2026-03-01', 3], ['2026-03-02', '0.5'])),
      );
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ stored: 2 });

      const daily = await unitCostOf('from=2026-03-01&to=2026-03-02');
      expect(daily.status).toBe(200);
      expect(daily.body).toMatchObject({
        entityRef: API,
        metric: 'orders',
        unit: 'order',
        hasValues: true,
        currency: 'USD',
        costBasis: 'effective',
        granularity: 'day',
        points: [
          // 10.000000001 / 3 = 3.333333333666...: half-even rounds up to ...334.
          {
            period: '2026-03-01',
            cost: '10.000000001',
            units: '3.000000000',
            unitCost: '3.333333334',
          },
          {
            period: '2026-03-02',
            cost: '2.000000000',
            units: '0.500000000',
            unitCost: '4.000000000',
          },
        ],
        // 12.000000001 / 3.5 = 3.428571428857...
        total: {
          cost: '12.000000001',
          units: '3.500000000',
          unitCost: '3.428571429',
        },
        // No cost or units before: nothing to compare with.
        previous: { from: '2026-02-27', to: '2026-02-28', unitCost: null },
        change: null,
        changeRatio: null,
      });
      expect(daily.body.metrics.map((m: { name: string }) => m.name)).toEqual([
        'orders',
        'users',
      ]);

      const billed = await unitCostOf(
        'from=2026-03-01&to=2026-03-02&costBasis=billed&granularity=month',
      );
      expect(billed.body).toMatchObject({
        costBasis: 'billed',
        granularity: 'month',
        // (12 + 2) / 3.5 = 4.
        points: [
          {
            period: '2026-03',
            cost: '14.000000000',
            units: '3.500000000',
            unitCost: '4.000000000',
          },
        ],
      });
    });

    it('compares with the previous range of equal length', async () => {
      await post(
        orders(
          values(
            ['2026-03-01', '3'],
            ['2026-03-02', '1'],
            ['2026-03-03', '2'],
            ['2026-03-04', '4'],
          ),
        ),
      );
      const res = await unitCostOf('from=2026-03-03&to=2026-03-04');
      expect(res.body).toMatchObject({
        total: {
          cost: '6.000000000',
          units: '6.000000000',
          unitCost: '1.000000000',
        },
        // 12.000000001 / 4 = 3.00000000025: a tie, to the even 3.000000000.
        previous: {
          from: '2026-03-01',
          to: '2026-03-02',
          unitCost: '3.000000000',
        },
        change: '-2.000000000',
        changeRatio: -0.666666,
      });
    });

    it('replaces a day sent again (idempotent per entity, metric and day)', async () => {
      await post(orders(values(['2026-03-01', '3'])));
      await post(orders(values(['2026-03-01', '3'])));
      expect(await stored()).toBe(1);
      await post(orders(values(['2026-03-01', '5'])));
      expect(await stored()).toBe(1);
      const res = await unitCostOf('from=2026-03-01&to=2026-03-01');
      expect(res.body.total.units).toBe('5.000000000');
    });

    it('needs costscope.metrics.write, and stores nothing without it', async () => {
      const res = await post(orders(values(['2026-03-01', '3'])), READER);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('costscope.metrics.write');
      expect(await stored()).toBe(0);
    });

    it.each(BAD_INPUTS)(
      'refuses %s with a 4xx and stores nothing',
      async (_name, body, message, status = 400) => {
        const res = await post(body);
        expect({
          status: res.status,
          message: res.body.error?.message,
        }).toEqual({
          status,
          message: expect.stringMatching(message),
        });
        expect(await stored()).toBe(0);
      },
    );

    it('takes the default 400 day-values in one request, a body over 16 kB', async () => {
      const days = Array.from({ length: 400 }, (_, i) =>
        new Date(Date.UTC(2026, 2, 10 - i)).toISOString().slice(0, 10),
      );
      const body = orders(
        days.map(date => ({ date, value: '12345.123456789' })),
      );
      expect(JSON.stringify(body).length).toBeGreaterThan(16 * 1024);
      const res = await request(await appWith(400))
        .post('/v1/metrics')
        .set('x-user', WRITER)
        .send(body);
      expect({ status: res.status, body: res.body }).toEqual({
        status: 200,
        body: { stored: 400 },
      });
      expect(await stored()).toBe(400);
    });

    it('refuses a body that is not JSON with 415 and stores nothing', async () => {
      const res = await request(app)
        .post('/v1/metrics')
        .set('x-user', WRITER)
        .set('content-type', 'text/csv')
        .send('2026-03-01,component:default/checkout-api,orders,1');
      expect(res.status).toBe(415);
      expect(await stored()).toBe(0);
    });

    it('shows the first configured metric, without values, for an entity that reports none', async () => {
      const res = await unitCostOf('from=2026-03-01&to=2026-03-01');
      expect(res.body).toMatchObject({
        metric: 'orders',
        unit: 'order',
        hasValues: false,
        total: { cost: '10.000000001', units: '0.000000000', unitCost: null },
      });
    });

    it('picks the metric the entity reports when none is named', async () => {
      await post({
        metrics: [
          {
            entityRef: API,
            metric: 'users',
            values: values(['2026-03-01', '2']),
          },
        ],
      });
      const res = await unitCostOf('from=2026-03-01&to=2026-03-01');
      expect(res.body).toMatchObject({
        metric: 'users',
        unit: 'user',
        hasValues: true,
      });
    });

    it.each([
      ['metric=streams', 400, /metric 'streams' is not configured/],
      ['granularity=week', 400, /granularity must be one of day, month/],
      ['from=2026-03-05&to=2026-03-01', 400, /reversed/],
      ['costBasis=amortised', 400, /costBasis must be one of/],
    ])('refuses the query %s', async (query, status, message) => {
      const res = await unitCostOf(query);
      expect(res.status).toBe(status);
      expect(res.body.error.message).toMatch(message);
    });

    it('answers 404 for an entity Costscope does not know, or the caller may not read', async () => {
      const unknown = await request(app)
        .get('/v1/entities/component/default/nope/unit-cost')
        .set('x-user', READER);
      expect(unknown.status).toBe(404);
      const refused = await unitCostOf('', 'user:default/nobody');
      expect(refused.status).toBe(404);
    });
  });
});
