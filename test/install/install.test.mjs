// Issue 16's install test: Costscope installed into brand-new Backstage apps as an adopter would.
//
// 1. Packs the six packages (`pack.mjs`: build, `npm pack` with prepack, checks) and serves the
//    tarballs from a registry for the @costscope scope (`registry.mjs`).
// 2. For a new-frontend-system app (create-app's default) and a legacy one (`--legacy`):
//    creates it with `npx @backstage/create-app --skip-install`, applies the install guides of
//    the plugin READMEs as written (`applyGuide.mjs`: their `yarn ... add` commands, which also
//    install the app, then their edits), type-checks the app (`yarn tsc`, as create-app would),
//    points the guide's FOCUS source at fixtures/focus-small.csv, starts it with `yarn start`,
//    and in headless Chromium signs in as guest, opens the component's Overview and Cost tab
//    and the Costscope page from the sidebar: each total shown equals the API's and the
//    fixture's (fixtures/expected.json). Screenshots: test/artifacts/install-*.png.
//
// Run alone: `bash scripts/with-node.sh node --test test/install/install.test.mjs`.
// COSTSCOPE_INSTALL_KEEP=1 keeps the apps (in the OS temp dir) for a look afterwards.
// COSTSCOPE_INSTALL_TARBALLS=<dir> installs the tarballs in <dir> instead of packing (checked
// the same way): an earlier run's, or the published ones (`npm pack <name>@<version>`).
// COSTSCOPE_CREATE_APP_VERSION=latest tries the newest create-app instead of the pinned one.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launchBrowser } from '../e2e/browser.mjs';
import {
  ARTIFACTS,
  FIXTURES,
  addTestData,
  appEnv,
  createApp,
  ensureYarn,
  freeDiskGb,
  guestToken,
  last30Days,
  runLogged,
  startApp,
  useScopeRegistry,
  waitFor,
} from './app.mjs';
import { readGuides, applyGuide } from './applyGuide.mjs';
import { packCostscope, readTarballs } from './pack.mjs';
import { startScopeRegistry } from './registry.mjs';

const expected = JSON.parse(
  await fs.readFile(path.join(FIXTURES, 'expected.json'), 'utf8'),
);
const [kind, rest] = expected.component.split(':');
const [namespace, name] = rest.split('/');
const keep = process.env.COSTSCOPE_INSTALL_KEEP === '1';

const timings = {};
function timed(label, started) {
  const seconds = Math.round((Date.now() - started) / 1000);
  timings[label] = seconds;
  console.log(`# ${label}: ${seconds} s`);
  return seconds;
}

let workDir;
let packed;
let registry;
let yarnBin;
let guides;
const testStarted = Date.now();

before(async () => {
  await fs.mkdir(ARTIFACTS, { recursive: true });
  workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'costscope-install-'));
  yarnBin = await ensureYarn();
  guides = await readGuides();
});

after(async () => {
  await registry?.close();
  if (!keep && workDir) await fs.rm(workDir, { recursive: true, force: true });
  timed('whole install test', testStarted);
  await fs.writeFile(
    path.join(ARTIFACTS, 'install-timings.json'),
    `${JSON.stringify(timings, null, 2)}\n`,
  );
});

test(
  'the six packages pack as the registry would serve them',
  { timeout: 900_000 },
  async () => {
    const started = Date.now();
    if (process.env.COSTSCOPE_INSTALL_TARBALLS) {
      packed = await readTarballs(
        path.resolve(process.env.COSTSCOPE_INSTALL_TARBALLS),
      );
      timed('read and check the given tarballs', started);
    } else {
      packed = await packCostscope({
        destination: path.join(workDir, 'tarballs'),
        log: line => console.log(`# ${line}`),
      });
      timed('pack (tsc, build, npm pack, checks)', started);
    }
    assert.equal(packed.length, 6);
    registry = await startScopeRegistry(packed.map(p => p.file));
  },
);

/**
 * Packages the guides this test applies do not add themselves: the libraries come as
 * dependencies, and the Google Cloud module is optional and its guide is not applied here.
 */
const NOT_INSTALLED_BY_GUIDES = [
  '@costscope/backstage-plugin-node',
  '@costscope/backstage-plugin-common',
  '@costscope/backstage-plugin-backend-module-gcp',
];

/** A Costscope API call as the signed-in guest. */
async function api(app, token, pathAndQuery) {
  const response = await fetch(`${app.backend}/api/costscope${pathAndQuery}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!response.ok) {
    throw new Error(
      `${pathAndQuery} answered ${response.status}: ${await response.text()}`,
    );
  }
  return response.json();
}

/** Nested copies of @backstage packages that Costscope's packages brought into the app. */
async function nestedBackstageCopies(appDir) {
  const found = [];
  const scope = path.join(appDir, 'node_modules/@costscope');
  for (const pkg of await fs.readdir(scope).catch(() => [])) {
    const nested = path.join(scope, pkg, 'node_modules/@backstage');
    for (const dep of await fs.readdir(nested).catch(() => [])) {
      const version = JSON.parse(
        await fs.readFile(path.join(nested, dep, 'package.json'), 'utf8'),
      ).version;
      const appCopy = await fs
        .readFile(
          path.join(appDir, 'node_modules/@backstage', dep, 'package.json'),
          'utf8',
        )
        .then(text => JSON.parse(text).version)
        .catch(() => 'none');
      found.push(
        `@costscope/${pkg} has its own @backstage/${dep}@${version} (the app's: ${appCopy})`,
      );
    }
  }
  return found;
}

/**
 * create-app 0.9.2 (Backstage 1.55) pins `@backstage/backend-defaults` at ^0.18.0 and
 * `@backstage/plugin-signals-backend` at ^0.3.19; the registry now has signals-backend 0.3.21,
 * which calls `httpRouter.addWebSocketHandler`, added in backend-defaults 0.19. Unpinned, the
 * new app's backend fails at startup ("Plugin 'signals' startup failed") whether or not
 * Costscope is installed, and the catalog never loads. The fix create-app would publish in its
 * seed lock: the release's own version, through a root `resolutions` entry.
 */
const TEMPLATE_PINS = ['@backstage/plugin-signals-backend'];

async function pinTemplateVersions(appDir) {
  const pins = {};
  for (const workspace of ['packages/app', 'packages/backend']) {
    const pkg = JSON.parse(
      await fs.readFile(path.join(appDir, workspace, 'package.json'), 'utf8'),
    );
    for (const name of TEMPLATE_PINS) {
      const range = pkg.dependencies?.[name];
      if (range) pins[name] = range.replace(/^\^/, '');
    }
  }
  const file = path.join(appDir, 'package.json');
  const root = JSON.parse(await fs.readFile(file, 'utf8'));
  root.resolutions = { ...root.resolutions, ...pins };
  await fs.writeFile(file, `${JSON.stringify(root, null, 2)}\n`);
  return pins;
}

const SYSTEMS = [
  {
    system: 'new',
    label: 'a new-frontend-system app',
    frontendPort: 3100,
    backendPort: 7107,
  },
  {
    system: 'legacy',
    label: 'a legacy-frontend-system app',
    frontendPort: 3200,
    backendPort: 7207,
  },
];

for (const { system, label, frontendPort, backendPort } of SYSTEMS) {
  describe(`${label} from @backstage/create-app`, () => {
    const appDir = () => path.join(workDir, `${system}-app`);
    const logFile = path.join(ARTIFACTS, `install-${system}.log`);
    let installed = false;
    let app;
    let browser;

    after(async () => {
      await browser?.close();
      await app?.stop();
      if (!keep && workDir)
        await fs.rm(appDir(), { recursive: true, force: true });
    });

    test(
      'is created and gets Costscope by the install guides',
      { timeout: 1_200_000 },
      async t => {
        assert.ok(
          packed && registry,
          'the packages were not packed (see the first test)',
        );
        await fs.writeFile(logFile, '');
        const gb = await freeDiskGb(workDir);
        assert.ok(
          gb > 5,
          `${gb.toFixed(1)} GB free in ${workDir}; an app needs about 2.5 GB`,
        );

        let started = Date.now();
        await createApp({
          dir: appDir(),
          legacy: system === 'legacy',
          yarnBin,
          logFile,
        });
        timed(`${system}: create-app`, started);
        const pins = await pinTemplateVersions(appDir());
        t.diagnostic(`template pins: ${JSON.stringify(pins)}`);
        await useScopeRegistry({
          appDir: appDir(),
          registryUrl: registry.url,
          yarnBin,
        });

        started = Date.now();
        const env = appEnv(yarnBin);
        const steps = await applyGuide({
          appDir: appDir(),
          system,
          guides,
          run: async (command, args, { cwd }) => {
            const s = Date.now();
            await runLogged(command, args, { cwd, env, logFile });
            timed(`${system}: ${command} ${args.join(' ')}`, s);
          },
        });
        timed(`${system}: install guide applied (installs included)`, started);
        for (const step of steps) t.diagnostic(step);

        const requested = registry.requests.filter(r => r.includes('.tgz'));
        for (const pkg of packed) {
          if (NOT_INSTALLED_BY_GUIDES.includes(pkg.name)) continue;
          assert.ok(
            await fs
              .stat(
                path.join(appDir(), 'node_modules', pkg.name, 'package.json'),
              )
              .catch(() => false),
            `${pkg.name} is not installed in the app`,
          );
        }
        assert.ok(
          requested.length > 0,
          'yarn fetched no tarball from the test registry',
        );
        for (const copy of await nestedBackstageCopies(appDir()))
          t.diagnostic(`duplicate: ${copy}`);

        started = Date.now();
        await runLogged('yarn', ['tsc'], {
          cwd: appDir(),
          env,
          logFile,
          label: 'yarn tsc in the new app',
        });
        timed(`${system}: yarn tsc`, started);
        installed = true;
      },
    );

    test(
      'shows the API totals on the component page and the Costscope page',
      { timeout: 900_000 },
      async () => {
        assert.ok(installed, 'the app was not installed (see the test before)');
        await addTestData({ appDir: appDir(), frontendPort, backendPort });
        let started = Date.now();
        app = await startApp({
          appDir: appDir(),
          yarnBin,
          frontendPort,
          backendPort,
          logFile,
        });
        timed(
          `${system}: yarn start until backend and frontend answer`,
          started,
        );

        const token = await guestToken(app.backend);
        const { from, to } = last30Days();
        const summaryPath = `/v1/entities/${kind}/${namespace}/${name}/summary?from=${from}&to=${to}`;
        started = Date.now();
        let triggered = false;
        const summary = await waitFor(
          `${expected.component} allocated`,
          async () => {
            const s = await api(app, token, summaryPath).catch(() => undefined);
            if (s?.total === expected.componentTotal) return s;
            // The catalog may load after the first allocation; an ingest re-allocates at once
            // (allowed: create-app's allow-all policy grants the guest costscope.admin).
            if (!triggered && Date.now() - started > 30_000) {
              triggered = true;
              await fetch(`${app.backend}/api/costscope/v1/ingest`, {
                method: 'POST',
                headers: {
                  authorization: `Bearer ${token}`,
                  'content-type': 'application/json',
                },
                body: '{}',
              });
            }
            return undefined;
          },
          240_000,
        );
        timed(`${system}: billing file ingested and allocated`, started);
        assert.equal(summary.total, expected.componentTotal);
        const overview = await api(
          app,
          token,
          `/v1/overview?from=${from}&to=${to}`,
        );
        assert.equal(overview.total, expected.total);
        assert.equal(overview.unallocated, expected.unallocated);

        started = Date.now();
        browser = await launchBrowser();
        // Tall enough for a whole page: the legacy layout scrolls inside its own container, which a
        // full-page screenshot does not unroll.
        const page = await browser.newPage({
          viewport: { width: 1440, height: 2400 },
        });
        // Both templates ask to sign in, with the guest provider's "Enter" button.
        await page.goto(app.frontend);
        await page
          .getByRole('button', { name: 'Enter' })
          .click({ timeout: 180_000 });
        await page
          .getByRole('link', { name: 'Costscope', exact: true })
          .first()
          .waitFor({ timeout: 120_000 });
        await page.goto(`${app.frontend}/catalog/${namespace}/${kind}/${name}`);
        await page
          .getByText(name, { exact: true })
          .first()
          .waitFor({ timeout: 120_000 });

        // The Overview's cost card (the new system adds it by default; the legacy guide adds it).
        const card = page.getByTestId('costscope-card-total');
        await card.waitFor({ timeout: 120_000 });
        assert.equal(await card.getAttribute('data-amount'), summary.total);
        await card.scrollIntoViewIfNeeded();
        await page.screenshot({
          path: path.join(ARTIFACTS, `install-${system}-overview.png`),
          fullPage: true,
        });

        // The Cost tab: a tab in the legacy entity layout, a header link in the new one.
        await page
          .getByRole('tab', { name: 'Cost', exact: true })
          .or(page.getByRole('link', { name: 'Cost', exact: true }))
          .first()
          .click({ timeout: 60_000 });
        const total = page.getByTestId('costscope-total');
        await total.waitFor({ timeout: 120_000 });
        assert.equal(await total.getAttribute('data-amount'), summary.total);
        assert.match(await total.innerText(), /47\.07/);
        // The daily chart (recharts, from the plugin's dependencies) draws its bars. A stacked
        // segment of a service with no cost that day is an empty group: wait for a drawn one.
        await page
          .getByTestId('costscope-chart')
          .locator('.recharts-bar-rectangle path')
          .first()
          .waitFor({ timeout: 60_000 });
        await page.screenshot({
          path: path.join(ARTIFACTS, `install-${system}-cost-tab.png`),
          fullPage: true,
        });

        // The Costscope page, through its sidebar item.
        await page
          .getByRole('link', { name: 'Costscope', exact: true })
          .first()
          .click({ timeout: 60_000 });
        const orgTotal = page.getByTestId('costscope-org-total');
        await orgTotal.waitFor({ timeout: 120_000 });
        assert.equal(new URL(page.url()).pathname, '/costscope');
        assert.equal(
          await orgTotal.getAttribute('data-amount'),
          overview.total,
        );
        assert.equal(
          await page
            .getByTestId('costscope-org-unallocated')
            .getAttribute('data-amount'),
          overview.unallocated,
        );
        await page.screenshot({
          path: path.join(ARTIFACTS, `install-${system}-costscope-page.png`),
          fullPage: true,
        });
        timed(`${system}: browser checks`, started);
      },
    );
  });
}
