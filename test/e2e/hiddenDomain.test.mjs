// End to end: signed in as a data-team member, whom the demo policy does not let see the
// commerce domain, nothing of that domain (names or cost) shows in Costscope's pages, while
// the rollups that hold it keep their totals.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, openPortalPage } from './browser.mjs';
import {
  api,
  last30Days,
  ROOT,
  startPortal,
  waitForDemoAllocation,
} from './portal.mjs';

const artifacts = path.join(ROOT, 'test/artifacts');
const USER = 'user:default/hana.kim';
/** The commerce domain's components (examples/entities.yaml). */
const COMMERCE = [
  'checkout-api',
  'checkout-web',
  'cart-service',
  'payment-gateway',
  'fraud-detector',
  'ledger-service',
];
let portal;
let browser;
let page;

before(
  async () => {
    portal = await startPortal({
      env: { COSTSCOPE_DEMO_USER: USER },
      logName: 'portal-hidden-domain.log',
    });
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

/** Fails if the page's text names a commerce component. */
async function assertNoCommerceNames(where) {
  const text = await page.locator('main').first().innerText();
  const named = COMMERCE.filter(name => text.includes(name));
  assert.deepEqual(named, [], `${where} names hidden entities`);
}

test(
  "the Costscope page's tabs name no entity of the hidden domain",
  { timeout: 240_000 },
  async () => {
    await openPortalPage(page, '/costscope');
    await page.getByTestId('costscope-org-total').waitFor({ timeout: 60_000 });
    await assertNoCommerceNames('the overview');
    await page.screenshot({
      path: path.join(artifacts, 'hidden-domain-overview.png'),
      fullPage: true,
    });

    await openPortalPage(page, '/costscope?tab=chargeback');
    // checkout-squad's and payments-squad's components are hidden: their cost is one line.
    await page
      .getByText('Not visible to you')
      .first()
      .waitFor({ timeout: 60_000 });
    await assertNoCommerceNames('the chargeback');
    await page.screenshot({
      path: path.join(artifacts, 'hidden-domain-chargeback.png'),
      fullPage: true,
    });

    for (const tab of ['compliance', 'savings']) {
      await openPortalPage(page, `/costscope?tab=${tab}`);
      await page.getByRole('tab', { selected: true }).waitFor();
      await page.waitForLoadState('networkidle');
      await assertNoCommerceNames(`the ${tab} tab`);
    }
  },
);

test(
  'a team whose entities are all hidden keeps its total, shown as one "not visible" line',
  { timeout: 180_000 },
  async () => {
    const { from, to } = last30Days();
    // The scripts' token is a service: it sees everything, the total to compare with.
    const full = await api(
      `/v1/entities/group/default/commerce-team/summary?from=${from}&to=${to}`,
    );
    await openPortalPage(page, '/catalog/default/group/commerce-team');
    const total = page.getByTestId('costscope-card-total').first();
    await total.waitFor({ timeout: 60_000 });
    assert.equal(await total.getAttribute('data-amount'), full.total);
    await page
      .getByText('Not visible to you')
      .first()
      .waitFor({ timeout: 30_000 });
    await assertNoCommerceNames("commerce-team's cost card");
    await page.screenshot({
      path: path.join(artifacts, 'hidden-domain-team-card.png'),
      fullPage: true,
    });
  },
);

test(
  "a hidden component's Cost tab shows no cost, as for an entity Costscope does not know",
  { timeout: 180_000 },
  async () => {
    await openPortalPage(page, '/catalog/default/component/checkout-api/cost');
    await page
      .getByText(/not visible to you/)
      .first()
      .waitFor({ timeout: 60_000 });
    assert.equal(await page.getByTestId('costscope-total').count(), 0);
    await page.screenshot({
      path: path.join(artifacts, 'hidden-domain-cost-tab.png'),
      fullPage: true,
    });
  },
);
