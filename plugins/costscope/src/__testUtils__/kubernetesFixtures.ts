import {
  DateRange,
  EntityKubernetesCost,
  KubernetesWorkloadCost,
} from '@costscope/backstage-plugin-common';

const line = (
  workload: string,
  kind: KubernetesWorkloadCost['kind'],
  cost: string,
  share: number,
  more: Partial<KubernetesWorkloadCost> = {},
): KubernetesWorkloadCost => ({
  cluster: 'prod',
  workload,
  kind,
  cost,
  share,
  ...(kind !== 'not-visible' ? { splitBy: 'opencost' as const } : {}),
  resources: { cpu: 0.5, ram: 0.5, gpu: 0, storage: 0 },
  efficiency: { cpu: null, ram: null },
  ...more,
});

/** checkout-api's workload, and for k8s-platform the cluster's split with idle and system. */
export function kubernetesFor(
  entityRef: string,
  range: DateRange,
): EntityKubernetesCost {
  const checkout = line('shop/checkout-api', 'workload', '60.000000000', 1, {
    namespace: 'shop',
    entityRef: 'component:default/checkout-api',
    resources: { cpu: 0.666666, ram: 0.333333, gpu: 0, storage: 0 },
    efficiency: { cpu: 0.2, ram: 0.25 },
  });
  const base = {
    entityRef,
    currency: 'USD',
    costBasis: 'billed' as const,
    ...range,
  };
  if (entityRef === 'component:default/k8s-platform') {
    return {
      ...base,
      total: '60.000000000',
      workloads: [
        line('idle', 'idle', '30.000000000', 0.5),
        line('system', 'system', '30.000000000', 0.5),
      ],
      clusters: [
        {
          cluster: 'prod',
          total: '200.000000000',
          parts: [
            { ...checkout, share: 0.3 },
            line('(not visible to you)', 'not-visible', '80.000000000', 0.4, {
              resources: null,
            }),
            line('idle', 'idle', '30.000000000', 0.15, {
              resources: { cpu: 1, ram: 0, gpu: 0, storage: 0 },
            }),
            line('system', 'system', '30.000000000', 0.15),
          ],
        },
      ],
    };
  }
  if (entityRef === 'component:default/checkout-api') {
    return {
      ...base,
      total: '60.000000000',
      workloads: [checkout],
      clusters: [],
    };
  }
  return { ...base, total: '0.000000000', workloads: [], clusters: [] };
}
