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
