'use strict';

// Loads the demo FOCUS files into the cost lines Cost Explorer answers from.

const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { parseRows } = require('./csv');
const { parseDecimal } = require('./decimal');

const FILE = /^focus-\d{4}-\d{2}\.csv(\.gz)?$/;
const DEFAULT_BILLING_DIR = path.resolve(
  __dirname,
  '../../examples/billing/generated/aws',
);

const COLUMNS = [
  'ChargePeriodStart',
  'ChargeCategory',
  'BilledCost',
  'EffectiveCost',
  'ProviderName',
  'RegionId',
  'ServiceName',
  'SubAccountId',
  'SubAccountName',
  'PricingQuantity',
  'CommitmentDiscountType',
  'Tags',
];
// Read when a file has them (FOCUS 1.0 has ListCost; ResourceType and the commitment status are
// optional columns): the Savings Plans and reservation answers use them.
const OPTIONAL_COLUMNS = [
  'ListCost',
  'ResourceType',
  'CommitmentDiscountStatus',
];
const EC2 = 'Amazon Elastic Compute Cloud';

/** Cost Explorer's RECORD_TYPE for a FOCUS charge. */
function recordType(row) {
  const savingsPlan = row.CommitmentDiscountType === 'Savings Plan';
  if (row.ChargeCategory === 'Usage')
    return savingsPlan ? 'SavingsPlanCoveredUsage' : 'Usage';
  if (row.ChargeCategory === 'Purchase')
    return savingsPlan ? 'SavingsPlanRecurringFee' : 'Fee';
  return row.ChargeCategory; // Credit, Tax, Refund
}

const tagCache = new Map(); // most lines share a handful of tag sets
function parseTags(cell) {
  if (!cell) return {};
  if (!tagCache.has(cell)) {
    const tags = JSON.parse(cell);
    tagCache.set(
      cell,
      Object.freeze(tags && typeof tags === 'object' ? tags : {}),
    );
  }
  return tagCache.get(cell);
}

function toLine(row) {
  return {
    day: row.ChargePeriodStart.slice(0, 10),
    account: row.SubAccountId,
    service: row.ServiceName,
    region: row.RegionId,
    recordType: recordType(row),
    tags: parseTags(row.Tags),
    // UnblendedCost = BilledCost, AmortizedCost = EffectiveCost; no RIs or EDP discounts
    // in the demo, so Net* and Blended equal them
    billed: parseDecimal(row.BilledCost),
    effective: parseDecimal(row.EffectiveCost),
    quantity: parseDecimal(row.PricingQuantity),
    list: parseDecimal(row.ListCost),
    // EC2 instance hours: the usage a Compute Savings Plan or an EC2 reservation can cover
    instanceUsage:
      row.ChargeCategory === 'Usage' &&
      row.ServiceName === EC2 &&
      row.ResourceType === 'Instance',
    commitmentStatus: row.CommitmentDiscountStatus || '',
  };
}

/** The rows of one file, each as an object of the COLUMNS the fake reads. */
function readRows(file) {
  let buf = fs.readFileSync(file);
  if (file.endsWith('.gz')) buf = zlib.gunzipSync(buf);
  const [header = [], ...rows] = parseRows(buf.toString('utf8'));
  const index = COLUMNS.map(c => {
    const i = header.indexOf(c);
    if (i < 0) throw new Error(`fake AWS: ${file} has no column ${c}`);
    return i;
  });
  const optional = OPTIONAL_COLUMNS.map(c => header.indexOf(c));
  return rows.map(r => ({
    ...Object.fromEntries(COLUMNS.map((c, k) => [c, r[index[k]]])),
    ...Object.fromEntries(
      OPTIONAL_COLUMNS.map((c, k) => [
        c,
        optional[k] < 0 ? '' : r[optional[k]],
      ]),
    ),
  }));
}

function readDir(dir, files) {
  const lines = [];
  const accountNames = new Map();
  for (const f of files) {
    for (const row of readRows(path.join(dir, f))) {
      if (row.ProviderName !== 'AWS') continue;
      lines.push(toLine(row));
      accountNames.set(row.SubAccountId, row.SubAccountName);
    }
  }
  const days = lines.map(l => l.day).sort();
  return {
    lines,
    firstDay: days[0],
    lastDay: days[days.length - 1],
    accountNames,
  };
}

// fakes started one after another in a process share the parsed files (nobody mutates them)
const cache = new Map();

/**
 * Every AWS line of the FOCUS files in `dir`, plus what the fake derives from them.
 * @returns {{ lines: object[], firstDay: string, lastDay: string, accountNames: Map<string,string> }}
 */
function loadBilling(dir = DEFAULT_BILLING_DIR) {
  if (!fs.existsSync(dir))
    throw new Error(
      `fake AWS: no billing directory ${dir}; run 'node examples/billing/generate.js' first`,
    );
  const files = fs
    .readdirSync(dir)
    .filter(f => FILE.test(f))
    .sort();
  if (!files.length)
    throw new Error(`fake AWS: no focus-YYYY-MM.csv[.gz] files in ${dir}`);
  const key = JSON.stringify([
    path.resolve(dir),
    ...files.map(f => {
      const st = fs.statSync(path.join(dir, f));
      return [f, st.size, st.mtimeMs];
    }),
  ]);
  if (!cache.has(key)) cache.set(key, readDir(dir, files));
  return cache.get(key);
}

module.exports = { loadBilling, DEFAULT_BILLING_DIR };
