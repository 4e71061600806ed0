// End to end: `npm run start:fake-aws`, the portal whose AWS cost and inventory come through the
// real AWS SDK from the local fake AWS, driven in headless Chromium.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, openPortalPage } from './browser.mjs';
import { api, ROOT, startPortal, waitFor } from './portal.mjs';

const artifacts = path.join(ROOT, 'test/artifacts');
const ACCOUNTS = ['111122223333', '222233334444', '444455556666'];
let portal;
let browser;
let page;

/** Exact sum of decimal strings, as nano-units (the API's amounts have 9 decimals). */
function nanos(amount) {
  const negative = amount.startsWith('-');
  const [whole, fraction = ''] = (negative ? amount.slice(1) : amount).split(
    '.',
  );
  const value =
    BigInt(whole) * 10n ** 9n + BigInt(fraction.padEnd(9, '0').slice(0, 9));
  return negative ? -value : value;
}

/** The demo bill's manifest: its days and the FOCUS files' own totals. */
function demoManifest() {
  return JSON.parse(
    readFileSync(
      path.join(ROOT, 'examples/billing/generated/manifest.json'),
      'utf8',
    ),
  );
}

async function latestRuns() {
  const { items } = await api('/v1/ingest-runs?limit=100');
  const latest = new Map();
  for (const run of items)
    if (!latest.has(run.sourceId)) latest.set(run.sourceId, run);
  return latest;
}

before(
  async () => {
    // This portal's database is the test's own (app-config.fake-aws.yaml). Start it empty:
    // the scheduler remembers each task's last run across restarts, so a second `npm test`
    // within the hour would otherwise wait for demo-gcp's next hourly run.
    await rm(path.join(ROOT, '.cache/sqlite-fake-aws'), {
      recursive: true,
      force: true,
    });
    portal = await startPortal({
      script: 'scripts/start-fake-aws.sh',
      logName: 'portal-fake-aws.log',
    });
    // Each account's cost and inventory sources run a few seconds after the backend starts.
    await waitFor(
      'every AWS account read through the fake AWS',
      async () => {
        const runs = await latestRuns();
        return (
          ACCOUNTS.every(
            id =>
              runs.get(`aws-ce-${id}`)?.status === 'succeeded' &&
              runs.get(`aws-ec2-${id}`)?.status === 'succeeded',
          ) && runs.get('demo-gcp')?.status === 'succeeded'
        );
      },
      300_000,
    );
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  },
  { timeout: 900_000 },
);

after(async () => {
  await browser?.close();
  await portal?.stop();
});

test('Cost Explorer through the fake AWS gives the bill of the FOCUS files', async () => {
  const manifest = demoManifest();
  // Allocation runs after each ingest; wait until the overview holds every source's cost.
  const overview = await waitFor(
    'the organisation total of AWS (Cost Explorer) and GCP (FOCUS)',
    async () => {
      const answer = await api(
        `/v1/overview?from=${manifest.startDate}&to=${manifest.endDate}&costBasis=billed`,
      );
      const difference =
        nanos(answer.total) - nanos(manifest.totals.billedCost.slice(0, -3));
      return (difference < 0n ? -difference : difference) <= 1000n && answer;
    },
    120_000,
  );
  assert.ok(overview);
  // Amortized, the default basis: Cost Explorer's AmortizedCost is the files' EffectiveCost.
  const amortized = await api(
    `/v1/overview?from=${manifest.startDate}&to=${manifest.endDate}`,
  );
  assert.equal(amortized.costBasis, 'effective');
  const effectiveGap =
    nanos(amortized.total) - nanos(manifest.totals.effectiveCost.slice(0, -3));
  assert.ok(
    (effectiveGap < 0n ? -effectiveGap : effectiveGap) <= 1000n,
    `amortized total ${amortized.total}, files' EffectiveCost ${manifest.totals.effectiveCost}`,
  );

  const runs = await latestRuns();
  for (const id of ACCOUNTS) {
    const run = runs.get(`aws-ce-${id}`);
    assert.ok(run.apiCalls['ce:GetCostAndUsage'] >= 3, `requests of ${id}`);
    assert.equal(
      run.apiCostUsd,
      (run.apiCalls['ce:GetCostAndUsage'] / 100).toFixed(9),
    );
  }
});

test(
  'the Costscope page lists the AWS runs with their API calls',
  { timeout: 180_000 },
  async () => {
    await openPortalPage(page, '/costscope');
    const row = page
      .getByRole('row')
      .filter({ hasText: 'aws-ce-111122223333' })
      .first();
    await row.waitFor({ timeout: 60_000 });
    const runs = await latestRuns();
    const calls = runs.get('aws-ce-111122223333').apiCalls[
      'ce:GetCostAndUsage'
    ];
    assert.match(
      await row.innerText(),
      new RegExp(`${calls} \\(\\$\\d+\\.\\d\\d\\)`),
    );
    await page
      .getByRole('row')
      .filter({ hasText: 'aws-ec2-111122223333' })
      .first()
      .waitFor();
    await row.scrollIntoViewIfNeeded();
    await page.screenshot({
      path: path.join(artifacts, 'fake-aws-runs.png'),
      fullPage: true,
    });
  },
);

test(
  "the Commitments tab shows Cost Explorer's own Savings Plans figures",
  { timeout: 240_000 },
  async () => {
    const manifest = demoManifest();
    const report = await waitFor(
      "Cost Explorer's Savings Plans report",
      async () => {
        const { reported } = await api(
          `/v1/commitments?from=${manifest.startDate}&to=${manifest.endDate}`,
        );
        return reported?.find(
          r => r.commitmentType === 'SavingsPlans' && r.months.length > 0,
        );
      },
      180_000,
    );
    const runs = await latestRuns();
    assert.equal(
      runs.get('aws-ce-commitments-111122223333')?.status,
      'succeeded',
    );
    await openPortalPage(page, '/costscope?tab=commitments');
    const table = page.getByRole('table', {
      name: 'As reported by AWS Cost Explorer — Savings Plans',
    });
    await table.waitFor({ timeout: 60_000 });
    // The newest month the table shows is one Cost Explorer reported, with its figures.
    const newest = (
      await table.getByRole('rowheader').first().innerText()
    ).trim();
    const month = report.months.find(m => m.month === newest);
    assert.ok(month, `${newest} is one of the reported months`);
    const percent = share =>
      new Intl.NumberFormat('en-US', {
        style: 'percent',
        maximumFractionDigits: 1,
      }).format(share);
    const row = table.getByRole('row').filter({ hasText: newest });
    const text = await row.innerText();
    // The demo plan leaves 4 % of its commitment unused.
    assert.ok(month.utilization > 0.95 && month.utilization < 0.97);
    assert.ok(text.includes(percent(month.utilization)), text);
    assert.ok(text.includes(percent(month.coverage)), text);
    await table.scrollIntoViewIfNeeded();
    await page.screenshot({
      path: path.join(artifacts, 'fake-aws-commitments.png'),
      fullPage: true,
    });
  },
);
