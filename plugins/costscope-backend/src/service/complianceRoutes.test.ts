import fs from 'node:fs/promises';
import path from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import { addMoney } from '@costscope/backstage-plugin-common';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { costscopePlugin } from '../plugin';
import { createTestDatabases } from '../__testUtils__/databases';
import { entity } from '../__testUtils__/entities';
import { focusCsv, writeFocusDir } from '../__testUtils__/focus';

jest.setTimeout(60_000);

const entities = [
  entity(
    'Group',
    'commerce',
    { type: 'team', children: ['team-a'] },
    { 'costscope.io/cost-center': 'CC-1100' },
  ),
  entity('Group', 'team-a', { type: 'team', parent: 'commerce', children: [] }),
  entity('Group', 'team-b', { type: 'team', children: [] }),
  entity('System', 'store', { owner: 'team-a' }),
  entity('Component', 'api', { owner: 'team-a', system: 'store' }),
  entity('Component', 'web', { owner: 'team-b' }),
  entity('Component', 'mesh', { owner: 'team-b' }),
];

// Billing: i-api carries only `service` in billing data, but the inventory has its team
// now; i-api-2 has a value the policy does not allow; the web bucket's service name has a
// comma, a quote and a line break; one line is unallocated, one is tax without a resource.
const rows = [
  {
    day: '2026-03-01',
    cost: '10.000000000001',
    tags: { service: 'api', env: 'prod' },
    resource: 'i-api',
  },
  {
    day: '2026-03-02',
    cost: '5.5',
    tags: { service: 'api', team: 'team-a', env: 'Prod' },
    resource: 'i-api-2',
  },
  {
    day: '2026-03-02',
    cost: '2.25',
    tags: { service: 'web', team: 'team-b', env: 'prod' },
    resource: 'bucket-web',
    service: 'Storage "Deluxe", tier\nB',
  },
  {
    day: '2026-02-27',
    cost: '4.125',
    tags: { service: 'mesh', team: 'team-b', env: 'prod' },
    resource: 'i-mesh',
  },
  {
    day: '2026-03-02',
    cost: '7.000000000009',
    tags: { owner: 'team-b' },
    resource: 'i-orphan',
  },
  { day: '2026-03-02', cost: '1.75', service: 'Tax' },
];

const inventory = {
  resources: [
    {
      provider: 'AWS',
      accountId: '111122223333',
      region: 'us-east-1',
      resourceId: 'i-api',
      kind: 'instance',
      tags: { service: 'api', env: 'prod', team: 'team-a' },
    },
  ],
};

const later = {
  frequency: { hours: 24 },
  timeout: { minutes: 5 },
  initialDelay: { hours: 1 },
};

async function startBackend(knex: any, sharedCost = 'own-line') {
  const dir = await writeFocusDir({ 'focus.csv': focusCsv(rows) });
  const inventoryFile = path.join(dir, 'inventory.json');
  await fs.writeFile(inventoryFile, JSON.stringify(inventory));
  const backend = await startTestBackend({
    features: [
      costscopePlugin,
      catalogServiceMock.factory({ entities }),
      mockServices.database.factory({ knex }),
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({ send: async () => {} }),
      }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://portal.test' },
          costscope: {
            currency: 'USD',
            sources: [
              // Inventory first: the cost source's ingest allocates with it in place.
              {
                id: 'inventory',
                type: 'inventory-file',
                path: inventoryFile,
                schedule: later,
              },
              { id: 'files', type: 'focus', paths: [dir], schedule: later },
            ],
            allocation: { schedule: later },
            alerts: { anomalies: { enabled: false } },
            tagPolicy: {
              requiredTags: [
                { key: 'team' },
                { key: 'env', allowedValues: ['prod', 'dev'] },
              ],
            },
            chargeback: {
              sharedCost,
              sharedEntities: ['component:default/mesh'],
            },
          },
        },
      }),
    ],
  });
  const ingest = await request(backend.server)
    .post('/api/costscope/v1/ingest')
    .set('Authorization', mockCredentials.service.header())
    .send({});
  expect(ingest.body.runs.map((run: any) => run.status)).toEqual([
    'succeeded',
    'succeeded',
  ]);
  return backend;
}

const user = mockCredentials.user.header('user:default/dana');
const range = { from: '2026-02-01', to: '2026-03-31' };

describe('compliance and chargeback routes', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'reports an entity’s compliance from inventory and billing tags on %p',
    async id => {
      const backend = await startBackend(await databases.init(id));
      try {
        const res = await request(backend.server)
          .get('/api/costscope/v1/entities/system/default/store/compliance')
          .query(range)
          .set('Authorization', user);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({
          entityRef: 'system:default/store',
          resources: { total: 2, compliant: 1 },
          cost: { total: '15.500000000', compliant: '10.000000000' },
          compliantShareByCount: 0.5,
          policy: { rules: [{ key: 'team' }, { key: 'env' }] },
        });
        expect(res.body.nonCompliant).toEqual([
          expect.objectContaining({
            resourceId: 'i-api-2',
            cost: '5.500000000',
            tagsUsed: 'billing',
            violations: [
              expect.objectContaining({ key: 'env', problem: 'case-mismatch' }),
            ],
          }),
        ]);
        // i-api complies on its current (inventory) tags; billing has not caught up.
        const api = await request(backend.server)
          .get('/api/costscope/v1/entities/component/default/api/compliance')
          .query(range)
          .set('Authorization', user);
        expect(api.body.resources).toEqual({ total: 2, compliant: 1 });

        const org = await request(backend.server)
          .get('/api/costscope/v1/compliance')
          .query(range)
          .set('Authorization', user);
        expect(org.status).toBe(200);
        expect(org.body.resources).toEqual({ total: 5, compliant: 3 });
        expect(org.body.trend.map((p: any) => p.month)).toEqual([
          '2026-02',
          '2026-03',
        ]);
        expect(org.body.unallocated.cost).toBe('8.750000000');
        expect(org.body.unallocated.top[0]).toMatchObject({
          resourceId: 'i-orphan',
          likelyOwner: { ownerRef: 'group:default/team-b' },
        });
      } finally {
        await backend.stop();
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'streams a chargeback CSV whose lines add up to the bill exactly on %p',
    async id => {
      const backend = await startBackend(await databases.init(id));
      try {
        const res = await request(backend.server)
          .get('/api/costscope/v1/chargeback.csv')
          .query({ ...range, by: 'group' })
          .set('Authorization', user);
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/csv/);
        expect(res.headers['content-disposition']).toContain(
          'costscope-chargeback-2026-02-01-2026-03-31-group.csv',
        );
        const records: string[][] = parse(res.text);
        expect(records[0]).toEqual([
          'month',
          'owner',
          'owner_name',
          'service',
          'kind',
          'cost',
          'currency',
          'cost_basis',
        ]);
        const body = records.slice(1, -1);
        const total = records.at(-1)!;
        expect(total.slice(4)).toEqual([
          'total',
          '30.625000000',
          'USD',
          'effective',
        ]);
        expect(addMoney(...body.map(r => r[5]))).toBe('30.625000000');
        // The awkward service name round-trips through a standard CSV parser.
        expect(body).toContainEqual([
          '2026-03',
          'group:default/team-b',
          'team-b',
          'Storage "Deluxe", tier\nB',
          'allocated',
          '2.250000000',
          'USD',
          'effective',
        ]);
        expect(body).toContainEqual([
          '2026-02',
          '',
          'Shared',
          'Amazon Elastic Compute Cloud',
          'shared',
          '4.125000000',
          'USD',
          'effective',
        ]);
        expect(body.filter(r => r[4] === 'unallocated').map(r => r[5])).toEqual(
          ['7.000000000', '1.750000000'],
        );

        // A named basis is in the file name and on every row; an unknown one is refused.
        const billed = await request(backend.server)
          .get('/api/costscope/v1/chargeback.csv')
          .query({ ...range, by: 'group', costBasis: 'billed' })
          .set('Authorization', user);
        expect(billed.status).toBe(200);
        expect(billed.headers['content-disposition']).toContain(
          'costscope-chargeback-2026-02-01-2026-03-31-group-billed.csv',
        );
        const billedRows: string[][] = parse(billed.text);
        expect(new Set(billedRows.slice(1).map(r => r[7]))).toEqual(
          new Set(['billed']),
        );
        const listBasis = await request(backend.server)
          .get('/api/costscope/v1/chargeback.csv')
          .query({ ...range, costBasis: 'amortised' })
          .set('Authorization', user);
        expect(listBasis.status).toBe(400);
        expect(listBasis.body.error.message).toBe(
          'costBasis must be one of effective, billed, list',
        );

        const byCostCenter = await request(backend.server)
          .get('/api/costscope/v1/chargeback')
          .query({ ...range, by: 'costCenter' })
          .set('Authorization', user);
        expect(byCostCenter.status).toBe(200);
        expect(byCostCenter.body.total).toBe('30.625000000');
        const owners = new Set(
          byCostCenter.body.lines
            .filter((l: any) => l.kind === 'allocated')
            .map((l: any) => l.owner || l.ownerName),
        );
        expect([...owners].sort()).toEqual(['CC-1100', 'No cost center']);
      } finally {
        await backend.stop();
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'splits shared and unallocated cost over the teams exactly when configured on %p',
    async id => {
      const backend = await startBackend(
        await databases.init(id),
        'proportional',
      );
      try {
        const res = await request(backend.server)
          .get('/api/costscope/v1/chargeback')
          .query({ ...range, by: 'group' })
          .set('Authorization', user);
        const march = res.body.lines.filter((l: any) => l.month === '2026-03');
        expect(march.every((l: any) => l.owner !== '')).toBe(true);
        expect(addMoney(...res.body.lines.map((l: any) => l.cost))).toBe(
          res.body.total,
        );
      } finally {
        await backend.stop();
      }
    },
  );

  it('answers 400 for a bad query and 404 for an unknown entity', async () => {
    const backend = await startBackend(await databases.init('SQLITE_3'));
    try {
      const bad = await request(backend.server)
        .get('/api/costscope/v1/chargeback.csv')
        .query({ by: 'tribe' })
        .set('Authorization', user);
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toBe(
        'by must be one of group, costCenter',
      );
      const badDate = await request(backend.server)
        .get('/api/costscope/v1/compliance')
        .query({ from: '2026-02-30' })
        .set('Authorization', user);
      expect(badDate.status).toBe(400);
      const unknown = await request(backend.server)
        .get('/api/costscope/v1/entities/component/default/nope/compliance')
        .set('Authorization', user);
      expect(unknown.status).toBe(404);
    } finally {
      await backend.stop();
    }
  });
});
