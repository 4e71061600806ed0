import { InfoCard } from '@backstage/core-components';
import {
  addMoney,
  CostBreakdownItem,
  CostQuery,
  CostSeries,
  moneyToNanos,
} from '@costscope/backstage-plugin-common';
import { useEntityCostSeries } from '../../hooks';
import { compareMoney } from '../../utils/format';
import { AsyncContent } from '../AsyncContent';
import { BreakdownTable } from '../BreakdownTable';
import { CostChart } from '../CostChart';

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
 * idle and system for a cluster's owner): the bill's node cost split by OpenCost's ratios.
 */
export function KubernetesCostCard(props: KubernetesCostCardProps) {
  const state = useEntityCostSeries(props.entityRef, props.range, 'workload');
  return (
    <InfoCard
      title="Kubernetes: cost by workload"
      subheader="The bill's cost of shared clusters' nodes, split by OpenCost's cpu, ram, gpu and storage cost"
    >
      <AsyncContent state={state}>
        {value => {
          const share = kubernetesShare(value);
          return (
            <>
              <CostChart series={share.series} dimension="workload" />
              <BreakdownTable
                title="Workloads"
                nameTitle="Workload"
                items={share.items}
                currency={share.series.currency}
                emptyText="No Kubernetes cost in this range."
              />
            </>
          );
        }}
      </AsyncContent>
    </InfoCard>
  );
}
