#!/usr/bin/env node
'use strict';

// node test/fake-bigquery/cli.js [--port 9050] [--table project.dataset.table=DIR]...
//   [--demo GCP_BILLING_DIR] [--delay-ms N]
// Serves the tables until SIGTERM / SIGINT. --demo converts the demo generator's gcp/ folder
// to Parquet (in a temporary directory) and serves it as costscope-demo.billing.focus.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startFakeBigQuery } = require('./index');
const { writeDemoBigQueryTable } = require('./demoTable');

function parseArgs(argv) {
  const options = { port: 9050, tables: {} };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--port') options.port = Number(value);
    else if (flag === '--delay-ms') options.delayMs = Number(value);
    else if (flag === '--demo') options.demo = value;
    else if (flag === '--table') {
      const eq = value.indexOf('=');
      if (eq < 1) throw new Error('--table needs project.dataset.table=DIR');
      options.tables[value.slice(0, eq)] = value.slice(eq + 1);
    } else throw new Error(`unknown argument '${flag}'`);
  }
  return options;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  let tmp;
  if (options.demo) {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-bigquery-'));
    await writeDemoBigQueryTable(path.resolve(options.demo), tmp);
    options.tables['costscope-demo.billing.focus'] = tmp;
  }
  const fake = await startFakeBigQuery(options);
  process.stdout.write(
    `fake BigQuery listening on ${
      fake.url
    } (apiEndpoint), tables: ${Object.keys(options.tables).join(', ')}\n`,
  );
  const stop = () =>
    fake.close().then(() => {
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
      process.exit(0);
    });
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch(e => {
  process.stderr.write(`fake BigQuery: ${e.message}\n`);
  process.exit(1);
});
