// A brand-new Backstage app for the install test: created by @backstage/create-app from the npm
// registry, installed with the yarn its template pins, started on ports of its own.
import { execFile as execFileCb, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT, waitFor } from '../e2e/portal.mjs';

// The polling and the Cost tab's range are the end-to-end tests' own.
export { ROOT, waitFor };
export { last30Days } from '../e2e/portal.mjs';

const execFile = promisify(execFileCb);
export const FIXTURES = path.join(ROOT, 'test/install/fixtures');
export const ARTIFACTS = path.join(ROOT, 'test/artifacts');
const YAML = createRequire(
  path.join(ROOT, 'plugins/costscope-backend/package.json'),
)('yaml');

/** create-app 0.9.2 is Backstage 1.55; `latest` tries whatever the registry has today. */
export const CREATE_APP_VERSION =
  process.env.COSTSCOPE_CREATE_APP_VERSION ?? '0.9.2';
/**
 * create-app refuses to run without a `yarn` on PATH, and its template pins yarn 4 through
 * `yarnPath` (.yarn/releases in the app). Yarn 1 from the npm registry is enough: it hands
 * every command to the app's pinned release. Kept in .cache, outside any app.
 */
const YARN_VERSION = '1.22.22';

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/** The environment every command of the app runs in (Node 22 from scripts/node-env.sh). */
export function appEnv(yarnBin, extra = {}) {
  return {
    ...process.env,
    PATH: `${yarnBin}${path.delimiter}${process.env.PATH}`,
    // CI=true would make yarn 4 refuse to write the new app's lockfile.
    YARN_ENABLE_IMMUTABLE_INSTALLS: 'false',
    YARN_ENABLE_TELEMETRY: '0',
    YARN_ENABLE_PROGRESS_BARS: 'false',
    YARN_ENABLE_GLOBAL_CACHE: 'true',
    BROWSER: 'none',
    ...extra,
  };
}

/** Runs a command, its output appended to `logFile`; rejects naming the command and its tail. */
export async function runLogged(command, args, { cwd, env, logFile, label }) {
  const started = Date.now();
  const log = createWriteStream(logFile, { flags: 'a' });
  log.write(`\n$ ${command} ${args.join(' ')}   (in ${cwd})\n`);
  const child = spawn(command, args, {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = chunk => {
    log.write(chunk);
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const code = await new Promise(resolve => child.on('close', resolve));
  const seconds = Math.round((Date.now() - started) / 1000);
  log.write(`# exit ${code} after ${seconds} s\n`);
  await new Promise(resolve => log.end(resolve));
  if (code !== 0) {
    throw new Error(
      `${
        label ?? `${command} ${args.join(' ')}`
      } failed (exit ${code}, log ${path.relative(ROOT, logFile)}):\n${tail}`,
    );
  }
  return seconds;
}

/** A yarn 1 binary directory (installed from the npm registry into .cache on first use). */
export async function ensureYarn() {
  const prefix = path.join(ROOT, '.cache', `yarn-${YARN_VERSION}`);
  const bin = path.join(prefix, 'node_modules/.bin');
  if (!(await fs.stat(path.join(bin, 'yarn')).catch(() => undefined))) {
    await fs.mkdir(prefix, { recursive: true });
    await execFile(
      'npm',
      [
        'install',
        '--prefix',
        prefix,
        '--no-save',
        '--no-package-lock',
        `yarn@${YARN_VERSION}`,
      ],
      { cwd: prefix },
    );
  }
  return bin;
}

/**
 * Creates an app with `npx @backstage/create-app --skip-install --path <dir>` (`--legacy` for
 * the legacy frontend system). Needs only the npm registry: without GitHub, create-app's
 * fetch of its yarn.lock seed fails after a short timeout and it goes on (it says so).
 */
export async function createApp({ dir, legacy, yarnBin, logFile }) {
  await fs.rm(dir, { recursive: true, force: true });
  const seconds = await runLogged(
    'npx',
    [
      '--yes',
      `@backstage/create-app@${CREATE_APP_VERSION}`,
      '--skip-install',
      '--path',
      dir,
      ...(legacy ? ['--legacy'] : []),
    ],
    {
      cwd: path.dirname(dir),
      env: appEnv(yarnBin, { BACKSTAGE_APP_NAME: path.basename(dir) }),
      logFile,
      label: 'create-app',
    },
  );
  return seconds;
}

/**
 * Points the app's yarn at the test's registry for the @costscope scope. The packages there
 * were "published" seconds ago, and create-app's .yarnrc.yml quarantines versions younger than
 * three days (npmMinimalAgeGate) except for npmPreapprovedPackages: the install guide's note
 * for a release's first days, applied here. Also drops the scope from yarn's global cache,
 * whose entries would otherwise outlive a repack of the same version.
 */
export async function useScopeRegistry({ appDir, registryUrl, yarnBin }) {
  const file = path.join(appDir, '.yarnrc.yml');
  const doc = YAML.parseDocument(await fs.readFile(file, 'utf8'));
  const approved = doc.get('npmPreapprovedPackages')?.toJSON() ?? [];
  doc.set('npmPreapprovedPackages', [
    ...new Set([...approved, '@costscope/*']),
  ]);
  doc.set('npmScopes', { costscope: { npmRegistryServer: registryUrl } });
  doc.set('unsafeHttpWhitelist', [new URL(registryUrl).hostname]);
  await fs.writeFile(file, doc.toString());

  const { stdout } = await execFile('yarn', ['config', 'get', 'cacheFolder'], {
    cwd: appDir,
    env: appEnv(yarnBin),
  });
  const cacheFolder = stdout.trim();
  for (const entry of await fs.readdir(cacheFolder).catch(() => [])) {
    if (entry.startsWith('@costscope-')) {
      await fs.rm(path.join(cacheFolder, entry), { force: true });
    }
  }
}

/** Shifts the fixture's days so that its last day is yesterday (UTC); amounts unchanged. */
export function shiftFocusCsv(csv, now = new Date()) {
  const lines = csv.trimEnd().split('\n');
  const header = lines[0].split(',');
  const col = name => {
    const index = header.indexOf(name);
    if (index < 0) throw new Error(`fixture has no ${name} column`);
    return index;
  };
  const [chargeStart, chargeEnd, periodStart, periodEnd] = [
    'ChargePeriodStart',
    'ChargePeriodEnd',
    'BillingPeriodStart',
    'BillingPeriodEnd',
  ].map(col);
  // Only the leading columns are rewritten; they hold no quotes or commas.
  const rows = lines.slice(1).map(line => {
    const cells = [];
    let rest = line;
    for (
      let i = 0;
      i <= Math.max(chargeStart, chargeEnd, periodStart, periodEnd);
      i++
    ) {
      const comma = rest.indexOf(',');
      cells.push(rest.slice(0, comma));
      rest = rest.slice(comma + 1);
    }
    return { cells, rest };
  });
  const day = text => Date.parse(`${text.slice(0, 10)}T00:00:00Z`);
  const last = Math.max(...rows.map(r => day(r.cells[chargeStart])));
  const yesterday = Date.UTC(
    now.getUTCFullYear(),
    now.getUTCMonth(),
    now.getUTCDate() - 1,
  );
  const shift = yesterday - last;
  const iso = ms => `${new Date(ms).toISOString().slice(0, 10)}T00:00:00Z`;
  const out = rows.map(({ cells, rest }) => {
    const start = day(cells[chargeStart]) + shift;
    const d = new Date(start);
    cells[chargeStart] = iso(start);
    cells[chargeEnd] = iso(start + 86_400_000);
    cells[periodStart] = iso(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
    cells[periodEnd] = iso(
      Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1),
    );
    return `${cells.join(',')},${rest}`;
  });
  return `${[lines[0], ...out].join('\n')}\n`;
}

/**
 * Puts the test's data where the app finds it: the billing file at the path of the guide's
 * FOCUS source, and a catalog location with the component that file's tags name. Writes
 * `app-config.install-test.yaml` with the ports.
 */
export async function addTestData({ appDir, frontendPort, backendPort }) {
  const appConfigFile = path.join(appDir, 'app-config.yaml');
  const appConfig = await fs.readFile(appConfigFile, 'utf8');
  const source = YAML.parse(appConfig).costscope?.sources?.find(
    s => s.type === 'focus',
  );
  if (!source?.paths?.length) {
    throw new Error(
      'app-config.yaml has no costscope FOCUS source with paths (the guide was not applied)',
    );
  }
  // Relative source paths start at the backend's working directory, packages/backend.
  const target = path.resolve(appDir, 'packages/backend', source.paths[0]);
  const isFile = /\.csv(\.gz)?$/.test(target);
  await fs.mkdir(isFile ? path.dirname(target) : target, { recursive: true });
  const csv = shiftFocusCsv(
    await fs.readFile(path.join(FIXTURES, 'focus-small.csv'), 'utf8'),
  );
  await fs.writeFile(
    isFile ? target : path.join(target, 'focus-small.csv'),
    csv,
  );

  const catalogDir = path.join(appDir, 'costscope-install');
  await fs.mkdir(catalogDir, { recursive: true });
  await fs.copyFile(
    path.join(FIXTURES, 'catalog-info.yaml'),
    path.join(catalogDir, 'catalog-info.yaml'),
  );
  // A text edit, so that the rest of the file stays as create-app and the guide wrote it.
  const lines = appConfig.split('\n');
  const catalog = lines.findIndex(l => /^catalog:\s*$/.test(l));
  const locations = lines.findIndex(
    (l, i) => i > catalog && /^  locations:\s*$/.test(l),
  );
  if (catalog < 0 || locations < 0)
    throw new Error('app-config.yaml has no catalog.locations');
  lines.splice(
    locations + 1,
    0,
    '    - type: file',
    '      target: ../../costscope-install/catalog-info.yaml',
  );
  await fs.writeFile(appConfigFile, lines.join('\n'));

  const overrides = {
    app: { baseUrl: `http://localhost:${frontendPort}` },
    backend: {
      baseUrl: `http://localhost:${backendPort}`,
      listen: { port: backendPort },
      cors: { origin: `http://localhost:${frontendPort}` },
    },
  };
  await fs.writeFile(
    path.join(appDir, 'app-config.install-test.yaml'),
    YAML.stringify(overrides),
  );
}

/**
 * Starts the app as its README says (`yarn start`, i.e. `backstage-cli repo start`) with the
 * test's port overrides, in its own process group; resolves when the backend's Costscope
 * health route and the frontend answer.
 */
export async function startApp({
  appDir,
  yarnBin,
  frontendPort,
  backendPort,
  logFile,
}) {
  const log = createWriteStream(logFile, { flags: 'a' });
  log.write(
    `\n$ yarn start --config app-config.yaml --config app-config.install-test.yaml\n`,
  );
  const child = spawn(
    'yarn',
    [
      'start',
      '--config',
      path.join(appDir, 'app-config.yaml'),
      '--config',
      path.join(appDir, 'app-config.install-test.yaml'),
    ],
    {
      cwd: appDir,
      env: appEnv(yarnBin),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let alive = true;
  const exited = new Promise(resolve =>
    child.on('exit', () => {
      alive = false;
      resolve();
    }),
  );
  const stop = async () => {
    if (!alive) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    await Promise.race([exited, sleep(10_000)]);
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await Promise.race([exited, sleep(5_000)]);
  };
  const backend = `http://localhost:${backendPort}`;
  const frontend = `http://localhost:${frontendPort}`;
  try {
    await waitFor(
      'the backend',
      async () => (await fetch(`${backend}/api/costscope/health`)).ok,
      300_000,
      () => alive,
    );
    await waitFor(
      'the frontend',
      async () => (await fetch(frontend)).ok,
      300_000,
      () => alive,
    );
  } catch (error) {
    await stop();
    throw new Error(`${error.message} (log ${path.relative(ROOT, logFile)})`);
  }
  return { backend, frontend, stop };
}

/** A guest's Backstage token, as the browser gets it in development. */
export async function guestToken(backend) {
  const response = await fetch(
    `${backend}/api/auth/guest/refresh?env=development`,
    {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    },
  );
  if (!response.ok)
    throw new Error(
      `guest refresh answered ${response.status}: ${await response.text()}`,
    );
  return (await response.json()).backstageIdentity.token;
}

export async function freeDiskGb(dir = os.tmpdir()) {
  const stats = await fs.statfs(dir);
  return (stats.bavail * stats.bsize) / 1e9;
}
