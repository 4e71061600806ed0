// End to end: the real portal with the demo catalog and billing data, driven in headless Chromium.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, openPortalPage } from './browser.mjs';
import {
  api,
  API_TOKEN,
  BACKEND,
  FRONTEND,
  last30Days,
  ROOT,
  startPortal,
  waitFor,
  waitForDemoAllocation,
} from './portal.mjs';

const artifacts = path.join(ROOT, 'test/artifacts');
let portal;
let browser;
let page;

function open(url) {
  return openPortalPage(page, url);
}

before(
  async () => {
    portal = await startPortal();
    await waitForDemoAllocation();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  },
  { timeout: 600_000 },
);

after(async () => {
  await browser?.close();
  await portal?.stop();
});

test(
  'a component Cost tab shows the same total as the API',
  { timeout: 180_000 },
  async () => {
    await open('/catalog');
    await page
      .getByRole('link', { name: 'checkout-api', exact: true })
      .first()
      .click({ timeout: 60_000 });
    await page.getByRole('tab', { name: 'Cost' }).click({ timeout: 60_000 });
    const total = page.getByTestId('costscope-total');
    await total.waitFor({ timeout: 60_000 });

    const { from, to } = last30Days();
    const summary = await api(
      `/v1/entities/component/default/checkout-api/summary?from=${from}&to=${to}`,
    );
    assert.equal(await total.getAttribute('data-amount'), summary.total);
    const shown = Number(summary.total).toLocaleString('en-US', {
      maximumFractionDigits: 0,
    });
    assert.match(await total.innerText(), new RegExp(shown.split(',')[0]));
    await page.getByText('Amazon', { exact: false }).first().waitFor();
    // The daily chart draws its bars only in a real browser, which measures its box. (The
    // Kubernetes card below it has a chart of its own, by workload.)
    const chart = page.locator(
      '[data-testid="costscope-chart"][aria-label*="stacked by service"]',
    );
    await chart
      .locator('.recharts-bar-rectangle')
      .first()
      .waitFor({ timeout: 60_000 });
    // Its description names the largest service first, as the summary does.
    assert.ok(
      (await chart.getAttribute('aria-label')).includes(
        `stacked by service: ${
          summary.byService[0].label ?? summary.byService[0].key
        }`,
      ),
    );
    await page.screenshot({
      path: path.join(artifacts, 'component-cost-tab.png'),
      fullPage: true,
    });
  },
);

test(
  "a component's Cost tab switches between amortized, billed and list cost, kept in the URL",
  { timeout: 180_000 },
  async () => {
    await open('/catalog/default/component/checkout-api/cost');
    const total = page.getByTestId('costscope-total');
    await total.waitFor({ timeout: 60_000 });
    const { from, to } = last30Days();
    const summaryOn = basis =>
      api(
        `/v1/entities/component/default/checkout-api/summary?from=${from}&to=${to}&costBasis=${basis}`,
      );
    const [effective, billed] = await Promise.all([
      summaryOn('effective'),
      summaryOn('billed'),
    ]);
    // Two of checkout-api's nodes run under the demo's Savings Plan: billed at zero, their
    // amortized cost is what the plan's fee buys them.
    assert.ok(Number(effective.total) > Number(billed.total));
    assert.equal(await total.getAttribute('data-amount'), effective.total);
    await page
      .getByText(/^Total \(amortized\)/)
      .first()
      .waitFor();

    await page.getByRole('button', { name: 'Billed cost' }).click();
    await waitFor(
      'the billed total',
      async () => (await total.getAttribute('data-amount')) === billed.total,
      30_000,
    );
    await page
      .getByText(/^Total \(billed\)/)
      .first()
      .waitFor();
    assert.match(page.url(), /[?&]costBasis=billed/);
    await page.screenshot({
      path: path.join(artifacts, 'component-cost-tab-billed.png'),
      fullPage: true,
    });

    // At list price the covered nodes count at on-demand rates: more than amortized.
    const list = await summaryOn('list');
    assert.ok(Number(list.total) > Number(effective.total));
    await page.getByRole('button', { name: 'List cost' }).click();
    await waitFor(
      'the list total',
      async () => (await total.getAttribute('data-amount')) === list.total,
      30_000,
    );
    await page
      .getByText(/^Total \(at list price\)/)
      .first()
      .waitFor();

    // A shared link opens on the same basis.
    await open('/catalog/default/component/checkout-api/cost?costBasis=billed');
    await total.waitFor({ timeout: 60_000 });
    await waitFor(
      'the billed total from the URL',
      async () => (await total.getAttribute('data-amount')) === billed.total,
      30_000,
    );
  },
);

test(
  "a component's Overview shows its spend card, linking to the Cost tab",
  { timeout: 120_000 },
  async () => {
    await open('/catalog/default/component/checkout-api');
    const total = page.getByTestId('costscope-card-total');
    await total.waitFor({ timeout: 60_000 });
    const { from, to } = last30Days();
    const summary = await api(
      `/v1/entities/component/default/checkout-api/summary?from=${from}&to=${to}`,
    );
    assert.equal(await total.getAttribute('data-amount'), summary.total);
    await page
      .getByRole('list', { name: 'Top services' })
      .getByText(summary.byService[0].label ?? summary.byService[0].key)
      .first()
      .waitFor({ timeout: 30_000 });
    // The card itself: the legacy layout scrolls inside its own container, which a full-page
    // screenshot does not unroll. The nearest box holding both the figure and the card's title is
    // the card.
    await total
      .locator('xpath=ancestor::*[.//*[text()="Cloud cost"]][1]')
      .screenshot({
        path: path.join(artifacts, 'component-overview-card.png'),
      });
    await page.getByRole('link', { name: 'View cost' }).click();
    await page.getByTestId('costscope-total').waitFor({ timeout: 60_000 });
    assert.equal(
      new URL(page.url()).pathname,
      '/catalog/default/component/checkout-api/cost',
    );
  },
);

test(
  'a system page rolls up its components',
  { timeout: 120_000 },
  async () => {
    await open('/catalog/default/system/checkout/cost');
    const total = page.getByTestId('costscope-total');
    await total.waitFor({ timeout: 60_000 });
    const { from, to } = last30Days();
    const system = await api(
      `/v1/entities/system/default/checkout/summary?from=${from}&to=${to}`,
    );
    assert.equal(await total.getAttribute('data-amount'), system.total);
    assert.ok(
      system.byEntity.some(
        item => item.key === 'component:default/checkout-api',
      ),
    );
    await page.screenshot({
      path: path.join(artifacts, 'system-cost-tab.png'),
      fullPage: true,
    });
  },
);

test(
  'checkout-api shows its cost per order, over 13 months, as the API divides it',
  { timeout: 180_000 },
  async () => {
    const { from, to } = last30Days();
    const ref = '/v1/entities/component/default/checkout-api';
    // The demo's orders file is read 20 s after the backend starts.
    const period = await waitFor(
      'the demo orders',
      async () => {
        const answer = await api(`${ref}/unit-cost?from=${from}&to=${to}`);
        return answer.hasValues && answer;
      },
      120_000,
    );
    assert.equal(period.metric, 'orders');
    // The API's cost is the summary's; its unit cost that cost over the orders.
    const summary = await api(`${ref}/summary?from=${from}&to=${to}`);
    assert.equal(period.total.cost, summary.total);
    assert.notEqual(period.total.unitCost, null);

    await open('/catalog/default/component/checkout-api/cost');
    const figure = page.getByTestId('costscope-unit-cost');
    await figure.waitFor({ timeout: 60_000 });
    assert.equal(
      await figure.getAttribute('data-amount'),
      period.total.unitCost,
    );
    const chart = page.getByTestId('costscope-unit-cost-chart');
    await chart.locator('.recharts-line').first().waitFor({ timeout: 60_000 });
    const trendFrom = new Date(`${to}T00:00:00Z`);
    trendFrom.setUTCMonth(trendFrom.getUTCMonth() - 12, 1);
    const trend = await api(
      `${ref}/unit-cost?from=${trendFrom
        .toISOString()
        .slice(0, 10)}&to=${to}&granularity=month`,
    );
    assert.equal(trend.points.length, 13);
    assert.ok(trend.points.every(point => point.unitCost !== null));
    await chart.scrollIntoViewIfNeeded();
    await page.screenshot({
      path: path.join(artifacts, 'unit-cost-card.png'),
    });
  },
);

test('a team page shows its cost card', { timeout: 120_000 }, async () => {
  await open('/catalog/default/group/payments-squad');
  await page.getByText('Cloud cost').first().waitFor({ timeout: 60_000 });
  await page.getByText('payment-gateway').first().waitFor({ timeout: 60_000 });
  await page.screenshot({
    path: path.join(artifacts, 'group-cost-card.png'),
    fullPage: true,
  });
});

test(
  "a team's Review section shows its digests, and last week's digest is under the guest's Notifications",
  { timeout: 180_000 },
  async () => {
    const team = '/v1/entities/group/default/checkout-squad';
    const week = await api(`${team}/digest?period=week`);
    const month = await api(`${team}/digest?period=month`);
    // A digest's totals are the summary's for its range.
    const weekSummary = await api(
      `${team}/summary?from=${week.from}&to=${week.to}`,
    );
    assert.equal(week.total, weekSummary.total);
    assert.notEqual(week.total, '0.000000000');
    const monthSummary = await api(
      `${team}/summary?from=${month.from}&to=${month.to}`,
    );
    assert.equal(month.total, monthSummary.total);
    assert.equal(
      month.previous.total,
      (
        await api(
          `${team}/summary?from=${month.previous.from}&to=${month.previous.to}`,
        )
      ).total,
    );

    await open('/catalog/default/group/checkout-squad/cost');
    const weekTotal = page.getByTestId('costscope-review-week-total');
    await weekTotal.waitFor({ timeout: 60_000 });
    assert.equal(await weekTotal.getAttribute('data-amount'), week.total);
    const monthTotal = page.getByTestId('costscope-review-month-total');
    await monthTotal.waitFor({ timeout: 60_000 });
    assert.equal(await monthTotal.getAttribute('data-amount'), month.total);
    const top = week.topEntities[0];
    const review = page.locator('#review');
    await review
      .getByRole('table', { name: /^Top entities, Week of/ })
      .getByRole('link', { name: top.label ?? top.key.split('/')[1] })
      .first()
      .waitFor({ timeout: 30_000 });
    // Backstage scrolls inside its content: a tall window shows the whole section.
    await page.setViewportSize({ width: 1440, height: 3200 });
    await review.screenshot({ path: path.join(artifacts, 'group-review.png') });
    await page.setViewportSize({ width: 1440, height: 1000 });

    // npm start sent every team last week's digest; the guest is in the checkout squad.
    await open('/notifications');
    // All, not only unread ones: a portal kept from an earlier run has had them read.
    await page
      .getByRole('button', { name: /Unread notifications/ })
      .first()
      .click({ timeout: 60_000 });
    await page.getByRole('option', { name: 'All', exact: true }).click();
    // The page lists five at a time; the budget alerts of other tests come first.
    await page.getByPlaceholder('Filter').fill('Weekly cost digest');
    const notification = page
      .getByText('Weekly cost digest: Checkout Squad')
      .first();
    await notification.waitFor({ timeout: 60_000 });
    await page.screenshot({
      path: path.join(artifacts, 'digest-notification.png'),
      fullPage: true,
    });
    await notification.click();
    await page.waitForURL(
      /\/catalog\/default\/group\/checkout-squad\/cost\?review=week&date=/,
      {
        timeout: 30_000,
      },
    );
    const linked = new URL(page.url()).searchParams.get('date');
    const sent = await api(`${team}/digest?period=week&date=${linked}`);
    await page
      .getByTestId('costscope-review-week-total')
      .and(page.locator(`[data-amount="${sent.total}"]`))
      .waitFor({ timeout: 60_000 });
  },
);

test(
  'the Costscope page shows the organisation total, unallocated cost and ingest runs',
  { timeout: 120_000 },
  async () => {
    await open('/costscope');
    const total = page.getByTestId('costscope-org-total');
    await total.waitFor({ timeout: 60_000 });
    const overview = await api(
      `/v1/overview?from=${last30Days().from}&to=${last30Days().to}`,
    );
    assert.equal(await total.getAttribute('data-amount'), overview.total);
    assert.notEqual(overview.unallocated, '0.000000000');
    await page.getByText('demo-aws').first().waitFor({ timeout: 30_000 });
    await page.screenshot({
      path: path.join(artifacts, 'costscope-page.png'),
      fullPage: true,
    });

    // Tax, credits and the Savings Plan fee apart from usage, as the API counts them.
    const categories = page
      .getByRole('table')
      .filter({
        has: page.getByRole('columnheader', { name: /Charge category/i }),
      });
    await categories.scrollIntoViewIfNeeded({ timeout: 30_000 });
    const categoryText = await categories.innerText();
    for (const line of overview.byChargeCategory) {
      assert.match(categoryText, new RegExp(line.key));
    }
    assert.deepEqual(
      overview.byChargeCategory.map(line => line.key).sort(),
      ['Credit', 'Purchase', 'Tax', 'Usage'],
    );
    await categories.screenshot({
      path: path.join(artifacts, 'charge-categories.png'),
    });

    // Cost by group opens level by level: Engineering onto its teams, Commerce onto its squads.
    const tree = page.getByRole('table', { name: /^Cost by group/ });
    await tree
      .getByRole('button', { name: 'Show the teams of Engineering' })
      .click({ timeout: 30_000 });
    await tree
      .getByRole('button', { name: 'Show the teams of Commerce' })
      .click({ timeout: 30_000 });
    const squad = tree
      .getByTestId('costscope-group-row')
      .filter({ hasText: 'Checkout Squad' });
    await squad.waitFor({ timeout: 30_000 });
    // Each team's cost is its own rolled-up total.
    const checkout = await api(
      `/v1/entities/group/default/checkout-squad/summary?from=${
        last30Days().from
      }&to=${last30Days().to}`,
    );
    await squad
      .locator(`[data-amount="${checkout.total}"]`)
      .waitFor({ timeout: 30_000 });
    await tree.screenshot({ path: path.join(artifacts, 'group-tree.png') });
  },
);

test(
  "the Costscope page's Tag compliance tab shows the API's figures and whom to ask about unallocated cost",
  { timeout: 120_000 },
  async () => {
    const { from, to } = last30Days();
    const compliance = await api(`/v1/compliance?from=${from}&to=${to}`);
    assert.ok(compliance.resources.total > compliance.resources.compliant);
    assert.ok(compliance.unallocated.top.length > 0);

    await open('/costscope?tab=compliance');
    const count = page.getByTestId('costscope-compliance-count');
    await count.waitFor({ timeout: 60_000 });
    assert.equal(
      await count.innerText(),
      `${compliance.resources.compliant} of ${compliance.resources.total} resources`,
    );
    assert.equal(
      await page
        .getByTestId('costscope-compliance-unallocated')
        .getAttribute('data-amount'),
      compliance.unallocated.cost,
    );
    const top = compliance.unallocated.top[0];
    const topCell = page
      .getByRole('cell', { name: top.resourceName ?? top.resourceId })
      .first();
    await topCell.waitFor({ timeout: 30_000 });
    // Backstage scrolls inside its content: bring the table into the viewport to see it.
    await topCell.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(artifacts, 'org-compliance.png') });
  },
);

test(
  'a team member creates a budget from the card, sees its state, and the alert arrives in notifications',
  { timeout: 240_000 },
  async () => {
    const budgetPath = '/v1/entities/component/default/checkout-api/budget';
    // The SQLite files outlive a run: start without a UI budget (the token acts as admin).
    if ((await api(budgetPath)).status?.budget.source === 'ui') {
      await api(budgetPath, { method: 'DELETE' });
    }

    // The guest is a member of checkout-squad, which owns checkout-api.
    await open('/catalog/default/component/checkout-api');
    await page
      .getByRole('button', { name: 'Create budget' })
      .click({ timeout: 60_000 });
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Amount').fill('1000');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 30_000 });

    // Spent this month is far above 1,000: the card says so with a labelled state.
    const chip = page.locator('[data-state="over"]').first();
    await chip.waitFor({ timeout: 30_000 });
    assert.equal(await chip.innerText(), 'Over budget');
    const { status } = await api(budgetPath);
    assert.equal(status.state, 'over');
    assert.equal(status.budget.amount, '1000.000000000');
    assert.equal(status.budget.updatedBy, 'user:default/guest');
    assert.match(
      await page.getByTestId('costscope-budget-percent').first().innerText(),
      new RegExp(`^${Math.floor(status.percentUsed)}`),
    );
    await page.screenshot({
      path: path.join(artifacts, 'budget-card.png'),
      fullPage: true,
    });

    // The crossed thresholds were stored and delivered to the owning group, guest included.
    const { items } = await api(
      '/v1/alerts?entityRef=component:default/checkout-api',
    );
    const over = items.find(
      alert =>
        alert.kind === 'budget' &&
        alert.threshold.kind === 'actual' &&
        alert.threshold.percent === 100 &&
        alert.period === status.period.from,
    );
    assert.ok(over, 'an alert for 100 % of the budget');
    assert.deepEqual(over.deliveredTo, ['notifications']);
    await open('/notifications');
    await page.getByText(over.title).first().waitFor({ timeout: 60_000 });
    await page.screenshot({
      path: path.join(artifacts, 'notifications.png'),
      fullPage: true,
    });

    // Budgets of other teams are read-only for the guest.
    await open('/catalog/default/component/fraud-detector');
    await page
      .getByTestId('costscope-budget-read-only')
      .first()
      .waitFor({ timeout: 60_000 });
    assert.match(
      await page.getByTestId('costscope-budget-source').first().innerText(),
      /annotations/,
    );
  },
);

test(
  'a component shows its non-compliant resources; the chargeback CSV (admins only) ends with the bill’s total',
  { timeout: 240_000 },
  async () => {
    // cart-service's resources carry `Service` but no `team` (demo tag policy in app-config).
    const { from, to } = last30Days();
    const compliance = await api(
      `/v1/entities/component/default/cart-service/compliance?from=${from}&to=${to}`,
    );
    assert.ok(compliance.nonCompliant.length > 0);
    const worst = compliance.nonCompliant[0];
    assert.equal(worst.violations[0].key, 'team');

    await open('/catalog/default/component/cart-service');
    const table = page.getByRole('region', { name: 'Non-compliant resources' });
    await table.waitFor({ timeout: 60_000 });
    const problems = table.getByLabel(
      `Problems of ${worst.resourceName ?? worst.resourceId}`,
    );
    await problems.first().waitFor({ timeout: 30_000 });
    assert.match(await problems.first().innerText(), /missing team/);
    // Backstage scrolls inside its content: bring the card into the viewport to see it.
    await page.getByText('Tag compliance').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(artifacts, 'tag-compliance.png') });

    // Chargeback by cost center: the downloaded file is the API's CSV, ending in the bill.
    await open('/costscope?tab=chargeback');
    await page.getByRole('button', { name: 'By cost center' }).click();
    // The CSV export is an admin action: the guest sees why, and no button to try.
    const notice = page.getByTestId('costscope-chargeback-download-forbidden');
    await notice.waitFor({ timeout: 30_000 });
    assert.match(
      await notice.innerText(),
      /Only Costscope admins can download/,
    );
    assert.equal(
      await page.getByRole('button', { name: 'Download CSV' }).isDisabled(),
      true,
    );
    // The CSV itself, as the scripts' static token (a service, allowed like an admin).
    const response = await fetch(
      `${BACKEND}/api/costscope/v1/chargeback.csv?from=${from}&to=${to}&by=costCenter`,
      { headers: { authorization: `Bearer ${API_TOKEN}` } },
    );
    assert.equal(response.status, 200);
    const csv = await response.text();
    await fs.writeFile(
      path.join(artifacts, `costscope-chargeback-${from}-${to}-costCenter.csv`),
      csv,
    );
    const lastLine = csv.trimEnd().split('\n').at(-1);
    const report = await api(
      `/v1/chargeback?from=${from}&to=${to}&by=costCenter`,
    );
    // No costBasis asked: the configured default, amortized, named on every row.
    assert.equal(report.costBasis, 'effective');
    assert.equal(
      lastLine,
      `,,,,total,${report.total},${report.currency},${report.costBasis}`,
    );
    assert.match(csv, /CC-1100/);
    // On the billed basis, the file and the report name it and end in the invoice's total.
    const billedCsv = await (
      await fetch(
        `${BACKEND}/api/costscope/v1/chargeback.csv?from=${from}&to=${to}&by=costCenter&costBasis=billed`,
        { headers: { authorization: `Bearer ${API_TOKEN}` } },
      )
    ).text();
    const billed = await api(
      `/v1/chargeback?from=${from}&to=${to}&by=costCenter&costBasis=billed`,
    );
    assert.equal(
      billedCsv.trimEnd().split('\n').at(-1),
      `,,,,total,${billed.total},${billed.currency},billed`,
    );
    assert.notEqual(billed.total, report.total);
    await page.getByRole('button', { name: 'Billed cost' }).click();
    await page
      .getByText(new RegExp(`^Total \\(billed\\), ${from}`))
      .first()
      .waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(artifacts, 'chargeback.png') });
  },
);

test(
  'a component shows a savings tip with its saving; dismissing it lowers the total',
  { timeout: 240_000 },
  async () => {
    const tipsPath =
      '/v1/entities/component/default/checkout-api/recommendations';
    // The SQLite files outlive a run: reopen tips an earlier run dismissed (the token is admin).
    await waitFor(
      'savings tips computed for checkout-api',
      async () => {
        const list = await api(tipsPath);
        for (const tip of list.dismissed) {
          await api(`/v1/recommendations/${encodeURIComponent(tip.id)}/state`, {
            method: 'PUT',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ state: 'open' }),
          });
        }
        return list.items.length + list.dismissed.length > 0;
      },
      120_000,
    );
    const before = await api(tipsPath);
    // The demo payer's Savings Plan purchase is listed with checkout-api's share of it; it is
    // unallocated, so only an admin may dismiss it: the guest dismisses the largest other tip.
    const purchase = before.items.find(t => t.kind === 'savings-plan-purchase');
    assert.equal(purchase?.id, 'savings-plan-purchase:aws:999988887777');
    assert.equal(purchase.share?.entityRef, 'component:default/checkout-api');
    const tip = before.items.find(t => t.kind !== 'savings-plan-purchase');

    // The guest belongs to checkout-squad, which owns checkout-api.
    await open('/catalog/default/component/checkout-api');
    const total = page.getByTestId('costscope-savings-total').first();
    await total.waitFor({ timeout: 60_000 });
    assert.equal(
      await total.getAttribute('data-amount'),
      before.totalMonthlySaving,
    );
    const label = tip.resourceName ?? tip.resourceId;
    const dismiss = page
      .getByRole('button', { name: `Dismiss the tip for ${label}` })
      .first();
    await dismiss.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(artifacts, 'savings-card.png') });
    await dismiss.click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Reason').fill('Sized for the Black Friday peak');
    await dialog.getByRole('button', { name: 'Dismiss' }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 30_000 });

    const after = await api(tipsPath);
    assert.equal(after.dismissed[0]?.id, tip.id);
    assert.equal(after.dismissed[0].dismissal.by, 'user:default/guest');
    assert.equal(
      BigInt(after.totalMonthlySaving.replace('.', '')),
      BigInt(before.totalMonthlySaving.replace('.', '')) -
        BigInt(tip.monthlySaving.replace('.', '')),
    );
    await page
      .locator(
        `[data-testid="costscope-savings-total"][data-amount="${after.totalMonthlySaving}"]`,
      )
      .first()
      .waitFor({ timeout: 30_000 });
  },
);

test(
  "a component's Cost tab shows its share of the shared cluster by workload, and the cluster owner's page the whole split with idle",
  { timeout: 180_000 },
  async () => {
    const { from, to } = last30Days();
    const dollars = amount =>
      new Intl.NumberFormat('en-US', {
        style: 'currency',
        currency: 'USD',
      }).format(Number(amount));

    // checkout-api's workloads on k8s-platform-prod, as the API answers them.
    const mine = await api(
      `/v1/entities/component/default/checkout-api/kubernetes?from=${from}&to=${to}`,
    );
    const workload = mine.workloads.find(w => w.kind === 'workload');
    assert.ok(workload, 'checkout-api runs a workload on the shared cluster');
    assert.ok(workload.namespace, 'with its namespace');
    await open('/catalog/default/component/checkout-api/cost');
    const row = page
      .getByRole('row')
      .filter({ hasText: workload.workload })
      .filter({ hasText: dollars(workload.cost) })
      .first();
    await row.waitFor({ timeout: 60_000 });
    await row.scrollIntoViewIfNeeded();
    await page.screenshot({
      path: path.join(artifacts, 'kubernetes-component.png'),
      fullPage: false,
    });

    // The owner's page: the whole split of the cluster, idle included, summing to its total.
    const owner = await api(
      `/v1/entities/component/default/k8s-platform/kubernetes?from=${from}&to=${to}`,
    );
    const [cluster] = owner.clusters;
    assert.equal(cluster.cluster, 'k8s-platform-prod');
    const nanos = amount => {
      const [whole, fraction = ''] = amount.replace('-', '').split('.');
      const value = BigInt(whole) * 10n ** 9n + BigInt(fraction.padEnd(9, '0'));
      return amount.startsWith('-') ? -value : value;
    };
    assert.equal(
      cluster.parts.reduce((sum, part) => sum + nanos(part.cost), 0n),
      nanos(cluster.total),
    );
    const idle = cluster.parts.find(part => part.kind === 'idle');
    assert.ok(idle, 'the split has idle capacity');
    assert.ok(
      cluster.parts.some(part => part.workload === workload.workload),
      "checkout-api's workload is in the owner's split",
    );
    await open('/catalog/default/component/k8s-platform/cost');
    await page
      .getByText(
        `Cluster k8s-platform-prod: the whole split, ${dollars(cluster.total)}`,
      )
      .waitFor({ timeout: 60_000 });
    const idleRow = page
      .getByRole('row')
      .filter({ hasText: 'idle' })
      .filter({ hasText: dollars(idle.cost) })
      .first();
    await idleRow.waitFor({ timeout: 30_000 });
    await idleRow.scrollIntoViewIfNeeded();
    await page.screenshot({
      path: path.join(artifacts, 'kubernetes-owner.png'),
      fullPage: false,
    });
  },
);

test(
  'the Costscope page shows commitment coverage, utilization and savings rate for 12 months',
  { timeout: 120_000 },
  async () => {
    await open('/costscope?tab=commitments');
    const coverage = page.getByTestId('costscope-commitment-coverage');
    await coverage.waitFor({ timeout: 60_000 });
    const rows = page.getByRole('table').getByRole('row');
    // A header and twelve months.
    await waitFor('twelve months', async () => (await rows.count()) === 13, 30_000);
    const newest = (await rows.nth(1).getByRole('cell').first().innerText()).trim();
    const [year, month] = newest.split('-').map(Number);
    const from = new Date(Date.UTC(year, month - 12, 1)).toISOString().slice(0, 10);
    const to = new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
    const summary = await api(`/v1/commitments?from=${from}&to=${to}`);
    const latest = summary.months.at(-1);
    assert.equal(latest.month, newest);
    // The demo plan's commitment is 4 % unused every month.
    assert.ok(latest.utilization > 0.95 && latest.utilization < 0.97);
    assert.ok(latest.coverage > 0 && latest.coverage < 1);
    assert.ok(latest.effectiveSavingsRate > 0);
    const percent = share =>
      new Intl.NumberFormat('en-US', {
        style: 'percent',
        maximumFractionDigits: 1,
      }).format(share);
    assert.equal(
      (await page.getByTestId('costscope-commitment-utilization').innerText()).trim(),
      percent(latest.utilization),
    );
    assert.equal(
      await page.getByTestId('costscope-commitment-unused').getAttribute('data-amount'),
      latest.unusedCommitmentCost,
    );
    await page.screenshot({
      path: path.join(artifacts, 'commitments.png'),
      fullPage: true,
    });
  },
);
