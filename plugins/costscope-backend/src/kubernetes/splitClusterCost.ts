import { parseDecimal } from '@costscope/backstage-plugin-common';
import type { OpenCostDailyAllocation } from './OpenCostClient';

/** How the parts that belong to no workload are treated. */
export interface SplitPolicy {
  /** `__idle__`: spread over the other parts by weight, or kept as one `idle` part. */
  idle: 'spread' | 'owner';
  /** Namespaces whose workloads run the cluster itself. */
  systemNamespaces?: string[];
  /** Their cost: spread over the workloads by weight, or kept as one `system` part. */
  systemTo: 'spread' | 'owner';
}

export const DEFAULT_SYSTEM_NAMESPACES = [
  'kube-system',
  'kube-public',
  'kube-node-lease',
];

/**
 * workload: a namespace/controller; unallocated: OpenCost's `__unallocated__`; idle, system:
 * kept by policy; unsplit: the whole bill when there was nothing to split it by. idle, system
 * and unsplit belong to the cluster's owner.
 */
export type SplitPartKind =
  | 'workload'
  | 'unallocated'
  | 'idle'
  | 'system'
  | 'unsplit';

/** OpenCost's cost weights. */
export type SplitResource = 'cpu' | 'ram' | 'gpu' | 'pv';

export interface SplitPart {
  /** `namespace/controller` (or the allocation's name without them), or the kind. */
  key: string;
  kind: SplitPartKind;
  nanos: bigint;
  /** The weight the part was given its nanos by, as exact decimal text (0 for unsplit). */
  share: string;
  namespace?: string;
  controller?: string;
  /** Labels common to the allocations of the part. */
  labels?: Record<string, string>;
}

export interface ClusterDayInput {
  cluster: string;
  /** YYYY-MM-DD */
  day: string;
  /** The bill's cost of the cluster's nodes that day, nano-units. */
  nodeNanos: bigint;
  /** The bill's cost of its volumes that day, when it is split too. */
  volumeNanos?: bigint;
  /**
   * The OpenCost weights the split goes by; default all of them. Volumes go by `pv` alone:
   * a workload's storage cost is what its volumes weigh.
   */
  resources?: ReadonlyArray<SplitResource>;
  allocations: Pick<
    OpenCostDailyAllocation,
    | 'day'
    | 'name'
    | 'namespace'
    | 'controller'
    | 'labels'
    | 'idle'
    | 'unallocated'
    | 'weights'
  >[];
  policy: SplitPolicy;
}

export interface ClusterDaySplit {
  cluster: string;
  day: string;
  totalNanos: bigint;
  /** split: by OpenCost's weights; no-data: no allocations; zero-weight: all weights were 0. */
  status: 'split' | 'no-data' | 'zero-weight';
  /** Why the bill (or a policy's spread) went to the owner instead. */
  reason?: string;
  /** Sum to totalNanos exactly; sorted by key. */
  parts: SplitPart[];
}

interface Recipient {
  key: string;
  kind: SplitPartKind;
  weight: bigint;
  namespace?: string;
  controller?: string;
  labels?: Record<string, string>;
}

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Fractional digits needed to hold `text` exactly (exponent included). */
export function digitsNeeded(text: string): number {
  const m = /^[+-]?\d*(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m) return 0;
  return Math.max(0, (m[1] ?? '').length - Number(m[2] ?? 0));
}

function formatScaled(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value)
    .toString()
    .padStart(scale + 1, '0');
  const text =
    scale === 0
      ? digits
      : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`.replace(
          /\.?0+$/,
          '',
        );
  return negative ? `-${text}` : text;
}

/**
 * Splits one cluster-day of the bill over its workloads by OpenCost's costs, exactly: the parts
 * sum to the bill to the nano-unit. OpenCost prices at list or custom rates, so its costs are
 * only ratios; the money is the bill's.
 */
export function splitClusterCost(input: ClusterDayInput): ClusterDaySplit {
  const { cluster, day, policy } = input;
  const total = input.nodeNanos + (input.volumeNanos ?? 0n);
  const base = { cluster, day, totalNanos: total };
  const owner = (
    status: ClusterDaySplit['status'],
    reason: string,
  ): ClusterDaySplit => ({
    ...base,
    status,
    reason,
    parts: [{ key: 'unsplit', kind: 'unsplit', nanos: total, share: '0' }],
  });
  if (input.allocations.length === 0) {
    return owner(
      'no-data',
      `OpenCost has no allocations for ${cluster} on ${day}`,
    );
  }

  // One scale that holds every weight exactly, so sums and ratios are exact.
  let scale = 0;
  for (const a of input.allocations) {
    if (a.day !== day) {
      throw new Error(
        `splitClusterCost ${cluster} ${day}: allocation '${a.name}' is of ${a.day}`,
      );
    }
    for (const text of Object.values(a.weights))
      scale = Math.max(scale, digitsNeeded(text));
  }

  const system = new Set(policy.systemNamespaces ?? DEFAULT_SYSTEM_NAMESPACES);
  const counted = new Set<string>(
    input.resources ?? ['cpu', 'ram', 'gpu', 'pv'],
  );
  const parts = new Map<string, Recipient>();
  for (const a of input.allocations) {
    let weight = 0n;
    for (const [resource, text] of Object.entries(a.weights)) {
      const value = parseDecimal(text, scale);
      if (value === undefined) {
        throw new Error(
          `splitClusterCost ${cluster} ${day}: allocation '${a.name}': ${resource} weight '${text}' is not a number`,
        );
      }
      if (value < 0n) {
        throw new Error(
          `splitClusterCost ${cluster} ${day}: allocation '${a.name}': negative ${resource} weight ${text}`,
        );
      }
      if (counted.has(resource)) weight += value;
    }
    const recipient = recipientOf(a, system);
    const have = parts.get(recipient.key);
    if (have) {
      have.weight += weight;
      if (have.labels && recipient.labels)
        have.labels = commonLabels(have.labels, recipient.labels);
    } else parts.set(recipient.key, { ...recipient, weight });
  }

  const all = [...parts.values()];
  const weightOf = (list: Recipient[]) =>
    list.reduce((s, r) => s + r.weight, 0n);
  if (weightOf(all) === 0n) {
    return owner(
      'zero-weight',
      `every OpenCost weight of ${cluster} on ${day} is 0`,
    );
  }

  // Spreading a part proportionally over the others is the same as leaving it out of the
  // recipients: each recipient then gets total * weight / (their weights), rounded once.
  const spread = new Set<SplitPartKind>();
  if (policy.idle === 'spread') spread.add('idle');
  if (policy.systemTo === 'spread') spread.add('system');
  let recipients = all.filter(r => !spread.has(r.kind));
  let reason: string | undefined;
  if (weightOf(recipients) === 0n) {
    // Nothing to spread over: idle and system stay with the owner.
    recipients = all;
    reason = `no workload weight to spread ${[...spread].join(
      ' and ',
    )} over on ${day}`;
  }
  const nanos = largestRemainder(total, recipients);
  return {
    ...base,
    status: 'split',
    ...(reason ? { reason } : {}),
    parts: recipients
      .map((r, i) => ({
        key: r.key,
        kind: r.kind,
        nanos: nanos[i],
        share: formatScaled(r.weight, scale),
        ...(r.namespace !== undefined ? { namespace: r.namespace } : {}),
        ...(r.controller !== undefined ? { controller: r.controller } : {}),
        ...(r.labels !== undefined ? { labels: r.labels } : {}),
      }))
      .sort((a, b) => compareText(a.key, b.key)),
  };
}

/** The part an allocation's cost goes to: its key and kind (and namespace, labels). */
export function recipientOf(
  a: Pick<
    OpenCostDailyAllocation,
    'name' | 'namespace' | 'controller' | 'labels' | 'idle' | 'unallocated'
  >,
  system: Set<string>,
): Omit<Recipient, 'weight'> {
  if (a.idle) return { key: 'idle', kind: 'idle' };
  if (a.unallocated) return { key: 'unallocated', kind: 'unallocated' };
  if (a.namespace !== undefined && system.has(a.namespace))
    return { key: 'system', kind: 'system' };
  const key =
    a.namespace !== undefined && a.controller !== undefined
      ? `${a.namespace}/${a.controller}`
      : a.name;
  return {
    key,
    kind: 'workload',
    namespace: a.namespace,
    controller: a.controller,
    labels: { ...a.labels },
  };
}

function commonLabels(a: Record<string, string>, b: Record<string, string>) {
  return Object.fromEntries(Object.entries(a).filter(([k, v]) => b[k] === v));
}

/**
 * total * weight_i / W for each recipient, floored, then the nanos left over (fewer than the
 * recipients) one each to the largest remainders; ties go to the smaller key, so the result
 * does not depend on input order. A negative total (a credit) is split as its magnitude.
 */
export function largestRemainder(
  total: bigint,
  recipients: { key: string; weight: bigint }[],
): bigint[] {
  const sign = total < 0n ? -1n : 1n;
  const magnitude = total * sign;
  const weight = recipients.reduce((s, r) => s + r.weight, 0n);
  if (weight <= 0n) throw new Error('largestRemainder: the weights sum to 0');
  const floors = recipients.map(r => (magnitude * r.weight) / weight);
  let left = magnitude - floors.reduce((s, n) => s + n, 0n);
  const order = recipients
    .map((r, i) => ({
      i,
      key: r.key,
      remainder: (magnitude * r.weight) % weight,
    }))
    .sort((a, b) => {
      if (a.remainder === b.remainder) return compareText(a.key, b.key);
      return a.remainder > b.remainder ? -1 : 1;
    });
  for (const { i } of order) {
    if (left === 0n) break;
    floors[i] += 1n;
    left -= 1n;
  }
  return floors.map(n => n * sign);
}
