import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { IngestRun } from '@costscope/backstage-plugin-common';
import { costscopePlugin } from '@costscope/backstage-plugin-backend';
import request from 'supertest';
// The fake AWS lives with the end-to-end tests; it speaks the real wire protocols.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { FakeAws, startFakeAws } from '../../../../test/fake-aws';
import { costscopeModuleAws } from '../module';
import { focusBilledNanosByAccount } from '../__testUtils__/focusTotals';

jest.setTimeout(180_000);

const {
  generateDemoBilling,
  // eslint-disable-next-line @backstage/no-relative-monorepo-imports
} = require('../../../../examples/billing/generate.js');
const {
  writeDemoExport,
  // eslint-disable-next-line @backstage/no-relative-monorepo-imports
} = require('../../../../test/fake-aws/demoExport.js');

const LATER = {
  frequency: { hours: 24 },
  timeout: { minutes: 5 },
  initialDelay: { hours: 1 },
};

describe('Athena cost source, wired into the backend', () => {
  const databases = TestDatabases.create({
    ids: ['SQLITE_3', 'POSTGRES_15'],
    disableDocker: true,
  });
  let dir: string;
  let fake: FakeAws;
  const envBefore = { ...process.env };

  beforeAll(async () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIAFAKECOSTSCOPE';
    process.env.AWS_SECRET_ACCESS_KEY = 'fake-secret';
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'costscope-athena-module-'));
    // two months ending yesterday: the source reads the current month and the two before
    const yesterday = new Date(Date.now() - 86_400_000)
      .toISOString()
      .slice(0, 10);
    generateDemoBilling({ outDir: dir, endDate: yesterday, months: 2 });
    await writeDemoExport(path.join(dir, 'aws'), path.join(dir, 'export'), {
      bucket: 'billing',
      prefix: 'focus',
      exportName: 'demo',
      tagsAsMap: true,
    });
    fake = await startFakeAws({
      billingDir: path.join(dir, 'aws'),
      athenaTables: { 'cur.focus': path.join(dir, 'export/focus/demo/data') },
      athenaDelayMs: 20,
    });
  });
  afterAll(async () => {
    process.env = envBefore;
    await fake?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each(databases.eachSupportedId())(
    'stores the FOCUS files totals and records the bytes scanned and their price on %p',
    async id => {
      const knex = await databases.init(id);
      const backend = await startTestBackend({
        features: [
          costscopePlugin,
          costscopeModuleAws,
          catalogServiceMock.factory({ entities: [] }),
          mockServices.database.factory({ knex }),
          mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
          mockServices.rootConfig.factory({
            data: {
              costscope: {
                currency: 'USD',
                sources: [],
                allocation: { schedule: LATER },
                aws: {
                  endpoint: fake.url,
                  retry: { maxAttempts: 3, baseDelayMs: 5 },
                  schedule: LATER,
                  inventory: { enabled: false },
                  commitments: { enabled: false },
                  prices: { enabled: false },
                  accounts: [{ accountId: '111122223333' }],
                  athena: {
                    database: 'cur',
                    table: 'focus',
                    workgroup: 'costscope',
                    outputLocation: 's3://athena-results/costscope/',
                    region: 'eu-west-1',
                    poll: { initialMs: 10, maxMs: 50 },
                    schedule: LATER,
                  },
                },
              },
            },
          }),
        ],
      });
      try {
        const ingested = await request(backend.server)
          .post('/api/costscope/v1/ingest')
          .send({ sourceId: 'aws-athena-cur-focus' });
        expect(ingested.status).toBe(200);
        const run: IngestRun = ingested.body.runs[0];
        expect(run).toMatchObject({ status: 'succeeded', kind: 'cost' });
        expect(run.apiCalls['athena:StartQueryExecution']).toBe(3);
        // each query is under Athena's 10 MB minimum: 3 x USD 0.000047684
        expect(run.apiCostUsd).toBe('0.000143052');

        const listed = await request(backend.server).get(
          '/api/costscope/v1/ingest-runs',
        );
        const recorded: IngestRun = listed.body.items.find(
          (r: IngestRun) => r.id === run.id,
        );
        const scanned = recorded.inputs.map(i => i.bytesScanned);
        expect(scanned).toHaveLength(3);
        expect(scanned.filter(b => (b ?? 0) > 0)).toHaveLength(2);

        const rows: Array<{
          sub_account_id: string;
          facts: string | number;
          total: string;
        }> = await knex('costscope_cost_facts')
          .select('sub_account_id')
          .select(knex.raw('COUNT(*) AS facts'))
          .select(knex.raw('CAST(SUM(billed_nanos) AS TEXT) AS total'))
          .groupBy('sub_account_id');
        const expected = focusBilledNanosByAccount(path.join(dir, 'aws'));
        expect(rows.map(r => r.sub_account_id).sort()).toEqual(
          [...expected.keys()].sort(),
        );
        for (const row of rows) {
          // each stored fact is rounded once to a nano-unit
          const difference =
            BigInt(row.total) - expected.get(row.sub_account_id)!;
          const abs = difference < 0n ? -difference : difference;
          expect(abs <= BigInt(row.facts) / 2n + 1n).toBe(true);
        }
      } finally {
        await backend.stop();
      }
    },
  );
});
