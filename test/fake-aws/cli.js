#!/usr/bin/env node
'use strict';

// node test/fake-aws/cli.js [--port 4566] [--billing-dir DIR] [--page-size N]
//   [--estimated-days N] [--ec2-page-size N] [--cloudwatch-max-datapoints N] [--end-date YYYY-MM-DD]
//   [--s3-page-size N] [--pricing-page-size N] [--s3-bucket NAME=DIR]...
//   [--athena-table DB.TABLE=DIR]... [--athena-delay-ms N]
// Runs the fake AWS until SIGTERM / SIGINT. --s3-bucket (repeatable) serves the files under DIR
// as the bucket NAME, read once at start. --athena-table (repeatable) makes the Parquet files
// under DIR (hive-partitioned) an Athena table.

const path = require('path');
const { startFakeAws } = require('./index');

/** NAME=DIR -> [NAME, absolute DIR]. */
function bucketArg(value) {
  const m = /^([^=]+)=(.+)$/.exec(value);
  if (!m) throw new Error(`--s3-bucket needs NAME=DIR, not '${value}'`);
  return [m[1], path.resolve(m[2])];
}

/** DB.TABLE=DIR -> [DB.TABLE, absolute DIR]. */
function athenaTableArg(value) {
  const m = /^([A-Za-z0-9_]+\.[A-Za-z0-9_]+)=(.+)$/.exec(value);
  if (!m) throw new Error(`--athena-table needs DB.TABLE=DIR, not '${value}'`);
  return [m[1], path.resolve(m[2])];
}

// flag: [option, parse, combine with the earlier value (repeatable flags)]
const FLAGS = {
  '--port': ['port', Number],
  '--billing-dir': ['billingDir', v => path.resolve(v)],
  '--page-size': ['pageSize', Number],
  '--estimated-days': ['estimatedDays', Number],
  '--ec2-page-size': ['ec2PageSize', Number],
  '--cloudwatch-max-datapoints': ['cloudWatchMaxDatapoints', Number],
  '--end-date': ['endDate', String],
  '--s3-page-size': ['s3PageSize', Number],
  '--pricing-page-size': ['pricingPageSize', Number],
  '--s3-bucket': [
    's3Buckets',
    bucketArg,
    (buckets = {}, [name, dir]) => ({ ...buckets, [name]: dir }),
  ],
  '--athena-table': [
    'athenaTables',
    athenaTableArg,
    (tables = {}, [name, dir]) => ({ ...tables, [name]: dir }),
  ],
  '--athena-delay-ms': ['athenaDelayMs', Number],
};

function parseArgs(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = FLAGS[argv[i]];
    if (!flag) throw new Error(`unknown argument '${argv[i]}'`);
    if (i + 1 >= argv.length) throw new Error(`${argv[i]} needs a value`);
    const [name, parse, combine] = flag;
    const value = parse(argv[++i]);
    if (typeof value === 'number' && !Number.isInteger(value))
      throw new Error(`${argv[i - 1]} needs an integer`);
    options[name] = combine ? combine(options[name], value) : value;
  }
  return options;
}

async function main() {
  const fake = await startFakeAws(parseArgs(process.argv.slice(2)));
  process.stdout.write(`fake AWS listening on ${fake.url}\n`);
  const stop = () => fake.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch(e => {
  process.stderr.write(`fake AWS: ${e.message}\n`);
  process.exit(1);
});
