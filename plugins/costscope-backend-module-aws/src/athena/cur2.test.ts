import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import {
  ALLOCATED_IDLE_RESOURCE_NAME,
  CostLine,
} from '@costscope/backstage-plugin-node';
import {
  decimalUnits as units,
  readCostSourceForTest,
  sumCostUnits,
} from '@costscope/backstage-plugin-node/testUtils';
// The fake AWS lives with the end-to-end tests; it speaks the real wire protocols.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import {
  credentialsFor,
  FakeAws,
  startFakeAws,
} from '../../../../test/fake-aws';
import { athenaSourceForFake } from '../__testUtils__/athenaSource';
import {
  CUR2_PODS,
  CUR2_UNUSED_SHORTFALL,
  cur2ExportSql,
} from '../__testUtils__/cur2Export';
import { AthenaCostConfig, readAthenaConfig } from './athenaConfig';
import { cur2DailyQuery } from './cur2Query';
import { runDuckDb as duck } from '../__testUtils__/runDuckDb';

jest.setTimeout(120_000);

const {
  generateDemoBilling,
  // eslint-disable-next-line @backstage/no-relative-monorepo-imports
} = require('../../../../examples/billing/generate.js');

/** Tables (Athena `cur.<name>`) by the SQL of their one Parquet file. */
const TABLES = {
  cur2: cur2ExportSql(),
  cur2_no_split: cur2ExportSql({ split: false }),
  cur2_pages: cur2ExportSql({ buckets: 2500 }),
  cur2_no_sp_cost: `SELECT * EXCLUDE (savings_plan_savings_plan_effective_cost) FROM (${cur2ExportSql()})`,
};
type Table = keyof typeof TABLES;

let dir: string;
let fake: FakeAws;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'costscope-cur2-'));
  for (const [table, sql] of Object.entries(TABLES)) {
    const partition = path.join(dir, table, 'BILLING_PERIOD=2026-03');
    fs.mkdirSync(partition, { recursive: true });
    await duck(
      `COPY (${sql}) TO '${partition}/part-0.parquet' (FORMAT parquet)`,
    );
  }
  // the fake AWS's other services answer from a demo bill
  generateDemoBilling({ outDir: dir, endDate: '2026-03-20', months: 1 });
  fake = await startFakeAws({
    billingDir: path.join(dir, 'aws'),
    athenaTables: Object.fromEntries(
      Object.keys(TABLES).map(t => [`cur.${t}`, path.join(dir, t)]),
    ),
    athenaDelayMs: 20,
  });
});

afterAll(async () => {
  await fake?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const CONFIG: AthenaCostConfig = {
  database: 'cur',
  table: 'cur2',
  workgroup: 'costscope',
  outputLocation: 's3://athena-results/costscope/',
  region: 'us-east-1',
  format: 'cur2',
  partitionColumn: 'billing_period',
  months: 1,
  pricePerTbUsd: '5',
  poll: { initialMs: 10, maxMs: 40 },
  queryTimeoutMs: 60_000,
  schedule: { frequency: { hours: 12 }, timeout: { minutes: 30 } },
};

async function read(table: Table) {
  return readCostSourceForTest(
    athenaSourceForFake(
      { ...CONFIG, table },
      { url: fake.url, credentials: credentialsFor('111122223333') },
      () => new Date('2026-03-20T08:00:00Z'),
    ),
  );
}

/** The export's exact amounts (DECIMAL, as AWS computed them before writing doubles). */
const EXACT = `(${cur2ExportSql({ money: 'DECIMAL' })})`;

/** DuckDB's own sums of the exact export on each basis, as AWS defines them. */
async function exportTotals(exact = EXACT) {
  const [[billed, effective, list]] = await duck(`
    SELECT
      SUM(line_item_unblended_cost),
      SUM(CASE line_item_line_item_type
        WHEN 'SavingsPlanCoveredUsage' THEN savings_plan_savings_plan_effective_cost
        WHEN 'SavingsPlanRecurringFee' THEN savings_plan_total_commitment_to_date - savings_plan_used_commitment
        WHEN 'SavingsPlanNegation' THEN 0
        ELSE line_item_unblended_cost END) FILTER (WHERE split_line_item_parent_resource_id IS NULL),
      SUM(pricing_public_on_demand_cost) FILTER (WHERE split_line_item_parent_resource_id IS NULL)
    FROM ${exact}`);
  return { billed, effective, list };
}

const totals = (lines: CostLine[]) => ({
  billed: sumCostUnits(lines, l => l.billedCost),
  effective: sumCostUnits(lines, l => l.effectiveCost),
  list: sumCostUnits(lines, l => l.listCost),
});

const nodeLines = (lines: CostLine[], day: string) =>
  lines.filter(
    l =>
      l.resourceId === 'i-node-1' &&
      l.chargeDate === day &&
      l.serviceName === 'AmazonEC2',
  );

describe('AthenaCostSource on a CUR 2.0 table (format cur2)', () => {
  it("sums to DuckDB's own sums of the export on every basis, exactly", async () => {
    const expected = await exportTotals();
    for (const table of ['cur2', 'cur2_no_split'] as const) {
      const { lines, rejections, error } = await read(table);
      expect(error).toBeUndefined();
      expect(rejections).toEqual([]);
      // exact to 1e-18: the doubles AWS writes come back as the decimals it meant
      expect(totals(lines)).toEqual({
        billed: units(expected.billed),
        effective: units(expected.effective),
        list: units(expected.list),
      });
    }
  });

  it('maps line types, commitments and tags as the FOCUS path does', async () => {
    const { lines } = await read('cur2');
    const day1 = lines.filter(l => l.chargeDate === '2026-03-01');
    expect(day1.find(l => l.chargeCategory === 'Tax')?.billedCost).toBe(
      '2.3456789012',
    );
    expect(
      day1.find(l => l.serviceName === 'AWSSupportBusiness'),
    ).toMatchObject({
      chargeCategory: 'Purchase',
      effectiveCost: '100.0000000000',
    });
    // the plan's fee: billed as a purchase, its unused part on the effective basis
    const fee = day1.find(l => l.serviceName === 'ComputeSavingsPlans')!;
    expect(fee).toMatchObject({
      chargeCategory: 'Purchase',
      commitmentDiscountStatus: 'Unused',
      billedCost: '3.1200000000',
    });
    const [[used]] = await duck(
      `SELECT SUM(savings_plan_savings_plan_effective_cost) FROM ${EXACT}
       WHERE line_item_line_item_type = 'SavingsPlanCoveredUsage'`,
    );
    expect(units(fee.effectiveCost)).toBe(units('3.12') - units(used));
    // covered usage: billed 0 (its negation left out), amortized at the plan's rate
    const covered = nodeLines(lines, '2026-03-01');
    expect(covered.every(l => l.commitmentDiscountStatus === 'Used')).toBe(
      true,
    );
    expect(sumCostUnits(covered, l => l.billedCost)).toBe(0n);
    expect(sumCostUnits(covered, l => l.effectiveCost)).toBe(units(used));
    // tags from the map: user_ keys without their prefix, empty values left out
    expect(lines.find(l => l.resourceId === 'payments-bucket')).toMatchObject({
      tags: { team: 'payments' },
      regionId: 'us-east-1',
      subAccountId: '444455556666',
      billingAccountId: '111122223333',
    });
  });

  it("divides the node's lines into its pods' split costs and idle, exactly on every basis", async () => {
    const { lines } = await read('cur2');
    for (const day of ['2026-03-01', '2026-03-02']) {
      const parts = nodeLines(lines, day);
      // one line for each pod and one for idle (the node's day is one group)
      expect(parts).toHaveLength(CUR2_PODS.length + 1);
      const [[billed, effective, list]] = await duck(`
        SELECT SUM(CASE WHEN line_item_line_item_type = 'SavingsPlanCoveredUsage' THEN 0
                        ELSE line_item_unblended_cost END),
          SUM(CASE WHEN line_item_line_item_type = 'SavingsPlanCoveredUsage'
                   THEN savings_plan_savings_plan_effective_cost ELSE line_item_unblended_cost END),
          SUM(pricing_public_on_demand_cost)
        FROM ${EXACT}
        WHERE line_item_resource_id = 'i-node-1' AND product_servicecode = 'AmazonEC2'
          AND line_item_line_item_type <> 'SavingsPlanNegation'
          AND CAST(line_item_usage_start_date AS DATE) = DATE '${day}'`);
      // parts plus idle are the node's cost to the last digit
      expect(totals(parts)).toEqual({
        billed: units(billed),
        effective: units(effective),
        list: units(list),
      });
      for (const pod of CUR2_PODS) {
        const [[split, listSplit]] = await duck(`
          SELECT SUM(split_line_item_split_cost), SUM(split_line_item_public_on_demand_split_cost)
          FROM ${EXACT} WHERE line_item_resource_id = '${pod.pod}'
            AND CAST(line_item_usage_start_date AS DATE) = DATE '${day}'`);
        const line = parts.find(l => l.allocated?.resourceId === pod.pod)!;
        // each pod's part is AWS's split cost of the pod, exactly
        expect(units(line.effectiveCost)).toBe(units(split));
        expect(units(line.listCost!)).toBe(units(listSplit));
        expect(line.allocated).toEqual({
          methodId: 'AWS-EKS-SplitCost',
          resourceId: pod.pod,
          tags: {
            'aws:eks:cluster-name': 'prod',
            'aws:eks:namespace': pod.namespace,
            'aws:eks:workload-name': pod.workload,
            ...(pod.kubernetesId
              ? { backstage_io_kubernetes_id: pod.kubernetesId }
              : {}),
          },
        });
        // the node's own tags stay the line's
        expect(line.tags).toEqual({
          team: 'platform',
          eks_cluster_name: 'prod',
        });
      }
      const idle = parts.find(
        l => l.allocated?.resourceName === ALLOCATED_IDLE_RESOURCE_NAME,
      )!;
      expect(idle.allocated).toEqual({
        methodId: 'AWS-EKS-SplitCost',
        resourceName: '__idle__',
        tags: {},
      });
      // idle is AWS's unused cost, plus what AWS's figures missed of the node's cost
      const [[unused, listUnused]] = await duck(`
        SELECT SUM(split_line_item_unused_cost), SUM(split_line_item_public_on_demand_unused_cost)
        FROM ${EXACT} WHERE split_line_item_parent_resource_id = 'i-node-1'
          AND CAST(line_item_usage_start_date AS DATE) = DATE '${day}'`);
      const shortfall =
        day === '2026-03-02' ? 24n * units(CUR2_UNUSED_SHORTFALL) : 0n;
      expect(units(idle.effectiveCost)).toBe(units(unused) + shortfall);
      expect(units(idle.listCost!)).toBe(units(listUnused));
    }
    // the node's data transfer is not split
    const transfer = lines.filter(
      l => l.resourceId === 'i-node-1' && l.serviceName === 'AWSDataTransfer',
    );
    expect(transfer).toHaveLength(2);
    expect(transfer.some(l => l.allocated)).toBe(false);
    // on demand (the 2nd), billed is split as effective; covered (the 1st), billed is 0
    const day2 = nodeLines(lines, '2026-03-02');
    expect(day2.every(l => l.billedCost === l.effectiveCost)).toBe(true);
    expect(
      sumCostUnits(nodeLines(lines, '2026-03-01'), l => l.billedCost),
    ).toBe(0n);
  });

  it("holds a node's day across result pages until its lines are complete", async () => {
    const { lines, count, rejections } = await read('cur2_pages');
    expect(rejections).toEqual([]);
    // 2,500 more buckets on the 1st after i-node-1: three pages of 1,000 rows
    expect(count('athena:GetQueryResults')).toBe(3);
    const expected = await exportTotals(
      `(${cur2ExportSql({ money: 'DECIMAL', buckets: 2500 })})`,
    );
    expect(totals(lines)).toEqual({
      billed: units(expected.billed),
      effective: units(expected.effective),
      list: units(expected.list),
    });
    for (const day of ['2026-03-01', '2026-03-02'])
      expect(nodeLines(lines, day)).toHaveLength(CUR2_PODS.length + 1);
  });

  it('reads a CUR 2.0 table without split cost allocation data, nothing allocated', async () => {
    const { lines, error } = await read('cur2_no_split');
    expect(error).toBeUndefined();
    expect(lines.some(l => l.allocated)).toBe(false);
    expect(nodeLines(lines, '2026-03-02')).toHaveLength(1);
  });

  it('fails the run naming a column the table lacks', async () => {
    const { error, lines } = await read('cur2_no_sp_cost');
    expect(lines).toEqual([]);
    expect(error?.message).toMatch(
      /CUR 2\.0 table cur\.cur2_no_sp_cost: the table has no column savings_plan_savings_plan_effective_cost/,
    );
  });

  it('names the key of a format it does not read', () => {
    const config = (format: string) =>
      new ConfigReader({
        athena: {
          database: 'cur',
          table: 'cur2',
          outputLocation: 's3://athena-results/costscope/',
          format,
        },
      });
    expect(() => readAthenaConfig(config('cur3'), 'us-east-1')).toThrow(
      "Invalid Costscope AWS config at 'costscope.aws.athena.format': 'cur3' is not one of 'focus', 'cur2'",
    );
    expect(readAthenaConfig(config('cur2'), 'us-east-1')?.format).toBe('cur2');
  });

  it('orders pods first only when the table has split data', () => {
    const query = (columns: string[]) =>
      cur2DailyQuery({
        database: 'cur',
        table: 'cur2',
        partitionColumn: 'billing_period',
        period: '2026-03',
        columns: new Map(columns.map(c => [c, 'string'])),
      });
    expect(query([])).not.toMatch(/ORDER BY|split_line_item/);
    expect(
      query([
        'split_line_item_parent_resource_id',
        'split_line_item_split_cost',
        'split_line_item_public_on_demand_split_cost',
      ]),
    ).toMatch(/ORDER BY 17 NULLS LAST, 1, 9$/);
    expect(() =>
      cur2DailyQuery({
        database: 'cur',
        table: 'cur2',
        partitionColumn: 'billing_period',
        period: '2026-3',
        columns: new Map(),
      }),
    ).toThrow("'2026-3' is not a YYYY-MM billing period");
  });
});
