import request from 'supertest';
import { mockCredentials } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/databases';
import { entity } from '../__testUtils__/entities';
import { as, MEMBER, startApiBackend } from '../__testUtils__/apiBackend';
import { FocusRow } from '../__testUtils__/focus';

jest.setTimeout(90_000);

/*
 * Worked by hand. team-a owns the system store (components api and web) and the component
 * batch; team-b owns pay. March 2026, effective cost (the configured basis):
 *
 *   api    1.50 (03-01) + 30.123456789 (03-03) = 31.623456789   orders 7 (03-03), streams 30
 *   web    2.25 (03-04)                                         orders 5 (03-04)
 *   batch  4.00 (03-10)                                         reports nothing
 *   pay    6.50 (03-20, billed 7)                               orders 4 (03-20)
 *   store  (api + web) 33.873456789                             streams 100 (03-05)
 *
 * team-a's orders: api and web report them, 7 + 5 = 12 units over their cost 33.873456789
 * (not the team's 37.873456789, batch counts no orders): 2.82278806575 -> 2.822788066 (half to
 * even, 9 digits). Its streams: store reports them and api's roll up into store, so only
 * store counts (api's 30 would count twice): 33.873456789 / 100 -> 0.338734568.
 * By day: 03-03 api+web 30.123456789 / 7 -> 4.303350970; 03-04 2.25 / 5 = 0.45; 03-01 no
 * units. team-b: pay 6.5 / 4 = 1.625.
 */
const entities = [
  entity('Group', 'team-a', { type: 'team', children: [] }),
  entity('Group', 'team-b', { type: 'team', children: [] }),
  entity('System', 'store', { owner: 'team-a' }),
  entity('Component', 'api', { owner: 'team-a', system: 'store' }),
  entity('Component', 'web', { owner: 'team-a', system: 'store' }),
  entity('Component', 'batch', { owner: 'team-a' }),
  entity('Component', 'pay', { owner: 'team-b' }),
];
const rows: FocusRow[] = [
  { day: '2026-03-01', cost: '1.5', tags: { service: 'api' }, resource: 'a' },
  {
    day: '2026-03-03',
    cost: '30.123456789',
    tags: { service: 'api' },
    resource: 'a',
  },
  { day: '2026-03-04', cost: '2.25', tags: { service: 'web' }, resource: 'w' },
  { day: '2026-03-10', cost: '4', tags: { service: 'batch' }, resource: 'b' },
  {
    day: '2026-03-20',
    cost: '7',
    effective: '6.5',
    tags: { service: 'pay' },
    resource: 'p',
  },
];
const series = (
  entityRef: string,
  metric: string,
  date: string,
  value: string,
) => ({
  entityRef,
  metric,
  values: [{ date, value }],
});

describe('unit cost of a team or system', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'sums the metric over the entities below that report it, over their cost, on %p',
    async id => {
      const knex = await databases.init(id);
      const backend = await startApiBackend(knex, {
        organisation: {
          entities,
          rows,
          groups: {
            [MEMBER]: ['group:default/team-a', 'group:default/team-b'],
          },
        },
        costscope: {
          unitCost: {
            metrics: [
              { name: 'orders', unit: 'order' },
              { name: 'streams', unit: 'stream' },
            ],
          },
        },
      });
      const api = request(backend.server);
      const written = await api
        .post('/api/costscope/v1/metrics')
        .set('Authorization', mockCredentials.service.header())
        .send({
          metrics: [
            series('component:default/api', 'orders', '2026-03-03', '7'),
            series('component:default/web', 'orders', '2026-03-04', '5'),
            series('component:default/pay', 'orders', '2026-03-20', '4'),
            series('component:default/api', 'streams', '2026-03-05', '30'),
            series('system:default/store', 'streams', '2026-03-05', '100'),
          ],
        });
      expect(written.status).toBe(200);
      const unitCost = async (ref: string, query: string) => {
        const response = await api
          .get(
            `/api/costscope/v1/entities/${ref}/unit-cost?from=2026-03-01&to=2026-03-31&${query}`,
          )
          .set('Authorization', as(MEMBER));
        expect(response.status).toBe(200);
        return response.body;
      };

      const teamOrders = await unitCost(
        'group/default/team-a',
        'metric=orders',
      );
      expect(teamOrders).toMatchObject({
        metric: 'orders',
        hasValues: true,
        rolledUp: true,
        reportingEntities: 2,
        total: {
          cost: '33.873456789',
          units: '12.000000000',
          unitCost: '2.822788066',
        },
      });
      const summary = await api
        .get(
          '/api/costscope/v1/entities/group/default/team-a/summary?from=2026-03-01&to=2026-03-31',
        )
        .set('Authorization', as(MEMBER));
      // Not the whole team's cost: batch reports no orders.
      expect(summary.body.total).toBe('37.873456789');
      const byDay = new Map(
        teamOrders.points.map((p: any) => [p.period, p.unitCost]),
      );
      expect(byDay.get('2026-03-01')).toBeNull();
      expect(byDay.get('2026-03-03')).toBe('4.303350970');
      expect(byDay.get('2026-03-04')).toBe('0.450000000');

      // The system reports streams itself: only its own, not api's as well.
      const teamStreams = await unitCost(
        'group/default/team-a',
        'metric=streams&granularity=month',
      );
      expect(teamStreams).toMatchObject({
        rolledUp: true,
        reportingEntities: 1,
        total: {
          cost: '33.873456789',
          units: '100.000000000',
          unitCost: '0.338734568',
        },
        points: [{ period: '2026-03', unitCost: '0.338734568' }],
      });
      expect(
        await unitCost('system/default/store', 'metric=streams'),
      ).toMatchObject({
        rolledUp: false,
        reportingEntities: 1,
        total: { unitCost: '0.338734568' },
      });
      expect(
        await unitCost('system/default/store', 'metric=orders'),
      ).toMatchObject({
        rolledUp: true,
        reportingEntities: 2,
        total: { unitCost: '2.822788066' },
      });
      // A component as before: its own metric and cost.
      expect(
        await unitCost('component/default/api', 'metric=orders'),
      ).toMatchObject({
        rolledUp: false,
        reportingEntities: 1,
        total: { cost: '31.623456789', unitCost: '4.517636684' },
      });
      expect(await unitCost('component/default/batch', '')).toMatchObject({
        hasValues: false,
        rolledUp: false,
        reportingEntities: 0,
        total: { cost: '4.000000000', units: '0.000000000', unitCost: null },
      });
      expect(
        await unitCost('group/default/team-b', 'metric=orders'),
      ).toMatchObject({
        rolledUp: true,
        reportingEntities: 1,
        total: { cost: '6.500000000', unitCost: '1.625000000' },
      });

      // The team's monthly digest reports its own unit cost per metric, as the route does.
      const digest = await api
        .get(
          '/api/costscope/v1/entities/group/default/team-a/digest?period=month&date=2026-03-15',
        )
        .set('Authorization', as(MEMBER));
      expect(digest.status).toBe(200);
      expect(digest.body.ownUnitCosts).toEqual([
        {
          entityRef: 'group:default/team-a',
          metric: 'orders',
          unit: 'order',
          unitCost: '2.822788066',
          previousUnitCost: null,
          change: null,
          reportingEntities: 2,
        },
        {
          entityRef: 'group:default/team-a',
          metric: 'streams',
          unit: 'stream',
          unitCost: '0.338734568',
          previousUnitCost: null,
          change: null,
          reportingEntities: 1,
        },
      ]);
    },
  );
});
