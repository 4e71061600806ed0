import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { DEFAULT_SYSTEM_NAMESPACES, SplitPolicy } from './splitClusterCost';

/** How a cluster's node lines are found in the bill: any one of these matches a line. */
export interface ClusterNodeMatch {
  /** Tags that all must be on the line, e.g. `eks:cluster-name=prod`. */
  tags: Array<{ key: string; value: string }>;
  /** Resource ids that start with one of these (an AKS node resource group, a GKE prefix). */
  resourceIdPrefixes: string[];
}

export interface KubernetesClusterConfig {
  /** The cluster's name, as OpenCost and the run records call it. */
  name: string;
  /**
   * Absent for a cluster whose bill splits its nodes itself (FOCUS 1.3): node cost the bill
   * did not split then stays where the bill's tags put it.
   */
  opencost?: {
    url: string;
    /** Sent as `Authorization: Bearer <token>`. */
    token?: string;
  };
  nodes: ClusterNodeMatch;
  /** How its volumes are found in the bill, when their cost is split too (by pv weight). */
  volumes?: ClusterNodeMatch;
  policy: SplitPolicy;
  /** Lower-case entity ref that gets idle, system and unsplit cost. */
  owner: string;
}

export interface KubernetesConfig {
  clusters: KubernetesClusterConfig[];
}

const NAME = /^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$/i;

function oneOf<T extends string>(
  config: Config,
  key: string,
  where: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = config.getOptionalString(key) ?? fallback;
  if (!allowed.includes(value as T)) {
    throw new Error(
      `${where}.${key} '${value}' must be one of ${allowed.join(', ')}`,
    );
  }
  return value as T;
}

/** The cluster's OpenCost, when it has one. */
function readOpenCost(
  cluster: Config,
  where: string,
): KubernetesClusterConfig['opencost'] {
  if (!cluster.has('opencost')) return undefined;
  const url = cluster.getString('opencost.url');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${where}.opencost.url '${url}' is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`${where}.opencost.url '${url}' must be http or https`);
  }
  const token = cluster.getOptionalString('opencost.token');
  return { url, ...(token ? { token } : {}) };
}

/**
 * How the cluster's nodes (required) or volumes (optional) are found in the bill; undefined
 * for absent volumes.
 */
function readMatch(
  cluster: Config,
  key: 'nodes' | 'volumes',
  where: string,
): ClusterNodeMatch | undefined {
  const match = cluster.getOptionalConfig(key);
  if (!match && key === 'volumes') return undefined;
  const tags = (match?.getOptionalConfigArray('tags') ?? []).map(tag => ({
    key: tag.getString('key'),
    value: tag.getString('value'),
  }));
  const resourceIdPrefixes =
    match?.getOptionalStringArray('resourceIdPrefixes') ?? [];
  if (resourceIdPrefixes.some(prefix => prefix === '')) {
    throw new Error(`${where}.${key}.resourceIdPrefixes has an empty prefix`);
  }
  if (tags.length === 0 && resourceIdPrefixes.length === 0) {
    // Without a match the split would take no cost, or (worse) guess.
    throw new Error(
      `${where}.${key} needs tags or resourceIdPrefixes to find the cluster's ${key} in the bill`,
    );
  }
  return { tags, resourceIdPrefixes };
}

/**
 * Reads `costscope.kubernetes`: the shared clusters whose node cost is split over their
 * workloads by OpenCost's ratios. Throws an error naming the bad key, which stops the backend
 * at start.
 */
export function readKubernetesConfig(root: Config): KubernetesConfig {
  const names = new Set<string>();
  const clusters = (
    root.getOptionalConfigArray('costscope.kubernetes.clusters') ?? []
  ).map((cluster, index): KubernetesClusterConfig => {
    const where = `costscope.kubernetes.clusters[${index}]`;
    const name = cluster.getString('name');
    if (!NAME.test(name)) {
      throw new Error(
        `${where}.name '${name}' may only hold letters, digits, '.', '_' and '-'`,
      );
    }
    if (names.has(name)) {
      throw new Error(`${where}.name '${name}' is used by another cluster`);
    }
    names.add(name);

    const opencost = readOpenCost(cluster, where);

    const nodes = readMatch(cluster, 'nodes', where)!;
    const volumes = readMatch(cluster, 'volumes', where);

    const ownerText = cluster.getString('owner');
    let owner: string;
    try {
      owner = stringifyEntityRef(
        parseEntityRef(ownerText, {
          defaultKind: 'component',
          defaultNamespace: 'default',
        }),
      ).toLocaleLowerCase('en-US');
    } catch {
      throw new Error(`${where}.owner '${ownerText}' is not an entity ref`);
    }

    const systemNamespaces =
      cluster.getOptionalStringArray('systemNamespaces') ??
      DEFAULT_SYSTEM_NAMESPACES;
    return {
      name,
      ...(opencost ? { opencost } : {}),
      nodes,
      ...(volumes ? { volumes } : {}),
      policy: {
        idle: oneOf(cluster, 'idle', where, ['spread', 'owner'], 'owner'),
        systemNamespaces,
        systemTo: oneOf(
          cluster,
          'systemTo',
          where,
          ['spread', 'owner'],
          'owner',
        ),
      },
      owner,
    };
  });
  return { clusters };
}
