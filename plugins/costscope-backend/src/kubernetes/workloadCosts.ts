import {
  KubernetesPartKind,
  KubernetesSplitBy,
  KubernetesWorkloadCost,
  nanosToMoney,
  NOT_VISIBLE_KEY,
  parseDecimal,
} from '@costscope/backstage-plugin-common';
import { compareBigInt, shareOf } from '../lib/decimal';
import { KubernetesPartDay } from '../store/types';
import type { OpenCostDailyAllocation } from './OpenCostClient';
import { digitsNeeded, recipientOf } from './splitClusterCost';

/** Requests and usage are read to this many places: exact for what OpenCost sends. */
const AVERAGE_SCALE = 12;
const RESOURCES = ['cpu', 'ram', 'gpu', 'pv'] as const;
type Resource = (typeof RESOURCES)[number];

/** A part's OpenCost figures on one day, summed over its allocations. */
export interface PartDayFigures {
  /** Weights at one scale per day (only their ratios matter). */
  weights: Record<Resource, bigint>;
  /** Scaled by 10^AVERAGE_SCALE; null when no allocation sent a request. */
  cpuRequest: bigint | null;
  cpuUsage: bigint;
  ramRequest: bigint | null;
  ramUsage: bigint;
}

/** An exact fraction (the denominator is positive). */
interface Fraction {
  n: bigint;
  d: bigint;
}

const gcd = (a: bigint, b: bigint): bigint => {
  let [x, y] = [a < 0n ? -a : a, b];
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
};
function add(f: Fraction, n: bigint, d: bigint): Fraction {
  const num = f.n * d + n * f.d;
  const den = f.d * d;
  const g = gcd(num, den) || 1n;
  return { n: num / g, d: den / g };
}

/**
 * The figures of each part (by its key, as splitClusterCost names it) on one cluster-day, from
 * OpenCost's stored allocations.
 */
export function partFigures(
  allocations: unknown[],
  systemNamespaces: string[],
): Map<string, PartDayFigures> {
  const list = allocations as OpenCostDailyAllocation[];
  let scale = 0;
  for (const a of list)
    for (const text of Object.values(a.weights))
      scale = Math.max(scale, digitsNeeded(text));
  const system = new Set(systemNamespaces);
  const byKey = new Map<string, PartDayFigures>();
  const scaled = (text: string | null, at: number) =>
    text === null ? undefined : parseDecimal(text, at);
  for (const a of list) {
    const { key } = recipientOf(a, system);
    let figures = byKey.get(key);
    if (!figures) {
      figures = {
        weights: { cpu: 0n, ram: 0n, gpu: 0n, pv: 0n },
        cpuRequest: null,
        cpuUsage: 0n,
        ramRequest: null,
        ramUsage: 0n,
      };
      byKey.set(key, figures);
    }
    for (const resource of RESOURCES)
      figures.weights[resource] += scaled(a.weights[resource], scale) ?? 0n;
    const cpuRequest = scaled(a.cpuCoreRequestAverage, AVERAGE_SCALE);
    if (cpuRequest !== undefined) {
      figures.cpuRequest = (figures.cpuRequest ?? 0n) + cpuRequest;
      figures.cpuUsage += scaled(a.cpuCoreUsageAverage, AVERAGE_SCALE) ?? 0n;
    }
    const ramRequest = scaled(a.ramByteRequestAverage, AVERAGE_SCALE);
    if (ramRequest !== undefined) {
      figures.ramRequest = (figures.ramRequest ?? 0n) + ramRequest;
      figures.ramUsage += scaled(a.ramByteUsageAverage, AVERAGE_SCALE) ?? 0n;
    }
  }
  return byKey;
}

/** One line of a split, with the exact figures behind its shares and efficiency. */
export interface WorkloadLine {
  cluster: string;
  kind: KubernetesPartKind;
  workload: string;
  namespace?: string;
  entityRef?: string;
  /** Undefined on the not-visible line. */
  splitBy?: KubernetesSplitBy;
  nanos: bigint;
  /** Days the line has cost on. */
  days: number;
  /** The cost of the days OpenCost gave the part weights on. */
  weightedNanos: bigint;
  /** Per resource, the part of `weightedNanos` its weight holds, exactly. */
  resourceNanos: Record<Resource, Fraction>;
  /** Sums over the days with a request (scaled); request 0 when none. */
  cpu: { request: bigint; usage: bigint; days: number };
  ram: { request: bigint; usage: bigint; days: number };
}

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/**
 * Sums parts per cluster, kind, workload and entity over the days, with their resource shares
 * (each day's cost times the resource's share of that day's weight) and request and usage sums.
 * Parts of hidden entities become one `not-visible` line (per cluster when `perCluster`).
 * With `billFigures` (for tips), a workload's parts of both splits make one line, and the
 * bill's parts take OpenCost's figures of the same namespace/controller that day: the money is
 * the bill's, the shares and requests OpenCost's. Otherwise each split has its own line and
 * the bill's have no figures (they are not what split its cost).
 */
export function workloadLines(
  parts: KubernetesPartDay[],
  figuresOf: (
    cluster: string,
    day: string,
  ) => Map<string, PartDayFigures> | undefined,
  hidden: ReadonlySet<string>,
  perCluster: boolean,
  options: { billFigures?: boolean } = {},
): WorkloadLine[] {
  const billFigures = options.billFigures ?? false;
  const lines = new Map<string, WorkloadLine>();
  const daysOf = new Map<WorkloadLine, Set<string>>();
  // Days whose requests a line counted: a day with parts of both splits counts them once.
  const requestDaysOf = new Map<WorkloadLine, Set<string>>();
  for (const part of parts) {
    const isHidden =
      part.entityRef !== null && hidden.has(lower(part.entityRef));
    const cluster = isHidden && !perCluster ? '' : part.cluster;
    const id = isHidden
      ? JSON.stringify([cluster, NOT_VISIBLE_KEY])
      : JSON.stringify([
          cluster,
          part.kind,
          part.workload,
          part.entityRef,
          billFigures ? '' : part.splitBy,
        ]);
    let line = lines.get(id);
    if (!line) {
      const zero = (): Fraction => ({ n: 0n, d: 1n });
      line = {
        cluster,
        kind: isHidden ? 'not-visible' : (part.kind as KubernetesPartKind),
        workload: isHidden ? NOT_VISIBLE_KEY : part.workload,
        ...(!isHidden && part.namespace !== null
          ? { namespace: part.namespace }
          : {}),
        ...(!isHidden && part.entityRef !== null
          ? { entityRef: part.entityRef }
          : {}),
        ...(!isHidden ? { splitBy: part.splitBy } : {}),
        nanos: 0n,
        days: 0,
        weightedNanos: 0n,
        resourceNanos: { cpu: zero(), ram: zero(), gpu: zero(), pv: zero() },
        cpu: { request: 0n, usage: 0n, days: 0 },
        ram: { request: 0n, usage: 0n, days: 0 },
      };
      lines.set(id, line);
      daysOf.set(line, new Set());
      requestDaysOf.set(line, new Set());
    }
    line.nanos += part.nanos;
    daysOf.get(line)!.add(part.day);
    line.days = daysOf.get(line)!.size;
    // OpenCost's figures describe its own split; the bill's parts take them only for tips.
    if (isHidden || (part.splitBy === 'bill' && !billFigures)) continue;
    // A bill's part whose workload OpenCost does not know that day (no OpenCost, or the bill
    // names it otherwise, e.g. by a pod) gets no figures: its requests and use are unknown.
    const figures = figuresOf(part.cluster, part.day)?.get(part.workload);
    if (!figures) continue;
    if (part.resource === 'volumes') {
      // Split by pv weight alone: all storage. Requests count once, with the node part.
      if (figures.weights.pv > 0n) {
        line.weightedNanos += part.nanos;
        line.resourceNanos.pv = add(line.resourceNanos.pv, part.nanos, 1n);
      }
      continue;
    }
    const total = RESOURCES.reduce((s, r) => s + figures.weights[r], 0n);
    if (total > 0n) {
      line.weightedNanos += part.nanos;
      for (const r of RESOURCES) {
        line.resourceNanos[r] = add(
          line.resourceNanos[r],
          part.nanos * figures.weights[r],
          total,
        );
      }
    }
    const requestDays = requestDaysOf.get(line)!;
    if (requestDays.has(part.day)) continue;
    requestDays.add(part.day);
    if (figures.cpuRequest !== null && figures.cpuRequest > 0n) {
      line.cpu.request += figures.cpuRequest;
      line.cpu.usage += figures.cpuUsage;
      line.cpu.days += 1;
    }
    if (figures.ramRequest !== null && figures.ramRequest > 0n) {
      line.ram.request += figures.ramRequest;
      line.ram.usage += figures.ramUsage;
      line.ram.days += 1;
    }
  }
  return [...lines.values()].sort(
    (a, b) =>
      Number(a.kind === 'not-visible') - Number(b.kind === 'not-visible') ||
      compareBigInt(b.nanos, a.nanos) ||
      a.cluster.localeCompare(b.cluster) ||
      a.workload.localeCompare(b.workload),
  );
}

/** `f / nanos` to 6 places (truncated, like breakdown shares). */
function ratioOf(f: Fraction, nanos: bigint): number {
  return Number((f.n * 1_000_000n) / (f.d * nanos)) / 1_000_000;
}

/** The exact share of a resource in the line's weighted cost; undefined without weights. */
export function resourceShare(
  line: WorkloadLine,
  resource: Resource,
): Fraction | undefined {
  if (line.weightedNanos === 0n) return undefined;
  const f = line.resourceNanos[resource];
  const n = f.n;
  const d = f.d * line.weightedNanos;
  return d < 0n ? { n: -n, d: -d } : { n, d };
}

/** The API's line: cost, share of `total`, resource shares and efficiency. */
export function toWorkloadCost(
  line: WorkloadLine,
  total: bigint,
): KubernetesWorkloadCost {
  const efficiency = (sums: WorkloadLine['cpu']) =>
    sums.request === 0n
      ? null
      : Number((sums.usage * 1_000_000n) / sums.request) / 1_000_000;
  return {
    cluster: line.cluster,
    workload: line.workload,
    kind: line.kind,
    ...(line.namespace !== undefined ? { namespace: line.namespace } : {}),
    ...(line.entityRef !== undefined ? { entityRef: line.entityRef } : {}),
    ...(line.splitBy !== undefined ? { splitBy: line.splitBy } : {}),
    cost: nanosToMoney(line.nanos),
    share: shareOf(line.nanos, total),
    resources:
      line.weightedNanos === 0n
        ? null
        : {
            cpu: ratioOf(line.resourceNanos.cpu, line.weightedNanos),
            ram: ratioOf(line.resourceNanos.ram, line.weightedNanos),
            gpu: ratioOf(line.resourceNanos.gpu, line.weightedNanos),
            storage: ratioOf(line.resourceNanos.pv, line.weightedNanos),
          },
    efficiency: { cpu: efficiency(line.cpu), ram: efficiency(line.ram) },
  };
}
