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
import { Knex } from 'knex';
import request from 'supertest';
// The fake AWS lives with the end-to-end tests; it speaks the real wire protocols.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { FakeAws, startFakeAws } from '../../../test/fake-aws';
import { costscopeModuleAws } from './module';
import { focusBilledNanosByAccount } from './__testUtils__/focusTotals';

jest.setTimeout(120_000);

const {
  generateDemoBilling,
  // eslint-disable-next-line @backstage/no-relative-monorepo-imports
} = require('../../../examples/billing/generate.js');

const ACCOUNTS = ['111122223333', '222233334444', '444455556666'];
const TAG_KEYS = ['service', 'app', 'team'];
const LATER = {
  frequency: { hours: 24 },
  timeout: { minutes: 5 },
  initialDelay: { hours: 1 },
};

async function startPortalBackend(
  knex: Knex,
  fake: FakeAws,
  aws: Record<string, unknown> = {},
) {
  return startTestBackend({
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
              regions: ['us-east-1', 'eu-west-1'],
              groupBy: { tagKeys: TAG_KEYS },
              backfillDays: 425,
              maxCostExplorerRequestsPerRun: 200,
              retry: { maxAttempts: 4, baseDelayMs: 5 },
              requestTimeoutMs: 2000,
              schedule: LATER,
              inventory: { schedule: LATER },
              commitments: { schedule: LATER },
              accounts: ACCOUNTS.map(accountId => ({
                accountId,
                roleArn: `arn:aws:iam::${accountId}:role/costscope-reader`,
              })),
              ...aws,
            },
          },
        },
      }),
    ],
  });
}

async function ingest(server: any, sourceId: string): Promise<IngestRun> {
  const response = await request(server)
    .post('/api/costscope/v1/ingest')
    .send({ sourceId });
  expect(response.status).toBe(200);
  return response.body.runs[0];
}

async function storedNanosByAccount(knex: Knex): Promise<Map<string, bigint>> {
  const rows = await knex('costscope_cost_facts')
    .select('sub_account_id')
    .select(knex.raw('CAST(SUM(billed_nanos) AS TEXT) AS total'))
    .groupBy('sub_account_id');
  return new Map(rows.map(row => [row.sub_account_id, BigInt(row.total)]));
}

function ceRequests(fake: FakeAws): number {
  return fake.requestCounts()['ce:GetCostAndUsage'] ?? 0;
}

describe('AWS module against the fake AWS', () => {
  const databases = TestDatabases.create({
    ids: ['SQLITE_3', 'POSTGRES_15'],
    disableDocker: true,
  });
  // Demo data ending yesterday, so that the backfill window always covers all of it.
  const demoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'costscope-aws-'));
  generateDemoBilling({ outDir: demoDir });
  const billingDir = path.join(demoDir, 'aws');
  const focusTotals = focusBilledNanosByAccount(billingDir);
  let fake: FakeAws;
  const envBefore = { ...process.env };

  beforeAll(async () => {
    // The default credential chain reads these; the fake does not check signatures.
    process.env.AWS_ACCESS_KEY_ID = 'AKIAFAKECOSTSCOPE';
    process.env.AWS_SECRET_ACCESS_KEY = 'fake-secret';
    fake = await startFakeAws({ billingDir, pageSize: 500 });
  });
  afterAll(async () => {
    process.env = envBefore;
    await fake.close();
    fs.rmSync(demoDir, { recursive: true, force: true });
  });
  beforeEach(() => fake.reset());

  it.each(databases.eachSupportedId())(
    'stores the same totals as the FOCUS files, paging to the end, then refreshes in the planned requests on %p',
    async id => {
      const knex = await databases.init(id);
      const backend = await startPortalBackend(knex, fake);
      const { server } = backend;
      try {
        for (const accountId of ACCOUNTS) {
          const run = await ingest(server, `aws-ce-${accountId}`);
          expect(run).toMatchObject({ status: 'succeeded', kind: 'cost' });
          // A year of daily groups does not fit one page: every page was read.
          expect(run.apiCalls['ce:GetCostAndUsage']).toBeGreaterThan(
            TAG_KEYS.length,
          );
          expect(run.apiCostUsd).toBe(
            (run.apiCalls['ce:GetCostAndUsage'] / 100).toFixed(9),
          );
        }
        const stored = await storedNanosByAccount(knex);
        for (const accountId of ACCOUNTS) {
          // Same data, same exact sum: at most a nano-unit of rounding per stored fact.
          const difference =
            stored.get(accountId)! - focusTotals.get(accountId)!;
          expect(
            Number(difference < 0n ? -difference : difference),
          ).toBeLessThan(1000);
        }
        const backfillRequests = ceRequests(fake);

        // A refresh reads only the unsettled days: one request per tag key and account.
        for (const accountId of ACCOUNTS) {
          const run = await ingest(server, `aws-ce-${accountId}`);
          expect(run.apiCalls).toEqual({
            'ce:GetCostAndUsage': TAG_KEYS.length,
          });
          expect(run.daysReplaced!.from > '2026-01-01').toBe(true);
        }
        expect(ceRequests(fake) - backfillRequests).toBe(
          ACCOUNTS.length * TAG_KEYS.length,
        );
        expect(await storedNanosByAccount(knex)).toEqual(stored);
      } finally {
        await backend.stop();
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'retries a throttled account and keeps a dead account’s old data while others go on on %p',
    async id => {
      const knex = await databases.init(id);
      const backend = await startPortalBackend(knex, fake);
      const { server } = backend;
      try {
        fake.injectFault({
          service: 'ce',
          accountId: '111122223333',
          kind: 'throttle',
          times: 2,
        });
        fake.injectFault({ service: 'ce', kind: 'server-error', times: 1 });
        let planned = 0;
        for (const accountId of ACCOUNTS) {
          const run = await ingest(server, `aws-ce-${accountId}`);
          expect(run.status).toBe('succeeded');
          planned += run.apiCalls['ce:GetCostAndUsage'];
        }
        // The SDK retried the two throttled requests and the 500 on its own.
        expect(ceRequests(fake)).toBe(planned + 3);
        const before = await storedNanosByAccount(knex);
        expect(before.size).toBe(3);

        fake.markAccountDead('222233334444');
        const runs = await Promise.all(
          ACCOUNTS.map(accountId => ingest(server, `aws-ce-${accountId}`)),
        );
        expect(runs.map(run => run.status)).toEqual([
          'succeeded',
          'failed',
          'succeeded',
        ]);
        expect(runs[1].error).toMatch(
          /AccessDenied|InternalServerError|Internal/,
        );
        expect(await storedNanosByAccount(knex)).toEqual(before);
      } finally {
        await backend.stop();
      }
    },
  );

  it('stops at the request cap before replacing anything', async () => {
    const knex = await databases.init('SQLITE_3');
    const backend = await startPortalBackend(knex, fake, {
      maxCostExplorerRequestsPerRun: 4,
    });
    const { server } = backend;
    try {
      const run = await ingest(server, 'aws-ce-111122223333');
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(/request cap of 4 per run reached/);
      expect(run.apiCalls).toEqual({ 'ce:GetCostAndUsage': 4 });
      expect(ceRequests(fake)).toBe(4);
      expect((await storedNanosByAccount(knex)).size).toBe(0);
    } finally {
      await backend.stop();
    }
  });

  it("reads Cost Explorer's commitment reports into GET /v1/commitments, per account", async () => {
    const knex = await databases.init('SQLITE_3');
    const backend = await startPortalBackend(knex, fake);
    const { server } = backend;
    try {
      const run = await ingest(server, 'aws-ce-commitments-111122223333');
      expect(run).toMatchObject({ status: 'succeeded', kind: 'commitments' });
      // coverage and utilization of both types, coverage in as many pages as it takes
      expect(Object.keys(run.apiCalls).sort()).toEqual([
        'ce:GetReservationUtilization',
        'ce:GetSavingsPlansCoverage',
        'ce:GetSavingsPlansUtilization',
      ]);
      const calls = Object.values(run.apiCalls).reduce((a, b) => a + b, 0);
      expect(run.apiCostUsd).toBe((calls / 100).toFixed(9));
      // the staging account holds no plan: a run that reports nothing
      const staging = await ingest(server, 'aws-ce-commitments-222233334444');
      expect(staging).toMatchObject({ status: 'succeeded', factsWritten: 0 });

      // last month: whole in the demo data, which ends yesterday
      const now = new Date();
      const from = new Date(
        Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1),
      );
      const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0));
      const body = (
        await request(server).get(
          `/api/costscope/v1/commitments?from=${from
            .toISOString()
            .slice(0, 10)}&to=${to.toISOString().slice(0, 10)}`,
        )
      ).body;
      expect(body.reported).toEqual([
        expect.objectContaining({
          sourceId: 'aws-ce-commitments-111122223333',
          provider: 'AWS',
          commitmentType: 'SavingsPlans',
          currency: 'USD',
        }),
      ]);
      const [month] = body.reported[0].months;
      // the demo's plan: about 96 % used, part of the EC2 usage covered
      expect(month.utilization).toBeGreaterThan(0.95);
      expect(month.coverage).toBeGreaterThan(0);
      expect(month.coverage).toBeLessThan(1);
    } finally {
      await backend.stop();
    }
  });

  it('retries a request that times out', async () => {
    const knex = await databases.init('SQLITE_3');
    const backend = await startPortalBackend(knex, fake, {
      requestTimeoutMs: 300,
    });
    const { server } = backend;
    try {
      fake.injectFault({
        service: 'ce',
        kind: 'slow',
        delayMs: 1500,
        times: 1,
      });
      const run = await ingest(server, 'aws-ce-444455556666');
      expect(run.status).toBe('succeeded');
      expect(ceRequests(fake)).toBe(run.apiCalls['ce:GetCostAndUsage'] + 1);
    } finally {
      await backend.stop();
    }
  });

  it('reads the inventory with utilisation across regions and pages', async () => {
    const knex = await databases.init('SQLITE_3');
    const backend = await startPortalBackend(knex, fake);
    const { server } = backend;
    try {
      fake.injectFault({ service: 'ec2', kind: 'throttle', times: 1 });
      const run = await ingest(server, 'aws-ec2-111122223333');
      expect(run).toMatchObject({ kind: 'inventory', status: 'succeeded' });
      expect(run.apiCalls['ec2:DescribeInstances']).toBeGreaterThan(2);
      expect(run.apiCalls['cloudwatch:GetMetricData']).toBeGreaterThanOrEqual(
        2,
      );

      const resources = await knex('costscope_inventory').where({
        source_id: 'aws-ec2-111122223333',
      });
      const kinds = new Set(resources.map(r => r.kind));
      expect(kinds).toEqual(
        new Set(['instance', 'volume', 'address', 'snapshot']),
      );
      expect(new Set(resources.map(r => r.region))).toEqual(
        new Set(['us-east-1', 'eu-west-1']),
      );
      expect(resources.every(r => r.account_id === '111122223333')).toBe(true);

      const running = resources.filter(
        r => r.kind === 'instance' && r.state === 'running',
      );
      const series = await knex('costscope_utilisation').where({
        source_id: 'aws-ec2-111122223333',
        metric: 'cpu',
      });
      expect(series).toHaveLength(running.length);
      const points = JSON.parse(series[0].points);
      // 14 days of hourly points, each hour's maximum at least its average.
      expect(points.length).toBeGreaterThanOrEqual(14 * 24 - 1);
      expect(points.every((p: any) => p.maximum >= p.average)).toBe(true);
    } finally {
      await backend.stop();
    }
  });

  it('caches the Price List prices at start, and recommendations price the inventory by them', async () => {
    const knex = await databases.init('SQLITE_3');
    // the test backend's scheduler runs a task without an initial delay once, at start
    const backend = await startPortalBackend(knex, fake, {
      prices: {
        schedule: { frequency: { hours: 24 }, timeout: { minutes: 5 } },
      },
    });
    const { server } = backend;
    try {
      const source = await knex('costscope_price_sources')
        .where({ source_id: 'aws-pricing' })
        .first();
      expect(source).toMatchObject({
        provider: 'AWS',
        currency: 'USD',
        last_error: null,
      });
      const regions = await knex('costscope_prices')
        .where({ source_id: 'aws-pricing' })
        .distinct('region');
      expect(regions.map(r => r.region).sort()).toEqual([
        'eu-west-1',
        'us-east-1',
      ]);
      const m5 = await knex('costscope_prices')
        .where({
          source_id: 'aws-pricing',
          region: 'eu-west-1',
          price_key: 'm5.large',
        })
        .first(knex.raw('CAST(price_nanos AS TEXT) AS nanos'));
      expect(m5.nanos).toBe('107000000');
      expect(
        fake
          .requestLog()
          .filter(r => r.service === 'pricing')
          .every(r => r.region === 'us-east-1'),
      ).toBe(true);

      // the inventory's tips: none lacks a price, each has one from the cache or the bill
      await ingest(server, 'aws-ec2-111122223333');
      const list = (
        await request(server).get(
          '/api/costscope/v1/recommendations?limit=1000',
        )
      ).body;
      expect(list.items.length).toBeGreaterThan(0);
      expect(list.skipped.filter((s: any) => s.code === 'no-price')).toEqual(
        [],
      );
      expect(list.items.some((r: any) => r.priceSource === 'price-table')).toBe(
        true,
      );
    } finally {
      await backend.stop();
    }
  });
});
