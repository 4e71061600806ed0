import { moneyToNanos } from '@costscope/backstage-plugin-common';
import {
  AWS_PRICE_TABLE,
  InstanceFamilySpec,
  InstanceTypeSpec,
  PriceTableData,
} from './priceTableData';

export type {
  InstanceFamilySpec,
  InstanceTypeSpec,
  PriceTableData,
} from './priceTableData';
export { AWS_PRICE_TABLE } from './priceTableData';

/** An instance type with its size and family, as the rules see it. */
export interface InstanceTypeInfo extends InstanceTypeSpec {
  type: string;
  family: string;
  /** The size part of the name: `large`, `2xlarge`, ... */
  size: string;
  familySpec: InstanceFamilySpec;
}

/**
 * Lookups in a price table. `find*` return undefined for what the table does not hold;
 * `get*` throw an Error that names the missing type and region. Prices are nano-units of
 * `currency` (BigInt), read exactly from the table's decimal strings.
 */
export interface PriceTable {
  readonly provider: string;
  readonly currency: string;
  /** The day the prices were read, YYYY-MM-DD. */
  readonly date: string;
  readonly source: string;
  /** Size and family of an instance type, undefined when the table does not know it. */
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

function parsePrice(text: string, where: string): bigint {
  let nanos: bigint;
  try {
    nanos = moneyToNanos(text);
  } catch {
    throw new Error(`Price table: ${where} '${text}' is not a decimal price`);
  }
  if (nanos <= 0n) {
    throw new Error(`Price table: ${where} '${text}' must be more than 0`);
  }
  return nanos;
}

const split = (type: string) => {
  const dot = type.indexOf('.');
  return dot > 0
    ? { family: type.slice(0, dot), size: type.slice(dot + 1) }
    : undefined;
};

/**
 * Builds the lookups of a price table, checking it whole: every price parses exactly and is
 * positive, every priced instance type has a size, every type's family is described, and every
 * alternative family exists. Throws an Error naming the first bad entry.
 */
export function createPriceTable(
  data: PriceTableData = AWS_PRICE_TABLE,
): PriceTable {
  if (!/^[A-Z]{3}$/.test(data.currency)) {
    throw new Error(
      `Price table: currency '${data.currency}' is not an ISO 4217 code`,
    );
  }
  const types = new Map<string, InstanceTypeInfo>();
  for (const [family, spec] of Object.entries(data.families)) {
    for (const alternative of spec.alternatives) {
      if (!data.families[alternative]) {
        throw new Error(
          `Price table: family '${family}' names unknown alternative '${alternative}'`,
        );
      }
    }
  }
  for (const [type, spec] of Object.entries(data.instanceTypes)) {
    const parts = split(type);
    const familySpec = parts && data.families[parts.family];
    if (!parts || !familySpec) {
      throw new Error(
        `Price table: instance type '${type}' has no family description`,
      );
    }
    if (!(spec.vcpu > 0 && spec.memoryGiB > 0)) {
      throw new Error(
        `Price table: instance type '${type}' needs positive vcpu and memoryGiB`,
      );
    }
    types.set(type, { ...spec, type, ...parts, familySpec });
  }

  const regions = new Map<
    string,
    {
      instances: Map<string, bigint>;
      volumes: Map<string, bigint>;
      snapshot: bigint;
      ipv4: bigint;
    }
  >();
  for (const [region, prices] of Object.entries(data.regions)) {
    const instances = new Map<string, bigint>();
    for (const [type, text] of Object.entries(prices.instances)) {
      if (!types.has(type)) {
        throw new Error(
          `Price table: ${region} prices instance type '${type}', which has no size in instanceTypes`,
        );
      }
      instances.set(type, parsePrice(text, `${region} ${type}`));
    }
    const volumes = new Map<string, bigint>();
    for (const [type, text] of Object.entries(prices.volumesPerGiBMonth)) {
      volumes.set(type, parsePrice(text, `${region} volume ${type}`));
    }
    regions.set(region, {
      instances,
      volumes,
      snapshot: parsePrice(prices.snapshotPerGiBMonth, `${region} snapshot`),
      ipv4: parsePrice(prices.publicIpv4PerHour, `${region} public IPv4`),
    });
  }

  const missing = (what: string, region: string) =>
    new Error(
      `No price for ${what} in region '${region}' in the ${data.provider} price table of ${data.date}`,
    );

  const table: PriceTable = {
    provider: data.provider,
    currency: data.currency,
    date: data.date,
    source: data.source,
    findInstanceType: type => types.get(type),
    findInstanceHourly: (region, type) =>
      regions.get(region)?.instances.get(type),
    getInstanceHourly(region, type) {
      const price = table.findInstanceHourly(region, type);
      if (price === undefined) throw missing(`instance type '${type}'`, region);
      return price;
    },
    findVolumeGiBMonth: (region, volumeType) =>
      regions.get(region)?.volumes.get(volumeType),
    getVolumeGiBMonth(region, volumeType) {
      const price = table.findVolumeGiBMonth(region, volumeType);
      if (price === undefined)
        throw missing(`volume type '${volumeType}'`, region);
      return price;
    },
    findSnapshotGiBMonth: region => regions.get(region)?.snapshot,
    findPublicIpv4Hourly: region => regions.get(region)?.ipv4,
    instanceTypesIn(region) {
      const prices = regions.get(region)?.instances;
      return prices ? [...prices.keys()].map(type => types.get(type)!) : [];
    },
  };
  return table;
}
