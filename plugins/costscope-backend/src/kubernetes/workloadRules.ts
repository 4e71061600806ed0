import type { SnapshotEntity } from '../allocation/catalogSnapshot';
import { AllocationRuleRow } from '../store/types';
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
  entityRef: string;
  namespace?: string;
  /** Sanitised label names and the values they must have, all of them. */
  labels: Array<[string, string]>;
}

/** One cluster's rules: its owner's, and its components' in the order they are tried. */
export interface ClusterRules {
  cluster: string;
  ownerRuleId: number;
  matchers: WorkloadMatcher[];
}

const SPLIT_HOW =
  "by OpenCost's cpu, ram, gpu and storage cost of the cluster's workloads";

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
        byId.push({
          ruleId: add(
            entity.ref,
            `Kubernetes cluster ${cluster.name}: workloads labelled ${KUBERNETES_ID_ANNOTATION}=${id}${inNamespace}, ${SPLIT_HOW}`,
          ),
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
        bySelector.push({
          ruleId: add(
            entity.ref,
            `Kubernetes cluster ${
              cluster.name
            }: workloads${inNamespace} matching ${selector.trim()}, ${SPLIT_HOW}`,
          ),
          entityRef: entity.ref,
          namespace,
          labels,
        });
      }
    }
    result.push({
      cluster: cluster.name,
      ownerRuleId,
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
  part: SplitPart,
): number | null {
  if (part.kind === 'idle' || part.kind === 'system' || part.kind === 'unsplit')
    return rules.ownerRuleId;
  if (part.kind !== 'workload') return null;
  const labels = part.labels ?? {};
  for (const matcher of rules.matchers) {
    if (matcher.namespace !== undefined && matcher.namespace !== part.namespace)
      continue;
    if (matcher.labels.every(([key, value]) => labels[key] === value))
      return matcher.ruleId;
  }
  return null;
}
