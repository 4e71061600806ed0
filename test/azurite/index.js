'use strict';

// Azurite's blob service for tests that run the real @azure/storage-blob client: one process
// per call, on a free port of 127.0.0.1, with its data in a temporary directory.

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const AZURITE_BIN = path.join(
  __dirname,
  '..',
  '..',
  'node_modules',
  '.bin',
  'azurite-blob',
);

/** The development account every Azurite serves; its key is public (Microsoft's docs). */
const DEV_ACCOUNT_NAME = 'devstoreaccount1';
const DEV_ACCOUNT_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

function freePort(host) {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** true once anything answers HTTP on the port: Azurite is listening. */
function answers(url) {
  return new Promise(resolve => {
    const request = http.get(url, response => {
      response.resume();
      resolve(true);
    });
    request.setTimeout(1000, () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

function stopProcess(child) {
  return new Promise(resolve => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function startOnce(host, timeoutMs) {
  const port = await freePort(host);
  const location = fs.mkdtempSync(path.join(os.tmpdir(), 'azurite-'));
  const child = spawn(
    AZURITE_BIN,
    [
      '--blobHost',
      host,
      '--blobPort',
      String(port),
      '--location',
      location,
      '--silent',
      '--skipApiVersionCheck',
      '--loose',
      // Tests make no calls beyond the machine.
      '--disableTelemetry',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', chunk => {
    stderr += chunk;
  });
  const cleanUp = async () => {
    await stopProcess(child);
    fs.rmSync(location, { recursive: true, force: true });
  };

  const accountUrl = `http://${host}:${port}/${DEV_ACCOUNT_NAME}`;
  const deadline = Date.now() + timeoutMs;
  while (!(await answers(`${accountUrl}?comp=list`))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await cleanUp();
      const why =
        child.exitCode !== null
          ? `exited with ${child.exitCode}`
          : `did not answer within ${timeoutMs} ms`;
      const error = new Error(
        `Azurite on ${host}:${port} ${why}: ${stderr.trim()}`,
      );
      // Another process took the port between the probe and the spawn: try another.
      error.portTaken = /EADDRINUSE/.test(stderr);
      throw error;
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  return {
    accountUrl,
    accountName: DEV_ACCOUNT_NAME,
    accountKey: DEV_ACCOUNT_KEY,
    connectionString:
      `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT_NAME};` +
      `AccountKey=${DEV_ACCOUNT_KEY};BlobEndpoint=${accountUrl};`,
    port,
    stop: cleanUp,
  };
}

/**
 * Starts Azurite's blob service on 127.0.0.1 and resolves once it answers.
 * @param {import('./index').AzuriteOptions} [options]
 * @returns {Promise<import('./index').Azurite>}
 */
async function startAzurite(options = {}) {
  const { host = '127.0.0.1', timeoutMs = 30000 } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(host, timeoutMs);
    } catch (error) {
      if (!error.portTaken || attempt >= 3) throw error;
    }
  }
}

module.exports = { startAzurite, DEV_ACCOUNT_NAME, DEV_ACCOUNT_KEY };
