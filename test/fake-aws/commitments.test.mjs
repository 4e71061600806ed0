// The fake's Cost Explorer commitment reports driven by the real SDK client: node --test test/fake-aws/
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { after, before, describe, test } from 'node:test';

const require = createRequire(import.meta.url);
const { startFakeAws, credentialsFor, DEMO_ACCOUNTS } = require('./index.js');
const { parseDecimal, formatAmount } = require('./decimal.js');
const { parseRows } = require('./csv.js');
const { percent } = require('./commitments.js');
const { generateDemoBilling } = require('../../examples/billing/generate.js');
const {
  CostExplorerClient,
  GetSavingsPlansCoverageCommand,
  GetSavingsPlansUtilizationCommand,
  GetReservationCoverageCommand,
  GetReservationUtilizationCommand,
} = require('@aws-sdk/client-cost-explorer');

const { prod, staging, payer } = DEMO_ACCOUNTS;
const OCTOBER = { Start: '2026-10-01', End: '2026-11-01' };
// A documented fixture: 720 hours bought in October for USD 36, 540 of them used, which
// would have cost USD 54 on demand.
const RESERVATIONS = [
  {
    month: '2026-10',
    accountId: prod,
    purchasedHours: '720',
    usedHours: '540',
    amortizedFee: '36',
    onDemandCostOfUsedHours: '54',
  },
];

let out;
let fake;
/** October's AWS rows of the demo file, as the file has them. */
let october;

before(async () => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-aws-commitments-'));
  generateDemoBilling({ outDir: out, endDate: '2026-11-22' });
  const [header, ...rows] = parseRows(
    zlib
      .gunzipSync(fs.readFileSync(path.join(out, 'aws/focus-2026-10.csv.gz')))
      .toString('utf8'),
  );
  october = rows.map(r => Object.fromEntries(header.map((h, i) => [h, r[i]])));
  fake = await startFakeAws({
    billingDir: path.join(out, 'aws'),
    pageSize: 2,
    reservationMonths: RESERVATIONS,
  });
});
after(async () => {
  await fake.close();
  fs.rmSync(out, { recursive: true, force: true });
});

const ce = (accountId = payer) =>
  new CostExplorerClient({
    region: 'us-east-1',
    endpoint: fake.url,
    credentials: credentialsFor(accountId),
    maxAttempts: 1,
  });
const sum = (rows, column) =>
  rows.reduce((s, r) => s + parseDecimal(r[column]), 0n);

async function rejectsWith(promise, name) {
  await assert.rejects(promise, err => {
    assert.equal(err.name, name, `${err.name}: ${err.message}`);
    return true;
  });
}

test('percentages are exact to 10 decimals, truncated', () => {
  assert.equal(percent(1n, 3n), '33.3333333333');
  assert.equal(percent(2n, 3n), '66.6666666666');
  assert.equal(percent(3n, 3n), '100.0000000000');
  assert.equal(percent(0n, 0n), '0');
});

describe('GetSavingsPlansCoverage', () => {
  test("October: the plan's covered usage at list price against the EC2 instance usage", async () => {
    const covered = october.filter(
      r =>
        r.ChargeCategory === 'Usage' && r.CommitmentDiscountStatus === 'Used',
    );
    const onDemand = october.filter(
      r =>
        r.ChargeCategory === 'Usage' &&
        r.ServiceName === 'Amazon Elastic Compute Cloud' &&
        r.ResourceType === 'Instance' &&
        !r.CommitmentDiscountId,
    );
    assert.ok(covered.length > 0 && onDemand.length > 0);
    const answer = await ce().send(
      new GetSavingsPlansCoverageCommand({
        TimePeriod: OCTOBER,
        Granularity: 'MONTHLY',
      }),
    );
    assert.equal(answer.NextToken, undefined);
    assert.equal(answer.SavingsPlansCoverages.length, 1);
    const [{ Coverage, TimePeriod }] = answer.SavingsPlansCoverages;
    assert.deepEqual(TimePeriod, OCTOBER);
    const c = sum(covered, 'ListCost');
    const o = sum(onDemand, 'ListCost');
    assert.equal(Coverage.SpendCoveredBySavingsPlans, formatAmount(c));
    assert.equal(Coverage.OnDemandCost, formatAmount(o));
    assert.equal(Coverage.TotalCost, formatAmount(c + o));
    assert.equal(Coverage.CoveragePercentage, percent(c, c + o));
  });

  test('pages months with NextToken; a token is bound to its request', async () => {
    const input = {
      TimePeriod: { Start: '2026-06-15', End: '2026-11-01' },
      Granularity: 'MONTHLY',
      MaxResults: 10,
    };
    const client = ce();
    const months = [];
    let token;
    let pages = 0;
    do {
      const page = await client.send(
        new GetSavingsPlansCoverageCommand({ ...input, NextToken: token }),
      );
      pages += 1;
      months.push(...page.SavingsPlansCoverages.map(c => c.TimePeriod.Start));
      token = page.NextToken;
      if (token) {
        await rejectsWith(
          client.send(
            new GetSavingsPlansCoverageCommand({
              ...input,
              TimePeriod: OCTOBER,
              NextToken: token,
            }),
          ),
          'InvalidNextTokenException',
        );
      }
    } while (token);
    // pageSize 2: five months (June clipped to its second half) in three pages
    assert.equal(pages, 3);
    assert.deepEqual(months, [
      '2026-06-15',
      '2026-07-01',
      '2026-08-01',
      '2026-09-01',
      '2026-10-01',
    ]);
  });

  test('a member account sees only its own usage', async () => {
    const answer = await ce(staging).send(
      new GetSavingsPlansCoverageCommand({ TimePeriod: OCTOBER }),
    );
    assert.equal(
      answer.SavingsPlansCoverages[0].Coverage.SpendCoveredBySavingsPlans,
      '0.0000000000',
    );
  });

  test('TimePeriod and Metrics are checked as CE checks them', async () => {
    const client = ce();
    await rejectsWith(
      client.send(
        new GetSavingsPlansCoverageCommand({
          TimePeriod: { Start: '2026-11-01', End: '2026-10-01' },
        }),
      ),
      'ValidationException',
    );
    await rejectsWith(
      client.send(
        new GetSavingsPlansCoverageCommand({
          TimePeriod: { Start: '2026-10-32', End: '2026-11-01' },
        }),
      ),
      'ValidationException',
    );
    await rejectsWith(
      client.send(
        new GetSavingsPlansCoverageCommand({
          TimePeriod: OCTOBER,
          Metrics: ['UnblendedCost'],
        }),
      ),
      'ValidationException',
    );
  });
});

describe('GetSavingsPlansUtilization', () => {
  test("October: the fee is the commitment; covered usage used it, the unused line didn't", async () => {
    const fee = sum(
      october.filter(
        r =>
          r.ChargeCategory === 'Purchase' &&
          r.CommitmentDiscountType === 'Savings Plan',
      ),
      'BilledCost',
    );
    const used = october.filter(
      r =>
        r.ChargeCategory === 'Usage' && r.CommitmentDiscountStatus === 'Used',
    );
    const unused = sum(
      october.filter(r => r.CommitmentDiscountStatus === 'Unused'),
      'EffectiveCost',
    );
    const answer = await ce().send(
      new GetSavingsPlansUtilizationCommand({
        TimePeriod: OCTOBER,
        Granularity: 'MONTHLY',
      }),
    );
    const [month] = answer.SavingsPlansUtilizationsByTime;
    assert.equal(answer.SavingsPlansUtilizationsByTime.length, 1);
    assert.deepEqual(month.Utilization, {
      TotalCommitment: formatAmount(fee),
      UsedCommitment: formatAmount(sum(used, 'EffectiveCost')),
      UnusedCommitment: formatAmount(unused),
      UtilizationPercentage: percent(sum(used, 'EffectiveCost'), fee),
    });
    // the demo's plan is 4 % unused, the fee rounded to cents
    assert.match(month.Utilization.UtilizationPercentage, /^9[56]\.9/);
    assert.deepEqual(month.Savings, {
      OnDemandCostEquivalent: formatAmount(sum(used, 'ListCost')),
      NetSavings: formatAmount(sum(used, 'ListCost') - fee),
    });
    assert.equal(
      month.AmortizedCommitment.TotalAmortizedCommitment,
      formatAmount(fee),
    );
    assert.deepEqual(answer.Total.Utilization, month.Utilization);
  });

  test('an account without a plan gets DataUnavailableException', async () => {
    await rejectsWith(
      ce(staging).send(
        new GetSavingsPlansUtilizationCommand({ TimePeriod: OCTOBER }),
      ),
      'DataUnavailableException',
    );
    // the plan is the prod account's: it sees it
    const answer = await ce(prod).send(
      new GetSavingsPlansUtilizationCommand({ TimePeriod: OCTOBER }),
    );
    assert.equal(answer.SavingsPlansUtilizationsByTime.length, 1);
  });
});

describe('reservations', () => {
  test('GetReservationUtilization answers from the fixture, worked by hand', async () => {
    const answer = await ce().send(
      new GetReservationUtilizationCommand({
        TimePeriod: { Start: '2026-09-01', End: '2026-11-01' },
        Granularity: 'MONTHLY',
      }),
    );
    // September has no reservation: only October is there
    assert.equal(answer.UtilizationsByTime.length, 1);
    assert.deepEqual(answer.UtilizationsByTime[0].TimePeriod, OCTOBER);
    assert.deepEqual(answer.UtilizationsByTime[0].Total, {
      UtilizationPercentage: '75.0000000000', // 540 / 720
      PurchasedHours: '720',
      TotalActualHours: '540',
      UnusedHours: '180',
      OnDemandCostOfRIHoursUsed: '54.0000000000',
      NetRISavings: '18.0000000000', // 54 - 36
      TotalPotentialRISavings: '36.0000000000', // 720 h x 0.10 - 36
      AmortizedUpfrontFee: '0.0000000000',
      AmortizedRecurringFee: '36.0000000000',
      TotalAmortizedFee: '36.0000000000',
      RICostForUnusedHours: '9.0000000000', // 36 x 180 / 720
      RealizedSavings: '18.0000000000',
      UnrealizedSavings: '18.0000000000',
    });
    await rejectsWith(
      ce(staging).send(
        new GetReservationUtilizationCommand({ TimePeriod: OCTOBER }),
      ),
      'DataUnavailableException',
    );
  });

  test('GetReservationCoverage: the reserved hours beside the on-demand EC2 instance hours', async () => {
    const instanceRows = october.filter(
      r =>
        r.ChargeCategory === 'Usage' &&
        r.ServiceName === 'Amazon Elastic Compute Cloud' &&
        r.ResourceType === 'Instance',
    );
    const hours = sum(instanceRows, 'PricingQuantity');
    const answer = await ce().send(
      new GetReservationCoverageCommand({
        TimePeriod: OCTOBER,
        Granularity: 'MONTHLY',
      }),
    );
    const { CoverageHours, CoverageCost } = answer.CoveragesByTime[0].Total;
    const onDemand = formatAmount(hours).replace(/\.?0+$/, '');
    assert.equal(CoverageHours.OnDemandHours, onDemand);
    assert.equal(CoverageHours.ReservedHours, '540');
    assert.equal(
      CoverageHours.CoverageHoursPercentage,
      percent(540n, hours / 10n ** 12n + 540n),
    );
    assert.equal(
      CoverageCost.OnDemandCost,
      formatAmount(sum(instanceRows, 'BilledCost')),
    );
  });

  test('GetReservationCoverage pages with NextPageToken', async () => {
    const client = ce();
    const input = { TimePeriod: { Start: '2026-07-01', End: '2026-11-01' } };
    const first = await client.send(new GetReservationCoverageCommand(input));
    assert.equal(first.CoveragesByTime.length, 2);
    assert.ok(first.NextPageToken);
    const second = await client.send(
      new GetReservationCoverageCommand({
        ...input,
        NextPageToken: first.NextPageToken,
      }),
    );
    assert.deepEqual(
      second.CoveragesByTime.map(c => c.TimePeriod.Start),
      ['2026-09-01', '2026-10-01'],
    );
    assert.equal(second.NextPageToken, undefined);
    await rejectsWith(
      client.send(
        new GetReservationCoverageCommand({
          ...input,
          NextPageToken: 'made-up',
        }),
      ),
      'InvalidNextTokenException',
    );
  });
});
