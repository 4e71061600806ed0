'use strict';

// The demo's AWS bill laid out as AWS Data Exports writes a FOCUS export to S3: per billing
// period one Parquet file (snappy, costs as DECIMAL, times as timestamps) under
// <prefix>/<export>/data/BILLING_PERIOD=YYYY-MM/ and a manifest naming it under .../metadata/.
// `npm run start:fake-aws` serves the result as a bucket; the tests load it into the fake S3.
//
//   node test/fake-aws/demoExport.js BILLING_DIR OUT_DIR   writes the objects under OUT_DIR

const fs = require('fs');
const path = require('path');

const DEMO_EXPORT = {
  bucket: 'costscope-billing',
  prefix: 'focus',
  exportName: 'costscope-demo',
};

/** Money columns as exact decimals: the demo writes up to 12 fractional digits, some in exponent notation. */
const DECIMAL_COLUMNS = ['BilledCost', 'EffectiveCost', 'ListCost'];
const TIME_COLUMNS = [
  'BillingPeriodStart',
  'BillingPeriodEnd',
  'ChargePeriodStart',
  'ChargePeriodEnd',
];

const sqlText = text => `'${String(text).replace(/'/g, "''")}'`;

/**
 * Copies a FOCUS CSV (or .csv.gz) into a Parquet file as the clouds write them: snappy, the
 * costs as exact DECIMAL(38, 18), the times as UTC timestamps, every other column text.
 * `connection` is a DuckDB connection (@duckdb/node-api). `tagsAsMap`: Tags as a
 * MAP(VARCHAR, VARCHAR), as AWS's FOCUS export (and so its Athena table) has them, instead of
 * JSON text.
 */
async function copyCsvToParquet(
  connection,
  csvFile,
  parquetFile,
  { tagsAsMap = false } = {},
) {
  const replaced = [
    ...DECIMAL_COLUMNS.map(c => `CAST(${c} AS DECIMAL(38, 18)) AS ${c}`),
    ...TIME_COLUMNS.map(c => `CAST(${c} AS TIMESTAMPTZ) AS ${c}`),
    ...(tagsAsMap
      ? [
          `CASE WHEN Tags IS NULL OR Tags = '' THEN NULL ELSE CAST(json(Tags) AS MAP(VARCHAR, VARCHAR)) END AS Tags`,
        ]
      : []),
  ].join(', ');
  await connection.run(
    `COPY (SELECT * REPLACE (${replaced}) FROM read_csv(${sqlText(
      csvFile,
    )}, all_varchar = true, header = true)) TO ${sqlText(
      parquetFile,
    )} (FORMAT parquet, COMPRESSION snappy)`,
  );
}

/**
 * Writes the export's objects for every focus-YYYY-MM.csv.gz in `billingDir` into `outDir`,
 * keyed by their path relative to it; returns the object keys. `options.tagsAsMap`: see
 * copyCsvToParquet.
 */
async function writeDemoExport(billingDir, outDir, options = DEMO_EXPORT) {
  // Loaded here: the rest of the fake AWS does not need DuckDB's native module.
  const { DuckDBInstance } = require('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const root = `${options.prefix}/${options.exportName}`;
  const keys = [];
  try {
    const files = fs
      .readdirSync(billingDir)
      .filter(name => /^focus-\d{4}-\d{2}\.csv\.gz$/.test(name))
      .sort();
    for (const name of files) {
      const month = /(\d{4}-\d{2})/.exec(name)[1];
      const dataKey = `${root}/data/BILLING_PERIOD=${month}/${options.exportName}-00001.snappy.parquet`;
      const target = path.join(outDir, dataKey);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      await copyCsvToParquet(connection, path.join(billingDir, name), target, {
        tagsAsMap: options.tagsAsMap,
      });
      const manifestKey = `${root}/metadata/BILLING_PERIOD=${month}/${options.exportName}-Manifest.json`;
      fs.mkdirSync(path.dirname(path.join(outDir, manifestKey)), {
        recursive: true,
      });
      fs.writeFileSync(
        path.join(outDir, manifestKey),
        JSON.stringify(
          {
            executionId: `demo-${month}`,
            bucket: options.bucket,
            reportName: options.exportName,
            billingPeriod: { start: `${month}-01T00:00:00.000Z` },
            dataFiles: [`s3://${options.bucket}/${dataKey}`],
          },
          null,
          2,
        ),
      );
      keys.push(dataKey, manifestKey);
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return keys;
}

module.exports = { writeDemoExport, copyCsvToParquet, DEMO_EXPORT };

if (require.main === module) {
  const [billingDir, outDir] = process.argv.slice(2);
  if (!billingDir || !outDir) {
    process.stderr.write('usage: demoExport.js BILLING_DIR OUT_DIR\n');
    process.exit(2);
  }
  writeDemoExport(path.resolve(billingDir), path.resolve(outDir)).then(
    keys =>
      process.stdout.write(
        `demo export: ${
          keys.length / 2
        } billing periods as Parquet under ${outDir}\n`,
      ),
    error => {
      process.stderr.write(`demo export failed: ${error.message}\n`);
      process.exit(1);
    },
  );
}
