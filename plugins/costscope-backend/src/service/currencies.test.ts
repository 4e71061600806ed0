import fs from 'node:fs/promises';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { entity } from '../__testUtils__/entities';
import {
  as,
  MEMBER,
  startApiBackend,
  okBodyOf,
} from '../__testUtils__/apiBackend';
import { focusCsv, FocusRow } from '../__testUtils__/focus';

jest.setTimeout(60_000);

/*
 * Worked by hand. Reporting currency USD; a bill in EUR and USD with rates EUR 2026-02 1.05
 * and 2026-03 1.1 (USD per EUR), none for April.
 *
 *   line                                   EUR billed / effective / list    USD
 *   api i-api 2026-02-27                   10.00 / 8.00 / 12.00             10.50 / 8.40 / 12.60
 *   api i-api 2026-03-01, two lines        1.333333333333 + 2.666666666667  = 4.00 x 1.1 = 4.40
 *   web i-web 2026-03-01 (USD)                                              2.00
 *   web i-web-eu 2026-03-02, three lines   0.0000000015 each: 0.0000000045  x 1.1 = 0.00000000495
 *   untagged 2026-03-01                    5.00                             5.50
 *   api i-api 2026-04-01                   1.00: no rate, rejected
 *
 * The tiny fact shows the rounding: its exact sum times the rate, rounded once, is 5 nano-units
 * (0.000000005); rounding the sum first (4.5 -> 4, half to even) and then the product would
 * give 4. Its original amount, rounded once, is 0.000000004 EUR.
 *
 *   basis       api      web            allocated      unallocated   total
 *   billed      14.90    2.000000005    16.900000005   5.50          22.400000005
 *   effective   12.80    2.000000005    14.800000005   5.50          20.300000005
 *   list        17.00    2.000000005    19.000000005   5.50          24.500000005
 */
const rows: FocusRow[] = [
  {
    day: '2026-02-27',
    cost: '10.00',
    effective: '8.00',
    list: '12.00',
    currency: 'EUR',
    tags: { service: 'api' },
    resource: 'i-api',
  },
  {
    day: '2026-03-01',
    cost: '1.333333333333',
    currency: 'EUR',
    tags: { service: 'api' },
    resource: 'i-api',
  },
  {
    day: '2026-03-01',
    cost: '2.666666666667',
    currency: 'EUR',
    tags: { service: 'api' },
    resource: 'i-api',
  },
  {
    day: '2026-03-01',
    cost: '2.00',
    tags: { service: 'web' },
    resource: 'i-web',
  },
  ...[1, 2, 3].map(() => ({
    day: '2026-03-02',
    cost: '0.0000000015',
    currency: 'EUR',
    tags: { service: 'web' },
    resource: 'i-web-eu',
  })),
  { day: '2026-03-01', cost: '5.00', currency: 'EUR', resource: 'i-orphan' },
  {
    day: '2026-04-01',
    cost: '1.00',
    currency: 'EUR',
    tags: { service: 'api' },
    resource: 'i-api',
  },
];

const organisation = {
  entities: [
    entity('Group', 'team-a', { type: 'team', children: [] }),
    entity('System', 'store', { owner: 'team-a' }),
    entity('Component', 'api', { owner: 'team-a', system: 'store' }),
    entity('Component', 'web', { owner: 'team-a', system: 'store' }),
  ],
  rows,
  groups: { [MEMBER]: ['group:default/team-a'] },
};

const RANGE = 'from=2026-02-01&to=2026-04-30';

describe('billing currencies', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'converts a EUR bill at two months of rates as the hand calculation says on %p',
    async id => {
      const knex = await databases.init(id);
      const backend = await startApiBackend(knex, {
        organisation,
        costscope: {
          maxRejectedShare: 0.2,
          exchangeRates: {
            rates: [
              { currency: 'EUR', month: '2026-02', rate: '1.05' },
              // A YAML number is taken as its shortest decimal, 1.1.
              { currency: 'eur', month: '2026-03', rate: 1.1 },
            ],
          },
        },
      });
      const get = okBodyOf(backend);

      const expected = {
        billed: ['14.900000000', '16.900000005', '22.400000005'],
        effective: ['12.800000000', '14.800000005', '20.300000005'],
        list: ['17.000000000', '19.000000005', '24.500000005'],
      };
      for (const basis of ['billed', 'effective', 'list'] as const) {
        const [api, allocated, total] = expected[basis];
        const overview = await get(`/v1/overview?${RANGE}&costBasis=${basis}`);
        expect({
          currency: overview.currency,
          total: overview.total,
          allocated: overview.allocated,
          unallocated: overview.unallocated,
        }).toEqual({
          currency: 'USD',
          total,
          allocated,
          unallocated: '5.500000000',
        });
        const summary = (ref: string) =>
          get(`/v1/entities/${ref}/summary?${RANGE}&costBasis=${basis}`);
        expect((await summary('component/default/api')).total).toBe(api);
        expect((await summary('component/default/web')).total).toBe(
          '2.000000005',
        );
        expect((await summary('group/default/team-a')).total).toBe(allocated);
      }

      // The drill-down shows what each converted resource cost in EUR.
      const resources = await get(
        `/v1/entities/system/default/store/resources?${RANGE}&costBasis=billed`,
      );
      const byId = Object.fromEntries(
        resources.resources.map((r: any) => [r.resourceId, r]),
      );
      expect(byId['i-api']).toMatchObject({
        cost: '14.900000000',
        originalCost: { currency: 'EUR', cost: '14.000000000' },
      });
      expect(byId['i-web-eu']).toMatchObject({
        cost: '0.000000005',
        originalCost: { currency: 'EUR', cost: '0.000000004' },
      });
      expect(byId['i-web'].originalCost).toBeUndefined();

      const stored = await knex('costscope_cost_facts')
        .where({ resource_id: 'i-api', usage_date: '2026-02-27' })
        .first();
      expect({
        currency: stored.currency,
        original: stored.original_currency,
        rate: stored.exchange_rate,
        billed: String(stored.billed_nanos),
        originalList: String(stored.original_list_nanos),
      }).toEqual({
        currency: 'USD',
        original: 'EUR',
        rate: '1.05',
        billed: '10500000000',
        originalList: '12000000000',
      });

      // April has no rate: its line is rejected, named by currency and month.
      const runs = await request(backend.server)
        .get('/api/costscope/v1/ingest-runs')
        .set('Authorization', as(MEMBER));
      const run = runs.body.items[0];
      expect(run.rowsRejected).toBe(1);
      expect(run.rejections[0].reason).toBe(
        'BillingCurrency EUR has no exchange rate to USD for 2026-04 (set costscope.exchangeRates)',
      );
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'converts a month without a configured rate at the rate its FOCUS 1.2 pricing amounts imply on %p',
    async id => {
      const knex = await databases.init(id);
      const backend = await startApiBackend(knex, {
        organisation: { ...organisation, rows: rows.slice(3, 4) },
      });
      /*
       * May 2026 has no configured rate. Its lines were priced in USD: 10.80 USD for 10.00 EUR
       * and 5.45 USD for 5.00 EUR, so the export's own rate is 16.25 / 15 = 1.083333333333
       * (12 digits). api: 10.00 x 1.083333333333 = 10.83333333333 -> 10.833333333; web: 5.00 x
       * 1.083333333333 = 5.416666666665 -> 5.416666667; together 16.250000000.
       */
      const header =
        'BilledCost,EffectiveCost,BillingCurrency,BillingPeriodStart,ChargePeriodStart,' +
        'ChargeCategory,ProviderName,SubAccountId,ServiceName,ResourceId,Tags,' +
        'PricingCurrency,PricingCurrencyEffectiveCost';
      const line = (
        cost: string,
        usd: string,
        resource: string,
        service: string,
      ) =>
        `${cost},${cost},EUR,2026-05-01T00:00:00Z,2026-05-01T00:00:00Z,Usage,AWS,111122223333,` +
        `Amazon Elastic Compute Cloud,${resource},"{""service"":""${service}""}",USD,${usd}`;
      await fs.writeFile(
        `${backend.focusDir}/focus-1.2.csv`,
        [
          header,
          line('10.00', '10.80', 'i-api', 'api'),
          line('5.00', '5.45', 'i-web-eu', 'web'),
          '',
        ].join('\n'),
      );
      const ingest = await request(backend.server)
        .post('/api/costscope/v1/ingest')
        .set('Authorization', as(MEMBER))
        .send({});
      expect(ingest.body.runs[0]).toMatchObject({
        status: 'succeeded',
        rowsRejected: 0,
      });
      const get = async (url: string) =>
        (
          await request(backend.server)
            .get(`/api/costscope${url}`)
            .set('Authorization', as(MEMBER))
        ).body;
      const MAY = 'from=2026-05-01&to=2026-05-31&costBasis=billed';
      expect((await get(`/v1/overview?${MAY}`)).total).toBe('16.250000000');
      expect(
        (await get(`/v1/entities/component/default/api/summary?${MAY}`)).total,
      ).toBe('10.833333333');
      expect(
        (await get(`/v1/entities/component/default/web/summary?${MAY}`)).total,
      ).toBe('5.416666667');
      const stored = await knex('costscope_cost_facts')
        .where({ resource_id: 'i-api', usage_date: '2026-05-01' })
        .first();
      expect(stored.exchange_rate).toBe('1.083333333333');
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'fails a run with too many lines without a rate and keeps the earlier data on %p',
    async id => {
      const knex = await databases.init(id);
      const backend = await startApiBackend(knex, {
        organisation: { ...organisation, rows: rows.slice(3, 4) },
      });
      await fs.writeFile(
        `${backend.focusDir}/focus.csv`,
        focusCsv(rows.slice(0, 4)),
      );
      const ingest = await request(backend.server)
        .post('/api/costscope/v1/ingest')
        .set('Authorization', as(MEMBER))
        .send({});
      expect(ingest.body.runs[0].status).toBe('failed');
      expect(ingest.body.runs[0].error).toMatch(
        /3 of 4 rows were rejected.*previous data kept/,
      );
      const overview = await request(backend.server)
        .get(`/api/costscope/v1/overview?${RANGE}&costBasis=billed`)
        .set('Authorization', as(MEMBER));
      expect(overview.body.total).toBe('2.000000000');
      await backend.stop();
    },
  );
});
