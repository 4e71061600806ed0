import {
  LoggerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';

/**
 * One cost line in FOCUS terms, as a source produces it. Money stays a decimal string, as
 * read, so that the ingester can sum it exactly; dates are UTC days (`YYYY-MM-DD`).
 * @public
 */
export interface CostLine {
  /** FOCUS ChargePeriodStart, as a UTC day. */
  chargeDate: string;
  /** FOCUS BillingPeriodStart, as a UTC day (usually the 1st of a month). */
  billingPeriod: string;
  provider: string;
  billingAccountId: string;
  /** FOCUS SubAccountId: the AWS linked account, Azure subscription or GCP project. */
  subAccountId: string;
  serviceName: string;
  serviceCategory?: string;
  regionId?: string;
  resourceId?: string;
  resourceName?: string;
  resourceType?: string;
  /** FOCUS ChargeCategory: Usage, Purchase, Tax, Credit or Adjustment. */
  chargeCategory: string;
  currency: string;
  /** FOCUS BilledCost, a decimal string with any number of fractional digits. */
  billedCost: string;
  /** FOCUS EffectiveCost, a decimal string. */
  effectiveCost: string;
  /**
   * FOCUS ListCost (at public on-demand prices), a decimal string. Left out by sources that
   * have no list price: the line then counts at its billed cost on the list basis.
   */
  listCost?: string;
  /** FOCUS CommitmentDiscountId: the Savings Plan or reservation the line is about. */
  commitmentDiscountId?: string;
  /**
   * FOCUS CommitmentDiscountStatus: `Used` for usage a commitment covered, `Unused` for the
   * part of a commitment nothing used.
   */
  commitmentDiscountStatus?: 'Used' | 'Unused';
  /** FOCUS Tags, values as strings. */
  tags: Record<string, string>;
  /**
   * FOCUS 1.2 `PricingCurrency` and `PricingCurrencyEffectiveCost` (a decimal string), when
   * the line was priced in another currency than it was billed in: the effective cost as the
   * provider's own exchange rate made it. The ingester derives a month's rate from them where
   * none is configured.
   */
  pricing?: { currency: string; effectiveCost: string };
  /**
   * FOCUS 1.3 split cost allocation, when the provider split the line itself (AWS split cost
   * allocation data for EKS and ECS): the line is the share of a shared resource (a node) that
   * went to one allocated resource (a pod or task). Absent on lines without such a split.
   */
  allocated?: CostLineAllocation;
}

/**
 * FOCUS 1.3 `AllocatedMethodId`, `AllocatedResourceId`, `AllocatedResourceName` and
 * `AllocatedTags` of a line the provider split.
 * @public
 */
export interface CostLineAllocation {
  /** How the provider split it; its documentation names the method by this id. */
  methodId: string;
  /** The resource the line's cost was allocated to (a pod, a task). */
  resourceId?: string;
  /** Its display name (a pod's name). */
  resourceName?: string;
  /**
   * The allocated resource's tags (a pod's labels), values as strings. FOCUS leaves out tags
   * already in the line's `tags`: the allocated resource carries both.
   */
  tags: Record<string, string>;
  /** FOCUS 1.3 `AllocatedMethodDetails`: the factors the split went by, when given. */
  methodDetails?: AllocatedMethodDetails;
}

/**
 * FOCUS 1.3 `AllocatedMethodDetails` (its `Elements`), numbers as exact decimal text: each
 * element one factor of the split, e.g. CPU or memory, with the share of the origin charge it
 * gave the line and the usage it was measured by. Custom (`x_`) properties are not kept.
 * @public
 */
export interface AllocatedMethodDetails {
  /** `Elements`: one per factor, in the order the line gave them. */
  elements: Array<{
    /** `AllocatedRatio`: the line's share of the origin charge by this factor. */
    allocatedRatio?: string;
    /** `UsageUnit`: what the factor measures. */
    usageUnit?: string;
    /** `UsageQuantity`, in `usageUnit`. */
    usageQuantity?: string;
  }>;
}

/**
 * `CostLineAllocation.resourceName` (without a `resourceId`) of the part of a split shared
 * resource that nothing used: its idle capacity, as OpenCost names it. A source whose bill
 * reports the unused part of a split node (AWS split cost allocation data in CUR 2.0) allocates
 * it so, and the Kubernetes split keeps it as the cluster's idle cost.
 * @public
 */
export const ALLOCATED_IDLE_RESOURCE_NAME = '__idle__';

/** Where a rejected input row came from and why it was rejected. @public */
export interface CostLineRejection {
  /** File name or another label of the input. */
  file: string;
  /** 1-based line number of the record's first line in the input. */
  line: number;
  reason: string;
}

/** What a source may use while it reads. @public */
export interface CostSourceReadContext {
  logger: LoggerService;
  /** Report a row that could not be turned into a cost line; reading goes on. */
  reject(rejection: CostLineRejection): void;
  /**
   * Report that one more input file, object or page was read, with the FOCUS version its
   * columns looked like when it is a FOCUS file, and the bytes a query engine scanned for it
   * (Athena, BigQuery), for the run record.
   */
  fileRead(
    name: string,
    details?: { focusVersion?: string; bytesScanned?: number },
  ): void;
  /**
   * Report an input that this run did not read, and why (for example `unchanged` since the
   * last successful run), for the run record.
   */
  fileSkipped(name: string, reason: string): void;
  /**
   * Report one call to a cloud API, with its price in USD as a decimal string when the call
   * is billed (Cost Explorer charges per request), for the run record.
   */
  apiCall(operation: string, costUsd?: string): void;
  /**
   * Declare that this read covers the days `[from, to)` (UTC, `YYYY-MM-DD`) and only those:
   * the stored facts of these days are replaced, other days are kept. Without it, every
   * billing period the read yields lines for is replaced as a whole. Call it before the
   * first line; lines outside the range fail the run.
   */
  replaceDays(range: { from: string; to: string }): void;
  /**
   * State the source keeps between runs (for example how far history is final). `set` takes
   * effect only when the run succeeds, together with its facts.
   */
  state: CostSourceState;
  signal?: AbortSignal;
}

/** A source's own state, kept between runs. @public */
export interface CostSourceState {
  get(): Promise<JsonObject | undefined>;
  set(value: JsonObject): void;
}

/**
 * A source of cost lines: a FOCUS export, a cloud billing API, the demo data.
 * Each read yields every line of the billing periods the source covers; the ingester
 * replaces those periods as a whole.
 * @public
 */
export interface CostSource {
  /** Unique, stable id; it keys the stored data, so changing it orphans earlier data. */
  readonly id: string;
  /** A short description for logs and the ingest-runs table. */
  readonly description?: string;
  /** When to run; the backend's default applies when absent. */
  readonly schedule?: SchedulerServiceTaskScheduleDefinition;
  read(context: CostSourceReadContext): AsyncIterable<CostLine>;
  /**
   * Optional: the lines of `read`, the same and in the same order, in arrays. A source that
   * reads lines in bulk can offer it to spare the ingester a promise per line; the ingester
   * uses it instead of `read` when present. The ingester is done with an array once it asks
   * for the next one.
   */
  readBatches?(context: CostSourceReadContext): AsyncIterable<CostLine[]>;
}
