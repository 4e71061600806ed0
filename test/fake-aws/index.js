'use strict';

// A local fake of the AWS APIs Costscope reads (Cost Explorer, EC2, CloudWatch, STS, S3,
// Price List, Athena), close
// enough to the wire protocols that the real AWS SDK v3 clients work against it.

const { loadBilling, DEFAULT_BILLING_DIR } = require('./data');
const { createCostExplorer } = require('./costExplorer');
const { createEc2 } = require('./ec2');
const { createCloudWatch, MAX_DATAPOINTS } = require('./cloudwatch');
const { createSts, temporaryAccessKeyId } = require('./sts');
const { createS3 } = require('./s3');
const { createPricing } = require('./pricing');
const { createAthena } = require('./athena');
const { S3Store } = require('./s3Store');
const { FakeState } = require('./faults');
const { createServer } = require('./server');
const { PAYER_ACCOUNT_ID } = require('./auth');
const {
  demoInventory,
  ec2Attributes,
  utilisationPoint,
} = require('../../examples/billing/inventory');

const DAY = 86400000;
const HOUR = 3600000;
const DEMO_ACCOUNTS = {
  prod: '111122223333',
  staging: '222233334444',
  ci: '444455556666',
  payer: PAYER_ACCOUNT_ID,
};

/** Static credentials that the fake reads as `accountId` (any 12-digit run names the account). */
function credentialsFor(accountId) {
  return {
    accessKeyId:
      accountId === PAYER_ACCOUNT_ID ? 'AKIDEXAMPLE' : `AKIAFAKE${accountId}`,
    secretAccessKey: 'fake-secret',
  };
}

/**
 * Metrics run to the end of the end date, or to the last whole hour when that is later: billing
 * ends yesterday, but a lookback ending now should still find every hour but the current one.
 */
function metricsEnd(endDate) {
  const endOfData = Date.parse(`${endDate}T00:00:00Z`) + DAY;
  return Math.max(endOfData, Math.floor(Date.now() / HOUR) * HOUR);
}

function servedInventory(endDate) {
  return demoInventory({ endDate }).map(r => ({
    ...r,
    attributes: ec2Attributes(r),
  }));
}

function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address().port);
    });
  });
}

/**
 * Starts the fake on 127.0.0.1 (port 0 = any free port).
 * @param {import('./index').FakeAwsOptions} [options]
 * @returns {Promise<import('./index').FakeAws>}
 */
async function startFakeAws(options = {}) {
  const {
    port = 0,
    host = '127.0.0.1',
    billingDir = DEFAULT_BILLING_DIR,
    pageSize = 200,
    estimatedDays = 3,
    ec2PageSize = 5,
    cloudWatchMaxDatapoints = MAX_DATAPOINTS,
    s3PageSize = 1000,
    s3Buckets = {},
    pricingPageSize = 100,
    reservationMonths = [],
    athenaTables = {},
    athenaDelayMs = 200,
  } = options;
  if (!(Number.isInteger(s3PageSize) && s3PageSize > 0))
    throw new Error('s3PageSize must be a positive integer');
  const billing = loadBilling(billingDir);
  const endDate = options.endDate || billing.lastDay;
  const inventory = servedInventory(endDate);
  const instances = new Map(
    inventory.filter(r => r.kind === 'instance').map(r => [r.resourceId, r]),
  );
  const knownAccounts = new Set([
    PAYER_ACCOUNT_ID,
    ...billing.accountNames.keys(),
    ...inventory.map(r => r.accountId),
  ]);
  const state = new FakeState();
  const s3Store = new S3Store();
  for (const [bucket, dir] of Object.entries(s3Buckets))
    s3Store.loadDirectory(bucket, dir);
  const athena = createAthena({ tables: athenaTables, delayMs: athenaDelayMs });
  const services = [
    // first: S3 claims every request that is not `POST /`, the others never see those
    createS3({
      store: s3Store,
      pageSize: s3PageSize,
      isKnownAccount: id => knownAccounts.has(id),
    }),
    createCostExplorer({
      billing,
      pageSize,
      estimatedDays,
      reservationMonths,
    }),
    createCloudWatch({
      instances,
      utilisationPoint,
      dataEnd: () => metricsEnd(endDate),
      maxDatapoints: cloudWatchMaxDatapoints,
    }),
    createEc2({ inventory, ec2PageSize }),
    createPricing({ pageSize: pricingPageSize }),
    athena,
    createSts({
      isKnownAccount: id => knownAccounts.has(id),
      isDead: id => state.isDead(id),
    }),
  ];
  const server = createServer({ services, state });
  const actualPort = await listen(server, port, host);
  const url = `http://${host}:${actualPort}`;

  return {
    url,
    port: actualPort,
    endDate,
    billingDir,
    inventory: inventory.map(({ attributes: _attributes, ...r }) => r),
    injectFault: spec => state.injectFault(spec),
    markAccountDead: accountId => state.markAccountDead(accountId),
    requestCounts: () => state.requestCounts(),
    requestLog: () => state.requestLog(),
    reset: () => state.reset(),
    s3: {
      createBucket: (name, opts) => {
        s3Store.createBucket(name, opts);
      },
      deleteBucket: name => s3Store.deleteBucket(name),
      putObject: (bucket, key, body, opts) =>
        s3Store.putObject(bucket, key, body, opts),
      deleteObject: (bucket, key) => s3Store.deleteObject(bucket, key),
      getObject: (bucket, key) => s3Store.getObject(bucket, key),
      loadDirectory: (bucket, dir) => s3Store.loadDirectory(bucket, dir),
    },
    athena: { executions: () => athena.executions() },
    close: () =>
      new Promise(resolve => {
        server.cancelSleeps();
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => athena.close()),
  };
}

module.exports = {
  startFakeAws,
  credentialsFor,
  temporaryAccessKeyId,
  DEMO_ACCOUNTS,
  PAYER_ACCOUNT_ID,
  DEFAULT_BILLING_DIR,
};

// Node 22's `node --test test/fake-aws/` runs the directory as a file, that is this index:
// hand over to the tests then. Plain `node test/fake-aws` runs the CLI.
if (require.main === module) {
  if (process.env.NODE_TEST_CONTEXT) {
    import('./fakeAws.test.mjs');
    import('./s3.test.mjs');
    import('./pricing.test.mjs');
    import('./commitments.test.mjs');
    import('./athena.test.mjs');
  } else require('./cli');
}
