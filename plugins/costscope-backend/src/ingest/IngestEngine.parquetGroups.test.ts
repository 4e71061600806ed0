import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { FocusFileSource } from '../sources/focus/FocusFileSource';
import { createTestDatabases } from '../__testUtils__/databases';
import { entity } from '../__testUtils__/entities';
import { createPipeline } from '../__testUtils__/pipeline';

jest.setTimeout(60_000);

const catalog = [
  entity('Component', 'api', { owner: 'team-a', type: 'service' }),
];

/**
 * 600 rows: hourly lines of 6 resources over 2 days (most differing only in their amounts),
 * a rejected currency every 50th row and a rejected category for one resource's second day.
 */
const ROWS = `
  SELECT CAST((i % 7) || '.' || lpad(CAST(i * 7919 % 1000000 AS VARCHAR), 6, '0') AS DECIMAL(38,18)) AS BilledCost,
    CAST(i % 5 AS DECIMAL(38,18)) AS EffectiveCost,
    CASE WHEN i % 50 = 7 THEN 'EUR' ELSE 'USD' END AS BillingCurrency,
    '999' AS BillingAccountId,
    TIMESTAMP '2026-03-01 00:00:00' + INTERVAL ((i // 6) % 2) DAY + INTERVAL (i % 24) HOUR AS ChargePeriodStart,
    CASE WHEN i % 6 = 5 AND (i // 6) % 2 = 1 THEN 'Refund' ELSE 'Usage' END AS ChargeCategory,
    'AWS' AS ProviderName, '111' AS SubAccountId, 'EC2' AS ServiceName,
    'i-' || (i % 6) AS ResourceId,
    CASE WHEN i % 3 = 0 THEN NULL ELSE '{"service":"api"}' END AS Tags
  FROM range(0, 600) t(i)`;

async function writeBoth(dir: string) {
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  await fs.mkdir(path.join(dir, 'csv'));
  await fs.mkdir(path.join(dir, 'parquet'));
  await db.run(
    `COPY (SELECT * REPLACE (strftime(ChargePeriodStart, '%Y-%m-%dT%H:%M:%SZ') AS ChargePeriodStart) FROM (${ROWS}))
     TO '${path.join(dir, 'csv', 'bill.csv')}' (HEADER, DELIMITER ',')`,
  );
  await db.run(
    `COPY (${ROWS}) TO '${path.join(
      dir,
      'parquet',
      'bill.parquet',
    )}' (FORMAT parquet)`,
  );
  db.closeSync();
  instance.closeSync();
}

async function storedFacts(knex: any) {
  return knex('costscope_cost_facts')
    .select(
      'usage_date',
      'resource_id',
      'charge_category',
      'alloc_key',
      knex.raw('CAST(billed_nanos AS TEXT) AS billed'),
      knex.raw('CAST(effective_nanos AS TEXT) AS effective'),
      knex.raw('CAST(list_nanos AS TEXT) AS list'),
      'line_count',
    )
    .orderBy(['usage_date', 'resource_id', 'alloc_key', 'charge_category']);
}

describe('IngestEngine, FOCUS Parquet read in groups', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'stores the facts and counts the rows of the same bill as CSV on %p',
    async id => {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'costscope-pq-'));
      try {
        await writeBoth(dir);
        const results = [];
        for (const format of ['csv', 'parquet']) {
          const knex = await databases.init(id);
          const { ingest } = await createPipeline(knex, catalog, {
            maxRejectedShare: 0.9,
          });
          const run = await ingest.run(
            new FocusFileSource({
              id: 'focus',
              paths: [path.join(dir, format)],
              currency: 'USD',
            }),
            'manual',
          );
          results.push({ run, facts: await storedFacts(knex) });
          await knex('costscope_cost_facts').delete();
        }
        const [csv, parquet] = results;
        expect(parquet.run.status).toBe('succeeded');
        expect(parquet.facts).toEqual(csv.facts);
        expect(parquet.facts.length).toBeGreaterThan(10);
        expect(
          parquet.facts.reduce((sum: number, f: any) => sum + f.line_count, 0),
        ).toBe(600 - csv.run.rowsRejected);
        // Every row counted; a group named by its first row (CSV counts the header).
        expect(parquet.run.rowsRead).toBe(600);
        expect(parquet.run.rowsRejected).toBe(csv.run.rowsRejected);
        // 12 in euros, 48 more of the refunds.
        expect(csv.run.rowsRejected).toBe(60);
        expect(parquet.run.rejections).toContainEqual({
          file: 'bill.parquet',
          line: 8,
          reason:
            'BillingCurrency EUR differs from the source currency USD (and 1 more row with the same values)',
        });
        expect(parquet.run.rejections).toContainEqual({
          file: 'bill.parquet',
          line: 12,
          reason:
            "ChargeCategory 'Refund' is not a FOCUS charge category (and 47 more rows with the same values)",
        });
        expect(csv.run.rejections).toContainEqual({
          file: 'bill.csv',
          line: 13,
          reason: "ChargeCategory 'Refund' is not a FOCUS charge category",
        });
      } finally {
        await fs.rm(dir, { recursive: true, force: true });
      }
    },
  );
});
