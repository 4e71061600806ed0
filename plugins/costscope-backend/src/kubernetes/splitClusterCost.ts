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
 * Who a cluster-day's cost goes to, and by what weight, before any amount is split: computed
 * once per day and reused for every basis and bill dimension of the day (see splitAmounts).
 */
export interface PreparedClusterDay {
  cluster: string;
  day: string;
  status: ClusterDaySplit['status'];
  reason?: string;
  /** The weights' scale (10^-scale units); shares are written at it. */
  scale: number;
  /** Sorted by key; with status other than split, the one `unsplit` recipient. */
  recipients: Array<Omit<SplitPart, 'nanos' | 'share'> & { weight: bigint }>;
}

/** Plain non-negative decimal text, the form OpenCost writes: read without a regex match. */
const PLAIN_DECIMAL = /^\d+(?:\.\d+)?$/;
const POWERS_OF_TEN: bigint[] = [];
const powerOfTen = (n: number) => (POWERS_OF_TEN[n] ??= 10n ** BigInt(n));

/** Fractional digits of a weight's text; plain text without allocating. */
function weightDigits(text: string): number {
  if (!PLAIN_DECIMAL.test(text)) return digitsNeeded(text);
  const point = text.indexOf('.');
  return point < 0 ? 0 : text.length - point - 1;
}

/** A weight's text in units of 10^-scale (scale holds it exactly); undefined if not a number. */
function weightValue(text: string, scale: number): bigint | undefined {
  if (!PLAIN_DECIMAL.test(text)) return parseDecimal(text, scale);
  const point = text.indexOf('.');
  if (point < 0) return BigInt(text) * powerOfTen(scale);
  const digits = BigInt(text.slice(0, point) + text.slice(point + 1));
  return digits * powerOfTen(scale - (text.length - point - 1));
}

/**
 * The recipients of one cluster-day and their weights, from OpenCost's allocations: what
 * splitClusterCost divides the bill by. Throws on weights that are not numbers or negative.
 */
export function prepareClusterDay(
  input: Omit<ClusterDayInput, 'nodeNanos' | 'volumeNanos'>,
): PreparedClusterDay {
  const { cluster, day, policy } = input;
  const owner = (
    status: ClusterDaySplit['status'],
    reason: string,
  ): PreparedClusterDay => ({
    cluster,
    day,
    status,
    reason,
    scale: 0,
    recipients: [{ key: 'unsplit', kind: 'unsplit', weight: 0n }],
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
    for (const resource in a.weights) {
      if (!Object.hasOwn(a.weights, resource)) continue;
      const digits = weightDigits(a.weights[resource as SplitResource]);
      if (digits > scale) scale = digits;
    }
  }

  const system = new Set(policy.systemNamespaces ?? DEFAULT_SYSTEM_NAMESPACES);
  const counted = new Set<string>(
    input.resources ?? ['cpu', 'ram', 'gpu', 'pv'],
  );
  const parts = new Map<string, Recipient>();
  for (const a of input.allocations) {
    let weight = 0n;
    for (const resource in a.weights) {
      if (!Object.hasOwn(a.weights, resource)) continue;
      const text = a.weights[resource as SplitResource];
      // Plain text is a valid non-negative number: only what is counted needs its value.
      if (!counted.has(resource) && PLAIN_DECIMAL.test(text)) continue;
      const value = weightValue(text, scale);
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
    const key = recipientKey(a, system);
    const have = parts.get(key);
    if (have) {
      have.weight += weight;
      if (have.labels) have.labels = commonLabels(have.labels, a.labels ?? {});
    } else parts.set(key, { ...recipientOf(a, system), weight });
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
  // largestRemainder breaks ties by key: sorting first changes no amount.
  recipients.sort((a, b) => compareText(a.key, b.key));
  return {
    cluster,
    day,
    status: 'split',
    ...(reason ? { reason } : {}),
    scale,
    recipients,
  };
}

/** An amount split over a prepared day's recipients, exactly, in their order. */
export function splitAmount(
  prepared: PreparedClusterDay,
  total: bigint,
): bigint[] {
  if (prepared.status !== 'split') return [total];
  return largestRemainder(total, prepared.recipients);
}

/**
 * Splits one cluster-day of the bill over its workloads by OpenCost's costs, exactly: the parts
 * sum to the bill to the nano-unit. OpenCost prices at list or custom rates, so its costs are
 * only ratios; the money is the bill's.
 */
export function splitClusterCost(input: ClusterDayInput): ClusterDaySplit {
  const prepared = prepareClusterDay(input);
  const total = input.nodeNanos + (input.volumeNanos ?? 0n);
  const nanos = splitAmount(prepared, total);
  return {
    cluster: input.cluster,
    day: input.day,
    totalNanos: total,
    status: prepared.status,
    ...(prepared.reason !== undefined ? { reason: prepared.reason } : {}),
    parts: prepared.recipients.map((r, i) => ({
      key: r.key,
      kind: r.kind,
      nanos: nanos[i],
      share:
        prepared.status === 'split'
          ? formatScaled(r.weight, prepared.scale)
          : '0',
      ...(r.namespace !== undefined ? { namespace: r.namespace } : {}),
      ...(r.controller !== undefined ? { controller: r.controller } : {}),
      ...(r.labels !== undefined ? { labels: r.labels } : {}),
    })),
  };
}

/** The key of the part an allocation's cost goes to (recipientOf's, without building it). */
function recipientKey(
  a: Pick<
    OpenCostDailyAllocation,
    'name' | 'namespace' | 'controller' | 'idle' | 'unallocated'
  >,
  system: Set<string>,
): string {
  if (a.idle) return 'idle';
  if (a.unallocated) return 'unallocated';
  if (a.namespace !== undefined && system.has(a.namespace)) return 'system';
  return workloadKey(a);
}

/** A workload's key: its namespace and controller, or its name when OpenCost gives neither. */
function workloadKey(
  a: Pick<OpenCostDailyAllocation, 'name' | 'namespace' | 'controller'>,
): string {
  return a.namespace !== undefined && a.controller !== undefined
    ? `${a.namespace}/${a.controller}`
    : a.name;
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
  return {
    key: workloadKey(a),
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
  const floors: bigint[] = new Array(recipients.length);
  const remainders: bigint[] = new Array(recipients.length);
  let left = magnitude;
  for (let i = 0; i < recipients.length; i += 1) {
    const product = magnitude * recipients[i].weight;
    floors[i] = product / weight;
    remainders[i] = product - floors[i] * weight;
    left -= floors[i];
  }
  if (left > 0n) {
    const order = recipients.map((_, i) => i);
    order.sort((a, b) => {
      if (remainders[a] === remainders[b])
        return compareText(recipients[a].key, recipients[b].key);
      return remainders[a] > remainders[b] ? -1 : 1;
    });
    for (const i of order) {
      if (left === 0n) break;
      floors[i] += 1n;
      left -= 1n;
    }
  }
  return sign === 1n ? floors : floors.map(n => n * sign);
}
