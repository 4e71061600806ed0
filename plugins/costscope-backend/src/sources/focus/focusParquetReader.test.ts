import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { CostLine } from '@costscope/backstage-plugin-node';
import { readFocusFile } from './focusFileReader';
import { plainDecimal, readFocusParquet } from './focusParquetReader';
import { duckdbScratch } from '../../__testUtils__/duckdbScratch';

jest.setTimeout(60_000);

const scratch = duckdbScratch('costscope-parquet-');

/** Rows as SQL: amounts with up to 12 decimals, tiny ones, negatives, a few bad rows. */
const SOURCE = `
  SELECT i,
    CASE WHEN i % 11 = 0 THEN '0.00000015'
         WHEN i % 7 = 0 THEN '-' || (i % 13) || '.' || lpad(CAST(i * 7919 % 1000000 AS VARCHAR), 6, '0')
         ELSE (i % 50) || '.' || lpad(CAST(i * 104729 % 1000000000000 AS VARCHAR), 12, '0') END AS billed,
    CASE WHEN i % 19 = 0 THEN 'EUR' WHEN i % 23 = 0 THEN 'usd' WHEN i % 29 = 0 THEN 'dollars' ELSE 'USD' END AS currency,
    TIMESTAMP '2026-01-01 00:00:00' + INTERVAL (i % 40) DAY + INTERVAL (i % 24) HOUR AS charge,
    CASE WHEN i % 31 = 0 THEN 'Bogus' ELSE 'Usage' END AS category,
    'svc-' || (i % 5) AS service,
    map(['team', 'env'], ['t' || (i % 3), CASE WHEN i % 2 = 0 THEN 'prod' ELSE NULL END]) AS tags
  FROM range(1, 2001) t(i)`;

async function copyTo(file: string, select: string, compression: string) {
  await scratch.db.run(
    `COPY (${select}) TO '${file}' (FORMAT parquet, COMPRESSION ${compression})`,
  );
}

async function read(
  file: string,
  label = 'f.parquet',
  currency = 'USD',
  group = true,
) {
  const lines: CostLine[] = [];
  const rejections: Array<{ line: number; reason: string }> = [];
  for await (const batch of readFocusParquet(
    file,
    label,
    currency,
    (line, reason) => rejections.push({ line, reason }),
    undefined,
    group,
  )) {
    lines.push(...batch);
  }
  return { lines, rejections };
}

/** The exact sum of plain decimal texts, written as DuckDB writes a DECIMAL(38,18). */
function exactSum(amounts: string[]): string {
  let total = 0n;
  for (const amount of amounts) {
    const [whole, fraction = ''] = amount.replace('-', '').split('.');
    const value = BigInt(whole + fraction.padEnd(18, '0'));
    total += amount.startsWith('-') ? -value : value;
  }
  const digits = (total < 0n ? -total : total).toString().padStart(19, '0');
  return `${total < 0n ? '-' : ''}${digits.slice(0, -18)}.${digits.slice(-18)}`;
}

async function sumOf(sql: string): Promise<string> {
  const reader = await scratch.db.runAndReadAll(sql);
  return String(reader.getRowObjectsJson()[0].total);
}

describe('plainDecimal', () => {
  it('writes numbers without an exponent, digit for digit', () => {
    expect(plainDecimal(String(1e-7))).toBe('0.0000001');
    expect(plainDecimal(String(-1.5e-7))).toBe('-0.00000015');
    expect(plainDecimal(String(1.2345e-10))).toBe('0.00000000012345');
    expect(plainDecimal(String(1e21))).toBe('1000000000000000000000');
    expect(plainDecimal(String(1.5e22))).toBe('15000000000000000000000');
    expect(plainDecimal('12.5')).toBe('12.5');
  });
});

describe('readFocusParquet', () => {
  it.each([
    ['zstd', 'DOUBLE', 'charge'],
    ['gzip', 'DECIMAL(38,12)', 'CAST(charge AS TIMESTAMPTZ)'],
    ['snappy', 'DECIMAL(38,18)', "strftime(charge, '%Y-%m-%dT%H:%M:%SZ')"],
  ])(
    'reads %s Parquet with %s costs and %s timestamps row by row exactly, rejecting rows as CSV does',
    async (compression, costType, charge) => {
      const file = path.join(scratch.dir, `${compression}.parquet`);
      await copyTo(
        file,
        `SELECT CAST(billed AS ${costType}) AS BilledCost, currency AS BillingCurrency,
                ${charge} AS ChargePeriodStart, category AS ChargeCategory,
                service AS ServiceName, tags AS Tags, 'x' AS x_Other
         FROM (${SOURCE}) ORDER BY i`,
        compression,
      );
      // Row by row: the reference the groups are compared with (focusParquetGroups.test.ts).
      const { lines, rejections } = await read(file, 'f.parquet', 'USD', false);

      // The same rows as CSV (Tags as JSON text), through the CSV path.
      const csv = path.join(scratch.dir, `${compression}.csv`);
      await scratch.db.run(
        `COPY (SELECT CAST(billed AS ${costType}) AS BilledCost, currency AS BillingCurrency,
                      strftime(charge, '%Y-%m-%dT%H:%M:%SZ') AS ChargePeriodStart,
                      category AS ChargeCategory, service AS ServiceName,
                      CAST(to_json(tags) AS VARCHAR) AS Tags
               FROM (${SOURCE}) ORDER BY i) TO '${csv}' (HEADER, DELIMITER ',')`,
      );
      const fromCsv = { lines: [] as CostLine[], rejections: [] as any[] };
      for await (const batch of readFocusFile(
        csv,
        'f.csv',
        'USD',
        (line, reason) => fromCsv.rejections.push({ line: line - 1, reason }),
      )) {
        fromCsv.lines.push(...batch);
      }
      // CSV counts the header as line 1; Parquet rows are numbered from 1.
      expect(rejections).toEqual(fromCsv.rejections);
      expect(rejections.length).toBeGreaterThan(100);
      expect(rejections).toContainEqual({
        line: 19,
        reason: 'BillingCurrency EUR differs from the source currency USD',
      });
      // Amounts aside: DuckDB's CSV writes doubles in exponent notation.
      const withoutAmounts = ({
        billedCost,
        effectiveCost,
        listCost,
        ...rest
      }: CostLine) => rest;
      expect(lines.map(withoutAmounts)).toEqual(
        fromCsv.lines.map(withoutAmounts),
      );
      expect(lines[0]).toMatchObject({
        chargeDate: '2026-01-02',
        currency: 'USD',
        serviceName: 'svc-1',
        tags: { team: 't1' },
      });

      // Amounts: the exact decimal the file holds, summed exactly.
      expect(lines.every(line => !/e/i.test(line.billedCost))).toBe(true);
      const accepted = `SELECT billed FROM (${SOURCE}) WHERE upper(currency) = 'USD' AND i % 31 <> 0`;
      expect(exactSum(lines.map(line => line.billedCost))).toBe(
        await sumOf(
          `SELECT CAST(sum(CAST(billed AS DECIMAL(38,18))) AS VARCHAR) AS total FROM (${accepted})`,
        ),
      );
    },
  );

  it('reads a file hyparquet-writer wrote (millisecond timestamps, JSON Tags, doubles)', async () => {
    const file = path.join(scratch.dir, 'hyparquet.parquet');
    const billed = [0.1, 0.2, 1.5e-7, 123456.789, -3.25];
    const script = `
      import { parquetWriteFile } from 'hyparquet-writer';
      parquetWriteFile({
        filename: ${JSON.stringify(file)},
        columnData: [
          { name: 'BilledCost', data: ${JSON.stringify(
            billed,
          )}, type: 'DOUBLE' },
          { name: 'BillingCurrency', data: ['USD', 'USD', 'USD', 'USD', 'USD'], type: 'STRING' },
          { name: 'ChargePeriodStart', data: [0, 1, 2, 3, 4].map(d => new Date(Date.UTC(2026, 0, 1 + d, 23, 30))), type: 'TIMESTAMP' },
          { name: 'ServiceProviderName', data: ['AWS', 'AWS', 'GCP', 'GCP', 'AWS'], type: 'STRING' },
          { name: 'ProviderName', data: ['old', 'old', 'old', 'old', 'old'], type: 'STRING' },
          { name: 'Tags', data: [{ team: 'a' }, null, { n: 1 }, {}, { team: 'b' }], type: 'JSON' },
        ],
      });`;
    const written = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', script],
      { cwd: __dirname, encoding: 'utf8' },
    );
    expect(written.stderr).toBe('');
    const { lines, rejections } = await read(file);
    expect(rejections).toEqual([]);
    expect(lines.map(line => line.billedCost)).toEqual([
      '0.1',
      '0.2',
      '0.00000015',
      '123456.789',
      '-3.25',
    ]);
    expect(lines.map(line => line.chargeDate)).toEqual([
      '2026-01-01',
      '2026-01-02',
      '2026-01-03',
      '2026-01-04',
      '2026-01-05',
    ]);
    expect(lines.map(line => line.provider)).toEqual([
      'AWS',
      'AWS',
      'GCP',
      'GCP',
      'AWS',
    ]);
    expect(lines.map(line => line.tags)).toEqual([
      { team: 'a' },
      {},
      { n: '1' },
      {},
      { team: 'b' },
    ]);
  });

  it('reads STRUCT tags and ignores unknown columns', async () => {
    const file = path.join(scratch.dir, 'struct.parquet');
    await copyTo(
      file,
      `SELECT 1.25::DOUBLE AS BilledCost, 'USD' AS BillingCurrency,
              DATE '2026-03-04' AS ChargePeriodStart,
              {'team': 'x', 'cost centre': NULL} AS Tags, 42 AS Whatever`,
      'snappy',
    );
    const { lines } = await read(file);
    expect(lines).toMatchObject([
      { billedCost: '1.25', chargeDate: '2026-03-04', tags: { team: 'x' } },
    ]);
  });

  it('reads a FOCUS 1.3 split: AllocatedTags as a MAP, like Tags', async () => {
    const file = path.join(scratch.dir, 'split.parquet');
    await copyTo(
      file,
      `SELECT 2.5::DOUBLE AS BilledCost, 'USD' AS BillingCurrency,
              DATE '2026-03-04' AS ChargePeriodStart, 'i-node-1' AS ResourceId,
              map(['eks:cluster-name'], ['prod']) AS Tags,
              'AWS-EKS-SplitCost' AS AllocatedMethodId,
              'pod/shop/checkout-api-7d9f' AS AllocatedResourceId,
              map(['aws:eks:namespace', 'app'], ['shop', 'checkout']) AS AllocatedTags`,
      'snappy',
    );
    const { lines } = await read(file);
    expect(lines).toMatchObject([
      {
        resourceId: 'i-node-1',
        tags: { 'eks:cluster-name': 'prod' },
        allocated: {
          methodId: 'AWS-EKS-SplitCost',
          resourceId: 'pod/shop/checkout-api-7d9f',
          tags: { 'aws:eks:namespace': 'shop', app: 'checkout' },
        },
      },
    ]);
  });

  it('reads AllocatedMethodDetails as a STRUCT or as JSON text, rejecting malformed text', async () => {
    const file = path.join(scratch.dir, 'details.parquet');
    await copyTo(
      file,
      `SELECT 2.5::DOUBLE AS BilledCost, 'USD' AS BillingCurrency,
              DATE '2026-03-04' AS ChargePeriodStart, 'i-node-1' AS ResourceId,
              'AWS-EKS-SplitCost' AS AllocatedMethodId,
              {'Elements': [{'AllocatedRatio': 0.25::DECIMAL(9, 4), 'UsageUnit': 'CPU', 'UsageQuantity': 1.5::DOUBLE}]}
                AS AllocatedMethodDetails`,
      'snappy',
    );
    expect((await read(file)).lines).toMatchObject([
      {
        allocated: {
          methodId: 'AWS-EKS-SplitCost',
          methodDetails: {
            elements: [
              {
                allocatedRatio: '0.25',
                usageUnit: 'CPU',
                usageQuantity: '1.5',
              },
            ],
          },
        },
      },
    ]);
    const text = path.join(scratch.dir, 'details-text.parquet');
    await copyTo(
      text,
      `SELECT * FROM (VALUES
         (1.0::DOUBLE, 'USD', DATE '2026-03-04', 'AWS-EKS-SplitCost',
          '{"Elements":[{"AllocatedRatio":0.5,"UsageUnit":"Memory","UsageQuantity":4}]}'),
         (2.0::DOUBLE, 'USD', DATE '2026-03-04', 'AWS-EKS-SplitCost', '{"Elements":')
       ) v(BilledCost, BillingCurrency, ChargePeriodStart, AllocatedMethodId, AllocatedMethodDetails)`,
      'snappy',
    );
    const read2 = await read(text);
    expect(read2.lines.map(l => l.allocated?.methodDetails)).toEqual([
      {
        elements: [
          { allocatedRatio: '0.5', usageUnit: 'Memory', usageQuantity: '4' },
        ],
      },
    ]);
    expect(read2.rejections).toEqual([
      { line: 2, reason: 'AllocatedMethodDetails is not valid JSON' },
    ]);
  });

  it('rejects a truncated file as not readable Parquet', async () => {
    const file = path.join(scratch.dir, 'whole.parquet');
    await copyTo(file, `SELECT * FROM (${SOURCE})`, 'zstd');
    const bytes = await fs.readFile(file);
    const truncated = path.join(scratch.dir, 'truncated.parquet');
    await fs.writeFile(truncated, bytes.subarray(0, bytes.length / 2));
    await expect(read(truncated, 'half.parquet')).rejects.toThrow(
      /^FOCUS file half\.parquet is not a readable Parquet file/,
    );
  });

  it('fails on a file without a required column, naming it as for CSV', async () => {
    const file = path.join(scratch.dir, 'nobilled.parquet');
    await copyTo(
      file,
      `SELECT 1.5::DOUBLE AS EffectiveCost, 'USD' AS BillingCurrency,
              TIMESTAMP '2026-01-01' AS ChargePeriodStart, 'AWS' AS ServiceProviderName`,
      'snappy',
    );
    await expect(read(file, 'n.parquet')).rejects.toThrow(
      'FOCUS file n.parquet lacks the column(s) BilledCost: it is not a FOCUS Parquet export',
    );
  });
});
