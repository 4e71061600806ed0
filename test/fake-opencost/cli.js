#!/usr/bin/env node
'use strict';

// node test/fake-opencost/cli.js [--port 9003] [--auth-token TOKEN] [--start-date YYYY-MM-DD]
//   [--end-date YYYY-MM-DD]
// Serves the demo cluster (k8s-platform-prod) until SIGTERM / SIGINT. 9003 is OpenCost's port.

const { startFakeOpenCost, demoCluster } = require('./index');

const FLAGS = {
  '--port': ['port', Number],
  '--auth-token': ['authToken', String],
  '--start-date': ['startDate', String],
  '--end-date': ['endDate', String],
};

function parseArgs(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = FLAGS[argv[i]];
    if (!flag) throw new Error(`unknown argument '${argv[i]}'`);
    if (i + 1 >= argv.length) throw new Error(`${argv[i]} needs a value`);
    const [name, parse] = flag;
    const value = parse(argv[++i]);
    if (typeof value === 'number' && !Number.isInteger(value))
      throw new Error(`${argv[i - 1]} needs an integer`);
    options[name] = value;
  }
  return options;
}

async function main() {
  const {
    port = 9003,
    authToken,
    startDate,
    endDate,
  } = parseArgs(process.argv.slice(2));
  const fake = await startFakeOpenCost({
    port,
    authToken,
    clusters: [demoCluster({ startDate, endDate })],
  });
  process.stdout.write(`fake OpenCost listening on ${fake.url}\n`);
  const stop = () => fake.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch(e => {
  process.stderr.write(`fake OpenCost: ${e.message}\n`);
  process.exit(1);
});
