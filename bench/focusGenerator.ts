/**
 * A deterministic FOCUS 1.0 CSV of any size, for the ingest benchmark.
 *
 * The same (rows, seed) always gives the same bytes. The columns are those of the demo
 * generator (examples/billing/generate.js). Each day has the same catalogue of line items:
 * resources in several accounts, regions and services, each billed in one to six usage lines
 * a day (instance hours, storage, requests, data transfer, ...), plus tax and credit lines
 * without a resource. Amounts are integers of 1e-12 USD from a seeded PRNG, printed with 10
 * to 12 decimals (tiny ones in exponent notation, as AWS writes them); no floats touch money.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
// CommonJS script of the demo data; it exports its column list for this generator.
const { COLUMNS: demoColumns } = require('../examples/billing/generate.js');

/** The demo generator's 28 FOCUS columns, in its order. */
export const FOCUS_BENCH_COLUMNS: readonly string[] = demoColumns;

export interface GeneratorOptions {
  rows: number;
  seed: number;
  /** First day, `YYYY-MM-DD`. */
  start: string;
  days: number;
}

export interface GeneratorResult {
  rows: number;
  bytes: number;
  resources: number;
  lineItemsPerDay: number;
}

/** mulberry32: 32-bit integers from a 32-bit seed. */
function prng(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

interface Kind {
  provider: 'AWS' | 'Google Cloud';
  service: string;
  category: string;
  type: string;
  idPrefix: string;
  usages: Array<{ description: string; unit: string }>;
}

const KINDS: Kind[] = [
  {
    provider: 'AWS',
    service: 'Amazon Elastic Compute Cloud',
    category: 'Compute',
    type: 'Instance',
    idPrefix: 'i-',
    usages: [
      { description: 'On Demand Linux instance hour', unit: 'Hours' },
      { description: 'EBS gp3 volume usage', unit: 'GB-Mo' },
      { description: 'Data transfer out to the internet', unit: 'GB' },
      { description: 'Regional data transfer', unit: 'GB' },
      { description: 'EBS snapshot storage', unit: 'GB-Mo' },
    ],
  },
  {
    provider: 'AWS',
    service: 'Amazon Relational Database Service',
    category: 'Databases',
    type: 'DB Instance',
    idPrefix: 'arn:aws:rds:REGION:ACCOUNT:db:',
    usages: [
      { description: 'Multi-AZ instance hour (PostgreSQL)', unit: 'Hours' },
      { description: 'Provisioned storage', unit: 'GB-Mo' },
      { description: 'Backup storage', unit: 'GB-Mo' },
      { description: 'I/O requests', unit: 'IOs' },
    ],
  },
  {
    provider: 'AWS',
    service: 'Amazon Simple Storage Service',
    category: 'Storage',
    type: 'Bucket',
    idPrefix: 'arn:aws:s3:::',
    usages: [
      { description: 'Standard storage', unit: 'GB-Mo' },
      { description: 'PUT, COPY, POST or LIST requests', unit: 'Requests' },
      { description: 'GET and all other requests', unit: 'Requests' },
      { description: 'Data transfer out', unit: 'GB' },
      { description: 'Infrequent access storage', unit: 'GB-Mo' },
      { description: 'Lifecycle transition requests', unit: 'Requests' },
    ],
  },
  {
    provider: 'AWS',
    service: 'AWS Lambda',
    category: 'Compute',
    type: 'Function',
    idPrefix: 'arn:aws:lambda:REGION:ACCOUNT:function:',
    usages: [
      { description: 'Requests', unit: 'Requests' },
      { description: 'Duration (GB-seconds)', unit: 'Lambda-GB-Second' },
    ],
  },
  {
    provider: 'AWS',
    service: 'Amazon DynamoDB',
    category: 'Databases',
    type: 'Table',
    idPrefix: 'arn:aws:dynamodb:REGION:ACCOUNT:table/',
    usages: [
      { description: 'Read request units', unit: 'ReadRequestUnits' },
      { description: 'Write request units', unit: 'WriteRequestUnits' },
      { description: 'Storage', unit: 'GB-Mo' },
    ],
  },
  {
    provider: 'Google Cloud',
    service: 'Compute Engine',
    category: 'Compute',
    type: 'VM',
    idPrefix:
      '//compute.googleapis.com/projects/ACCOUNT/zones/REGION-a/instances/',
    usages: [
      { description: 'N2 Instance Core running', unit: 'hour' },
      { description: 'N2 Instance Ram running', unit: 'gibibyte hour' },
      { description: 'Balanced PD capacity', unit: 'gibibyte month' },
    ],
  },
  {
    provider: 'Google Cloud',
    service: 'Cloud Storage',
    category: 'Storage',
    type: 'Bucket',
    idPrefix: '//storage.googleapis.com/projects/_/buckets/',
    usages: [
      { description: 'Standard Storage', unit: 'gibibyte month' },
      { description: 'Class A Operations', unit: 'count' },
    ],
  },
];

const AWS_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-2',
  'eu-west-1',
  'eu-central-1',
  'ap-southeast-1',
];
const GCP_REGIONS = ['us-central1', 'europe-west1', 'asia-east1'];
const ENVS = ['prod', 'staging', 'dev'];

interface LineItem {
  /** The CSV cells before ChargePeriodStart, between it and BilledCost, and after ListCost. */
  accountCells: string;
  categoryCells: string;
  restCells: string;
  tagsCell: string;
  chargeCategory: 'Usage' | 'Tax' | 'Credit';
  /** Daily cost in 1e-12 USD before noise and the weekly rhythm. */
  base: bigint;
  /** Savings-plan covered: billed 0, effective the cost. */
  covered: boolean;
  quantityMilli: bigint;
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const SCALE = 10n ** 12n;

/** 1e-12 units to a decimal with 10 to 12 fractional digits; below 1e-6, exponent notation. */
function money(value: bigint): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  if (abs !== 0n && abs < 1_000_000n) {
    // e.g. 4.2E-7: digits d1.d2d3... times 10^(exponent)
    const digits = abs.toString();
    const exponent = digits.length - 13;
    const mantissa = digits.replace(/0+$/, '');
    const text =
      mantissa.length > 1
        ? `${mantissa[0]}.${mantissa.slice(1)}E${exponent}`
        : `${mantissa}E${exponent}`;
    return negative ? `-${text}` : text;
  }
  let fraction = (abs % SCALE).toString().padStart(12, '0');
  while (fraction.length > 10 && fraction.endsWith('0'))
    fraction = fraction.slice(0, -1);
  return `${negative ? '-' : ''}${abs / SCALE}.${fraction}`;
}

function isoDay(epochDay: number): string {
  return new Date(epochDay * 86_400_000).toISOString().slice(0, 10);
}

/** Builds one day's catalogue of line items, sized so that `days` days give `rows` rows. */
function lineItems(
  perDay: number,
  random: () => number,
): { items: LineItem[]; resources: number } {
  const pick = <T>(list: readonly T[]) => list[random() % list.length];
  const accounts = Array.from({ length: 24 }, (_, i) => ({
    aws: String(111_122_220_000 + i * 7919),
    gcp: `acme-project-${i.toString(36).padStart(2, '0')}`,
    name: `acme-${
      ['prod', 'stage', 'dev', 'data', 'ml', 'shared'][i % 6]
    }-${i}`,
  }));
  const services = Array.from(
    { length: 400 },
    (_, i) => `svc-${i.toString(36).padStart(3, '0')}`,
  );
  const teams = Array.from({ length: 60 }, (_, i) => `team-${i}`);

  const items: LineItem[] = [];
  let resources = 0;
  // Tax per account and day, and a few credits, take about 2 % of the lines.
  const overhead = Math.max(0, Math.min(48, Math.floor(perDay * 0.02)));
  while (items.length < perDay - overhead) {
    const kind = KINDS[random() % (random() % 4 === 0 ? KINDS.length : 3)];
    const account = pick(accounts);
    const isAws = kind.provider === 'AWS';
    const accountId = isAws ? account.aws : account.gcp;
    const region = pick(isAws ? AWS_REGIONS : GCP_REGIONS);
    const serial = (random() * 4096 + random()).toString(16).padStart(17, '0');
    const service = pick(services);
    const env = pick(ENVS);
    const name = `${service}-${env}-${resources.toString(36)}`;
    const id = kind.idPrefix.startsWith('i-')
      ? `i-${serial.slice(-17)}`
      : kind.idPrefix.replace('REGION', region).replace('ACCOUNT', accountId) +
        name;
    resources += 1;
    const untagged = random() % 10 === 0;
    const tags: Record<string, string> = untagged
      ? {}
      : { service, env, team: teams[fnv(service) % teams.length] };
    if (!untagged && random() % 3 === 0) {
      tags['cost-center'] = `CC-${1000 + (fnv(service) % 40)}`;
    }
    const tagsCell = csvCell(untagged ? '' : JSON.stringify(tags));
    const publisher = isAws ? 'AWS' : 'Google';
    const covered = kind.type === 'Instance' && random() % 3 === 0;
    const usageCount = 1 + (random() % kind.usages.length);
    for (let u = 0; u < usageCount; u += 1) {
      const usage = kind.usages[u];
      // Log-uniform daily cost from about $0.000001 to $400.
      const magnitude = 10n ** BigInt(random() % 9);
      const base = (BigInt(random() % 4_000_000) + 1n) * magnitude;
      items.push({
        accountCells: [
          isAws ? '999988887777' : 'ACME-GCP-BILLING-01',
          csvCell(isAws ? 'Acme Corp (AWS payer)' : 'Acme Corp, GCP'),
          'USD',
        ].join(','),
        categoryCells: csvCell(
          `${usage.description} (${kind.type.toLowerCase()} ${name})`,
        ),
        restCells: [
          kind.provider,
          publisher,
          region,
          csvCell(id),
          csvCell(name),
          csvCell(kind.type),
          kind.category,
          csvCell(kind.service),
          accountId,
          account.name,
        ].join(','),
        tagsCell,
        chargeCategory: 'Usage',
        base,
        covered: covered && u === 0,
        quantityMilli: BigInt(1 + (random() % 2_000_000)),
      });
      if (items.length >= perDay - overhead) break;
    }
  }
  for (let i = 0; items.length < perDay; i += 1) {
    const account = accounts[i % accounts.length];
    const credit = i >= accounts.length;
    items.push({
      accountCells: ['999988887777', 'Acme Corp (AWS payer)', 'USD'].join(','),
      categoryCells: credit ? 'Promotional credit' : 'Sales tax',
      restCells: [
        'AWS',
        'AWS',
        '',
        '',
        '',
        '',
        '',
        '',
        account.aws,
        account.name,
      ].join(','),
      tagsCell: '',
      chargeCategory: credit ? 'Credit' : 'Tax',
      base: (BigInt(random() % 90_000_000) + 1n) * 10n ** 7n,
      covered: false,
      quantityMilli: 0n,
    });
  }
  return { items, resources };
}

function fnv(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const WEEKLY_PPM = [820n, 1040n, 1060n, 1060n, 1050n, 1000n, 830n];

/** Writes the CSV and returns what it holds. */
export async function generateFocusCsv(
  file: string,
  options: GeneratorOptions,
): Promise<GeneratorResult> {
  const random = prng(options.seed);
  const perDay = Math.ceil(options.rows / options.days);
  const { items, resources } = lineItems(perDay, random);
  const out = createWriteStream(file);
  let bytes = 0;
  let buffer = `${FOCUS_BENCH_COLUMNS.join(',')}\n`;
  const flush = async () => {
    bytes += Buffer.byteLength(buffer);
    if (!out.write(buffer)) await once(out, 'drain');
    buffer = '';
  };
  const startDay = Date.parse(`${options.start}T00:00:00Z`) / 86_400_000;
  let written = 0;
  for (let d = 0; d < options.days && written < options.rows; d += 1) {
    const epochDay = startDay + d;
    const day = isoDay(epochDay);
    const next = isoDay(epochDay + 1);
    const periodStart = `${day.slice(0, 8)}01`;
    const date = new Date(`${periodStart}T00:00:00Z`);
    date.setUTCMonth(date.getUTCMonth() + 1);
    const periodEnd = date.toISOString().slice(0, 10);
    const periodCells = `${periodStart}T00:00:00Z,${periodEnd}T00:00:00Z,${day}T00:00:00Z,${next}T00:00:00Z`;
    const weekly = WEEKLY_PPM[new Date(epochDay * 86_400_000).getUTCDay()];
    for (const item of items) {
      if (written >= options.rows) break;
      // Noise of +-10 % and the weekly rhythm, in integers.
      const noise = 900n + BigInt(random() % 201);
      let cost = (item.base * noise * weekly) / 1_000_000n;
      if (item.chargeCategory === 'Credit') cost = -cost;
      const billed = item.covered ? 0n : cost;
      const list =
        item.chargeCategory === 'Usage' ? (cost * 13n) / 10n : billed;
      const quantity =
        item.quantityMilli === 0n
          ? ''
          : `${item.quantityMilli / 1000n}.${(item.quantityMilli % 1000n)
              .toString()
              .padStart(3, '0')}`;
      buffer += `${item.accountCells},${periodCells},${item.chargeCategory},${
        item.categoryCells
      },${money(billed)},${money(cost)},${money(list)},${
        item.restCells
      },${quantity},${quantity ? 'Units' : ''},${
        item.covered
          ? 'arn:aws:savingsplans::999988887777:savingsplan/0a1b2c3d,Savings Plan,Used'
          : ',,'
      },${item.tagsCell}\n`;
      written += 1;
      if (buffer.length > 1 << 20) await flush();
    }
  }
  await flush();
  out.end();
  await once(out, 'finish');
  return { rows: written, bytes, resources, lineItemsPerDay: perDay };
}
