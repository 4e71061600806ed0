import {
  CostBasis,
  DateRange,
  EntityKubernetesCost,
  nanosToMoney,
} from '@costscope/backstage-plugin-common';
import { KubernetesStore } from '../store/KubernetesStore';
import { KubernetesPartDay } from '../store/types';
import { KubernetesClusterConfig } from './readKubernetesConfig';
import { DEFAULT_SYSTEM_NAMESPACES } from './splitClusterCost';
import {
  partFigures,
  PartDayFigures,
  toWorkloadCost,
  WorkloadLine,
  workloadLines,
} from './workloadCosts';

/** Who may see what in an answer: below the entity, and (for a cluster's owner) anywhere. */
export interface KubernetesVisibility {
  below(): Promise<ReadonlySet<string>>;
  organisation(): Promise<ReadonlySet<string>>;
}

const NOTHING_HIDDEN: KubernetesVisibility = {
  below: async () => new Set(),
  organisation: async () => new Set(),
};

/**
 * Reads the Kubernetes split of the last allocation: an entity's workloads with their
 * cpu/ram/gpu/storage shares and efficiency, and the whole split of the clusters it owns.
 */
export class KubernetesCostReader {
  constructor(
    private readonly store: KubernetesStore,
    private readonly clusters: KubernetesClusterConfig[],
  ) {}

  async entity(
    entityRef: string,
    range: DateRange,
    amounts: { currency: string; costBasis: CostBasis },
    visibility: KubernetesVisibility = NOTHING_HIDDEN,
  ): Promise<EntityKubernetesCost> {
    const owned = this.clusters.filter(c => c.owner === entityRef);
    const [parts, below, organisation, ownedParts] = await Promise.all([
      this.store.entityParts(entityRef, range, amounts.costBasis),
      visibility.below(),
      owned.length > 0 ? visibility.organisation() : new Set<string>(),
      Promise.all(
        owned.map(c =>
          this.store.clusterParts(c.name, range, amounts.costBasis),
        ),
      ),
    ]);
    const figuresOf = await this.figures(
      [...parts, ...ownedParts.flat()],
      range,
    );
    const lines = workloadLines(parts, figuresOf, below, false);
    const total = lines.reduce((s, l) => s + l.nanos, 0n);
    return {
      entityRef,
      ...amounts,
      from: range.from,
      to: range.to,
      total: nanosToMoney(total),
      workloads: lines.map(l => toWorkloadCost(l, total)),
      clusters: owned.map((cluster, i) => {
        const clusterLines = workloadLines(
          ownedParts[i],
          figuresOf,
          organisation,
          true,
        );
        const clusterTotal = clusterLines.reduce((s, l) => s + l.nanos, 0n);
        return {
          cluster: cluster.name,
          total: nanosToMoney(clusterTotal),
          parts: clusterLines.map(l => toWorkloadCost(l, clusterTotal)),
        };
      }),
    };
  }

  /** Whether the entity owns a cluster, so that its answer shows the cluster's whole split. */
  ownsCluster(entityRef: string): boolean {
    return this.clusters.some(c => c.owner === entityRef);
  }

  /**
   * Every workload line of every cluster over the range, nothing hidden (for tips): a
   * workload's parts of both splits in one line, the bill's with OpenCost's figures.
   */
  async allWorkloads(
    range: DateRange,
    basis: CostBasis,
  ): Promise<WorkloadLine[]> {
    const parts = (
      await Promise.all(
        this.clusters.map(c => this.store.clusterParts(c.name, range, basis)),
      )
    ).flat();
    return workloadLines(
      parts,
      await this.figures(parts, range),
      new Set(),
      true,
      { billFigures: true },
    );
  }

  /** OpenCost's figures per cluster and day, read once per cluster the parts touch. */
  private async figures(parts: KubernetesPartDay[], range: DateRange) {
    const clusters = [...new Set(parts.map(p => p.cluster))];
    const byCluster = new Map<
      string,
      Map<string, Map<string, PartDayFigures>>
    >();
    await Promise.all(
      clusters.map(async name => {
        const config = this.clusters.find(c => c.name === name);
        const system =
          config?.policy.systemNamespaces ?? DEFAULT_SYSTEM_NAMESPACES;
        const days = await this.store.openCostDays(name, range);
        byCluster.set(
          name,
          new Map(
            [...days].map(([day, allocations]) => [
              day,
              partFigures(allocations, system),
            ]),
          ),
        );
      }),
    );
    return (cluster: string, day: string) => byCluster.get(cluster)?.get(day);
  }
}
