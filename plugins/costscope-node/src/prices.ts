import {
  LoggerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';

/**
 * What a price is of: an instance type per hour, an EBS volume type per GiB-month, snapshot
 * storage per GiB-month, or a public IPv4 address per hour.
 * @public
 */
export type PriceKind = 'instance' | 'volume' | 'snapshot' | 'public-ipv4';

/**
 * One on-demand list price in one region.
 * @public
 */
export interface PriceEntry {
  /** The provider's region code, such as `eu-west-1`. */
  region: string;
  kind: PriceKind;
  /** The instance type (`m6i.large`) or volume type (`gp3`); empty for snapshots and addresses. */
  key: string;
  /**
   * The price as an exact decimal string in the snapshot's currency: per hour for instances and
   * addresses, per GiB-month for volumes and snapshots. Never a float.
   */
  price: string;
  /** Instances: vCPUs. */
  vcpu?: number;
  /** Instances: memory in GiB (0.5 for 512 MiB). */
  memoryGiB?: number;
  /** Instances: processor architecture. */
  architecture?: 'x86_64' | 'arm64';
  /** Instances: number of GPUs, when there are any. */
  gpus?: number;
}

/**
 * Everything a price source read in one go: it replaces the source's previous prices whole.
 * @public
 */
export interface PriceSnapshot {
  /** `AWS`, ... */
  provider: string;
  /** ISO 4217 code of every price in it. */
  currency: string;
  prices: PriceEntry[];
}

/**
 * What a price source may use while it reads.
 * @public
 */
export interface PriceReadContext {
  logger: LoggerService;
  /** The regions with resources in the inventory, for the source's provider. */
  regions: string[];
  /** Report one call to a cloud API, for the log. */
  apiCall(operation: string): void;
  signal?: AbortSignal;
}

/**
 * A source of on-demand list prices (for example the AWS Price List Query API). Costscope
 * keeps what it reads in its database, refreshes it on the source's schedule (daily by
 * default), and prices recommendations from it when billing data has no run rate.
 * @public
 */
export interface PriceSource {
  /** Unique, stable id; it keys the stored prices. */
  readonly id: string;
  /** The provider whose resources it prices (`AWS`). */
  readonly provider: string;
  readonly description?: string;
  /** When to refresh; the backend's default (daily) applies when absent. */
  readonly schedule?: SchedulerServiceTaskScheduleDefinition;
  read(context: PriceReadContext): Promise<PriceSnapshot>;
}
