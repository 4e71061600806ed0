'use strict';

// The demo's Google Cloud bill as a FOCUS table the fake BigQuery serves: per billing period one
// Parquet file under OUT_DIR/billing_period=YYYY-MM/, columns in Google's FOCUS view names
// (PascalCase), costs as exact DECIMAL(38, 18), times as UTC timestamps and Tags as
// ARRAY<STRUCT<key STRING, value STRING>>, the shape of Tags in Google's FOCUS view.
//
//   node test/fake-bigquery/demoTable.js GCP_BILLING_DIR OUT_DIR

const fs = require('node:fs');
const path = require('node:path');

const sqlText = text => `'${String(text).replace(/'/g, "''")}'`;

const REPLACED = [
  ...['BilledCost', 'EffectiveCost', 'ListCost'].map(
    c => `CAST(${c} AS DECIMAL(38, 18)) AS ${c}`,
  ),
  ...[
    'BillingPeriodStart',
    'BillingPeriodEnd',
    'ChargePeriodStart',
    'ChargePeriodEnd',
  ].map(c => `CAST(${c} AS TIMESTAMPTZ) AS ${c}`),
  `CASE WHEN Tags IS NULL OR Tags = '' THEN []
     ELSE map_entries(CAST(json(Tags) AS MAP(VARCHAR, VARCHAR))) END AS Tags`,
].join(', ');

/**
 * Writes OUT_DIR/billing_period=YYYY-MM/focus-00001.parquet for every focus-YYYY-MM.csv in
 * `billingDir` (the demo generator's gcp/ folder); returns the files written.
 */
async function writeDemoBigQueryTable(billingDir, outDir) {
  const { DuckDBInstance } = require('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const c = await instance.connect();
  const written = [];
  try {
    await c.run("SET TimeZone = 'UTC'");
    const files = fs
      .readdirSync(billingDir)
      .filter(name => /^focus-\d{4}-\d{2}\.csv(\.gz)?$/.test(name))
      .sort();
    for (const name of files) {
      const month = /(\d{4}-\d{2})/.exec(name)[1];
      const target = path.join(
        outDir,
        `billing_period=${month}`,
        'focus-00001.parquet',
      );
      fs.mkdirSync(path.dirname(target), { recursive: true });
      await c.run(
        `COPY (SELECT * REPLACE (${REPLACED}) FROM read_csv(${sqlText(
          path.join(billingDir, name),
        )}, all_varchar = true, header = true)) TO ${sqlText(
          target,
        )} (FORMAT parquet, COMPRESSION snappy)`,
      );
      written.push(target);
    }
  } finally {
    c.closeSync();
    instance.closeSync();
  }
  return written;
}

module.exports = { writeDemoBigQueryTable };

if (require.main === module) {
  const [billingDir, outDir] = process.argv.slice(2);
  if (!billingDir || !outDir) {
    process.stderr.write('usage: demoTable.js GCP_BILLING_DIR OUT_DIR\n');
    process.exit(2);
  }
  writeDemoBigQueryTable(path.resolve(billingDir), path.resolve(outDir)).then(
    files =>
      process.stdout.write(`${files.length} Parquet files under ${outDir}\n`),
    error => {
      process.stderr.write(`demo table failed: ${error.message}\n`);
      process.exit(1);
    },
  );
}
