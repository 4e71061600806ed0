#!/usr/bin/env node
'use strict';

// Checks a generated demo billing directory against its manifest:
//   node examples/billing/verify.js [DIR]
// header and column count, row counts, BilledCost/EffectiveCost sums (exact, BigInt),
// Tags JSON, timestamps, charge periods inside the billing period. Exits 1 on any mismatch.

const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { COLUMNS, fmtMoney } = require('./generate');

function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function money(s) {
  if (!/^-?\d+\.\d{10,12}$/.test(s)) throw new Error(`bad money '${s}'`);
  const neg = s.startsWith('-');
  const [i, f] = (neg ? s.slice(1) : s).split('.');
  const v = BigInt(i + f.padEnd(12, '0'));
  return neg ? -v : v;
}

function verify(dir) {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'),
  );
  const errors = [];
  const col = Object.fromEntries(COLUMNS.map((c, i) => [c, i]));
  let billedAll = 0n;
  let effectiveAll = 0n;
  const byCategory = {};
  for (const f of manifest.files) {
    let buf = fs.readFileSync(path.join(dir, f.path));
    if (f.path.endsWith('.gz')) buf = zlib.gunzipSync(buf);
    const rows = parseCsv(buf.toString('utf8'));
    const header = rows.shift();
    if (header.join(',') !== COLUMNS.join(','))
      errors.push(`${f.path}: bad header`);
    let billed = 0n;
    let effective = 0n;
    const bpStart = `${f.billingPeriod}T00:00:00Z`;
    rows.forEach((r, n) => {
      const where = `${f.path} row ${n + 2}`;
      if (r.length !== COLUMNS.length)
        return errors.push(`${where}: ${r.length} columns`);
      try {
        billed += money(r[col.BilledCost]);
        effective += money(r[col.EffectiveCost]);
        money(r[col.ListCost]);
      } catch (e) {
        errors.push(`${where}: ${e.message}`);
      }
      if (r[col.BillingPeriodStart] !== bpStart)
        errors.push(`${where}: BillingPeriodStart`);
      const cs = r[col.ChargePeriodStart];
      const ce = r[col.ChargePeriodEnd];
      if (
        !/^\d{4}-\d{2}-\d{2}T00:00:00Z$/.test(cs) ||
        cs < bpStart ||
        ce <= cs ||
        ce > r[col.BillingPeriodEnd]
      ) {
        errors.push(`${where}: charge period ${cs}..${ce}`);
      }
      if (r[col.Tags]) {
        try {
          const t = JSON.parse(r[col.Tags]);
          if (typeof t !== 'object' || Array.isArray(t))
            throw new Error('not an object');
        } catch (e) {
          errors.push(`${where}: Tags ${e.message}`);
        }
      }
      const cat = r[col.ChargeCategory];
      byCategory[cat] = (byCategory[cat] || 0n) + money(r[col.BilledCost]);
    });
    if (rows.length !== f.rows)
      errors.push(`${f.path}: ${rows.length} rows, manifest says ${f.rows}`);
    if (fmtMoney(billed) !== f.billedCostSum)
      errors.push(
        `${f.path}: billed ${fmtMoney(billed)} != ${f.billedCostSum}`,
      );
    if (fmtMoney(effective) !== f.effectiveCostSum) {
      errors.push(
        `${f.path}: effective ${fmtMoney(effective)} != ${f.effectiveCostSum}`,
      );
    }
    billedAll += billed;
    effectiveAll += effective;
  }
  if (fmtMoney(billedAll) !== manifest.totals.billedCost)
    errors.push('totals.billedCost mismatch');
  if (fmtMoney(effectiveAll) !== manifest.totals.effectiveCost)
    errors.push('totals.effectiveCost mismatch');
  return { manifest, errors, byCategory };
}

if (require.main === module) {
  const dir = path.resolve(
    process.argv[2] || path.join(__dirname, 'generated'),
  );
  const { manifest, errors, byCategory } = verify(dir);
  if (errors.length) {
    for (const e of errors.slice(0, 50)) process.stderr.write(`${e}\n`);
    process.stderr.write(
      `demo billing verify: ${errors.length} problem(s) in ${dir}\n`,
    );
    process.exit(1);
  }
  const cats = Object.entries(byCategory)
    .map(([k, v]) => `${k} ${fmtMoney(v)}`)
    .join(', ');
  process.stdout.write(
    `demo billing verify: OK, ${manifest.files.length} files, ${manifest.totals.rows} rows, billed ${manifest.totals.billedCost} (${cats})\n`,
  );
}

module.exports = { verify, parseCsv };
