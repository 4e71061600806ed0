/** A decimal amount: a number, or decimal text the fake writes into the JSON digit for digit. */
export type FakeDecimal = number | string;

/** One workload (the fake treats it as one pod) on one day of a cluster. */
export interface FakeOpenCostWorkload {
  namespace: string;
  /** Absent: a bare pod, `__unallocated__` when aggregating by controller. */
  controller?: string;
  /** OpenCost's lower-case kind: deployment, statefulset, daemonset, job; default deployment. */
  controllerKind?: string;
  /** Default `<controller>-0`. */
  pod?: string;
  /** Default `<cluster>-node-1`. */
  node?: string;
  container?: string;
  /**
   * Kubernetes labels. The answer writes them as OpenCost does, with Prometheus-sanitised names
   * (`backstage.io/kubernetes-id` -> `backstage_io_kubernetes_id`), and `label:<name>` is
   * sanitised the same way.
   */
  labels?: Record<string, string>;
  cpuCost: FakeDecimal;
  ramCost: FakeDecimal;
  gpuCost?: FakeDecimal;
  pvCost?: FakeDecimal;
  networkCost?: FakeDecimal;
  loadBalancerCost?: FakeDecimal;
  sharedCost?: FakeDecimal;
  externalCost?: FakeDecimal;
  pvBytes?: number;
  cpuCoreRequestAverage?: number;
  cpuCoreUsageAverage?: number;
  ramByteRequestAverage?: number;
  ramByteUsageAverage?: number;
}

export interface FakeOpenCostDay {
  workloads: FakeOpenCostWorkload[];
  /** The day's idle capacity, served as `__idle__` when the query has includeIdle=true. */
  idle?: {
    cpuCost?: FakeDecimal;
    ramCost?: FakeDecimal;
    gpuCost?: FakeDecimal;
  };
}

export interface FakeOpenCostCluster {
  name: string;
  /** The cluster's data per UTC day; a day without data (undefined, or not listed) is absent. */
  days:
    | Array<FakeOpenCostDay & { day: string }>
    | ((day: string) => FakeOpenCostDay | undefined);
  /** Kubernetes labels of namespaces, served as properties.namespaceLabels. */
  namespaceLabels?: Record<string, Record<string, string>>;
}

/**
 * server-error: HTTP 500 `{code: 500, data: null, message}`; malformed: HTTP 200 with half the
 * JSON body; slow: the normal answer after `delayMs`; negative-cost: the first workload
 * allocation's cpuCost is -0.5; future-window: every window, start and end moved 400 days on.
 */
export type FakeOpenCostFaultKind =
  | 'server-error'
  | 'malformed'
  | 'slow'
  | 'negative-cost'
  | 'future-window';

export interface FakeOpenCostFault {
  kind: FakeOpenCostFaultKind;
  /** How many /allocation/compute requests it hits, in order of injection; default 1. */
  times?: number;
  /** For `slow`; default 3000. */
  delayMs?: number;
}

export interface FakeOpenCostOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default [demoCluster()]. */
  clusters?: FakeOpenCostCluster[];
  /** When set, requests without `Authorization: Bearer <authToken>` get 401 (a proxy's answer). */
  authToken?: string;
}

export interface FakeOpenCostRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization?: string;
}

/**
 * GET /allocation/compute with OpenCost's parameters: window (RFC3339 or unix-second pairs,
 * whole UTC days), step (whole days; default the window), aggregate (cluster, node, namespace,
 * controllerKind, controller, pod, container, label:<name>, comma-separated; names joined with
 * '/'), accumulate, includeIdle (default false, as OpenCost), includeAggregatedMetadata (labels
 * survive a merge of several allocations only with it, as AllocationProperties.Intersection),
 * filter=cluster:"<name>". Answer: `{code: 200, status: 'success', data: [set per step]}`; a set
 * is `{}` when no cluster has data for it. An illegal window is a plain-text 400 (OpenCost's
 * http.Error), a valid query the fake cannot serve a 400 `{code: 400, data: null, message}`.
 */
export interface FakeOpenCost {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  /** The clusters' names. */
  readonly clusters: string[];
  injectFault(fault: FakeOpenCostFault): void;
  requestLog(): FakeOpenCostRequest[];
  /** Clears faults and the log. */
  reset(): void;
  close(): Promise<void>;
}

export function startFakeOpenCost(
  options?: FakeOpenCostOptions,
): Promise<FakeOpenCost>;

/**
 * The shared cluster `k8s-platform-prod`: the demo components' workloads (labelled
 * backstage.io/kubernetes-id), kube-system daemons, a bare pod in `default` and idle capacity,
 * on every day from `startDate` to `endDate` (each optional, YYYY-MM-DD), at list prices.
 */
export function demoCluster(options?: {
  name?: string;
  startDate?: string;
  endDate?: string;
}): FakeOpenCostCluster;

/** The components demoCluster() runs. */
export const DEMO_COMPONENTS: readonly string[];
export const IDLE: '__idle__';
export const UNALLOCATED: '__unallocated__';
