import { moneyToNanos } from '@costscope/backstage-plugin-common';
import { PriceKind, PriceSnapshot } from '@costscope/backstage-plugin-node';
import { PriceRow } from '../store/types';
import {
  baselinePercentOf,
  familySpecOf,
  InstanceFamilySpec,
  InstanceTypeSpec,
} from './instanceFamilies';

export type { InstanceFamilySpec, InstanceTypeSpec } from './instanceFamilies';

/** An instance type with its size and family, as the rules see it. */
export interface InstanceTypeInfo extends InstanceTypeSpec {
  type: string;
  family: string;
  /** The size part of the name: `large`, `2xlarge`, ... */
  size: string;
  familySpec: InstanceFamilySpec;
}

/**
 * Lookups in the on-demand prices Costscope has cached. `find*` return undefined for what
 * it does not hold; `get*` throw an Error that names the missing type and region. Prices are
 * nano-units of `currency` (BigInt).
 */
export interface PriceTable {
  readonly provider: string;
  readonly currency: string;
  /** The day the newest prices were read, YYYY-MM-DD; empty when there are none. */
  readonly date: string;
  /** Where the prices come from, for messages: the price sources' ids. */
  readonly source: string;
  /** What to configure to get the prices that are missing, as a sentence. */
  readonly remedy: string;
  /** Size and family of an instance type, undefined when no price source described it. */
  findInstanceType(type: string): InstanceTypeInfo | undefined;
  /** Price per hour of an instance type in a region, in nano-units. */
  findInstanceHourly(region: string, type: string): bigint | undefined;
  getInstanceHourly(region: string, type: string): bigint;
  /** Price per GiB-month of an EBS volume type in a region, in nano-units. */
  findVolumeGiBMonth(region: string, volumeType: string): bigint | undefined;
  getVolumeGiBMonth(region: string, volumeType: string): bigint;
  /** Price per GiB-month of snapshot storage in a region, in nano-units. */
  findSnapshotGiBMonth(region: string): bigint | undefined;
  /** Price per hour of a public IPv4 address in a region, in nano-units. */
  findPublicIpv4Hourly(region: string): bigint | undefined;
  /** Instance types priced in a region. */
  instanceTypesIn(region: string): InstanceTypeInfo[];
}

/** The prices a table is built from: cached rows, in one provider's and currency's terms. */
export interface PriceTableInput {
  provider: string;
  currency: string;
  date: string;
  source: string;
  remedy: string;
  /** Later rows win over earlier ones with the same region, kind and key. */
  prices: PriceRow[];
}

export const PRICE_KINDS: PriceKind[] = [
  'instance',
  'volume',
  'snapshot',
  'public-ipv4',
];

/** What to configure when a price is missing, said the same way everywhere. */
export const PRICE_REMEDY =
  'configure the AWS module (costscope.aws, with pricing:GetProducts) to read the AWS Price List for that region, or list the price in the file costscope.recommendations.prices.file names';

const split = (type: string) => {
  const dot = type.indexOf('.');
  return dot > 0
    ? { family: type.slice(0, dot), size: type.slice(dot + 1) }
    : undefined;
};

const MIB_PER_GIB = 1024;

/**
 * A price's decimal text in nano-units, exactly: the Price List writes ten decimals
 * ("0.0960000000"), so zeros past the ninth are dropped first; a significant tenth digit is an
 * error rather than a rounding.
 */
export function priceToNanos(text: string): bigint {
  const trimmed = text.trim().replace(/^(\d+\.\d{9})0+$/, '$1');
  return moneyToNanos(trimmed);
}

/**
 * Turns what a price source read into rows, exactly: every price a positive decimal string
 * (never a float), every instance with a type name, vCPUs and memory, no key twice. Throws an Error naming
 * the first bad entry, prefixed with `where` (the source).
 */
export function pricesFromSnapshot(
  snapshot: PriceSnapshot,
  where: string,
): PriceRow[] {
  if (!/^[A-Z]{3}$/.test(snapshot.currency ?? '')) {
    throw new Error(
      `${where}: currency '${snapshot.currency}' is not an ISO 4217 code`,
    );
  }
  if (!Array.isArray(snapshot.prices)) {
    throw new Error(`${where}: prices must be a list`);
  }
  const seen = new Set<string>();
  return snapshot.prices.map((entry, index) => {
    const at = `${where}: prices[${index}]`;
    if (!entry || typeof entry.region !== 'string' || !entry.region) {
      throw new Error(`${at} has no region`);
    }
    if (!PRICE_KINDS.includes(entry.kind)) {
      throw new Error(
        `${at}.kind '${entry.kind}' is not one of ${PRICE_KINDS.join(', ')}`,
      );
    }
    const key = entry.key ?? '';
    const id = JSON.stringify([entry.region, entry.kind, key]);
    if (seen.has(id)) {
      throw new Error(
        `${at} prices ${entry.kind} '${key}' in ${entry.region} a second time`,
      );
    }
    seen.add(id);
    let nanos: bigint;
    try {
      if (typeof entry.price !== 'string') throw new Error('not a string');
      nanos = priceToNanos(entry.price);
    } catch {
      throw new Error(
        `${at}.price '${entry.price}' is not a decimal string of at most 9 significant decimals (write prices as strings, such as "0.096")`,
      );
    }
    if (nanos <= 0n) {
      throw new Error(`${at}.price '${entry.price}' must be more than 0`);
    }
    const row: PriceRow = {
      region: entry.region,
      kind: entry.kind,
      key,
      priceNanos: nanos,
    };
    if (entry.kind === 'instance') {
      if (!split(key)) {
        throw new Error(`${at}.key '${key}' is not an instance type`);
      }
      const memoryMiB = Math.round((entry.memoryGiB ?? 0) * MIB_PER_GIB);
      if (!(Number.isInteger(entry.vcpu) && entry.vcpu! > 0 && memoryMiB > 0)) {
        throw new Error(
          `${at} (${key}) needs a positive whole vcpu and a positive memoryGiB`,
        );
      }
      row.vcpu = entry.vcpu;
      row.memoryMiB = memoryMiB;
      if (entry.architecture) row.architecture = entry.architecture;
      if (entry.gpus) row.gpus = entry.gpus;
    } else if (entry.kind === 'volume' && !key) {
      throw new Error(`${at} is a volume price without a volume type`);
    }
    return row;
  });
}

/** Builds the lookups over cached prices; later rows win over earlier ones of the same key. */
export function createPriceTable(input: PriceTableInput): PriceTable {
  const types = new Map<string, InstanceTypeInfo>();
  const regions = new Map<string, Map<string, bigint>>();
  const priceKey = (kind: string, key: string) => `${kind}\u0000${key}`;
  for (const row of input.prices) {
    const prices = regions.get(row.region) ?? new Map<string, bigint>();
    regions.set(row.region, prices);
    prices.set(priceKey(row.kind, row.key), row.priceNanos);
    if (row.kind !== 'instance' || !row.vcpu || !row.memoryMiB) continue;
    const parts = split(row.key);
    if (!parts) continue;
    const baselinePercent = baselinePercentOf(parts.family, parts.size);
    types.set(row.key, {
      type: row.key,
      ...parts,
      vcpu: row.vcpu,
      memoryGiB: row.memoryMiB / MIB_PER_GIB,
      ...(baselinePercent !== undefined ? { baselinePercent } : {}),
      ...(row.gpus ? { gpus: row.gpus } : {}),
      familySpec: familySpecOf(parts.family, row),
    });
  }

  const find = (region: string, kind: PriceKind, key = '') =>
    regions.get(region)?.get(priceKey(kind, key));
  const missing = (what: string, region: string) =>
    new Error(
      `No ${
        input.provider
      } on-demand price for ${what} in region '${region}' (${
        input.source || 'no price source has been read'
      })`,
    );

  const table: PriceTable = {
    provider: input.provider,
    currency: input.currency,
    date: input.date,
    source: input.source,
    remedy: input.remedy,
    findInstanceType: type => types.get(type),
    findInstanceHourly: (region, type) => find(region, 'instance', type),
    getInstanceHourly(region, type) {
      const price = table.findInstanceHourly(region, type);
      if (price === undefined) throw missing(`instance type '${type}'`, region);
      return price;
    },
    findVolumeGiBMonth: (region, volumeType) =>
      find(region, 'volume', volumeType),
    getVolumeGiBMonth(region, volumeType) {
      const price = table.findVolumeGiBMonth(region, volumeType);
      if (price === undefined)
        throw missing(`volume type '${volumeType}'`, region);
      return price;
    },
    findSnapshotGiBMonth: region => find(region, 'snapshot'),
    findPublicIpv4Hourly: region => find(region, 'public-ipv4'),
    instanceTypesIn(region) {
      const prices = regions.get(region);
      if (!prices) return [];
      return [...types.values()].filter(info =>
        prices.has(priceKey('instance', info.type)),
      );
    },
  };
  return table;
}
