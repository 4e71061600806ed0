import { InfoCard } from '@backstage/core-components';
import {
  addMoney,
  CostBreakdownItem,
  CostQuery,
  CostSeries,
  moneyToNanos,
} from '@costscope/backstage-plugin-common';
import { useEntityCostSeries, useEntityKubernetes } from '../../hooks';
import { csvFileName } from '../../utils/csv';
import { compareMoney, formatMoney } from '../../utils/format';
import { AsyncContent } from '../AsyncContent';
import { CostChart } from '../CostChart';
import { KubernetesWorkloadsTable } from './KubernetesWorkloadsTable';

/** The series key of cost that no Kubernetes split brought (the backend's name for it). */
export const NOT_KUBERNETES = '(not Kubernetes)';

/** The series without the cost no split brought, and each workload's total over the range. */
export function kubernetesShare(series: CostSeries): {
  series: CostSeries;
  items: CostBreakdownItem[];
} {
  const keys = series.keys.filter(key => key !== NOT_KUBERNETES);
  const points = series.points.map(point => {
    const values = Object.fromEntries(
      Object.entries(point.values).filter(([key]) => key !== NOT_KUBERNETES),
    );
    return { ...point, values, total: addMoney(...Object.values(values)) };
  });
  const totals = keys.map(key => ({
    key,
    cost: addMoney(
      ...points.map(point => point.values[key]).filter(v => v !== undefined),
    ),
  }));
  const all = moneyToNanos(addMoney(...totals.map(t => t.cost)));
  const items = totals
    .map(({ key, cost }) => ({
      key,
      cost,
      share:
        all === 0n
          ? null
          : Number((moneyToNanos(cost) * 1_000_000n) / all) / 1_000_000,
    }))
    .sort((a, b) => compareMoney(b.cost, a.cost) || a.key.localeCompare(b.key));
  return { series: { ...series, keys, points }, items };
}

/** Props of {@link KubernetesCostCard}. */
export interface KubernetesCostCardProps {
  entityRef: string;
  range: CostQuery;
}

/**
 * The entity's share of shared Kubernetes clusters, by workload (`namespace/controller`, or
 * idle and system for a cluster's owner): the bill's node cost split by OpenCost's ratios, with
 * each workload's cpu/ram/gpu/storage shares and efficiency; for a cluster's owner, the whole
 * split of the cluster, idle and system included.
 */
export function KubernetesCostCard(props: KubernetesCostCardProps) {
  const series = useEntityCostSeries(props.entityRef, props.range, 'workload');
  const split = useEntityKubernetes(props.entityRef, props.range);
  return (
    <InfoCard
      title="Kubernetes: cost by workload"
      subheader="The bill's cost of shared clusters' nodes, split by OpenCost's cpu, ram, gpu and storage cost, or by the bill itself where it splits nodes per pod"
    >
      <AsyncContent state={series}>
        {value => (
          <CostChart
            series={kubernetesShare(value).series}
            dimension="workload"
          />
        )}
      </AsyncContent>
      <AsyncContent state={split}>
        {value => (
          <>
            <KubernetesWorkloadsTable
              title="Workloads"
              lines={value.workloads}
              currency={value.currency}
              fileName={csvFileName(
                'kubernetes',
                props.entityRef,
                value.from,
                value.to,
              )}
            />
            {value.clusters.map(cluster => (
              <KubernetesWorkloadsTable
                key={cluster.cluster}
                title={`Cluster ${
                  cluster.cluster
                }: the whole split, ${formatMoney(
                  cluster.total,
                  value.currency,
                )}`}
                lines={cluster.parts}
                currency={value.currency}
                showEntity
                fileName={csvFileName(
                  'kubernetes-cluster',
                  cluster.cluster,
                  value.from,
                  value.to,
                )}
              />
            ))}
          </>
        )}
      </AsyncContent>
    </InfoCard>
  );
}
