import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { entity } from '../__testUtils__/entities';
import {
  as,
  MEMBER,
  startApiBackend,
  okBodyOf,
} from '../__testUtils__/apiBackend';
import { FocusRow } from '../__testUtils__/focus';

jest.setTimeout(60_000);

/*
 * Worked by hand. A Savings Plan of 12.00 a day covers 10.80 of two teams' usage (at its
 * rate); 1.20 of it is unused. FOCUS bills the fee (billed 12.00, effective 0), puts covered
 * usage at billed 0 with its amortized share as effective cost, and the unused part on a line
 * of its own (CommitmentDiscountStatus Unused, billed 0, effective 1.20). The unused line
 * carries the tag `team=team-a`, as AWS copies the plan's tags to it.
 *
 *   line                          billed    effective    list
 *   api (team-a): covered           0.00       7.20      10.00
 *   web (team-b): covered           0.00       3.60       5.00
 *   unused commitment               0.00       1.20       0.00
 *   Savings Plan fee               12.00       0.00       0.00
 *   total                          12.00      12.00      15.00
 *
 * With costscope.commitments.unusedOwner group:default/finops, effective: team-a 7.20,
 * team-b 3.60, finops 1.20, unallocated 0 (10.80 + 1.20 = 12.00, the bill). Without it the
 * unused part goes where its tag says: team-a 8.40.
 */
const sp = 'arn:aws:savingsplans::999988887777:savingsplan/sp-1';
const rows: FocusRow[] = [
  {
    day: '2026-03-01',
    cost: '0',
    effective: '7.20',
    list: '10.00',
    tags: { service: 'api' },
    resource: 'i-api',
    commitment: { id: sp, status: 'Used' },
  },
  {
    day: '2026-03-01',
    cost: '0',
    effective: '3.60',
    list: '5.00',
    tags: { service: 'web' },
    resource: 'i-web',
    commitment: { id: sp, status: 'Used' },
  },
  {
    day: '2026-03-01',
    cost: '0',
    effective: '1.20',
    list: '0',
    tags: { team: 'team-a' },
    service: 'AWS Savings Plans for Compute usage',
    resource: sp,
    commitment: { id: sp, status: 'Unused' },
  },
  {
    day: '2026-03-01',
    cost: '12.00',
    effective: '0',
    list: '0',
    category: 'Purchase',
    service: 'AWS Savings Plans for Compute usage',
    resource: sp,
    commitment: { id: sp },
  },
];

const organisation = {
  entities: [
    entity('Group', 'finops', { type: 'team', children: [] }),
    entity('Group', 'team-a', { type: 'team', children: [] }),
    entity('Group', 'team-b', { type: 'team', children: [] }),
    entity('Component', 'api', { owner: 'team-a' }),
    entity('Component', 'web', { owner: 'team-b' }),
  ],
  rows,
  groups: { [MEMBER]: ['group:default/team-a'] },
};

const RANGE = 'from=2026-03-01&to=2026-03-01';

describe('commitments and credits in the allocation', () => {
  const databases = createTestDatabases();

  async function totals(
    backend: Awaited<ReturnType<typeof startApiBackend>>,
    basis: string,
  ) {
    const get = okBodyOf(backend);
    const overview = await get(`/v1/overview?${RANGE}&costBasis=${basis}`);
    const team = async (name: string) =>
      (
        await get(
          `/v1/entities/group/default/${name}/summary?${RANGE}&costBasis=${basis}`,
        )
      ).total;
    return {
      total: overview.total,
      unallocated: overview.unallocated,
      finops: await team('finops'),
      teamA: await team('team-a'),
      teamB: await team('team-b'),
    };
  }

  it.each(databases.eachSupportedId())(
    'goes to the configured owner, on every basis, and the bill still adds up on %p',
    async id => {
      const knex = await databases.init(id);
      const backend = await startApiBackend(knex, {
        organisation,
        costscope: { commitments: { unusedOwner: 'finops' } },
      });
      expect(await totals(backend, 'effective')).toEqual({
        total: '12.000000000',
        unallocated: '0.000000000',
        finops: '1.200000000',
        teamA: '7.200000000',
        teamB: '3.600000000',
      });
      // On the billed basis the unused part is 0 and the fee is where the bill has it.
      expect(await totals(backend, 'billed')).toEqual({
        total: '12.000000000',
        unallocated: '12.000000000',
        finops: '0.000000000',
        teamA: '0.000000000',
        teamB: '0.000000000',
      });
      const finops = await request(backend.server)
        .get(`/api/costscope/v1/entities/group/default/finops/summary?${RANGE}`)
        .set('Authorization', as(MEMBER));
      expect(finops.body.mappingRules).toContainEqual({
        entityRef: 'group:default/finops',
        origin: 'commitment',
        rule: 'unused commitment',
        cost: '1.200000000',
      });
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'adds a Reserved Instance and a credit as the hand calculation says, on every basis, on %p',
    async id => {
      /*
       * The same day gains a Reserved Instance (fee 3.00, billed as a Purchase, amortized
       * into web's database it covers: billed 0, effective 3.00, list 4.50) and an untagged
       * account credit of -1.00 (no list price: it counts at its billed cost).
       *
       *   basis       team-a   team-b          finops   unallocated             total
       *   billed      0        0               0        12 + 3 - 1 = 14.00      14.00
       *   effective   7.20     3.60+3 = 6.60   1.20     -1.00                   14.00
       *   list        10.00    5+4.50 = 9.50   0        -1.00                   18.50
       */
      const ri = 'arn:aws:ec2:us-east-1:111122223333:reserved-instances/ri-1';
      const knex = await databases.init(id);
      const backend = await startApiBackend(knex, {
        organisation: {
          ...organisation,
          rows: [
            ...rows,
            {
              day: '2026-03-01',
              cost: '3.00',
              effective: '0',
              list: '0',
              category: 'Purchase',
              resource: ri,
              commitment: { id: ri },
            },
            {
              day: '2026-03-01',
              cost: '0',
              effective: '3.00',
              list: '4.50',
              tags: { service: 'web' },
              resource: 'db-web',
              commitment: { id: ri, status: 'Used' },
            },
            {
              day: '2026-03-01',
              cost: '-1.00',
              category: 'Credit',
              service: 'AWS Promotional Credit',
            },
          ],
        },
        costscope: { commitments: { unusedOwner: 'finops' } },
      });
      expect(await totals(backend, 'billed')).toEqual({
        total: '14.000000000',
        unallocated: '14.000000000',
        finops: '0.000000000',
        teamA: '0.000000000',
        teamB: '0.000000000',
      });
      expect(await totals(backend, 'effective')).toEqual({
        total: '14.000000000',
        unallocated: '-1.000000000',
        finops: '1.200000000',
        teamA: '7.200000000',
        teamB: '6.600000000',
      });
      expect(await totals(backend, 'list')).toEqual({
        total: '18.500000000',
        unallocated: '-1.000000000',
        finops: '0.000000000',
        teamA: '10.000000000',
        teamB: '9.500000000',
      });
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'goes where its tags say without an owner on %p',
    async id => {
      const knex = await databases.init(id);
      const backend = await startApiBackend(knex, { organisation });
      expect(await totals(backend, 'effective')).toEqual({
        total: '12.000000000',
        unallocated: '0.000000000',
        finops: '0.000000000',
        teamA: '8.400000000',
        teamB: '3.600000000',
      });
      await backend.stop();
    },
  );
});
