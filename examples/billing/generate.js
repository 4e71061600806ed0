#!/usr/bin/env node
'use strict';

// Deterministic FOCUS 1.0 demo billing for the Costscope demo organisation.
//
//   node examples/billing/generate.js [--out DIR] [--end YYYY-MM-DD] [--seed N] [--if-stale]
//
// Same (seed, endDate, generatorVersion) => byte-identical files. All money is computed as
// BigInt at 1e-12 USD and formatted as exact decimal strings; the only floats are the PRNG's
// 32-bit integers, used as integers. Node built-ins only.

const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { RESOURCES, SP_ARN, AWS, GCP, ACCOUNTS } = require('./resources');
const { demoInventoryWithUtilisation } = require('./inventory');

/** Where the demo inventory (resources with 14 days of utilisation) goes, inside outDir. */
const INVENTORY_FILE = 'inventory/aws.json';

/** Where the demo's business metric (checkout-api's daily orders) goes, inside outDir. */
const METRICS_FILE = 'metrics/orders.csv';
/** The component whose orders the demo counts, and the service tag of its resources. */
const ORDERS_ENTITY = 'component:default/checkout-api';
const ORDERS_SERVICE = 'checkout-api';

const GENERATOR_VERSION = '1.3.0';
const DEFAULT_SEED = 20261123;
const DEFAULT_OUT = path.join(__dirname, 'generated');

const COLUMNS = [
  'BillingAccountId',
  'BillingAccountName',
  'BillingCurrency',
  'BillingPeriodStart',
  'BillingPeriodEnd',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'ChargeCategory',
  'ChargeDescription',
  'BilledCost',
  'EffectiveCost',
  'ListCost',
  'ProviderName',
  'PublisherName',
  'RegionId',
  'ResourceId',
  'ResourceName',
  'ResourceType',
  'ServiceCategory',
  'ServiceName',
  'SubAccountId',
  'SubAccountName',
  'PricingQuantity',
  'PricingUnit',
  'CommitmentDiscountId',
  'CommitmentDiscountType',
  'CommitmentDiscountStatus',
  'Tags',
];

// ---------------------------------------------------------------------------
// exact decimal helpers (1e-12 scale)
const SCALE = 10n ** 12n;
const PPM = 1000000n;
const CENT = 10n ** 10n; // 0.01 USD at 1e-12 scale

function parseDec(s, scale = 12) {
  const neg = s.startsWith('-');
  const [i, f = ''] = (neg ? s.slice(1) : s).split('.');
  const v = BigInt(i + f.padEnd(scale, '0').slice(0, scale));
  return neg ? -v : v;
}

/** 1e-12 units -> decimal string with 10 to 12 fractional digits. */
function fmtMoney(v) {
  const neg = v < 0n;
  const a = neg ? -v : v;
  let frac = (a % SCALE).toString().padStart(12, '0');
  while (frac.length > 10 && frac.endsWith('0')) frac = frac.slice(0, -1);
  return `${neg ? '-' : ''}${a / SCALE}.${frac}`;
}

/** Quantity at 1e-6 scale -> decimal string, trailing zeros trimmed. */
function fmtQty(micro) {
  const i = micro / PPM;
  const f = (micro % PPM).toString().padStart(6, '0').replace(/0+$/, '');
  return f ? `${i}.${f}` : `${i}`;
}

function roundToCents(v) {
  const half = CENT / 2n;
  return v >= 0n ? ((v + half) / CENT) * CENT : -((-v + half) / CENT) * CENT;
}

// ---------------------------------------------------------------------------
// PRNG: mulberry32, returning uint32 integers; seeded per resource from (seed, key)
function mulberry32(a) {
  return function next() {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}
function fnv1a(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

// ---------------------------------------------------------------------------
// dates (UTC, whole days as epoch milliseconds)
const DAY = 86400000;
function parseDate(s) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s))
    throw new Error(`bad date '${s}', expected YYYY-MM-DD`);
  const [y, m, d] = s.split('-').map(Number);
  const t = Date.UTC(y, m - 1, d);
  if (new Date(t).toISOString().slice(0, 10) !== s)
    throw new Error(`bad date '${s}'`);
  return t;
}
const isoDay = t => new Date(t).toISOString().slice(0, 10);
const ts = t => `${isoDay(t)}T00:00:00Z`;
function monthStart(t, deltaMonths = 0) {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + deltaMonths, 1);
}
function yesterdayUtc() {
  const now = new Date();
  return isoDay(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - DAY,
  );
}

// ---------------------------------------------------------------------------
// cost model
// usage-priced resources: weekly rhythm in ppm, indexed by getUTCDay() (0 = Sunday) ...
const WEEKLY = {
  web: [800000, 1040000, 1060000, 1060000, 1050000, 1000000, 820000],
  batch: [650000, 1120000, 1120000, 1100000, 1100000, 1050000, 680000],
  steady: [960000, 1010000, 1015000, 1015000, 1010000, 1000000, 960000],
  flat: [1000000, 1000000, 1000000, 1000000, 1000000, 1000000, 1000000],
  ci: [250000, 1300000, 1320000, 1300000, 1280000, 1150000, 300000],
};
// ... and +- noise amplitude in ppm
const NOISE = {
  web: 30000n,
  batch: 60000n,
  steady: 10000n,
  flat: 4000n,
  ci: 80000n,
};
// capacity resources: running hours per node, [min, max] by weekday (0 = Sunday); 0 = no row
const HOURS = {
  steady: Array(7).fill([24, 24]),
  office: [
    [0, 0],
    [11, 14],
    [11, 14],
    [11, 14],
    [11, 14],
    [9, 12],
    [0, 0],
  ],
  batch: [
    [12, 18],
    [24, 24],
    [24, 24],
    [24, 24],
    [24, 24],
    [24, 24],
    [12, 18],
  ],
  ci: [
    [4, 8],
    [24, 24],
    [24, 24],
    [24, 24],
    [24, 24],
    [20, 24],
    [4, 8],
  ],
};

const SP_EFFECTIVE_PPM = 720000n; // Savings Plan rate: 28 % below on-demand
const SP_UTILIZATION_PPM = 960000n; // 4 % of the commitment's hours go unused
const TAX_PPM = 60000n; // 6 % sales tax on AWS usage, per linked account
const AWS_CREDIT_PPM = 30000n; // promotional credit: 3 % of the prod account's usage
const GCP_CREDIT_PPM = 20000n; // 2 % of acme-analytics-prod usage

function csvField(v) {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
const csvLine = fields => `${fields.map(csvField).join(',')}\n`;

/**
 * checkout-api's daily orders, following its cost: a day's orders are its cost times orders
 * per dollar, which grows from 8 to 10 over the period (the team got more efficient: cost per
 * order falls from about $0.125 to $0.10 while spend grows), with +-4 % noise of its own.
 * @returns [day, orders] pairs in day order, orders a whole number
 */
function demoOrders(costByDay, start, seed) {
  const rand = mulberry32((seed ^ fnv1a('orders')) >>> 0);
  const days = [...costByDay.keys()].sort((a, b) => a - b);
  const span = BigInt(
    Math.max(1, Math.round((days[days.length - 1] - start) / DAY)),
  );
  return days.map(day => {
    const dayIdx = BigInt(Math.round((day - start) / DAY));
    // orders per dollar in ppm: 8 at the start, 10 at the end
    const perDollarPpm = 8n * PPM + (2n * PPM * dayIdx) / span;
    const noisePpm = PPM - 40000n + (BigInt(rand()) % 80001n);
    const orders =
      (costByDay.get(day) * perDollarPpm * noisePpm) / (SCALE * PPM * PPM);
    return [isoDay(day), orders.toString()];
  });
}

/**
 * Generate the demo billing files.
 * @param {{outDir?: string, endDate?: string, months?: number, seed?: number}} opts
 * @returns the manifest object (also written to outDir/manifest.json)
 */
function generateDemoBilling(opts = {}) {
  const outDir = path.resolve(opts.outDir || DEFAULT_OUT);
  const endDate = opts.endDate || yesterdayUtc();
  const months = opts.months === undefined ? 13 : opts.months;
  const seed = opts.seed === undefined ? DEFAULT_SEED : opts.seed;
  if (!Number.isInteger(months) || months < 1)
    throw new Error('months must be a positive integer');
  if (!Number.isInteger(seed)) throw new Error('seed must be an integer');

  const end = parseDate(endDate);
  const start = monthStart(end, -(months - 1));
  const endExcl = end + DAY;

  // per-resource state
  const res = RESOURCES.map(r => ({
    r,
    rand: mulberry32((seed ^ fnv1a(r.key)) >>> 0),
    base: r.capacity ? 0n : parseDec(r.base),
    unitPrice: parseDec(r.unitPrice),
    weekly: r.capacity ? null : WEEKLY[r.profile].map(BigInt),
    noise: r.capacity ? null : NOISE[r.profile],
    hours: r.capacity ? HOURS[r.profile] : null,
    nodes: BigInt(r.nodes),
    growthPpmPerDay: BigInt(Math.round((r.growth * 10000) / 365)),
    from: r.activeFromDaysBeforeEnd
      ? end - r.activeFromDaysBeforeEnd * DAY
      : -Infinity,
    until: r.activeUntilDaysBeforeEnd
      ? end - r.activeUntilDaysBeforeEnd * DAY
      : Infinity,
    tags: r.tags && Object.keys(r.tags).length ? JSON.stringify(r.tags) : '',
  }));

  fs.mkdirSync(path.join(outDir, 'aws'), { recursive: true });
  fs.mkdirSync(path.join(outDir, 'gcp'), { recursive: true });
  // remove files of a previous run (another end date leaves other months behind)
  for (const sub of ['aws', 'gcp']) {
    for (const f of fs.readdirSync(path.join(outDir, sub))) {
      if (/^focus-\d{4}-\d{2}\.csv(\.gz)?$/.test(f))
        fs.unlinkSync(path.join(outDir, sub, f));
    }
  }

  const header = csvLine(COLUMNS);
  const files = [];
  /** checkout-api's effective usage cost per day (1e-12 scale), for its orders. */
  const checkoutCost = new Map();
  let totalBilled = 0n;
  let totalEffective = 0n;
  let totalRows = 0;

  for (let m = start; m < endExcl; m = monthStart(m, 1)) {
    const next = monthStart(m, 1);
    const periodEnd = Math.min(next, endExcl);
    const ym = isoDay(m).slice(0, 7);
    const out = {
      aws: { lines: [header], rows: 0, billed: 0n, effective: 0n },
      gcp: { lines: [header], rows: 0, billed: 0n, effective: 0n },
    };
    const usageByAccount = new Map(); // billed usage per sub account, for tax and credits
    let spCovered = 0n; // effective cost of Savings Plan covered usage this month

    const emit = (provider, row) => {
      const o = out[provider === AWS ? 'aws' : 'gcp'];
      o.lines.push(csvLine(row));
      o.rows++;
      o.billed += row[9].v;
      o.effective += row[10].v;
    };
    // money cells keep their BigInt value for the sums
    const money = v => ({ v, toString: () => fmtMoney(v) });

    for (let day = m; day < periodEnd; day += DAY) {
      const dayIdx = BigInt(Math.round((day - start) / DAY));
      const dow = new Date(day).getUTCDay();
      for (const s of res) {
        // draw every day, active or not, so one resource's window never shifts its numbers
        const draw = s.rand();
        if (day < s.from || day > s.until) continue;
        const r = s.r;
        let cost;
        let qtyMicro;
        if (r.capacity) {
          const [lo, hi] = s.hours[dow];
          const hours = BigInt(lo + (draw % (hi - lo + 1))) * s.nodes;
          if (hours === 0n) continue; // stopped all day: no usage line
          cost = hours * s.unitPrice;
          qtyMicro = hours * PPM;
        } else {
          const noisePpm = PPM - s.noise + (BigInt(draw) % (2n * s.noise + 1n));
          const growthPpm = PPM + s.growthPpmPerDay * dayIdx;
          cost =
            (s.base * s.weekly[dow] * growthPpm * noisePpm) / (PPM * PPM * PPM);
          qtyMicro = (cost * PPM) / s.unitPrice;
        }
        const list = cost;
        let billed = cost;
        let effective = cost;
        let commitmentId = '';
        let commitmentType = '';
        let description = r.description;
        if (r.covered) {
          billed = 0n;
          effective = (cost * SP_EFFECTIVE_PPM) / PPM;
          commitmentId = SP_ARN;
          commitmentType = 'Savings Plan';
          description = `Savings Plan covered usage: ${r.instanceType} Linux instance hour`;
          spCovered += effective;
        }
        if (r.tags && r.tags.service === ORDERS_SERVICE) {
          checkoutCost.set(day, (checkoutCost.get(day) || 0n) + effective);
        }
        const acctKey = r.account.id;
        usageByAccount.set(
          acctKey,
          (usageByAccount.get(acctKey) || 0n) + billed,
        );
        emit(r.provider, [
          r.provider.billingAccountId,
          r.provider.billingAccountName,
          'USD',
          ts(m),
          ts(next),
          ts(day),
          ts(day + DAY),
          'Usage',
          description,
          money(billed),
          money(effective),
          money(list),
          r.provider.provider,
          r.provider.publisher,
          r.region,
          r.resourceId,
          r.resourceName,
          r.resourceType,
          r.svc.category,
          r.svc.name,
          r.account.id,
          r.account.name,
          fmtQty(qtyMicro),
          r.unit,
          commitmentId,
          commitmentType,
          commitmentId ? 'Used' : '',
          s.tags,
        ]);
      }
    }

    // monthly, account-level rows (charge period: the month, up to the end date)
    const monthly = (
      provider,
      account,
      category,
      description,
      billed,
      effective,
      list,
      extra = {},
    ) =>
      emit(provider, [
        provider.billingAccountId,
        provider.billingAccountName,
        'USD',
        ts(m),
        ts(next),
        ts(m),
        ts(periodEnd),
        category,
        description,
        money(billed),
        money(effective),
        money(list),
        provider.provider,
        provider.publisher,
        extra.region || '',
        extra.resourceId || '',
        extra.resourceName || '',
        extra.resourceType || '',
        extra.category || 'Other',
        extra.service || '',
        account.id,
        account.name,
        extra.qty || '',
        extra.unit || '',
        extra.commitmentId || '',
        extra.commitmentType || '',
        extra.commitmentStatus || '',
        '',
      ]);

    // Savings Plan recurring fee: cash on the invoice, amortized into the usage it covered
    // and, for the hours nothing used it (utilization SP_UTILIZATION_PPM), into an unused
    // commitment line; billed and amortized totals stay equal.
    if (spCovered > 0n) {
      const fee = roundToCents((spCovered * PPM) / SP_UTILIZATION_PPM);
      const hours = BigInt(Math.round((periodEnd - m) / 3600000));
      const plan = {
        region: 'global',
        resourceId: SP_ARN,
        resourceName: 'compute-sp-2025',
        resourceType: 'Savings Plan',
        category: 'Compute',
        service: 'AWS Savings Plans for Compute usage',
        commitmentId: SP_ARN,
        commitmentType: 'Savings Plan',
      };
      monthly(
        AWS,
        ACCOUNTS.prod,
        'Purchase',
        'Savings Plan recurring fee: Compute Savings Plan, 1 year, No Upfront',
        fee,
        0n,
        // No on-demand price: the usage the fee pays for carries its list cost already.
        0n,
        { ...plan, qty: fmtQty(hours * PPM), unit: 'Hours' },
      );
      monthly(
        AWS,
        ACCOUNTS.prod,
        'Usage',
        'Savings Plan unused commitment',
        0n,
        fee - spCovered,
        0n,
        { ...plan, commitmentStatus: 'Unused' },
      );
      usageByAccount.set(
        ACCOUNTS.prod.id,
        usageByAccount.get(ACCOUNTS.prod.id) + fee,
      );
    }
    // promotional credits (negative), account level
    const awsCredit = -roundToCents(
      ((usageByAccount.get(ACCOUNTS.prod.id) || 0n) * AWS_CREDIT_PPM) / PPM,
    );
    if (awsCredit !== 0n) {
      monthly(
        AWS,
        ACCOUNTS.prod,
        'Credit',
        'AWS Promotional Credit: Migration Acceleration Program',
        awsCredit,
        awsCredit,
        0n,
      );
    }
    const gcpCredit = -roundToCents(
      ((usageByAccount.get(ACCOUNTS.analytics.id) || 0n) * GCP_CREDIT_PPM) /
        PPM,
    );
    if (gcpCredit !== 0n) {
      monthly(
        GCP,
        ACCOUNTS.analytics,
        'Credit',
        'Google Cloud promotional credit: Startup program',
        gcpCredit,
        gcpCredit,
        0n,
      );
    }
    // sales tax on AWS, per linked account
    for (const acct of [ACCOUNTS.prod, ACCOUNTS.staging, ACCOUNTS.ci]) {
      const tax = roundToCents(
        ((usageByAccount.get(acct.id) || 0n) * TAX_PPM) / PPM,
      );
      if (tax !== 0n)
        monthly(
          AWS,
          acct,
          'Tax',
          'Sales tax (6 %) on AWS charges',
          tax,
          tax,
          tax,
        );
    }

    for (const [provider, rel] of [
      ['aws', `aws/focus-${ym}.csv.gz`],
      ['gcp', `gcp/focus-${ym}.csv`],
    ]) {
      const o = out[provider];
      let buf = Buffer.from(o.lines.join(''), 'utf8');
      if (rel.endsWith('.gz')) {
        buf = zlib.gzipSync(buf, { level: 9 });
        buf[9] = 3; // gzip OS byte: fixed to "Unix" so output does not depend on the platform
      }
      fs.writeFileSync(path.join(outDir, rel), buf);
      files.push({
        path: rel,
        provider: provider === 'aws' ? AWS.provider : GCP.provider,
        billingPeriod: isoDay(m),
        rows: o.rows,
        billedCostSum: fmtMoney(o.billed),
        effectiveCostSum: fmtMoney(o.effective),
      });
      totalBilled += o.billed;
      totalEffective += o.effective;
      totalRows += o.rows;
    }
  }

  // The inventory as EC2 and CloudWatch would report it at the end of the last billed day,
  // for the backend's inventory-file source (tips and tag compliance without a cloud account).
  fs.mkdirSync(path.join(outDir, path.dirname(INVENTORY_FILE)), {
    recursive: true,
  });
  const inventory = demoInventoryWithUtilisation({ endDate });
  fs.writeFileSync(
    path.join(outDir, INVENTORY_FILE),
    `${JSON.stringify({ endDate, resources: inventory })}\n`,
  );

  const orders = demoOrders(checkoutCost, start, seed);
  fs.mkdirSync(path.join(outDir, path.dirname(METRICS_FILE)), {
    recursive: true,
  });
  fs.writeFileSync(
    path.join(outDir, METRICS_FILE),
    [
      'date,entity_ref,metric,value\n',
      ...orders.map(
        ([day, count]) => `${day},${ORDERS_ENTITY},orders,${count}\n`,
      ),
    ].join(''),
  );

  const manifest = {
    generatorVersion: GENERATOR_VERSION,
    seed,
    endDate,
    startDate: isoDay(start),
    currency: 'USD',
    files,
    inventory: { path: INVENTORY_FILE, resources: inventory.length },
    metrics: { path: METRICS_FILE, rows: orders.length },
    totals: {
      rows: totalRows,
      billedCost: fmtMoney(totalBilled),
      effectiveCost: fmtMoney(totalEffective),
    },
  };
  const tmp = path.join(outDir, 'manifest.json.tmp');
  fs.writeFileSync(tmp, `${JSON.stringify(manifest, null, 2)}\n`);
  fs.renameSync(tmp, path.join(outDir, 'manifest.json'));
  return manifest;
}

/** True when outDir holds a manifest for these parameters and all its files. */
function isFresh({ outDir, endDate, seed }) {
  try {
    const m = JSON.parse(
      fs.readFileSync(path.join(outDir, 'manifest.json'), 'utf8'),
    );
    return (
      m.generatorVersion === GENERATOR_VERSION &&
      m.seed === seed &&
      m.endDate === endDate &&
      m.files.every(f => fs.existsSync(path.join(outDir, f.path))) &&
      fs.existsSync(path.join(outDir, INVENTORY_FILE)) &&
      fs.existsSync(path.join(outDir, METRICS_FILE))
    );
  } catch {
    return false;
  }
}

function main(argv) {
  const args = {
    outDir: DEFAULT_OUT,
    endDate: undefined,
    seed: DEFAULT_SEED,
    ifStale: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--out') args.outDir = path.resolve(val());
    else if (a === '--end') args.endDate = val();
    else if (a === '--seed') args.seed = Number(val());
    else if (a === '--if-stale') args.ifStale = true;
    else if (a === '-h' || a === '--help') {
      process.stdout.write(
        'usage: node examples/billing/generate.js [--out DIR] [--end YYYY-MM-DD] [--seed N] [--if-stale]\n',
      );
      return;
    } else throw new Error(`unknown argument '${a}'`);
  }
  args.endDate = args.endDate || yesterdayUtc();
  parseDate(args.endDate);
  const rel = path.relative(process.cwd(), args.outDir) || '.';
  if (args.ifStale && isFresh(args)) {
    process.stdout.write(
      `demo billing: up to date in ${rel} (end ${args.endDate}, seed ${args.seed}), nothing to do\n`,
    );
    return;
  }
  const t0 = Date.now();
  const m = generateDemoBilling(args);
  process.stdout.write(
    `demo billing: wrote ${m.files.length} files, ${m.totals.rows} rows, ${m.startDate}..${m.endDate}, ` +
      `billed ${m.totals.billedCost} USD to ${rel} in ${Date.now() - t0} ms\n`,
  );
}

module.exports = {
  generateDemoBilling,
  GENERATOR_VERSION,
  DEFAULT_SEED,
  COLUMNS,
  fmtMoney,
};

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`demo billing: ${e.message}\n`);
    process.exit(1);
  }
}
