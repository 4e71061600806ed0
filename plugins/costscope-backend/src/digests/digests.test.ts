import request from 'supertest';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  addMoney,
  CostDigest,
  moneyToNanos,
  nanosToMoney,
} from '@costscope/backstage-plugin-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { entity } from '../__testUtils__/entities';
import {
  as,
  MEMBER,
  okBodyOf,
  OUTSIDER,
  seedRecommendation,
  startApiBackend,
} from '../__testUtils__/apiBackend';
import { FocusRow } from '../__testUtils__/focus';
import { fromEpochDay, toEpochDay } from '../budgets/series';
import { latestDueDigest } from './digestPeriods';

jest.setTimeout(90_000);

const entities = [
  entity('Group', 'team-a', { type: 'team', children: [] }),
  entity('Group', 'team-b', { type: 'team', children: [] }),
  entity('System', 'store', { owner: 'team-a' }),
  entity('Component', 'api', { owner: 'team-a', system: 'store' }),
  entity('Component', 'web', { owner: 'team-a', system: 'store' }),
  entity('Component', 'pay', { owner: 'team-b' }),
];
const groups = { [MEMBER]: ['group:default/team-a'] };

/*
 * March 2026 against February, with one day of March 2025 so that "last year" exists. The
 * first week of March (2 to 8) against the last of February (23 Feb to 1 Mar).
 */
const rows: FocusRow[] = [
  {
    day: '2025-03-01',
    cost: '4.5',
    tags: { service: 'api' },
    resource: 'i-api',
  },
  {
    day: '2026-02-10',
    cost: '20.25',
    tags: { service: 'api' },
    resource: 'i-api',
  },
  {
    day: '2026-02-24',
    cost: '3.000000001',
    tags: { service: 'web' },
    resource: 'b',
    service: 'S3',
  },
  {
    day: '2026-03-01',
    cost: '1.5',
    tags: { service: 'api' },
    resource: 'i-api',
  },
  {
    day: '2026-03-03',
    cost: '30.123456789',
    tags: { service: 'api' },
    resource: 'i-api',
  },
  {
    day: '2026-03-04',
    cost: '2.25',
    tags: { service: 'web' },
    resource: 'b',
    service: 'S3',
  },
  {
    day: '2026-03-20',
    cost: '7',
    tags: { service: 'pay' },
    resource: 'p',
    effective: '6.5',
  },
  { day: '2026-03-31', cost: '1', resource: 'i-orphan' },
];

describe('digests', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'agree with the summary, budget, recommendation and chargeback routes to the nano-unit on %p',
    async id => {
      const knex = await databases.init(id);
      const backend = await startApiBackend(knex, {
        organisation: { entities, rows, groups },
      });
      await seedRecommendation(knex);
      const api = request(backend.server);
      const get = async (url: string) => {
        const response = await api
          .get(`/api/costscope${url}`)
          .set('Authorization', as(MEMBER));
        expect(response.status).toBe(200);
        return response.body;
      };
      // A budget that March's spend has gone over.
      const put = await api
        .put('/api/costscope/v1/entities/component/default/api/budget')
        .set('Authorization', as(MEMBER))
        .send({ amount: '25', period: 'monthly', currency: 'USD' });
      expect(put.status).toBe(200);

      // Orders of api: 3 in February, 7 in March.
      const orders = await api
        .post('/api/costscope/v1/metrics')
        .set('Authorization', mockCredentials.service.header())
        .send({
          metrics: [
            {
              entityRef: 'component:default/api',
              metric: 'orders',
              values: [
                { date: '2026-02-10', value: '3' },
                { date: '2026-03-03', value: '7' },
              ],
            },
          ],
        });
      expect(orders.status).toBe(200);

      const team = '/v1/entities/group/default/team-a';
      const month: CostDigest = await get(
        `${team}/digest?period=month&date=2026-03-15`,
      );
      const march = await get(`${team}/summary?from=2026-03-01&to=2026-03-31`);
      const february = await get(
        `${team}/summary?from=2026-02-01&to=2026-02-28`,
      );
      const lastMarch = await get(
        `${team}/summary?from=2025-03-01&to=2025-03-31`,
      );
      expect(month).toMatchObject({
        entityRef: 'group:default/team-a',
        period: 'month',
        from: '2026-03-01',
        to: '2026-03-31',
        costBasis: 'effective',
        currency: 'USD',
        total: march.total,
        previous: {
          from: '2026-02-01',
          to: '2026-02-28',
          total: february.total,
        },
        lastYear: {
          from: '2025-03-01',
          to: '2025-03-31',
          total: lastMarch.total,
        },
      });
      // By hand: api 1.5 + 30.123456789, web 2.25; February api 20.25, web 3.000000001.
      expect(month.total).toBe('33.873456789');
      expect(month.change).toBe(
        nanosToMoney(
          moneyToNanos('33.873456789') - moneyToNanos('23.250000001'),
        ),
      );
      expect(month.lastYear?.change).toBe('29.373456789');
      expect(month.topEntities.map(item => [item.key, item.cost])).toEqual(
        [...march.byEntity]
          .sort((a: any, b: any) => Number(b.cost) - Number(a.cost))
          .map((item: any) => [item.key, item.cost]),
      );
      const previousOf = (key: string) =>
        month.topEntities.find(item => item.key === key)?.previousCost;
      expect(previousOf('component:default/api')).toBe('20.250000000');
      expect(previousOf('component:default/web')).toBe('3.000000001');
      expect(
        month.topServices.reduce((sum, item) => addMoney(sum, item.cost), '0'),
      ).toBe(month.total);

      // Budgets, tips and chargeback as their own routes tell them.
      const budget = await get('/v1/entities/component/default/api/budget');
      expect(month.budgetsAtRisk).toEqual([
        {
          entityRef: 'component:default/api',
          state: budget.status.state,
          amount: budget.status.budget.amount,
          spent: budget.status.spent,
          forecast: budget.status.forecast.amount,
          percentUsed: budget.status.percentUsed,
          period: budget.status.period,
        },
      ]);
      expect(budget.status.state).toBe('over');
      const tips = await get(`${team}/recommendations`);
      expect(month.savings).toEqual({
        openCount: tips.items.length,
        monthlySaving: tips.totalMonthlySaving,
        top: [
          expect.objectContaining({
            id: tips.items[0].id,
            monthlySaving: tips.items[0].monthlySaving,
          }),
        ],
      });
      const chargeback = await get(
        '/v1/chargeback?from=2026-03-01&to=2026-03-31',
      );
      const teamLines = chargeback.lines.filter(
        (line: any) => line.owner === 'group:default/team-a',
      );
      expect(month.chargeback?.total).toBe(
        teamLines.reduce(
          (sum: string, line: any) => addMoney(sum, line.cost),
          '0',
        ),
      );
      expect(month.compliance).toBeNull();
      // Cost per order as the unit cost route divides it: March 31.623456789 / 7, February
      // 20.25 / 3, each rounded half to even to 9 digits.
      const unitCostOf = async (from: string, to: string) =>
        (
          await get(
            `/v1/entities/component/default/api/unit-cost?from=${from}&to=${to}&metric=orders`,
          )
        ).total.unitCost;
      expect(month.unitCosts).toEqual([
        {
          entityRef: 'component:default/api',
          metric: 'orders',
          unit: 'order',
          unitCost: await unitCostOf('2026-03-01', '2026-03-31'),
          previousUnitCost: await unitCostOf('2026-02-01', '2026-02-28'),
          change: nanosToMoney(4_517_636_684n - 6_750_000_000n),
        },
      ]);
      expect(month.unitCosts[0].unitCost).toBe('4.517636684');
      // Only api reports orders: the team's own cost per order is api's, as the route says.
      const teamUnitCost = await get(
        `${team}/unit-cost?from=2026-03-01&to=2026-03-31&metric=orders`,
      );
      expect(teamUnitCost).toMatchObject({
        rolledUp: true,
        reportingEntities: 1,
      });
      expect(month.ownUnitCosts).toEqual([
        {
          ...month.unitCosts[0],
          entityRef: 'group:default/team-a',
          unitCost: teamUnitCost.total.unitCost,
          reportingEntities: 1,
        },
      ]);
      // No Compute usage at all: nothing is known of commitments.
      expect(month).not.toHaveProperty('commitments');

      // A week, on the billed basis.
      const week: CostDigest = await get(
        `${team}/digest?period=week&date=2026-03-04&costBasis=billed`,
      );
      const weekSummary = await get(
        `${team}/summary?from=2026-03-02&to=2026-03-08&costBasis=billed`,
      );
      const weekBefore = await get(
        `${team}/summary?from=2026-02-23&to=2026-03-01&costBasis=billed`,
      );
      expect(week).toMatchObject({
        from: '2026-03-02',
        to: '2026-03-08',
        costBasis: 'billed',
        total: weekSummary.total,
        previous: { total: weekBefore.total },
      });
      expect(week.chargeback).toBeUndefined();
      // Data reaches back to 2025-03-01: that week of last year is known to have cost nothing.
      expect(week.lastYear).toEqual({
        from: '2025-03-03',
        to: '2025-03-09',
        total: '0.000000000',
        change: week.total,
      });

      // The latest complete period: data ends on 2026-03-31, so March.
      const latest: CostDigest = await get(`${team}/digest?period=month`);
      expect(latest.from).toBe('2026-03-01');
    },
  );

  /*
   * Commitments worked by hand (the March of service/commitments.test.ts, its usage split over
   * two teams). A Compute Savings Plan (fee 12.00) covers api's (team-a) and web's (team-b)
   * compute; web also runs 2.00 on demand and 1.00 of storage; 1.20 goes unused and is
   * allocated to team-b (costscope.commitments.unusedOwner).
   *
   *   team-a: eligible list 10.00, covered 10.00, amortized 7.20: coverage 1,
   *           savings rate (10 - 7.20) / 10 = 0.28
   *   team-b: eligible list 7.00, covered 5.00, amortized 5.60, unused 1.20: coverage
   *           5/7 = 0.714285, savings rate (7 - 5.60 - 1.20) / 7 = 0.028571
   *   organisation: coverage 15/17 = 0.882352, utilization 10.80 / 12.00 = 0.9, unused 1.20,
   *           savings rate 3/17 = 0.176470
   *
   * April: api 4.00 list covered at 3.00, 1.00 unused: team-a coverage 1, rate 0.25,
   * utilization 0.75; team-b has no eligible usage, so its digest says nothing of commitments.
   */
  it.each(databases.eachSupportedId())(
    'tell monthly commitment coverage as the commitments route and a hand calculation on %p',
    async id => {
      const knex = await databases.init(id);
      const plan = 'arn:aws:savingsplans::999988887777:savingsplan/sp-1';
      const compute = { serviceCategory: 'Compute' };
      const backend = await startApiBackend(knex, {
        organisation: {
          entities,
          groups: {
            [MEMBER]: ['group:default/team-a', 'group:default/team-b'],
          },
          rows: [
            {
              day: '2026-03-01',
              cost: '0',
              effective: '7.20',
              list: '10.00',
              ...compute,
              commitment: { id: plan, status: 'Used' },
              tags: { service: 'api' },
              resource: 'i-api',
            },
            {
              day: '2026-03-02',
              cost: '0',
              effective: '3.60',
              list: '5.00',
              ...compute,
              commitment: { id: plan, status: 'Used' },
              tags: { service: 'pay' },
              resource: 'i-pay',
            },
            {
              day: '2026-03-02',
              cost: '2.00',
              ...compute,
              tags: { service: 'pay' },
              resource: 'i-pay-2',
            },
            {
              day: '2026-03-02',
              cost: '1.00',
              serviceCategory: 'Storage',
              service: 'Amazon Simple Storage Service',
              tags: { service: 'pay' },
              resource: 'bucket',
            },
            {
              day: '2026-03-31',
              cost: '0',
              effective: '1.20',
              list: '0',
              commitment: { id: plan, status: 'Unused' },
              service: 'AWS Savings Plans for Compute usage',
              resource: plan,
            },
            {
              day: '2026-03-01',
              cost: '12.00',
              effective: '0',
              list: '0',
              category: 'Purchase',
              commitment: { id: plan },
              service: 'AWS Savings Plans for Compute usage',
              resource: plan,
            },
            {
              day: '2026-04-10',
              cost: '0',
              effective: '3.00',
              list: '4.00',
              ...compute,
              commitment: { id: plan, status: 'Used' },
              tags: { service: 'api' },
              resource: 'i-api',
            },
            {
              day: '2026-04-30',
              cost: '0',
              effective: '1.00',
              list: '0',
              commitment: { id: plan, status: 'Unused' },
              service: 'AWS Savings Plans for Compute usage',
              resource: plan,
            },
          ],
        },
        costscope: { commitments: { unusedOwner: 'team-b' } },
        // The outsider may read team-a's cost but not the organisation's overview.
        allow: (permission, user) =>
          user !== OUTSIDER ||
          !['costscope.overview.read', 'costscope.admin'].includes(permission),
      });
      const get = okBodyOf(backend);
      const digestOf = (team: string, date: string): Promise<CostDigest> =>
        get(
          `/v1/entities/group/default/${team}/digest?period=month&date=${date}`,
        );
      const organisation = async (month: string) => {
        const [m] = (
          await get(
            `/v1/commitments?from=${month}-01&to=${month}-${
              month === '2026-03' ? '31' : '30'
            }`,
          )
        ).months;
        return {
          coverage: m.coverage,
          utilization: m.utilization,
          usedCommitmentCost: m.usedCommitmentCost,
          unusedCommitmentCost: m.unusedCommitmentCost,
          effectiveSavingsRate: m.effectiveSavingsRate,
        };
      };
      const march = await organisation('2026-03');
      expect(march).toEqual({
        coverage: 0.882352,
        utilization: 0.9,
        usedCommitmentCost: '10.800000000',
        unusedCommitmentCost: '1.200000000',
        effectiveSavingsRate: 0.17647,
      });

      expect((await digestOf('team-a', '2026-03-15')).commitments).toEqual({
        month: '2026-03',
        eligibleListCost: '10.000000000',
        coveredListCost: '10.000000000',
        eligibleEffectiveCost: '7.200000000',
        coverage: 1,
        effectiveSavingsRate: 0.28,
        organisation: march,
      });
      expect((await digestOf('team-b', '2026-03-15')).commitments).toEqual({
        month: '2026-03',
        eligibleListCost: '7.000000000',
        coveredListCost: '5.000000000',
        eligibleEffectiveCost: '5.600000000',
        coverage: 0.714285,
        effectiveSavingsRate: 0.028571,
        organisation: march,
      });
      // Without costscope.overview.read, the team's own figures and nothing of the organisation.
      const { organisation: _org, ...own } = (
        await digestOf('team-a', '2026-03-15')
      ).commitments!;
      expect(
        (
          await okBodyOf(
            backend,
            OUTSIDER,
          )(
            '/v1/entities/group/default/team-a/digest?period=month&date=2026-03-15',
          )
        ).commitments,
      ).toEqual(own);
      const april = await organisation('2026-04');
      expect(april).toMatchObject({
        utilization: 0.75,
        unusedCommitmentCost: '1.000000000',
      });
      expect((await digestOf('team-a', '2026-04-15')).commitments).toEqual({
        month: '2026-04',
        eligibleListCost: '4.000000000',
        coveredListCost: '4.000000000',
        eligibleEffectiveCost: '3.000000000',
        coverage: 1,
        effectiveSavingsRate: 0.25,
        organisation: april,
      });
      // No eligible usage: absent, not zero.
      const teamBApril = await digestOf('team-b', '2026-04-15');
      expect(teamBApril).not.toHaveProperty('commitments');
      // Weeks say nothing of commitments.
      const week: CostDigest = await get(
        '/v1/entities/group/default/team-a/digest?period=week&date=2026-03-04',
      );
      expect(week).not.toHaveProperty('commitments');
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses bad requests and unknown entities on %p',
    async id => {
      const knex = await databases.init(id);
      const backend = await startApiBackend(knex, {
        organisation: { entities, rows, groups },
      });
      const status = async (url: string) =>
        (
          await request(backend.server)
            .get(`/api/costscope${url}`)
            .set('Authorization', as(MEMBER))
        ).status;
      const team = '/v1/entities/group/default/team-a/digest';
      expect(await status(`${team}?period=day`)).toBe(400);
      expect(await status(`${team}?date=2026-02-30`)).toBe(400);
      expect(await status(`${team}?date=2999-01-01`)).toBe(400);
      expect(await status(`${team}?costBasis=amortised`)).toBe(400);
      expect(await status('/v1/entities/group/default/nobody/digest')).toBe(
        404,
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'go out after the allocation once due, one per team, as notifications on %p',
    async id => {
      const knex = await databases.init(id);
      // Cost on the first and last day of the week whose digest is due now.
      const schedule = {
        period: 'week' as const,
        day: 1,
        time: '00:00',
        timeZone: 'UTC',
      };
      const due = latestDueDigest(schedule, new Date());
      const dayBefore = fromEpochDay(toEpochDay(due.range.from) - 1);
      const sent: any[] = [];
      const backend = await startApiBackend(knex, {
        organisation: {
          entities,
          groups,
          rows: [
            {
              day: dayBefore,
              cost: '1',
              tags: { service: 'api' },
              resource: 'i-api',
            },
            {
              day: due.range.from,
              cost: '2.5',
              tags: { service: 'api' },
              resource: 'i-api',
            },
            {
              day: due.range.to,
              cost: '4',
              tags: { service: 'pay' },
              resource: 'p',
            },
          ],
        },
        costscope: {
          digests: { weekly: { day: 'monday', time: '00:00' } },
        },
        notifications: { send: async options => void sent.push(options) },
      });
      // Digests go out after the allocation, without holding up the ingest run.
      for (let i = 0; i < 100 && sent.length < 2; i++) {
        await new Promise(resolve => setTimeout(resolve, 50));
      }
      expect(sent).toHaveLength(2);
      const byRecipient = new Map(
        sent.map(options => [options.recipients.entityRef[0], options]),
      );
      expect([...byRecipient.keys()].sort()).toEqual([
        'group:default/team-a',
        'group:default/team-b',
      ]);
      expect(sent).toHaveLength(2);
      const teamA = byRecipient.get('group:default/team-a');
      expect(teamA.payload).toMatchObject({
        title: 'Weekly cost digest: team-a',
        topic: 'Costscope digests',
        link: `/catalog/default/group/team-a/cost?review=week&date=${due.range.from}`,
        scope: `costscope:digest:group:default/team-a:week:${due.range.from}`,
      });
      expect(teamA.payload.description).toMatch(
        /^\$2\.50 \(effective\) in the week of/,
      );

      // The next ingest allocates again: nothing is sent twice.
      const again = await request(backend.server)
        .post('/api/costscope/v1/ingest')
        .set('Authorization', mockCredentials.service.header())
        .send({});
      expect(again.status).toBe(200);
      await new Promise(resolve => setTimeout(resolve, 500));
      expect(sent).toHaveLength(2);
      const stored = await knex('costscope_digests').orderBy('entity_ref');
      expect(stored.map(row => [row.entity_ref, row.period_from])).toEqual([
        ['group:default/team-a', due.range.from],
        ['group:default/team-b', due.range.from],
      ]);
    },
  );
});
