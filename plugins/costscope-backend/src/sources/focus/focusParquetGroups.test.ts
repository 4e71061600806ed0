import path from 'node:path';
import { DuckDBConnection } from '@duckdb/node-api';
import { CostLine } from '@costscope/backstage-plugin-node';
import { parseDecimal } from '@costscope/backstage-plugin-common';
import { DailyAggregator } from '../../ingest/DailyAggregator';
import { rowCountOf } from '../../ingest/rowCount';
import { placesOf } from './focusParquetQuery';
import { plainDecimal, readFocusParquet } from './focusParquetReader';
import { duckdbScratch } from '../../__testUtils__/duckdbScratch';

jest.setTimeout(60_000);

const scratch = duckdbScratch('costscope-groups-');

interface Rejection {
  line: number;
  reason: string;
  rows: number;
}

async function read(file: string, group: boolean) {
  const lines: CostLine[] = [];
  const rejections: Rejection[] = [];
  for await (const batch of readFocusParquet(
    file,
    'f.parquet',
    'USD',
    (line, reason, count = 1) => rejections.push({ line, reason, rows: count }),
    undefined,
    group,
  )) {
    lines.push(...batch);
  }
  return { lines, rejections };
}

/** The facts and allocation keys the lines sum to, as the ingest would store them. */
function factsOf(lines: CostLine[]) {
  const aggregator = new DailyAggregator();
  for (const line of lines) aggregator.add(line);
  return {
    facts: aggregator
      .billingPeriods()
      .flatMap(period => [...aggregator.factsOf(period)]),
    keys: aggregator.allocationKeys(),
  };
}

/** Awkward doubles: shortest forms with exponents, 17 digits, more than 18 places, huge. */
const AWKWARD = [
  0.1, 1e-7, 123456.789, 5e-324, 0.30000000000000004, 2.5e-19, 1.5e-18,
  3.3333333333333335, -1.1, 1e-5, 0.07, 9007199254740.993, 999999999.1,
];

/**
 * 3,000 rows, most of them repeating another's values but their amounts (which follow the
 * row, `i`, where the other values follow `j`): hourly charges of a few resources over three days, nulls in dimension columns and amounts, FOCUS 1.2 pricing and
 * 1.3 split columns, rows rejected for their currency or category, and (as doubles) amounts
 * that are not finite, have more than 18 places or are out of range.
 */
function billRows(costType: string, tags: 'MAP' | 'JSON'): string {
  const amount = (i: string) =>
    costType === 'DOUBLE'
      ? `CASE WHEN ${i} % 53 = 0 THEN 'nan'::DOUBLE WHEN ${i} % 61 = 0 THEN '-inf'::DOUBLE
              WHEN ${i} % 59 = 0 THEN 2e10 * (${i} % 2 * 2 - 1)
              ELSE ([${AWKWARD.join(', ')}])[${i} % ${
          AWKWARD.length
        } + 1] * (1 + ${i} % 3) END`
      : `TRY_CAST(([${AWKWARD.join(', ')}])[${i} % ${
          AWKWARD.length
        } + 1]::DECIMAL(38,18) * (1 + ${i} % 3) AS ${costType})`;
  const tagsOf = (keys: string, values: string) =>
    tags === 'MAP'
      ? `map(${keys}, ${values})`
      : `CAST(to_json(map(${keys}, ${values})) AS VARCHAR)`;
  return `
    SELECT CAST(${amount('i')} AS ${costType}) AS BilledCost,
      CASE WHEN j % 5 = 0 THEN NULL ELSE CAST(${amount(
        '(i + 1)',
      )} AS ${costType}) END AS EffectiveCost,
      CASE WHEN j % 7 = 0 THEN NULL ELSE CAST(${amount(
        '(i + 2)',
      )} AS ${costType}) END AS ListCost,
      CASE WHEN j = 17 THEN 'EUR' ELSE 'USD' END AS BillingCurrency,
      TIMESTAMP '2026-03-01' AS BillingPeriodStart,
      TIMESTAMP '2026-03-01' + INTERVAL (j % 3) DAY + INTERVAL (i % 24) HOUR AS ChargePeriodStart,
      CASE WHEN j = 23 THEN 'Bogus' WHEN j % 13 = 0 THEN NULL ELSE 'Usage' END AS ChargeCategory,
      'AWS' AS ProviderName,
      CASE WHEN j % 4 = 0 THEN NULL ELSE 'acct-' || (j % 2) END AS SubAccountId,
      CASE WHEN j % 6 = 0 THEN NULL ELSE 'svc-' || (j % 3) END AS ServiceName,
      CASE WHEN j % 9 = 0 THEN NULL ELSE 'eu-west-1' END AS RegionId,
      'r-' || (j % 10) AS ResourceId,
      ${tagsOf(
        `['team', 'env']`,
        `['t' || (j % 2), CASE WHEN j % 4 = 1 THEN NULL ELSE 'prod' END]`,
      )} AS Tags,
      CASE WHEN j % 3 = 0 THEN 'EUR' END AS PricingCurrency,
      CASE WHEN j % 2 = 0 THEN NULL ELSE CAST(${amount(
        '(i + 3)',
      )} AS ${costType}) END AS PricingCurrencyEffectiveCost,
      CASE WHEN j % 8 < 3 THEN 'AWS-EKS-SplitCost' END AS AllocatedMethodId,
      'pod-' || (j % 3) AS AllocatedResourceId,
      ${tagsOf(`['app']`, `['a' || (j % 2)]`)} AS AllocatedTags,
      CASE j % 3
        WHEN 0 THEN '{"Elements":[{"UsageUnit":"Mem","UsageQuantity":0.25}]}'
        WHEN 1 THEN '{"Elements":[{"UsageUnit":"CPU","UsageQuantity":1.5},{"UsageUnit":"Mem","UsageQuantity":2}]}'
      END AS AllocatedMethodDetails
    FROM (SELECT i, i % 60 AS j FROM range(0, 3000) t(i))`;
}

describe('readFocusParquet, rows pre-aggregated by DuckDB', () => {
  const NOT_SUMMED = [
    { line: 54, reason: "BilledCost 'nan' is not a number" },
    { line: 60, reason: "BilledCost '20000000000' is out of range" },
  ];
  it.each([
    ['DOUBLE', 'MAP', NOT_SUMMED],
    ['DECIMAL(38,18)', 'JSON', []],
    ['DECIMAL(12,4)', 'MAP', []],
  ] as const)(
    'gives the facts and rejections of the rows read one by one (%s costs, Tags as %s)',
    async (costType, tags, alone) => {
      const file = path.join(scratch.dir, `groups-${costType}-${tags}.parquet`);
      await scratch.db.run(
        `COPY (${billRows(costType, tags)}) TO '${file}' (FORMAT parquet)`,
      );
      const grouped = await read(file, true);
      const single = await read(file, false);

      // Grouping happened (doubles of more than 18 places are read alone), and each line
      // knows its rows.
      expect(grouped.lines.length).toBeLessThan(single.lines.length * 0.75);
      const lineRows = (lines: CostLine[]) =>
        lines.reduce((sum, line) => sum + rowCountOf(line), 0);
      expect(lineRows(grouped.lines)).toBe(single.lines.length);
      expect(single.lines.every(line => rowCountOf(line) === 1)).toBe(true);

      // The same facts to the nano-unit, with the same line counts and split details.
      const fromGroups = factsOf(grouped.lines);
      const fromRows = factsOf(single.lines);
      expect(fromGroups.facts.length).toBeGreaterThan(50);
      expect(fromGroups).toEqual(fromRows);
      expect(fromGroups.facts.some(fact => fact.allocatedMethodDetails)).toBe(
        true,
      );
      // And the same exact sums before rounding (at the aggregator's 1e-18).
      const exactTotals = (lines: CostLine[]) =>
        lines.reduce(
          (sums, line) => {
            sums.billed += parseDecimal(line.billedCost, 18)!;
            sums.effective += parseDecimal(line.effectiveCost, 18)!;
            return sums;
          },
          { billed: 0n, effective: 0n },
        );
      expect(exactTotals(grouped.lines)).toEqual(exactTotals(single.lines));

      // Every rejected row counted, each group named by its first row, with its reason.
      const rowsOf = (list: Rejection[]) =>
        list.reduce((sum, r) => sum + r.rows, 0);
      expect(rowsOf(grouped.rejections)).toBe(single.rejections.length);
      expect(single.rejections.length).toBeGreaterThan(30);
      const byLine = new Map(single.rejections.map(r => [r.line, r.reason]));
      for (const rejection of grouped.rejections) {
        const reason = byLine.get(rejection.line);
        const more = rejection.rows - 1;
        expect(rejection.reason).toBe(
          more === 0
            ? reason
            : `${reason} (and ${more} more ${
                more === 1 ? 'row' : 'rows'
              } with the same values)`,
        );
      }
      expect(grouped.rejections.some(r => r.rows > 1)).toBe(true);
      // In the order of the file.
      const lines = grouped.rejections.map(r => r.line);
      expect(lines).toEqual([...lines].sort((a, b) => a - b));
      // Amounts SQL cannot sum exactly are rejected, or read, row by row.
      for (const rejection of alone) {
        expect(grouped.rejections).toContainEqual({ ...rejection, rows: 1 });
      }
    },
  );
});

describe('readFocusParquet, a file grouped in parts of 50,000 rows', () => {
  afterEach(() => jest.restoreAllMocks());

  it.each([
    [0, 0],
    [100_000, 2],
    [100_001, 3],
  ])(
    'reads a file of %p rows in %p parts, querying none past the end',
    async (rows, parts) => {
      const file = path.join(scratch.dir, `parts-${rows}.parquet`);
      // Row groups smaller than a part: the count is the file's, not a row group's.
      await scratch.db.run(
        `COPY (SELECT CAST(i % 1000 AS DECIMAL(12,2)) AS BilledCost, 'USD' AS BillingCurrency,
                  TIMESTAMP '2026-03-01' AS ChargePeriodStart, 'svc' AS ServiceName
               FROM range(0, ${rows}) t(i))
         TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 10000)`,
      );
      const queries = jest.spyOn(DuckDBConnection.prototype, 'stream');
      const { lines, rejections } = await read(file, true);
      expect(queries).toHaveBeenCalledTimes(parts);
      expect(rejections).toEqual([]);
      // One group per part (all its rows differ only in their amounts).
      expect(lines.map(rowCountOf)).toEqual(
        Array.from({ length: parts }, (_, part) =>
          Math.min(50_000, rows - part * 50_000),
        ),
      );
      let total = 0n;
      for (let i = 0; i < rows; i += 1) total += BigInt(i % 1000);
      expect(
        lines.reduce(
          (sum, line) => sum + parseDecimal(line.billedCost, 2)!,
          0n,
        ),
      ).toBe(total * 100n);
    },
  );
});

describe('DuckDB and JS on doubles', () => {
  /** Random doubles of every magnitude within ±1e9, and the awkward ones. */
  function doubles(count: number): number[] {
    const values = [...AWKWARD, -0, 0];
    const view = new DataView(new ArrayBuffer(8));
    let seed = 20261207;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    while (values.length < count) {
      view.setUint32(0, next() * 2);
      view.setUint32(4, next() * 2);
      const value = view.getFloat64(0);
      if (Number.isFinite(value) && Math.abs(value) < 1e9) values.push(value);
      // Decimal-looking amounts too, as billing exports hold.
      values.push(Number((next() / 1000).toFixed(next() % 12)));
    }
    return values;
  }

  it('prints the shortest decimal as JS does, and sums it exactly when it has at most 18 places', async () => {
    const values = [...doubles(6_000), 5e-324, 1.7976931348623157e308];
    const rowsOut = (
      await scratch.db.runAndReadAll(
        `SELECT CAST(x AS VARCHAR) AS t, ${placesOf(
          'CAST(x AS VARCHAR)',
        )} AS places,
                CASE WHEN ${placesOf(
                  'CAST(x AS VARCHAR)',
                )} <= 18 AND abs(x) < 1e9 THEN CAST(CAST(CAST(x AS VARCHAR) AS DECIMAL(38,18)) AS VARCHAR) END AS d
         FROM (SELECT unnest([${values
           .map(value => `'${value}'`)
           .join(', ')}]::DOUBLE[]) AS x)`,
      )
    ).getRowObjectsJson();
    expect(rowsOut).toHaveLength(values.length);
    const differences: string[] = [];
    let summable = 0;
    rowsOut.forEach((row, i) => {
      const js = plainDecimal(String(values[i]));
      const problem = (what: string) =>
        differences.push(`${values[i]} (DuckDB ${row.t}): ${what}`);
      // The same decimal: equal at a scale that holds every double's digits exactly.
      if (parseDecimal(String(row.t), 1100) !== parseDecimal(js, 1100))
        problem('another decimal');
      const places = js.includes('.') ? js.split('.')[1].length : 0;
      // DuckDB writes whole numbers with '.0': one place more, the same decision.
      if (
        Number(row.places) <= 18 !== places <= 18 ||
        (places > 0 && Number(row.places) !== places)
      )
        problem(`${row.places} places, JS ${places}`);
      if (row.d === null) return;
      summable += 1;
      // Exact: what the row parser reads from JS's text, and no rounding in it.
      if (parseDecimal(String(row.d), 1100) !== parseDecimal(js, 1100))
        problem(`summed as ${row.d}`);
    });
    expect(differences).toEqual([]);
    expect(summable).toBeGreaterThan(3_000);
  });
});
