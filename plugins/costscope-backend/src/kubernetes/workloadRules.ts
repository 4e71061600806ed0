import type { SnapshotEntity } from '../allocation/catalogSnapshot';
import { AllocationRuleRow, BillSplitFact } from '../store/types';
import { KubernetesClusterConfig } from './readKubernetesConfig';
import { SplitPart } from './splitClusterCost';

/** Backstage's Kubernetes plugin conventions (`@backstage/plugin-kubernetes-common`). */
export const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';
export const KUBERNETES_NAMESPACE_ANNOTATION =
  'backstage.io/kubernetes-namespace';
export const KUBERNETES_LABEL_SELECTOR_ANNOTATION =
  'backstage.io/kubernetes-label-selector';

/** OpenCost reports label names as Prometheus sanitises them: `backstage.io/x` -> `backstage_io_x`. */
export function sanitiseLabelName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/g, '_');
}

interface WorkloadMatcher {
  ruleId: number;
  /** The same match for workloads the bill split itself, when the cluster's bill does. */
  billRuleId?: number;
  entityRef: string;
  namespace?: string;
  /** Sanitised label names and the values they must have, all of them. */
  labels: Array<[string, string]>;
}

/** One cluster's rules: its owner's, and its components' in the order they are tried. */
export interface ClusterRules {
  cluster: string;
  ownerRuleId: number;
  /** The owner's rule for system namespaces in the bill's own split, when it has one. */
  billOwnerRuleId?: number;
  /** Namespaces that run the cluster itself. */
  systemNamespaces: string[];
  matchers: WorkloadMatcher[];
}

const SPLIT_HOW =
  "split by OpenCost's cpu, ram, gpu and storage cost of the cluster's workloads";

/**
 * Parses `key=value,key2==value2`. Set-based selectors (`in`, `notin`, `!=`, `!key`) are
 * refused rather than half-matched.
 */
function parseSelector(text: string): Array<[string, string]> {
  const terms = text
    .split(',')
    .map(t => t.trim())
    .filter(Boolean);
  if (terms.length === 0) throw new Error('it selects nothing');
  return terms.map(term => {
    const m = /^([^=!\s]+)\s*==?\s*([^=!\s]*)$/.exec(term);
    if (!m) {
      throw new Error(
        `'${term}' is not key=value (set-based selectors are not supported)`,
      );
    }
    return [sanitiseLabelName(m[1]), m[2]];
  });
}

/**
 * The mapping rules of shared clusters, with ids from `firstId`: per cluster one for its owner
 * (idle, system namespaces, days OpenCost could not split) and one per component annotation.
 * Workloads labelled `backstage.io/kubernetes-id` are matched before label selectors; at equal
 * footing the first entity ref wins.
 */
export function buildWorkloadRules(
  entities: Iterable<SnapshotEntity>,
  clusters: KubernetesClusterConfig[],
  firstId: number,
  /**
   * Per cluster, the methods by which the bill split its node cost itself, if any, as the
   * rules name them (with their details' usage units).
   */
  billSplitMethods: ReadonlyMap<string, string[]> = new Map(),
): {
  rules: AllocationRuleRow[];
  clusters: ClusterRules[];
  problems: string[];
} {
  const sorted = [...entities].sort((a, b) => a.ref.localeCompare(b.ref));
  const refs = new Set(sorted.map(e => e.ref));
  const rules: AllocationRuleRow[] = [];
  const problems: string[] = [];
  const result: ClusterRules[] = [];
  const add = (entityRef: string, rule: string) => {
    const id = firstId + rules.length;
    rules.push({ id, entityRef, origin: 'kubernetes', rule });
    return id;
  };

  for (const cluster of clusters) {
    if (!refs.has(cluster.owner)) {
      problems.push(
        `Kubernetes cluster ${cluster.name}: owner ${cluster.owner} is not in the catalog; its node cost is not split`,
      );
      continue;
    }
    const kept = [
      cluster.policy.idle === 'owner' ? 'idle capacity' : undefined,
      cluster.policy.systemTo === 'owner'
        ? `system namespaces (${(cluster.policy.systemNamespaces ?? []).join(
            ', ',
          )})`
        : undefined,
    ].filter(Boolean);
    const ownerRuleId = add(
      cluster.owner,
      `Kubernetes cluster ${cluster.name}: owner of the cluster's ${[
        ...kept,
        'node cost OpenCost gave no workload weight',
      ].join(', ')}`,
    );
    const methods = billSplitMethods.get(cluster.name) ?? [];
    const billHow =
      methods.length > 0
        ? `split by the bill itself (${methods.join('; ')})`
        : '';
    const systemNamespaces = cluster.policy.systemNamespaces ?? [];
    const billKept = [
      cluster.policy.systemTo === 'owner'
        ? `system namespaces (${systemNamespaces.join(', ')})`
        : undefined,
      cluster.policy.idle === 'owner'
        ? 'idle capacity (what the bill left unsplit of the nodes it split)'
        : undefined,
    ].filter(Boolean);
    const billOwnerRuleId = billHow
      ? add(
          cluster.owner,
          `Kubernetes cluster ${cluster.name}: owner of the cluster's ${
            billKept.length > 0
              ? billKept.join(', ')
              : 'system namespaces and idle capacity when no workload of the day had cost to spread them over'
          }, ${billHow}`,
        )
      : undefined;
    const byId: WorkloadMatcher[] = [];
    const bySelector: WorkloadMatcher[] = [];
    for (const entity of sorted) {
      if (entity.kind !== 'component') continue;
      const id = entity.annotations[KUBERNETES_ID_ANNOTATION]?.trim();
      const namespace =
        entity.annotations[KUBERNETES_NAMESPACE_ANNOTATION]?.trim() ||
        undefined;
      const selector = entity.annotations[KUBERNETES_LABEL_SELECTOR_ANNOTATION];
      const inNamespace = namespace ? ` in namespace ${namespace}` : '';
      if (id) {
        const what = `Kubernetes cluster ${cluster.name}: workloads labelled ${KUBERNETES_ID_ANNOTATION}=${id}${inNamespace}`;
        byId.push({
          ruleId: add(entity.ref, `${what}, ${SPLIT_HOW}`),
          ...(billHow
            ? { billRuleId: add(entity.ref, `${what}, ${billHow}`) }
            : {}),
          entityRef: entity.ref,
          namespace,
          labels: [[sanitiseLabelName(KUBERNETES_ID_ANNOTATION), id]],
        });
      }
      if (selector !== undefined) {
        let labels: Array<[string, string]>;
        try {
          labels = parseSelector(selector);
        } catch (error) {
          // Reported once, for the first cluster: the annotation is the same for all.
          if (cluster === clusters[0]) {
            problems.push(
              `${
                entity.ref
              }: annotation ${KUBERNETES_LABEL_SELECTOR_ANNOTATION} is invalid: ${
                (error as Error).message
              }`,
            );
          }
          continue;
        }
        const what = `Kubernetes cluster ${
          cluster.name
        }: workloads${inNamespace} matching ${selector.trim()}`;
        bySelector.push({
          ruleId: add(entity.ref, `${what}, ${SPLIT_HOW}`),
          ...(billHow
            ? { billRuleId: add(entity.ref, `${what}, ${billHow}`) }
            : {}),
          entityRef: entity.ref,
          namespace,
          labels,
        });
      }
    }
    result.push({
      cluster: cluster.name,
      ownerRuleId,
      ...(billOwnerRuleId !== undefined ? { billOwnerRuleId } : {}),
      systemNamespaces,
      matchers: [...byId, ...bySelector],
    });
  }
  return { rules, clusters: result, problems };
}

/**
 * The rule a split part goes to: the owner's for idle, system and unsplit parts, the first
 * matching component's for a workload, null (unallocated) for a workload no component claims.
 */
export function ruleForPart(
  rules: ClusterRules,
  part: Pick<SplitPart, 'kind' | 'namespace' | 'labels'>,
): number | null {
  if (part.kind === 'idle' || part.kind === 'system' || part.kind === 'unsplit')
    return rules.ownerRuleId;
  if (part.kind !== 'workload') return null;
  return firstMatch(rules, part.namespace, part.labels ?? {})?.ruleId ?? null;
}

/**
 * The first matcher whose namespace and labels the workload has. Plain loops: this runs for
 * every part of every day against every component, where a closure per test adds up.
 */
function firstMatch(
  rules: ClusterRules,
  namespace: string | undefined,
  labels: Record<string, string>,
): WorkloadMatcher | undefined {
  for (const matcher of rules.matchers) {
    if (matcher.namespace !== undefined && matcher.namespace !== namespace)
      continue;
    let all = true;
    for (let i = 0; i < matcher.labels.length && all; i += 1)
      all = labels[matcher.labels[i][0]] === matcher.labels[i][1];
    if (all) return matcher;
  }
  return undefined;
}

/**
 * Tags that name a split pod's namespace and workload in the bill (AWS split cost allocation
 * data for EKS), first found wins; the allocated resource's name stands in for the workload.
 */
export const BILL_NAMESPACE_TAGS = ['aws:eks:namespace', 'namespace'];
export const BILL_WORKLOAD_TAGS = [
  'aws:eks:workload-name',
  'aws:eks:deployment',
  'workload',
];

/**
 * Where a node fact the bill split itself goes: its allocated resource's tags (the pod's
 * labels) are matched exactly as OpenCost's workload labels are, a system namespace's pod is
 * the cluster's `system` part (the owner's rule), an unmatched workload is unallocated.
 */
export function ruleForBillSplit(
  rules: ClusterRules,
  fact: Pick<BillSplitFact, 'resourceId' | 'resourceName' | 'tags'> & {
    methodId: string;
  },
): {
  ruleId: number | null;
  kind: 'workload' | 'system';
  namespace?: string;
  workload: string;
} {
  const tags = JSON.parse(fact.tags) as Record<string, string>;
  const first = (keys: string[]) =>
    keys
      .map(key => tags[key])
      .find(value => value !== undefined && value !== '');
  const namespace = first(BILL_NAMESPACE_TAGS);
  const name =
    first(BILL_WORKLOAD_TAGS) ??
    fact.resourceName ??
    fact.resourceId ??
    fact.methodId;
  const workload = namespace !== undefined ? `${namespace}/${name}` : name;
  const where = namespace !== undefined ? { namespace } : {};
  if (namespace !== undefined && rules.systemNamespaces.includes(namespace)) {
    // As OpenCost's system part: one per cluster-day, without a namespace; the owner's
    // unless the policy spreads it (billSplitParts).
    return {
      ruleId: rules.billOwnerRuleId ?? rules.ownerRuleId,
      kind: 'system',
      workload: 'system',
    };
  }
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags))
    labels[sanitiseLabelName(key)] = String(value);
  const matcher = firstMatch(rules, namespace, labels);
  return {
    ruleId: matcher ? matcher.billRuleId ?? matcher.ruleId : null,
    kind: 'workload',
    ...where,
    workload,
  };
}
