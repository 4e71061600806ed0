import {
  LoggerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';

/**
 * Hourly utilisation of one resource for one metric, in percent.
 * @public
 */
export interface UtilisationSeries {
  /** `cpu` (CPUUtilization) or `memory` (the CloudWatch agent's mem_used_percent). */
  metric: 'cpu' | 'memory';
  /** Length of each point's interval in seconds (3600 for hourly). */
  periodSeconds: number;
  /** Points in time order; an hour without data has no point. */
  points: Array<{
    /** Start of the interval, ISO 8601 UTC. */
    timestamp: string;
    average: number;
    maximum: number;
  }>;
}

/**
 * One cloud resource as an inventory reads it now: current tags and state, unlike billing
 * lines, which carry the tags the resource had when it was billed.
 * @public
 */
export interface InventoryResource {
  provider: string;
  /** The account (AWS), subscription (Azure) or project (GCP) that holds the resource. */
  accountId: string;
  region: string;
  /** The id that billing lines use for it, so the two can be joined (i-..., vol-..., eipalloc-...). */
  resourceId: string;
  /** `instance`, `volume`, `address`, `snapshot`, or another provider-specific kind. */
  kind: string;
  name?: string;
  /** The provider's state: running, stopped, available, in-use, completed, ... */
  state?: string;
  /** Instance type (m6i.large) or volume type (gp3). */
  type?: string;
  sizeGiB?: number;
  /** What it is attached to: a volume's instance, an address's instance or network interface. */
  attachedTo?: string;
  /** When it was launched or created, ISO 8601 UTC. */
  createdAt?: string;
  tags: Record<string, string>;
  /** Hourly utilisation over the source's lookback window, when the source reads it. */
  utilisation?: UtilisationSeries[];
}

/** What an inventory source may use while it reads. @public */
export interface InventoryReadContext {
  logger: LoggerService;
  /** Report one call to a cloud API, for the run record. */
  apiCall(operation: string): void;
  signal?: AbortSignal;
}

/**
 * A source of resources: EC2 and CloudWatch, the demo inventory. Each read yields every
 * resource the source sees now; the previous snapshot of the source is replaced as a whole.
 * @public
 */
export interface InventorySource {
  /** Unique, stable id; it keys the stored snapshot. */
  readonly id: string;
  readonly description?: string;
  /** When to refresh; the backend's default applies when absent. */
  readonly schedule?: SchedulerServiceTaskScheduleDefinition;
  read(context: InventoryReadContext): AsyncIterable<InventoryResource>;
}
