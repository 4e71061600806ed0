import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { entity } from '../__testUtils__/entities';
import {
  as,
  MEMBER,
  okBodyOf,
  startApiBackend,
} from '../__testUtils__/apiBackend';
import type { CostBasis } from '@costscope/backstage-plugin-common';
import { SpendQueries } from '../store/SpendQueries';

jest.setTimeout(60_000);

/*
 * Worked by hand. A Compute Savings Plan bought at 28 % below on-demand covers usage of two
 * teams on 2026-03-01; its fee is billed that day with no owner tag. FOCUS puts covered usage
 * at BilledCost 0 and its amortized cost in EffectiveCost; the fee the other way round.
 *
 *   line                         billed    effective    list
 *   api: covered usage             0.00       7.20      10.00
 *   web: covered usage             0.00       3.60       5.00
 *   web: on-demand usage           2.00       2.00       2.00
 *   Savings Plan fee              10.80       0.00       0.00
 *   total                         12.80      12.80      17.00
 *
 * Billed: api 0, web 2.00, unallocated 10.80. Effective: api 7.20, web 5.60, unallocated 0.
 * List (no on-demand price for the fee): api 10.00, web 7.00, unallocated 0; list minus
 * effective, 17.00 - 12.80 = 4.20, is what the plan saved (28 % of the 15.00 it covered).
 * Team a owns both, so its total is the sum of the two; system store likewise.
 */
const rows = [
  {
    day: '2026-03-01',
    cost: '0',
    effective: '7.20',
    list: '10.00',
    tags: { service: 'api' },
    resource: 'i-api',
  },
  {
    day: '2026-03-01',
    cost: '0',
    effective: '3.60',
    list: '5.00',
    tags: { service: 'web' },
    resource: 'i-web',
  },
  {
    day: '2026-03-01',
    cost: '2.00',
    tags: { service: 'web' },
    resource: 'i-web-2',
  },
  {
    day: '2026-03-01',
    cost: '10.80',
    effective: '0',
    list: '0',
    category: 'Purchase',
    service: 'AWS Savings Plans for Compute usage',
    resource: 'arn:aws:savingsplans::999988887777:savingsplan/sp-1',
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

const RANGE = 'from=2026-03-01&to=2026-03-01';

describe('cost bases', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'counts a Savings Plan as the hand calculation says on each basis on %p',
    async id => {
      const knex = await databases.init(id);
      const backend = await startApiBackend(knex, { organisation });
      const get = okBodyOf(backend);
      const entityTotal = async (ref: string, basis?: string) =>
        (
          await get(
            `/v1/entities/${ref}/summary?${RANGE}${
              basis ? `&costBasis=${basis}` : ''
            }`,
          )
        ).total;

      const expected = {
        billed: {
          api: '0.000000000',
          web: '2.000000000',
          team: '2.000000000',
          unallocated: '10.800000000',
        },
        effective: {
          api: '7.200000000',
          web: '5.600000000',
          team: '12.800000000',
          unallocated: '0.000000000',
        },
        list: {
          api: '10.000000000',
          web: '7.000000000',
          team: '17.000000000',
          unallocated: '0.000000000',
        },
      };
      const totals = {
        billed: '12.800000000',
        effective: '12.800000000',
        list: '17.000000000',
      };
      for (const basis of ['billed', 'effective', 'list'] as const) {
        const overview = await get(`/v1/overview?${RANGE}&costBasis=${basis}`);
        expect({
          basis: overview.costBasis,
          total: overview.total,
          allocated: overview.allocated,
          unallocated: overview.unallocated,
        }).toEqual({
          basis,
          total: totals[basis],
          allocated: expected[basis].team,
          unallocated: expected[basis].unallocated,
        });
        expect(await entityTotal('component/default/api', basis)).toBe(
          expected[basis].api,
        );
        expect(await entityTotal('component/default/web', basis)).toBe(
          expected[basis].web,
        );
        expect(await entityTotal('system/default/store', basis)).toBe(
          expected[basis].team,
        );
        expect(await entityTotal('group/default/team-a', basis)).toBe(
          expected[basis].team,
        );

        const series = await get(
          `/v1/entities/group/default/team-a/series?${RANGE}&costBasis=${basis}`,
        );
        expect(series.costBasis).toBe(basis);
        expect(series.points[0].total).toBe(expected[basis].team);

        const resources = await get(
          `/v1/entities/component/default/web/resources?${RANGE}&costBasis=${basis}`,
        );
        expect(resources.costBasis).toBe(basis);
        expect(
          Object.fromEntries(
            resources.resources.map((r: any) => [r.resourceId, r.cost]),
          ),
        ).toEqual(
          {
            billed: { 'i-web': '0.000000000', 'i-web-2': '2.000000000' },
            effective: { 'i-web': '3.600000000', 'i-web-2': '2.000000000' },
            list: { 'i-web': '5.000000000', 'i-web-2': '2.000000000' },
          }[basis],
        );
      }

      // Without costBasis, the configured default: effective.
      expect(await entityTotal('component/default/api')).toBe('7.200000000');
      expect(
        (await get(`/v1/entities/component/default/api/summary?${RANGE}`))
          .costBasis,
      ).toBe('effective');
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'counts a budget on the basis it declares, else on the configured one, on %p',
    async id => {
      const knex = await databases.init(id);
      const backend = await startApiBackend(knex, { organisation });
      const budgetOf = (ref: string) =>
        `/api/costscope/v1/entities/${ref}/budget`;
      const put = (ref: string, body: object) =>
        request(backend.server)
          .put(budgetOf(ref))
          .set('Authorization', as(MEMBER))
          .send({ amount: '100', period: 'monthly', currency: 'USD', ...body });
      try {
        // api's usage is all under the plan: billed 0, amortized 7.20 (table above).
        const billed = await put('component/default/api', {
          costBasis: 'billed',
        });
        expect(billed.status).toBe(200);
        expect(billed.body.status).toMatchObject({
          budget: { costBasis: 'billed' },
          costBasis: 'billed',
          spent: '0.000000000',
        });
        const read = await request(backend.server)
          .get(budgetOf('component/default/api'))
          .set('Authorization', as(MEMBER));
        expect(read.body.status.spent).toBe('0.000000000');

        // Saved without a basis, it follows costscope.costBasis (effective here).
        const configured = await put('component/default/api', {});
        expect(configured.status).toBe(200);
        expect(configured.body.status.budget.costBasis).toBeUndefined();
        expect(configured.body.status).toMatchObject({
          costBasis: 'effective',
          spent: '7.200000000',
        });

        // The team: billed 2.00 (web's on-demand line), amortized 12.80.
        const team = await put('group/default/team-a', { costBasis: 'billed' });
        expect(team.body.status.spent).toBe('2.000000000');

        const list = await put('component/default/web', {
          costBasis: 'amortised',
        });
        expect(list.status).toBe(400);
        expect(list.body.error.message).toBe(
          'invalid budget: costBasis must be one of effective, billed, list',
        );
      } finally {
        await backend.stop();
      }
    },
  );

  it.each(databases.eachSupportedId())(
    "reads alerts' daily totals and drivers on a basis on %p",
    async id => {
      const knex = await databases.init(id);
      const backend = await startApiBackend(knex, { organisation });
      try {
        const spend = new SpendQueries(knex);
        const day = { from: '2026-03-01', to: '2026-03-01' };
        const web = 'component:default/web';
        const amounts = async (basis: CostBasis) => ({
          daily: (await spend.dailyTotals(web, day, basis)).get('2026-03-01'),
          ofKind: (await spend.dailyTotalsOfKind('component', day, basis))
            .get(web)
            ?.get('2026-03-01'),
          services: [...(await spend.serviceTotals(web, day, basis)).values()],
          resources: Object.fromEntries(
            [...(await spend.resourceTotals(web, day, basis))].map(
              ([resource, { cost }]) => [resource, cost],
            ),
          ),
        });
        // web: covered usage billed 0 / amortized 3.60, on-demand 2.00 on both.
        expect(await amounts('billed')).toEqual({
          daily: 2_000_000_000n,
          ofKind: 2_000_000_000n,
          services: [2_000_000_000n],
          resources: { 'i-web': 0n, 'i-web-2': 2_000_000_000n },
        });
        expect(await amounts('effective')).toEqual({
          daily: 5_600_000_000n,
          ofKind: 5_600_000_000n,
          services: [5_600_000_000n],
          resources: { 'i-web': 3_600_000_000n, 'i-web-2': 2_000_000_000n },
        });
      } finally {
        await backend.stop();
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'counts tag compliance by cost on the basis asked for on %p',
    async id => {
      const knex = await databases.init(id);
      const backend = await startApiBackend(knex, { organisation });
      const get = okBodyOf(backend);
      try {
        // web's resources (table above): i-web 0 / 3.60 / 5.00 and i-web-2 2.00 on each
        // basis. The organisation's also count the plan's fee, a resource of its own.
        const expected = {
          billed: { web: '2.000000000', organisation: '12.800000000' },
          effective: { web: '5.600000000', organisation: '12.800000000' },
          list: { web: '7.000000000', organisation: '17.000000000' },
        };
        for (const basis of ['billed', 'effective', 'list'] as const) {
          const web = await get(
            `/v1/entities/component/default/web/compliance?${RANGE}&costBasis=${basis}`,
          );
          expect([web.costBasis, web.resources.total, web.cost.total]).toEqual([
            basis,
            2,
            expected[basis].web,
          ]);
          const all = await get(`/v1/compliance?${RANGE}&costBasis=${basis}`);
          expect([all.costBasis, all.cost.total]).toEqual([
            basis,
            expected[basis].organisation,
          ]);
        }
        // Without costBasis, the configured one (effective).
        const configured = await get(
          `/v1/entities/component/default/web/compliance?${RANGE}`,
        );
        expect(configured.cost.total).toBe(expected.effective.web);
      } finally {
        await backend.stop();
      }
    },
  );
});
