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
import { DuckDBInstance } from '@duckdb/node-api';
import request from 'supertest';
// The fake BigQuery lives with the end-to-end tests; it speaks the real REST API.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import {
  FakeBigQuery,
  startFakeBigQuery,
} from '../../../../test/fake-bigquery';
import { costscopeModuleGcp } from '../module';
import { useNodeHttpTransport } from '../__testUtils__/httpUnderJest';

useNodeHttpTransport();
jest.setTimeout(180_000);

const {
  generateDemoBilling,
  // eslint-disable-next-line @backstage/no-relative-monorepo-imports
} = require('../../../../examples/billing/generate.js');
const {
  writeDemoBigQueryTable,
  // eslint-disable-next-line @backstage/no-relative-monorepo-imports
} = require('../../../../test/fake-bigquery/demoTable.js');

const LATER = {
  frequency: { hours: 24 },
  timeout: { minutes: 5 },
  initialDelay: { hours: 1 },
};
const TABLE = 'acme-billing.billing.focus';

/** Per SubAccountId, the billed cost of the Parquet files in nano-units, as DuckDB sums it. */
async function billedNanosByProject(dir: string) {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  try {
    const reader = await c.runAndReadAll(
      `SELECT SubAccountId, CAST(SUM(BilledCost) * 1000000000 AS HUGEINT)::VARCHAR
       FROM read_parquet('${dir}/**/*.parquet') GROUP BY 1`,
    );
    return new Map(
      reader.getRows().map(([k, v]) => [String(k), BigInt(String(v))]),
    );
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

describe('BigQuery cost source, wired into the backend', () => {
  const databases = TestDatabases.create({
    ids: ['SQLITE_3', 'POSTGRES_15'],
    disableDocker: true,
  });
  let dir: string;
  let tableDir: string;
  let fake: FakeBigQuery;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'costscope-bigquery-module-'));
    // two months ending yesterday: the source reads the current month and the two before
    const yesterday = new Date(Date.now() - 86_400_000)
      .toISOString()
      .slice(0, 10);
    generateDemoBilling({ outDir: dir, endDate: yesterday, months: 2 });
    tableDir = path.join(dir, 'table');
    await writeDemoBigQueryTable(path.join(dir, 'gcp'), tableDir);
    fake = await startFakeBigQuery({ tables: { [TABLE]: tableDir } });
  });
  afterAll(async () => {
    await fake?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each(databases.eachSupportedId())(
    'stores the FOCUS table totals and records the bytes billed and their price on %p',
    async id => {
      const knex = await databases.init(id);
      const backend = await startTestBackend({
        features: [
          costscopePlugin,
          costscopeModuleGcp,
          catalogServiceMock.factory({ entities: [] }),
          mockServices.database.factory({ knex }),
          mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
          mockServices.rootConfig.factory({
            data: {
              costscope: {
                currency: 'USD',
                sources: [],
                allocation: { schedule: LATER },
                gcp: {
                  bigquery: {
                    table: TABLE,
                    location: 'US',
                    apiEndpoint: fake.url,
                    credentials: 'none',
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
          .send({ sourceId: 'gcp-bigquery-acme-billing-billing-focus' });
        expect(ingested.status).toBe(200);
        const run: IngestRun = ingested.body.runs[0];
        expect(run).toMatchObject({ status: 'succeeded', kind: 'cost' });
        // the partitions query and three periods
        expect(run.apiCalls['bigquery:jobs.insert']).toBe(4);
        // each job is billed BigQuery's 10 MiB minimum: 4 x USD 0.000059605
        expect(run.apiCostUsd).toBe('0.000238420');

        const listed = await request(backend.server).get(
          '/api/costscope/v1/ingest-runs',
        );
        const recorded: IngestRun = listed.body.items.find(
          (r: IngestRun) => r.id === run.id,
        );
        expect(recorded.inputs.map(i => i.bytesScanned)).toEqual([
          10 * 2 ** 20,
          10 * 2 ** 20,
          10 * 2 ** 20,
        ]);

        const rows: Array<{
          sub_account_id: string;
          facts: string | number;
          total: string;
        }> = await knex('costscope_cost_facts')
          .select('sub_account_id')
          .select(knex.raw('COUNT(*) AS facts'))
          .select(knex.raw('CAST(SUM(billed_nanos) AS TEXT) AS total'))
          .groupBy('sub_account_id');
        const expected = await billedNanosByProject(tableDir);
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
