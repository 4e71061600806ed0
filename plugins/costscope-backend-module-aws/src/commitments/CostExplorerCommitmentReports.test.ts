import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { mockServices } from '@backstage/backend-test-utils';
import { nanosToMoney, parseDecimal } from '@costscope/backstage-plugin-common';
// The fake AWS lives with the end-to-end tests; it speaks the real wire protocols.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import {
  credentialsFor,
  FakeAws,
  startFakeAws,
} from '../../../../test/fake-aws';
import { CostExplorerCommitmentReports } from './CostExplorerCommitmentReports';

jest.setTimeout(120_000);

const {
  generateDemoBilling,
  // eslint-disable-next-line @backstage/no-relative-monorepo-imports
} = require('../../../../examples/billing/generate.js');
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
const { parseRows } = require('../../../../test/fake-aws/csv.js');

const PROD = '111122223333';
const STAGING = '222233334444';
const RANGE = { from: '2026-09-01', to: '2026-11-23' };

type Row = Record<string, string>;
const nanos = (text: string) => parseDecimal(text || '0', 9)!;
const sum = (rows: Row[], column: string) =>
  rows.reduce((s, r) => s + nanos(r[column]), 0n);

describe('CostExplorerCommitmentReports against the fake AWS', () => {
  let fake: FakeAws;
  let dir: string;
  let october: Row[];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'costscope-commitments-'));
    generateDemoBilling({ outDir: dir, endDate: '2026-11-22', months: 3 });
    const [header, ...rows]: string[][] = parseRows(
      zlib
        .gunzipSync(fs.readFileSync(path.join(dir, 'aws/focus-2026-10.csv.gz')))
        .toString('utf8'),
    );
    october = rows
      .map(r => Object.fromEntries(header.map((h, i) => [h, r[i]])))
      .filter(r => r.SubAccountId === PROD);
    fake = await startFakeAws({
      billingDir: path.join(dir, 'aws'),
      pageSize: 2,
      // 720 reserved hours in October for USD 36, 540 used, worth USD 54 on demand
      reservationMonths: [
        {
          month: '2026-10',
          accountId: PROD,
          purchasedHours: '720',
          usedHours: '540',
          amortizedFee: '36',
          onDemandCostOfUsedHours: '54',
        },
      ],
    });
  });
  afterAll(async () => {
    await fake.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => fake.reset());

  const source = (accountId: string) =>
    new CostExplorerCommitmentReports(
      { accountId, regions: ['us-east-1'] },
      new CostExplorerClient({
        region: 'us-east-1',
        endpoint: fake.url,
        credentials: credentialsFor(accountId),
        maxAttempts: 1,
      }),
    );
  const context = () => {
    const calls: Array<[string, string | undefined]> = [];
    return {
      calls,
      logger: mockServices.logger.mock(),
      ...RANGE,
      apiCall: (operation: string, costUsd?: string) => {
        calls.push([operation, costUsd]);
      },
    };
  };

  it("reads the prod account's Savings Plan and reservations per month, every page, each request counted", async () => {
    const ctx = context();
    const reports = await source(PROD).read(ctx);
    expect(
      reports.map(r => [r.provider, r.commitmentType, r.currency]),
    ).toEqual([
      ['AWS', 'SavingsPlans', 'USD'],
      ['AWS', 'Reservations', 'USD'],
    ]);

    // October by hand from the FOCUS file: the plan covered these rows (at list price), the
    // other EC2 instance hours ran on demand; the fee is the commitment, the unused line what
    // nothing used.
    const coveredRows = october.filter(
      r =>
        r.ChargeCategory === 'Usage' && r.CommitmentDiscountStatus === 'Used',
    );
    const onDemandRows = october.filter(
      r =>
        r.ChargeCategory === 'Usage' &&
        r.ServiceName === 'Amazon Elastic Compute Cloud' &&
        r.ResourceType === 'Instance' &&
        !r.CommitmentDiscountId,
    );
    const fee = sum(
      october.filter(
        r =>
          r.ChargeCategory === 'Purchase' &&
          r.CommitmentDiscountType === 'Savings Plan',
      ),
      'BilledCost',
    );
    const unused = sum(
      october.filter(r => r.CommitmentDiscountStatus === 'Unused'),
      'EffectiveCost',
    );
    const covered = sum(coveredRows, 'ListCost');
    const [savingsPlans, reservations] = reports;
    expect(savingsPlans.months.map(m => m.month)).toEqual([
      '2026-09',
      '2026-10',
      '2026-11',
    ]);
    expect(savingsPlans.months[1]).toEqual({
      month: '2026-10',
      coveredCost: nanosToMoney(covered),
      eligibleCost: nanosToMoney(covered + sum(onDemandRows, 'ListCost')),
      purchasedCommitment: nanosToMoney(fee),
      usedCommitment: nanosToMoney(sum(coveredRows, 'EffectiveCost')),
      unusedCommitment: nanosToMoney(unused),
      netSavings: nanosToMoney(covered - fee),
    });
    // the demo's plan leaves 4 % unused
    expect(Number(unused) / Number(fee)).toBeCloseTo(0.04, 4);

    // Reservations, worked by hand: covered = the used hours' on-demand cost (54), eligible =
    // that plus what the instance hours were billed on demand; used = 36 - 9 unused.
    const billedOnDemand = sum(
      october.filter(
        r =>
          r.ChargeCategory === 'Usage' &&
          r.ServiceName === 'Amazon Elastic Compute Cloud' &&
          r.ResourceType === 'Instance',
      ),
      'BilledCost',
    );
    expect(reservations.months).toEqual([
      {
        month: '2026-09',
        coveredCost: '0.000000000',
        eligibleCost: expect.stringMatching(/^\d+\.\d{9}$/),
      },
      {
        month: '2026-10',
        coveredCost: '54.000000000',
        eligibleCost: nanosToMoney(54_000_000_000n + billedOnDemand),
        purchasedCommitment: '36.000000000',
        unusedCommitment: '9.000000000',
        usedCommitment: '27.000000000',
        netSavings: '18.000000000',
      },
      {
        month: '2026-11',
        coveredCost: '0.000000000',
        eligibleCost: expect.stringMatching(/^\d+\.\d{9}$/),
      },
    ]);

    // three months in pages of two: coverage twice per type, utilization once
    expect(ctx.calls).toEqual([
      ['ce:GetSavingsPlansCoverage', '0.01'],
      ['ce:GetSavingsPlansCoverage', '0.01'],
      ['ce:GetSavingsPlansUtilization', '0.01'],
      ['ce:GetReservationUtilization', '0.01'],
      ['ce:GetReservationCoverage', '0.01'],
      ['ce:GetReservationCoverage', '0.01'],
    ]);
    expect(fake.requestCounts()).toEqual({
      'ce:GetSavingsPlansCoverage': 2,
      'ce:GetSavingsPlansUtilization': 1,
      'ce:GetReservationUtilization': 1,
      'ce:GetReservationCoverage': 2,
    });
    // filtered to the account, like its cost source
    expect(fake.requestLog()[0].body).toMatchObject({
      Filter: { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [PROD] } },
      Granularity: 'MONTHLY',
      TimePeriod: { Start: '2026-09-01', End: '2026-11-23' },
    });
  });

  it('reports nothing for an account without commitments (DataUnavailableException is no failure)', async () => {
    const ctx = context();
    await expect(source(STAGING).read(ctx)).resolves.toEqual([]);
    expect(ctx.calls.map(([operation]) => operation)).toEqual([
      'ce:GetSavingsPlansCoverage',
      'ce:GetSavingsPlansCoverage',
      'ce:GetSavingsPlansUtilization',
      'ce:GetReservationUtilization',
    ]);
  });

  it('names the operation, the account and the AWS error when a call fails', async () => {
    fake.injectFault({
      service: 'ce',
      operation: 'GetSavingsPlansUtilization',
      kind: 'deny',
    });
    await expect(source(PROD).read(context())).rejects.toThrow(
      `Cost Explorer GetSavingsPlansUtilization, account ${PROD}: AccessDeniedException`,
    );
  });
});
