// Starts the real portal (README's first command) for end-to-end tests and stops it again.
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);
export const FRONTEND = 'http://localhost:3000';
export const BACKEND = 'http://localhost:7007';
/** The demo static token from app-config.yaml (backend.auth.externalAccess). */
export const API_TOKEN =
  process.env.COSTSCOPE_API_TOKEN ?? 'costscope-demo-token-0123456789';

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Polls until `check` returns a value, or fails after `timeoutMs` naming what it waited for;
 * fails at once when `isAlive` says the process being waited on has gone.
 */
export async function waitFor(what, check, timeoutMs, isAlive = () => true) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    if (!isAlive())
      throw new Error(`the process exited while waiting for ${what}`);
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(1000);
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${
      lastError ? `: ${lastError.message}` : ''
    }`,
  );
}

/** The Cost tab's default range: the last 30 days up to yesterday (UTC). */
export function last30Days(now = new Date()) {
  const to = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 1),
  );
  const from = new Date(to.getTime() - 29 * 86_400_000);
  return {
    from: from.toISOString().slice(0, 10),
    to: to.toISOString().slice(0, 10),
  };
}

/**
 * Waits until the demo's costs are allocated (checkout-api has some): ingestion starts a few
 * seconds after the backend, and allocation needs the catalog loaded.
 */
export function waitForDemoAllocation() {
  return waitFor(
    'demo costs allocated to checkout-api',
    async () => {
      const { from, to } = last30Days();
      const summary = await api(
        `/v1/entities/component/default/checkout-api/summary?from=${from}&to=${to}`,
      );
      return summary.total !== '0.000000000';
    },
    180_000,
  );
}

/** Calls the Costscope API as the scripts' static token; `init` may set method and body. */
export async function api(pathAndQuery, init = {}) {
  const response = await fetch(`${BACKEND}/api/costscope${pathAndQuery}`, {
    ...init,
    headers: { authorization: `Bearer ${API_TOKEN}`, ...init.headers },
  });
  if (!response.ok)
    throw new Error(
      `${pathAndQuery} answered ${response.status}: ${await response.text()}`,
    );
  return response.status === 204 ? undefined : response.json();
}

/**
 * Starts `npm start` (or another start script, such as `scripts/start-fake-aws.sh`) in its
 * own process group, logging to test/artifacts/<logName>.
 */
export async function startPortal({
  script = 'scripts/start.sh',
  logName = 'portal.log',
  /** More environment for the portal, e.g. COSTSCOPE_DEMO_USER to sign in as another user. */
  env = {},
} = {}) {
  const log = openSync(path.join(ROOT, 'test/artifacts', logName), 'w');
  const child = spawn('bash', [script], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, BROWSER: 'none', ...env },
  });
  const exited = new Promise(resolve => child.on('exit', resolve));
  const stop = async () => {
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
  };
  try {
    await waitFor(
      'the backend',
      async () => (await fetch(`${BACKEND}/api/costscope/health`)).ok,
      240_000,
    );
    await waitFor(
      'the frontend',
      async () => (await fetch(FRONTEND)).ok,
      300_000,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { stop };
}
