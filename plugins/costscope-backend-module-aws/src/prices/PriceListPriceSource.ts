import { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import {
  Filter,
  paginateGetProducts,
  PricingClient,
} from '@aws-sdk/client-pricing';
import {
  PriceEntry,
  PriceReadContext,
  PriceSnapshot,
  PriceSource,
} from '@costscope/backstage-plugin-node';
import { describeAwsError } from '../awsErrors';
import {
  architectureOf,
  memoryGiB,
  parsePriceItem,
  PriceItem,
} from './parsePriceItem';

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

const term = (Field: string, Value: string): Filter => ({
  Type: 'TERM_MATCH',
  Field,
  Value,
});

/** The on-demand Linux price of an instance: no licence, no dedicated host, no reservation. */
const LINUX_ON_DEMAND = {
  operatingSystem: 'Linux',
  tenancy: 'Shared',
  preInstalledSw: 'NA',
  capacitystatus: 'Used',
};

export interface PriceListSourceOptions {
  /** The regions to price besides those of the inventory (the configured accounts'). */
  regions: string[];
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** Items per GetProducts page, at most 100 (the API's most). */
  pageSize?: number;
}

/**
 * On-demand prices from the AWS Price List Query API (`pricing:GetProducts`): per region,
 * EC2 instances (Linux, shared tenancy, no pre-installed software), EBS volumes by
 * `volumeApiName` and snapshots per GiB-month (AmazonEC2), and public IPv4 addresses per hour
 * (AmazonVPC, the idle-address rate). Prices stay the API's decimal strings; vCPUs, memory,
 * GPUs and architecture come from the product attributes.
 */
export class PriceListPriceSource implements PriceSource {
  readonly id = 'aws-pricing';
  readonly provider = 'AWS';
  readonly description = 'AWS Price List Query API (on-demand prices)';
  readonly schedule: SchedulerServiceTaskScheduleDefinition;

  constructor(
    private readonly client: PricingClient,
    private readonly options: PriceListSourceOptions,
  ) {
    this.schedule = options.schedule;
  }

  async read(context: PriceReadContext): Promise<PriceSnapshot> {
    const regions = [...new Set([...context.regions, ...this.options.regions])]
      .filter(region => REGION.test(region))
      .sort();
    const prices: PriceEntry[] = [];
    for (const region of regions) {
      try {
        prices.push(...(await this.readRegion(region, context)));
      } catch (error) {
        throw describeAwsError(error, `AWS Price List, ${region}`);
      }
    }
    return { provider: 'AWS', currency: 'USD', prices };
  }

  private async readRegion(
    region: string,
    context: PriceReadContext,
  ): Promise<PriceEntry[]> {
    const inRegion = term('regionCode', region);
    const entries: PriceEntry[] = [];
    const instances = new Set<string>();
    for (const item of await this.products(
      'AmazonEC2',
      [
        inRegion,
        term('productFamily', 'Compute Instance'),
        ...Object.entries(LINUX_ON_DEMAND).map(([k, v]) => term(k, v)),
      ],
      context,
    )) {
      const a = item.attributes;
      const matches = Object.entries(LINUX_ON_DEMAND).every(
        ([k, v]) => a[k] === v,
      );
      const vcpu = Number(a.vcpu);
      const memory = memoryGiB(a.memory);
      // the first of two products of one type wins: both are the same offer in practice
      if (!matches || !a.instanceType || instances.has(a.instanceType))
        continue;
      if (!(Number.isInteger(vcpu) && vcpu > 0) || memory === undefined) {
        continue;
      }
      instances.add(a.instanceType);
      const gpus = Number(a.gpu);
      entries.push({
        region,
        kind: 'instance',
        key: a.instanceType,
        price: item.usd,
        vcpu,
        memoryGiB: memory,
        architecture: architectureOf(a),
        ...(Number.isInteger(gpus) && gpus > 0 ? { gpus } : {}),
      });
    }

    const volumes = new Set<string>();
    for (const item of await this.products(
      'AmazonEC2',
      [inRegion, term('productFamily', 'Storage')],
      context,
    )) {
      const name = item.attributes.volumeApiName;
      if (!name || volumes.has(name) || item.unit !== 'GB-Mo') continue;
      volumes.add(name);
      entries.push({ region, kind: 'volume', key: name, price: item.usd });
    }

    const snapshot = (
      await this.products(
        'AmazonEC2',
        [inRegion, term('productFamily', 'Storage Snapshot')],
        context,
      )
    ).find(item =>
      /(^|-)EBS:SnapshotUsage$/.test(item.attributes.usagetype ?? ''),
    );
    if (snapshot) {
      entries.push({ region, kind: 'snapshot', key: '', price: snapshot.usd });
    }

    const address = (
      await this.products(
        'AmazonVPC',
        [inRegion, term('productFamily', 'VPC Public IPv4 Address')],
        context,
      )
    ).find(item =>
      /(^|-)PublicIPv4:IdleAddress$/.test(item.attributes.usagetype ?? ''),
    );
    if (address) {
      entries.push({
        region,
        kind: 'public-ipv4',
        key: '',
        price: address.usd,
      });
    }
    context.logger.debug(
      `AWS Price List ${region}: ${instances.size} instance types, ${volumes.size} volume types`,
    );
    return entries;
  }

  private async products(
    serviceCode: string,
    filters: Filter[],
    context: PriceReadContext,
  ): Promise<PriceItem[]> {
    const items: PriceItem[] = [];
    const pages = paginateGetProducts(
      { client: this.client, pageSize: this.options.pageSize ?? 100 },
      { ServiceCode: serviceCode, FormatVersion: 'aws_v1', Filters: filters },
    );
    for await (const page of pages) {
      context.apiCall('GetProducts');
      if (context.signal?.aborted) throw new Error('aborted');
      for (const text of page.PriceList ?? []) {
        const item = parsePriceItem(text);
        if (item) items.push(item);
      }
    }
    return items;
  }
}
