import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  CommitmentReport,
  costscopeCommitmentReportSourcesExtensionPoint,
} from '@costscope/backstage-plugin-node';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { entity } from '../__testUtils__/entities';
import { as, MEMBER, startApiBackend } from '../__testUtils__/apiBackend';
import { FocusRow } from '../__testUtils__/focus';

jest.setTimeout(60_000);

const PLAN = 'arn:aws:savingsplans::999988887777:savingsplan/sp-1';

/*
 * Worked by hand. March: a Compute Savings Plan (fee 12.00) covers usage of api and web at
 * 28 % below list; 1.20 of it goes unused. web also runs 2.00 of compute on demand, and 1.00 of
 * storage that no Savings Plan could cover.
 *
 *   line                       billed  effective   list  eligible
 *   api: covered compute         0.00      7.20   10.00  yes (Used)
 *   web: covered compute         0.00      3.60    5.00  yes (Used)
 *   web: on-demand compute       2.00      2.00    2.00  yes
 *   web: storage                 1.00      1.00    1.00  no
 *   unused commitment            0.00      1.20    0.00  no (Unused)
 *   Savings Plan fee (Purchase) 12.00      0.00    0.00  no
 *
 * eligible list 17.00, covered list 15.00, eligible amortized 12.80, used 10.80, unused 1.20:
 * coverage 15/17 = 0.882352 (6 places, cut), utilization 10.80/12.00 = 0.9, effective savings
 * rate (17.00 - 12.80 - 1.20)/17.00 = 3/17 = 0.176470.
 *
 * April, written as FOCUS 1.0 (ChargeSubcategory, no status): 4.00 list covered at 3.00 and 1.00
 * unused: coverage 1, utilization 0.75, rate (4 - 3 - 1)/4 = 0. May has no data.
 */
const compute = { serviceCategory: 'Compute' };
const rows: FocusRow[] = [
  {
    day: '2026-03-01',
    cost: '0',
    effective: '7.20',
    list: '10.00',
    ...compute,
    commitment: { id: PLAN, status: 'Used' },
    tags: { service: 'api' },
    resource: 'i-api',
  },
  {
    day: '2026-03-02',
    cost: '0',
    effective: '3.60',
    list: '5.00',
    ...compute,
    commitment: { id: PLAN, status: 'used' },
    tags: { service: 'web' },
    resource: 'i-web',
  },
  {
    day: '2026-03-02',
    cost: '2.00',
    ...compute,
    tags: { service: 'web' },
    resource: 'i-web-2',
  },
  {
    day: '2026-03-02',
    cost: '1.00',
    serviceCategory: 'Storage',
    service: 'Amazon Simple Storage Service',
    tags: { service: 'web' },
    resource: 'bucket',
  },
  {
    day: '2026-03-31',
    cost: '0',
    effective: '1.20',
    list: '0',
    commitment: { id: PLAN, status: 'Unused' },
    service: 'AWS Savings Plans for Compute usage',
    resource: PLAN,
  },
  {
    day: '2026-03-01',
    cost: '12.00',
    effective: '0',
    list: '0',
    category: 'Purchase',
    commitment: { id: PLAN },
    service: 'AWS Savings Plans for Compute usage',
    resource: PLAN,
  },
  {
    day: '2026-04-10',
    cost: '0',
    effective: '3.00',
    list: '4.00',
    ...compute,
    commitment: { id: PLAN },
    subcategory: 'Used Commitment',
    tags: { service: 'api' },
    resource: 'i-api',
  },
  {
    day: '2026-04-30',
    cost: '0',
    effective: '1.00',
    list: '0',
    commitment: { id: PLAN },
    subcategory: 'Unused Commitment',
    resource: PLAN,
  },
];

const organisation = {
  entities: [
    entity('Group', 'team-a', { type: 'team', children: [] }),
    entity('Component', 'api', { owner: 'team-a' }),
    entity('Component', 'web', { owner: 'team-a' }),
  ],
  rows,
  groups: { [MEMBER]: ['group:default/team-a'] },
};

describe('GET /v1/commitments', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'gives coverage, utilization and savings rate as the hand calculation says on %p',
    async id => {
      const knex = await databases.init(id);
      const backend = await startApiBackend(knex, { organisation });
      try {
        const response = await request(backend.server)
          .get('/api/costscope/v1/commitments?from=2026-03-01&to=2026-05-31')
          .set('Authorization', as(MEMBER));
        expect(response.status).toBe(200);
        expect(response.body).toEqual({
          currency: 'USD',
          from: '2026-03-01',
          to: '2026-05-31',
          reported: [],
          months: [
            {
              month: '2026-03',
              eligibleListCost: '17.000000000',
              coveredListCost: '15.000000000',
              eligibleEffectiveCost: '12.800000000',
              usedCommitmentCost: '10.800000000',
              unusedCommitmentCost: '1.200000000',
              coverage: 0.882352,
              utilization: 0.9,
              effectiveSavingsRate: 0.17647,
            },
            {
              month: '2026-04',
              eligibleListCost: '4.000000000',
              coveredListCost: '4.000000000',
              eligibleEffectiveCost: '3.000000000',
              usedCommitmentCost: '3.000000000',
              unusedCommitmentCost: '1.000000000',
              coverage: 1,
              utilization: 0.75,
              effectiveSavingsRate: 0,
            },
            {
              month: '2026-05',
              eligibleListCost: '0.000000000',
              coveredListCost: '0.000000000',
              eligibleEffectiveCost: '0.000000000',
              usedCommitmentCost: '0.000000000',
              unusedCommitmentCost: '0.000000000',
              coverage: null,
              utilization: null,
              effectiveSavingsRate: null,
            },
          ],
        });

        // The bill still reconciles: billed and amortized March totals are both 15.00, by
        // charge category too.
        for (const basis of ['billed', 'effective']) {
          const overview = await request(backend.server)
            .get(
              `/api/costscope/v1/overview?from=2026-03-01&to=2026-03-31&costBasis=${basis}`,
            )
            .set('Authorization', as(MEMBER));
          expect(overview.body.total).toBe('15.000000000');
          // The fee apart from usage: a Purchase line, billed only.
          expect(
            overview.body.byChargeCategory.map((l: any) => [l.key, l.cost]),
          ).toEqual(
            basis === 'billed'
              ? [
                  ['Purchase', '12.000000000'],
                  ['Usage', '3.000000000'],
                ]
              : [
                  ['Usage', '15.000000000'],
                  ['Purchase', '0.000000000'],
                ],
          );
        }
        const web = await request(backend.server)
          .get(
            '/api/costscope/v1/entities/component/default/web/summary?from=2026-03-01&to=2026-03-31&costBasis=effective',
          )
          .set('Authorization', as(MEMBER));
        expect(web.body.byChargeCategory).toEqual([
          { key: 'Usage', cost: '6.600000000', share: 1 },
        ]);

        const reversed = await request(backend.server)
          .get('/api/costscope/v1/commitments?from=2026-05-01&to=2026-03-01')
          .set('Authorization', as(MEMBER));
        expect(reversed.status).toBe(400);
        expect(reversed.body.error.message).toMatch(/from .* is after to/);
      } finally {
        await backend.stop();
      }
    },
  );
});

/** The month `n` months before the one of `day` (YYYY-MM-DD), as YYYY-MM. */
function monthBefore(day: string, n: number): string {
  const d = new Date(
    Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1 - n, 1),
  );
  return d.toISOString().slice(0, 7);
}

/*
 * A provider's own report, worked by hand, for the last two months of whatever range the
 * engine asks for (the range ends today), which the bill of March to May 2026 does not have:
 * Savings Plans the month before: 15.00 of 17.00 covered (0.882352), 10.80 of 12.00 used
 * (0.9), 1.20 unused, 3.00 saved; this month 0 of 4.00 covered and no utilization reported.
 * Reservations the month before: 1.00 of 3.00 covered (0.333333).
 */
describe('GET /v1/commitments with a commitment report source', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'adds what the provider reported, also months the facts lack, and keeps it when a refresh fails on %p',
    async id => {
      const knex = await databases.init(id);
      let fail = false;
      const reports = (to: string): CommitmentReport[] => [
        {
          provider: 'AWS',
          commitmentType: 'SavingsPlans',
          currency: 'USD',
          months: [
            { month: monthBefore(to, 0), coveredCost: '0', eligibleCost: '4' },
            {
              month: monthBefore(to, 1),
              coveredCost: '15.00',
              eligibleCost: '17.00',
              usedCommitment: '10.80',
              purchasedCommitment: '12.00',
              unusedCommitment: '1.20',
              netSavings: '3.00',
            },
          ],
        },
        {
          provider: 'AWS',
          commitmentType: 'Reservations',
          currency: 'USD',
          months: [
            { month: monthBefore(to, 1), coveredCost: '1', eligibleCost: '3' },
          ],
        },
      ];
      let asked = { from: '', to: '' };
      const module = createBackendModule({
        pluginId: 'costscope',
        moduleId: 'test-commitments',
        register(reg) {
          reg.registerInit({
            deps: { sources: costscopeCommitmentReportSourcesExtensionPoint },
            async init({ sources }) {
              sources.addCommitmentReportSource({
                id: 'test-ce',
                provider: 'AWS',
                schedule: {
                  frequency: { hours: 24 },
                  timeout: { minutes: 1 },
                  initialDelay: { hours: 1 },
                },
                read: async context => {
                  asked = { from: context.from, to: context.to };
                  context.apiCall('ce:GetSavingsPlansCoverage', '0.01');
                  if (fail)
                    throw new Error('LimitExceededException: slow down');
                  return reports(context.to);
                },
              });
            },
          });
        },
      });
      const backend = await startApiBackend(knex, {
        organisation,
        features: [module],
      });
      try {
        const run = await request(backend.server)
          .post('/api/costscope/v1/ingest')
          .set('Authorization', as(MEMBER))
          .send({ sourceId: 'test-ce' });
        expect(run.status).toBe(200);
        expect(run.body.runs[0]).toMatchObject({
          sourceId: 'test-ce',
          kind: 'commitments',
          status: 'succeeded',
          factsWritten: 3,
          apiCostUsd: '0.010000000',
        });
        const last = monthBefore(asked.to, 0);
        const before = monthBefore(asked.to, 1);
        const expected = [
          {
            sourceId: 'test-ce',
            provider: 'AWS',
            commitmentType: 'Reservations',
            currency: 'USD',
            months: [
              {
                month: before,
                coveredCost: '1.000000000',
                eligibleCost: '3.000000000',
                coverage: 0.333333,
                usedCommitmentCost: null,
                purchasedCommitmentCost: null,
                unusedCommitmentCost: null,
                utilization: null,
                netSavings: null,
              },
            ],
          },
          {
            sourceId: 'test-ce',
            provider: 'AWS',
            commitmentType: 'SavingsPlans',
            currency: 'USD',
            months: [
              {
                month: before,
                coveredCost: '15.000000000',
                eligibleCost: '17.000000000',
                coverage: 0.882352,
                usedCommitmentCost: '10.800000000',
                purchasedCommitmentCost: '12.000000000',
                unusedCommitmentCost: '1.200000000',
                utilization: 0.9,
                netSavings: '3.000000000',
              },
              {
                month: last,
                coveredCost: '0.000000000',
                eligibleCost: '4.000000000',
                coverage: 0,
                usedCommitmentCost: null,
                purchasedCommitmentCost: null,
                unusedCommitmentCost: null,
                utilization: null,
                netSavings: null,
              },
            ],
          },
        ];
        const range = `from=${before}-01&to=${asked.to}`;
        const read = async () => {
          const response = await request(backend.server)
            .get(`/api/costscope/v1/commitments?${range}`)
            .set('Authorization', as(MEMBER));
          expect(response.status).toBe(200);
          return response.body;
        };
        const body = await read();
        expect(body.reported).toEqual(expected);
        // The facts have nothing in these months: the derived table is zeros.
        expect(body.months.map((m: any) => m.coverage)).toEqual([null, null]);

        // A failing refresh is recorded and the earlier figures stay.
        fail = true;
        const failed = await request(backend.server)
          .post('/api/costscope/v1/ingest')
          .set('Authorization', as(MEMBER))
          .send({ sourceId: 'test-ce' });
        expect(failed.body.runs[0]).toMatchObject({
          status: 'failed',
          error: expect.stringContaining('LimitExceededException'),
        });
        expect((await read()).reported).toEqual(expected);

        // A range before the reports: nothing reported, and the bill's months answer as before.
        const march = await request(backend.server)
          .get('/api/costscope/v1/commitments?from=2026-03-01&to=2026-03-31')
          .set('Authorization', as(MEMBER));
        expect(march.body.reported).toEqual([]);
        expect(march.body.months[0].coverage).toBe(0.882352);
      } finally {
        await backend.stop();
      }
    },
  );
});
