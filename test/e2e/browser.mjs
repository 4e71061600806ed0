// Debian's Chromium driven by playwright-core (no browser download on these machines).
import { chromium } from 'playwright-core';

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Opens a page of the portal; signs in as guest when the portal asks (it replaces any route). */
export async function openPortalPage(page, url) {
  const { FRONTEND } = await import('./portal.mjs');
  await page.goto(`${FRONTEND}${url}`);
  const enter = page.getByRole('button', { name: 'Enter' });
  const signedIn = page.getByRole('link', { name: 'Costscope' }).first();
  await Promise.race([
    enter.waitFor({ timeout: 60_000 }),
    signedIn.waitFor({ timeout: 60_000 }),
  ]);
  if (await enter.isVisible()) {
    await enter.click();
    await signedIn.waitFor({ timeout: 30_000 });
  }
}
