import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { addMoney } from '@costscope/backstage-plugin-common';
import request from 'supertest';
import { costscopePlugin } from './plugin';
import { createTestDatabases } from './__testUtils__/databases';
import { entity } from './__testUtils__/entities';
import { focusCsv, writeFocusDir } from './__testUtils__/focus';

jest.setTimeout(60_000);

const entities = [
  entity('Group', 'team-a', { type: 'team', children: [] }),
  entity('System', 'store', { owner: 'team-a' }),
  entity('Component', 'api', {
    owner: 'team-a',
    system: 'store',
    type: 'service',
  }),
  entity(
    'Component',
    'web',
    { owner: 'team-a', system: 'store', type: 'website' },
    {
      'costscope.io/cost-tags': 'app=web',
    },
  ),
  entity('Component', 'unmapped', { owner: 'team-a', type: 'service' }),
];

const rows = [
  {
    day: '2026-03-01',
    cost: '10.000000000001',
    tags: { service: 'api' },
    resource: 'i-api',
  },
  {
    day: '2026-03-02',
    cost: '5.5',
    tags: { service: 'api' },
    resource: 'i-api',
    service: 'Amazon RDS',
  },
  {
    day: '2026-03-02',
    cost: '2.25',
    tags: { app: 'web' },
    resource: 'cdn-1',
    region: 'eu-west-1',
  },
  { day: '2026-02-27', cost: '4', tags: { service: 'api' }, resource: 'i-api' },
  { day: '2026-03-03', cost: '1.5', resource: 'i-untagged' },
];

async function startBackend(
  knex: any,
  options: { permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY } = {},
) {
  const dir = await writeFocusDir({ 'focus.csv': focusCsv(rows) });
  return startTestBackend({
    features: [
      costscopePlugin,
      catalogServiceMock.factory({ entities }),
      mockServices.database.factory({ knex }),
      mockServices.permissions.factory({
        result: options.permission ?? AuthorizeResult.ALLOW,
      }),
      mockServices.rootConfig.factory({
        data: {
          costscope: {
            currency: 'USD',
            sources: [
              {
                id: 'files',
                type: 'focus',
                paths: [dir],
                // Far in the future: the test triggers ingestion itself.
                schedule: {
                  frequency: { hours: 24 },
                  timeout: { minutes: 5 },
                  initialDelay: { hours: 1 },
                },
              },
            ],
            allocation: {
              schedule: {
                frequency: { hours: 24 },
                timeout: { minutes: 5 },
                initialDelay: { hours: 1 },
              },
            },
          },
        },
      }),
    ],
  });
}

describe('costscope backend plugin', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'ingests on demand and serves costs on %p',
    async id => {
      const backend = await startBackend(await databases.init(id));
      const { server } = backend;
      try {
        const ingest = await request(server)
          .post('/api/costscope/v1/ingest')
          .send({});
        expect(ingest.status).toBe(200);
        expect(ingest.body.runs).toEqual([
          expect.objectContaining({
            sourceId: 'files',
            status: 'succeeded',
            rowsRead: 5,
            trigger: 'manual',
          }),
        ]);

        const range = { from: '2026-03-01', to: '2026-03-31' };
        const summary = await request(server)
          .get('/api/costscope/v1/entities/system/default/store/summary')
          .query(range);
        expect(summary.status).toBe(200);
        expect(summary.body).toMatchObject({
          entityRef: 'system:default/store',
          currency: 'USD',
          total: '17.750000000',
          previous: {
            from: '2026-01-29',
            to: '2026-02-28',
            total: '4.000000000',
          },
          change: '13.750000000',
          changeRatio: 3.4375,
        });
        expect(summary.body.byEntity).toEqual([
          {
            key: 'component:default/api',
            cost: '15.500000000',
            share: 0.873239,
          },
          { key: 'component:default/web', cost: '2.250000000', share: 0.12676 },
        ]);
        expect(
          addMoney(...summary.body.byService.map((s: any) => s.cost)),
        ).toBe(summary.body.total);
        expect(addMoney(...summary.body.byRegion.map((s: any) => s.cost))).toBe(
          summary.body.total,
        );

        const series = await request(server)
          .get('/api/costscope/v1/entities/component/default/api/series')
          .query({ ...range, groupBy: 'service' });
        expect(series.status).toBe(200);
        expect(series.body.points).toHaveLength(31);
        expect(series.body.keys).toEqual([
          'Amazon Elastic Compute Cloud',
          'Amazon RDS',
        ]);
        expect(series.body.points[1]).toEqual({
          date: '2026-03-02',
          total: '5.500000000',
          values: { 'Amazon RDS': '5.500000000' },
        });

        const resources = await request(server)
          .get('/api/costscope/v1/entities/group/default/team-a/resources')
          .query(range);
        expect(
          resources.body.resources.map((r: any) => [
            r.resourceId,
            r.cost,
            r.entityRef,
          ]),
        ).toEqual([
          ['i-api', '10.000000000', 'component:default/api'],
          ['i-api', '5.500000000', 'component:default/api'],
          ['cdn-1', '2.250000000', 'component:default/web'],
        ]);

        const overview = await request(server)
          .get('/api/costscope/v1/overview')
          .query(range);
        expect(overview.body).toMatchObject({
          total: '19.250000000',
          allocated: '17.750000000',
          unallocated: '1.500000000',
          dataThrough: '2026-03-03',
        });
        expect(overview.body.topUnallocatedResources[0]).toMatchObject({
          resourceId: 'i-untagged',
          cost: '1.500000000',
        });

        const empty = await request(server)
          .get('/api/costscope/v1/entities/component/default/unmapped/summary')
          .query(range);
        expect(empty.body.total).toBe('0.000000000');
        expect(empty.body.mappingRules).toEqual([
          {
            entityRef: 'component:default/unmapped',
            origin: 'convention',
            rule: 'service=unmapped',
            cost: '0.000000000',
          },
        ]);

        const runs = await request(server).get('/api/costscope/v1/ingest-runs');
        expect(runs.body.items).toHaveLength(1);
      } finally {
        await backend.stop();
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'answers bad requests with clear errors on %p',
    async id => {
      const backend = await startBackend(await databases.init(id));
      const { server } = backend;
      try {
        await request(server).post('/api/costscope/v1/ingest').send({});
        const base = '/api/costscope/v1/entities/component/default/api/summary';
        const cases: Array<[string, Record<string, string>, number, string]> = [
          [
            base,
            { from: '2026-3-1', to: '2026-03-31' },
            400,
            'from must be a date in the form YYYY-MM-DD',
          ],
          [
            base,
            { from: '2026-02-30', to: '2026-03-31' },
            400,
            "from '2026-02-30' is not a calendar date",
          ],
          [
            base,
            { from: '2026-03-31', to: '2026-03-01' },
            400,
            'from (2026-03-31) is after to (2026-03-01)',
          ],
          [
            base,
            { from: '2020-01-01', to: '2026-03-01' },
            400,
            'the range spans 2252 days; at most 1200 are allowed',
          ],
          [
            base.replace('summary', 'series'),
            { groupBy: 'colour' },
            400,
            'groupBy must be one of service, account, region, provider',
          ],
          [
            base.replace('summary', 'resources'),
            { limit: '-3' },
            400,
            'limit must be an integer from 1 to 1000',
          ],
          [
            '/api/costscope/v1/entities/component/default/nope/summary',
            {},
            404,
            'entity component:default/nope is not known to Costscope',
          ],
          [
            "/api/costscope/v1/entities/component/default/x'%3B drop table/summary",
            {},
            400,
            'entity name',
          ],
        ];
        for (const [path, query, status, message] of cases) {
          const response = await request(server).get(path).query(query);
          expect({ path, status: response.status }).toEqual({ path, status });
          expect(response.body.error.message).toContain(message);
        }
        const badSource = await request(server)
          .post('/api/costscope/v1/ingest')
          .send({ sourceId: 'other' });
        expect(badSource.status).toBe(400);
        expect(badSource.body.error.message).toBe(
          "unknown source 'other'; configured sources: files",
        );

        const unauthenticated = await request(server)
          .get('/api/costscope/v1/overview')
          .set('authorization', mockCredentials.none.header());
        expect(unauthenticated.status).toBe(401);
        const health = await request(server)
          .get('/api/costscope/health')
          .set('authorization', mockCredentials.none.header());
        expect(health.status).toBe(200);
      } finally {
        await backend.stop();
      }
    },
  );

  it('answers 403 when the permission policy denies', async () => {
    const knex = await databases.init('SQLITE_3');
    const backend = await startBackend(knex, {
      permission: AuthorizeResult.DENY,
    });
    const { server } = backend;
    try {
      const response = await request(server)
        .post('/api/costscope/v1/ingest')
        .send({});
      expect(response.status).toBe(403);
      expect(
        (await request(server).get('/api/costscope/v1/overview')).status,
      ).toBe(403);
    } finally {
      await backend.stop();
    }
  });
});
