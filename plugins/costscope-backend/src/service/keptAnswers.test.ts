import { gunzipSync } from 'node:zlib';
import request from 'supertest';
import {
  AuthorizeResult,
  isResourcePermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { NOT_VISIBLE_KEY } from '@costscope/backstage-plugin-common';
import {
  as,
  entities,
  GROUPS,
  MEMBER,
  startApiBackend,
} from '../__testUtils__/apiBackend';
import { createTestDatabases } from '../__testUtils__/databases';
import { defaultRange } from '../lib/dates';
import {
  costscopeConditions,
  createCostscopeConditionalDecision,
} from '../permissions/rules';
import { CostQueries } from '../store/CostQueries';

jest.setTimeout(120_000);

/** May read cost of every entity but components (a Costscope condition). */
const NO_COMPONENTS = 'user:default/rita';

describe('first visits read the answers kept at rebuild time', () => {
  const databases = createTestDatabases();

  /**
   * The API on a bill in the range pages open on today, so that the ingest's rebuild keeps
   * its summaries and reports; NO_COMPONENTS may not see components.
   */
  async function started(id: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(id);
    const { from, to } = defaultRange(new Date());
    const backend = await startApiBackend(knex, {
      organisation: {
        entities,
        groups: { ...GROUPS, [NO_COMPONENTS]: ['group:default/team-a'] },
        rows: [
          { day: to, cost: '4.5', tags: { service: 'api' }, resource: 'i-1' },
          { day: from, cost: '2.25', tags: { service: 'web' }, resource: 'b' },
          { day: to, cost: '1', resource: 'i-orphan' },
        ],
      },
      policy: (permission, user) =>
        user === NO_COMPONENTS &&
        isResourcePermission(permission, 'catalog-entity')
          ? createCostscopeConditionalDecision(
              permission as ResourcePermission<'catalog-entity'>,
              {
                not: costscopeConditions.isEntityKind({ kinds: ['component'] }),
              },
            )
          : { result: AuthorizeResult.ALLOW },
    });
    return { knex, backend, from, to };
  }

  it.each(databases.eachSupportedId())(
    'serves the range pages open on from the kept summary to a caller who sees everything, and live to one who does not, on %p',
    async id => {
      const { knex, backend, from, to } = await started(id);
      const kept = await knex('costscope_kept_summaries')
        .where({ entity_ref: 'group:default/team-a' })
        .first();
      expect(kept).toMatchObject({
        cost_basis: 'effective',
        range_from: from,
        range_to: to,
      });

      const rollupReads: string[] = [];
      knex.on('query', ({ sql }: { sql: string }) => {
        if (/costscope_rollup_daily/i.test(sql)) rollupReads.push(sql);
      });
      const summaryOf = (user: string, query = '') =>
        request(backend.server)
          .get(
            `/api/costscope/v1/entities/group/default/team-a/summary${query}`,
          )
          .set('Authorization', as(user));

      const open = await summaryOf(MEMBER);
      expect(open.status).toBe(200);
      expect(open.headers['content-encoding']).toBe('gzip');
      expect(rollupReads).toEqual([]);
      const live = await new CostQueries(knex).summary(
        'group:default/team-a',
        { from, to },
        { currency: 'USD', costBasis: 'effective' },
      );
      expect(open.body).toEqual(live);
      expect(open.body.total).toBe('6.750000000');
      expect(open.body.byEntity.map((e: { key: string }) => e.key)).toEqual([
        'component:default/api',
        'component:default/web',
      ]);

      // Another basis is not kept: read live.
      rollupReads.length = 0;
      const billed = await summaryOf(MEMBER, '?costBasis=billed');
      expect(billed.body.total).toBe('6.750000000');
      expect(rollupReads.length).toBeGreaterThan(0);

      // A caller who may not see the components gets their cost as one line, never the kept
      // answer that names them.
      rollupReads.length = 0;
      const restricted = await summaryOf(NO_COMPONENTS);
      expect(restricted.status).toBe(200);
      expect(rollupReads.length).toBeGreaterThan(0);
      expect(restricted.body.total).toBe('6.750000000');
      expect(restricted.body.byEntity).toEqual([
        { key: NOT_VISIBLE_KEY, cost: '6.750000000', share: 1 },
      ]);
      expect(JSON.stringify(restricted.body)).not.toContain(
        'component:default/',
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'serves the compliance and the chargeback by team from the kept report to a caller who sees everything, and live to one who does not, on %p',
    async id => {
      const { knex, backend, from, to } = await started(id);
      const kept = await knex('costscope_kept_reports').orderBy('report');
      expect(kept).toMatchObject([
        { report: 'chargeback-group', range_from: from, range_to: to },
        { report: 'compliance', range_from: from, range_to: to },
      ]);

      // Compliance reads the facts, the chargeback the rollups: a kept report reads neither.
      const factReads: string[] = [];
      knex.on('query', ({ sql }: { sql: string }) => {
        if (/costscope_(cost_facts|rollup_daily)/i.test(sql)) {
          factReads.push(sql);
        }
      });
      const get = (user: string, path: string) =>
        request(backend.server)
          .get(`/api/costscope/v1/${path}`)
          .set('Authorization', as(user));

      for (const path of ['compliance', 'chargeback']) {
        factReads.length = 0;
        const open = await get(MEMBER, `${path}?from=${from}&to=${to}`);
        expect(open.status).toBe(200);
        expect(open.headers['content-type']).toMatch(/^application\/json/);
        expect(factReads).toEqual([]);
        const report = kept.find(row => row.report.startsWith(path));
        expect(open.body).toEqual(
          JSON.parse(gunzipSync(report.body_gzip).toString('utf8')),
        );
        // Sent as it was kept to a client that accepts gzip, inflated for one that does not.
        expect(open.headers['content-encoding']).toBe('gzip');
        expect(open.headers.vary).toMatch(/Accept-Encoding/i);
        const plain = await get(MEMBER, `${path}?from=${from}&to=${to}`).set(
          'Accept-Encoding',
          'identity',
        );
        expect(plain.headers['content-encoding']).toBeUndefined();
        expect(plain.body).toEqual(open.body);

        // Another basis is not kept: read live.
        factReads.length = 0;
        const billed = await get(
          MEMBER,
          `${path}?from=${from}&to=${to}&costBasis=billed`,
        );
        expect(billed.status).toBe(200);
        expect(factReads.length).toBeGreaterThan(0);

        // A caller who may not see the components is never given the kept report.
        factReads.length = 0;
        const restricted = await get(
          NO_COMPONENTS,
          `${path}?from=${from}&to=${to}`,
        );
        expect(restricted.status).toBe(200);
        expect(factReads.length).toBeGreaterThan(0);
        expect(restricted.body).not.toEqual(open.body);
        expect(JSON.stringify(restricted.body)).not.toContain(
          'component:default/',
        );
      }
      const compliance = (await get(MEMBER, `compliance?from=${from}&to=${to}`))
        .body;
      expect(compliance.cost.total).toBe('7.750000000');
      const chargeback = (await get(MEMBER, `chargeback?from=${from}&to=${to}`))
        .body;
      expect(chargeback.total).toBe('7.750000000');
    },
  );
});
