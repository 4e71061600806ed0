import { CostBasis, DateRange, Money } from './types';

/**
 * What a line of a Kubernetes split is: a workload (namespace/controller), OpenCost's
 * unallocated, the cluster's idle capacity, its system namespaces, a day's node cost OpenCost
 * gave no weights for (unsplit), or the sum of workloads hidden from the caller. @public
 */
export type KubernetesPartKind =
  | 'workload'
  | 'unallocated'
  | 'idle'
  | 'system'
  | 'unsplit'
  | 'not-visible';

/** Who divided a cluster's node cost among its workloads. @public */
export type KubernetesSplitBy = 'bill' | 'opencost';

/** One workload's (or idle's, system's) part of the bill's node cost in a range. @public */
export interface KubernetesWorkloadCost {
  /** Empty on the one `not-visible` line of an entity's workloads. */
  cluster: string;
  /** `namespace/controller`, or the kind (idle, system ...), or NOT_VISIBLE_KEY. */
  workload: string;
  kind: KubernetesPartKind;
  namespace?: string;
  /** The catalog entity the workload is allocated to, when visible; none when unallocated. */
  entityRef?: string;
  /**
   * Who divided the node cost: `opencost` by its ratios, or `bill` where the bill split the
   * nodes itself (FOCUS 1.3 split cost allocation, AWS split cost allocation data); a workload
   * with both has a line of each. Absent on the `not-visible` line.
   */
  splitBy?: KubernetesSplitBy;
  /** The bill-split cost in the range, exact. */
  cost: Money;
  /** Of the answer's total (or the cluster's), 6 places; null for a zero total. */
  share: number | null;
  /**
   * Shares of the cost by OpenCost's cpu, ram, gpu and storage (pv) cost weights on the same
   * days, 6 places; null when no day of the line has weights (unsplit, not visible, split by
   * the bill).
   */
  resources: { cpu: number; ram: number; gpu: number; storage: number } | null;
  /**
   * Usage over request, summed over the days with a request, 6 places; null when OpenCost sent
   * no request.
   */
  efficiency: { cpu: number | null; ram: number | null };
}

/** The whole split of one cluster the entity owns (idle and system included). @public */
export interface KubernetesClusterSplit {
  cluster: string;
  /** The bill's node cost of the cluster on the days OpenCost split, exact. */
  total: Money;
  parts: KubernetesWorkloadCost[];
}

/** An entity's Kubernetes cost: its workloads and, for a cluster's owner, the cluster. @public */
export interface EntityKubernetesCost extends DateRange {
  entityRef: string;
  currency: string;
  costBasis: CostBasis;
  /** The sum of `workloads`. */
  total: Money;
  /** Largest first; hidden entities' workloads are one `not-visible` line. */
  workloads: KubernetesWorkloadCost[];
  /** The clusters the entity owns (`costscope.kubernetes.clusters[].owner`); empty otherwise. */
  clusters: KubernetesClusterSplit[];
}
