/**
 * The rows the stores read and write. They live here, below everything that uses them, so
 * that the store depends on no module above it (ingest, allocation, compliance).
 */

/** What a fact is keyed by, besides its billing period and day. */
export interface FactDimensions {
  provider: string;
  billingAccountId: string;
  subAccountId: string;
  region: string;
  serviceName: string;
  serviceCategory?: string;
  resourceId: string;
  resourceName?: string;
  resourceType?: string;
  chargeCategory: string;
  currency: string;
  allocKey: string;
  /** The commitment (Savings Plan, reservation) the fact's lines name. */
  commitmentId?: string;
  /** `Used`: usage the commitment covered; `Unused`: the part of it nothing used. */
  commitmentStatus?: string;
  /**
   * FOCUS 1.3 split cost allocation of the fact's lines (the provider split a node's cost per
   * pod): the method, the allocated resource and its tags as canonical JSON text.
   */
  allocatedMethodId?: string;
  allocatedResourceId?: string;
  allocatedResourceName?: string;
  allocatedTags?: string;
}

/** A daily cost fact as stored: amounts rounded once, after exact summing. */
export interface CostFact extends FactDimensions {
  billingPeriod: string;
  usageDate: string;
  billedNanos: bigint;
  effectiveNanos: bigint;
  listNanos: bigint;
  lineCount: number;
  /**
   * FOCUS 1.3 AllocatedMethodDetails of a split fact's lines, per usage unit with the day's
   * summed quantity, as JSON text (`MethodDetailsSum`); absent when its lines gave none.
   */
  allocatedMethodDetails?: string;
  /** For a fact converted into the reporting currency: what its lines said, and the rate. */
  original?: OriginalAmounts;
}

/** A converted fact's amounts in the currency it was billed in, each rounded once. */
export interface OriginalAmounts {
  currency: string;
  /** Reporting-currency units per unit of `currency`, as configured. */
  exchangeRate: string;
  billedNanos: bigint;
  effectiveNanos: bigint;
  listNanos: bigint;
}

/** A distinct allocation key with what allocation matches on. */
export interface AllocationKeyRow {
  allocKey: string;
  provider: string;
  subAccountId: string;
  tags: string;
  /** Whether the key's facts are unused commitment (FOCUS CommitmentDiscountStatus Unused). */
  unusedCommitment: boolean;
}

/** What allocation matches on; one per distinct (provider, sub-account, tags). */
export interface KeyToAllocate {
  allocKey: string;
  subAccountId: string;
  /** Canonical tags JSON. */
  tags: string;
  /** Unused commitment: a configured owner takes it before any tag rule. */
  unusedCommitment?: boolean;
}

export interface KeyAllocation {
  /** The winning rule, or null when the key is unallocated. */
  ruleId: number | null;
  /** Other entities whose tag rules also matched: an overlap resolved by priority. */
  overlaps: string[];
}

/** A catalog entity as the allocation tables store it. */
export interface AllocatedEntityRow {
  ref: string;
  kind: string;
  title?: string;
  ownerRef?: string;
  /** The entity it belongs to in the catalog tree: system, domain or parent group. */
  parentRef?: string;
}

/** An allocation rule as the allocation tables store it. */
export interface AllocationRuleRow {
  id: number;
  entityRef: string;
  origin: 'annotation' | 'convention' | 'account' | 'kubernetes' | 'commitment';
  /** The rule as shown to users. */
  rule: string;
}

/**
 * Which facts are a shared cluster's nodes (or volumes): facts of these keys, or with these id
 * prefixes.
 */
export interface ClusterNodeSelector {
  cluster: string;
  /** Volumes are split by OpenCost's pv weight alone; absent: nodes. */
  resource?: KubernetesSplitResource;
  allocKeys: string[];
  resourceIdPrefixes: string[];
  /** Whether the bill split some of these facts itself (FOCUS 1.3 AllocatedMethodId). */
  billSplit?: boolean;
}

/** What a split divides: a cluster's nodes, or its volumes. */
export type KubernetesSplitResource = 'nodes' | 'volumes';

/** The node (or volume) cost of one cluster, day and bill dimension: what one split divides. */
export interface NodeCostGroup {
  cluster: string;
  resource: KubernetesSplitResource;
  usageDate: string;
  provider: string;
  subAccountId: string;
  region: string;
  serviceName: string;
  chargeCategory: string;
  currency: string;
  billedNanos: bigint;
  effectiveNanos: bigint;
  listNanos: bigint;
}

/** One part of a split group: its share of every basis, and where it went. */
export interface KubernetesPartRow {
  /** The entity's rule, or null: unallocated (an unmatched workload). */
  ruleId: number | null;
  /** workload, unallocated, idle, system or unsplit. */
  kind: string;
  namespace?: string;
  /** `namespace/controller`, or the part's kind for idle, system and unsplit. */
  workload: string;
  /** Who split it: OpenCost's ratios (the default), or the bill itself (FOCUS 1.3). */
  splitBy?: KubernetesSplitBy;
  /** Of the nodes (the default) or the volumes. */
  resource?: KubernetesSplitResource;
  billedNanos: bigint;
  effectiveNanos: bigint;
  listNanos: bigint;
}

/** Who split a part of a cluster's node cost. */
export type KubernetesSplitBy = 'bill' | 'opencost';

/**
 * A node fact the bill split itself (FOCUS 1.3 AllocatedMethodId on its lines), or the part of
 * such a node the bill left unsplit that day (its idle capacity: no method).
 */
export interface BillSplitFact {
  cluster: string;
  /** null: the node's unsplit (idle) part. */
  methodId: string | null;
  resourceId: string | null;
  resourceName: string | null;
  /** The allocated resource's tags (a pod's labels), canonical JSON text. */
  tags: string;
  billedNanos: bigint;
  effectiveNanos: bigint;
  listNanos: bigint;
}

/** The cost of one part on one day in a range, summed over the bill's dimensions. */
export interface KubernetesPartDay {
  cluster: string;
  day: string;
  kind: string;
  namespace: string | null;
  workload: string;
  splitBy: KubernetesSplitBy;
  resource: KubernetesSplitResource;
  /** The entity the part's rule maps to; null when unallocated. */
  entityRef: string | null;
  nanos: bigint;
}

/**
 * The split an allocation applies, inside its transaction, to the node facts it reads there,
 * with OpenCost's stored allocations of the group's cluster and day (undefined: never read):
 * parts that sum to the group exactly, or undefined to leave the group where it was.
 */
export interface KubernetesSplitHook {
  selectors: ClusterNodeSelector[];
  split(
    group: NodeCostGroup,
    allocations: unknown[] | undefined,
  ): KubernetesPartRow[] | undefined;
  /**
   * The parts of one group's facts that the bill split itself (and the unsplit idle parts of
   * the nodes it split): summing to the group exactly. Such facts are never split by OpenCost.
   */
  billSplit(group: NodeCostGroup, facts: BillSplitFact[]): KubernetesPartRow[];
}

/** Cost of one month, one allocated entity (or none) and one service, in nano-units. */
export interface ChargebackFactRow {
  /** `YYYY-MM`. */
  month: string;
  /** The entity the cost was allocated to; null when unallocated. */
  entityRef: string | null;
  service: string;
  costNanos: bigint;
}

/** Billing tags as they come: FOCUS `Tags` JSON text, or an already parsed object. */
export type BillingTagsInput =
  | string
  | Record<string, unknown>
  | null
  | undefined;

/** One resource with its cost for the range and the tags both sources hold. */
export interface ComplianceResourceInput {
  resourceId: string;
  resourceName?: string;
  /** FOCUS `ResourceType` or the inventory's kind. */
  resourceType?: string;
  provider: string;
  accountId?: string;
  service?: string;
  /** Cost in the range, nano-units of the billing currency. */
  costNanos: bigint;
  /**
   * Tags of the resource's most recent billing line in the range: FOCUS `Tags` JSON text or
   * an already parsed object. Malformed JSON is counted, not thrown.
   */
  billingTags?: BillingTagsInput;
  /** Current tags from an inventory source; absent when no inventory knows the resource. */
  inventoryTags?: Record<string, string>;
}

/** One day's value of a business metric of an entity (`costscope_unit_metrics`). */
export interface UnitMetricRow {
  /** Lower-case entity ref. */
  entityRef: string;
  metric: string;
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  /** The value in nano-units (1e-9 of a unit), non-negative. */
  valueNanos: bigint;
}

/**
 * Where a metric value came from: pushed to the API (`api`), read from the configured file
 * (`file`), or the id of the unit metric source that pulled it (`prometheus`).
 */
export type UnitMetricOrigin = string;

/** One cached on-demand list price (`costscope_prices`). */
export interface PriceRow {
  region: string;
  /** `instance`, `volume`, `snapshot` or `public-ipv4`. */
  kind: string;
  /** Instance type or volume type; empty for snapshots and public IPv4. */
  key: string;
  /** Per hour (instances, addresses) or per GiB-month (volumes, snapshots), in nano-units. */
  priceNanos: bigint;
  vcpu?: number;
  memoryMiB?: number;
  architecture?: 'x86_64' | 'arm64';
  gpus?: number;
}

/** What is known of one price source (`costscope_price_sources`). */
export interface PriceSourceRow {
  sourceId: string;
  provider: string;
  currency: string;
  /** The last successful refresh, ISO 8601; undefined when none has succeeded. */
  refreshedAt?: string;
  priceCount: number;
  lastAttemptAt: string;
  /** Why the last attempt failed; undefined when it succeeded. */
  lastError?: string;
}

/** One month of a provider's commitment report as stored; amounts in nano-units. */
export interface CommitmentReportRow {
  sourceId: string;
  provider: string;
  /** SavingsPlans or Reservations. */
  commitmentType: string;
  /** YYYY-MM */
  month: string;
  currency: string;
  coveredNanos: bigint;
  eligibleNanos: bigint;
  /** Null where the provider reports no such figure. */
  usedNanos: bigint | null;
  purchasedNanos: bigint | null;
  unusedNanos: bigint | null;
  netSavingsNanos: bigint | null;
}
