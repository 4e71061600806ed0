import { screen, within } from '@testing-library/react';
import type { CostSeries, DateRange } from '@costscope/backstage-plugin-common';
import { EntityCostContent } from '../EntityCostContent';
import {
  componentEntity,
  createFakeApi,
  freezeDate,
  seriesFor,
  summaryFor,
} from '../../__testUtils__/fixtures';
import { renderWithApi } from '../../__testUtils__/render';
import { formatMoney, formatShare } from '../../utils/format';
import { kubernetesToCsv } from '../../utils/csv';
import { kubernetesFor } from '../../__testUtils__/kubernetesFixtures';
import { KubernetesCostCard } from './KubernetesCostCard';
import { KubernetesWorkloadsTable } from './KubernetesWorkloadsTable';
import { kubernetesShare, NOT_KUBERNETES } from './KubernetesCostCard';

const ref = 'component:default/checkout-api';

function workloadSeries(range: DateRange): CostSeries {
  return {
    entityRef: ref,
    from: range.from,
    to: range.to,
    currency: 'USD',
    costBasis: 'effective',
    groupBy: 'workload',
    keys: [NOT_KUBERNETES, 'checkout/checkout-api', 'checkout/worker'],
    points: [
      {
        date: range.from,
        total: '110.000000003',
        values: {
          [NOT_KUBERNETES]: '100.000000000',
          'checkout/checkout-api': '7.000000001',
          'checkout/worker': '3.000000002',
        },
      },
      {
        date: range.to,
        total: '102.000000000',
        values: {
          [NOT_KUBERNETES]: '100.000000000',
          'checkout/checkout-api': '2.000000000',
        },
      },
    ],
  };
}

describe('kubernetesShare', () => {
  it('leaves out cost no split brought and sums each workload exactly', () => {
    const { series, items } = kubernetesShare(
      workloadSeries({ from: '2024-05-01', to: '2024-05-02' }),
    );
    expect(series.keys).toEqual(['checkout/checkout-api', 'checkout/worker']);
    expect(series.points.map(p => p.total)).toEqual([
      '10.000000003',
      '2.000000000',
    ]);
    // Shares floored to millionths, as the backend's: 9.000000001 / 12.000000003 < 0.75.
    expect(items).toEqual([
      { key: 'checkout/checkout-api', cost: '9.000000001', share: 0.749999 },
      { key: 'checkout/worker', cost: '3.000000002', share: 0.25 },
    ]);
  });
});

describe('KubernetesCostCard on the Cost tab', () => {
  beforeEach(() => freezeDate());
  afterEach(() => jest.useRealTimers());

  it('shows the Kubernetes share by workload when a split brought cost', async () => {
    const api = createFakeApi({
      getEntitySummary: jest.fn(async (r, range) =>
        summaryFor(r, range, {
          mappingRules: [
            {
              entityRef: ref,
              origin: 'kubernetes',
              rule: 'Kubernetes cluster prod: workloads labelled backstage.io/kubernetes-id=checkout-api',
              cost: '12.000000003',
            },
          ],
        }),
      ),
      getEntitySeries: jest.fn(async (r: string, range: any) =>
        range.groupBy === 'workload'
          ? workloadSeries(range)
          : seriesFor(r, range),
      ),
    });
    await renderWithApi(<EntityCostContent />, {
      api,
      entity: componentEntity,
    });
    const card = (
      await screen.findByText('Kubernetes: cost by workload')
    ).closest('.MuiCard-root') as HTMLElement;
    expect(card).toBeTruthy();
    expect(
      await within(card).findByRole('img', {
        name: /stacked by workload: checkout\/checkout-api, checkout\/worker$/,
      }),
    ).toBeInTheDocument();
    expect(
      within(card).getAllByText('checkout/checkout-api').length,
    ).toBeGreaterThan(0);
    // The workloads table, from the kubernetes route: cost, shares and efficiency.
    const table = within(card).getByRole('table');
    const row = within(table)
      .getByText('shop/checkout-api')
      .closest('tr') as HTMLElement;
    // The name breaks only after '/', '-' and '.', never inside a word.
    const nameCell = row.querySelector('td')!;
    expect(nameCell.innerHTML).toContain('shop/<wbr>checkout-<wbr>api');
    expect(nameCell.style.wordBreak).toBe('normal');
    expect(nameCell.style.overflowWrap).toBe('normal');
    expect(
      within(row).getByText(formatMoney('60.000000000', 'USD')),
    ).toBeInTheDocument();
    expect(within(row).getByText(formatShare(0.666666))).toBeInTheDocument();
    expect(within(row).getByText(formatShare(0.333333))).toBeInTheDocument();
    expect(within(row).getByText(formatShare(0.2))).toBeInTheDocument();
    expect(within(row).getByText(formatShare(0.25))).toBeInTheDocument();
    expect(within(card).queryByText(/the whole split/)).not.toBeInTheDocument();
    expect(screen.getByText('Kubernetes split')).toBeInTheDocument();
  });

  it('is not shown, nor its series read, without a Kubernetes split', async () => {
    const api = createFakeApi();
    await renderWithApi(<EntityCostContent />, {
      api,
      entity: componentEntity,
    });
    await screen.findByTestId('costscope-total');
    expect(
      screen.queryByText('Kubernetes: cost by workload'),
    ).not.toBeInTheDocument();
    expect(api.getEntitySeries).not.toHaveBeenCalledWith(
      ref,
      expect.objectContaining({ groupBy: 'workload' }),
    );
  });
});

describe("KubernetesCostCard on a cluster owner's page", () => {
  it('shows the whole split of the cluster, idle, system and the hidden sum', async () => {
    const owner = 'component:default/k8s-platform';
    const api = createFakeApi();
    await renderWithApi(
      <KubernetesCostCard
        entityRef={owner}
        range={{ from: '2024-05-01', to: '2024-05-02' }}
      />,
      { api },
    );
    const title = await screen.findByText(
      `Cluster prod: the whole split, ${formatMoney('200.000000000', 'USD')}`,
    );
    const table = title
      .closest('.MuiPaper-root')!
      .querySelector('table') as HTMLElement;
    const rows = within(table).getAllByRole('row').slice(1);
    // Largest first, as every cost table.
    expect(rows.map(r => r.querySelector('td')?.textContent)).toEqual([
      '(not visible to you)',
      'shop/checkout-api',
      'idle (capacity no workload requested)',
      'system (system namespaces)',
    ]);
    expect(
      within(rows[0]).getByText(formatMoney('80.000000000', 'USD')),
    ).toBeInTheDocument();
    expect(api.getEntityKubernetes).toHaveBeenCalledWith(
      owner,
      expect.objectContaining({ from: '2024-05-01', to: '2024-05-02' }),
    );
  });
});

describe('KubernetesWorkloadsTable', () => {
  it("shows a workload the bill split itself on a line of its own, without OpenCost's figures", async () => {
    const [opencost] = kubernetesFor(ref, {
      from: '2024-05-01',
      to: '2024-05-02',
    }).workloads;
    const bill = {
      ...opencost,
      splitBy: 'bill' as const,
      cost: '40.000000001',
      share: 0.4,
      resources: null,
      efficiency: { cpu: null, ram: null },
    };
    await renderWithApi(
      <KubernetesWorkloadsTable
        title="Workloads"
        lines={[opencost, bill]}
        currency="USD"
        fileName="w.csv"
      />,
      { api: createFakeApi() },
    );
    const rows = (await screen.findAllByText('shop/checkout-api')).map(
      cell => cell.closest('tr') as HTMLElement,
    );
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getByText('OpenCost')).toBeInTheDocument();
    expect(
      within(rows[0]).getByText(formatShare(0.666666)),
    ).toBeInTheDocument();
    expect(within(rows[1]).getByText('the bill')).toBeInTheDocument();
    expect(
      within(rows[1]).getByText(formatMoney('40.000000001', 'USD')),
    ).toBeInTheDocument();
    expect(
      within(rows[1]).queryByText(formatShare(0.666666)),
    ).not.toBeInTheDocument();
  });
});

describe('kubernetesToCsv', () => {
  it('writes exact costs and fractions, a blank where there is no figure', () => {
    const split = kubernetesFor('component:default/k8s-platform', {
      from: '2024-05-01',
      to: '2024-05-02',
    }).clusters[0].parts;
    expect(kubernetesToCsv(split.slice(0, 2)).split('\r\n')).toEqual([
      'cluster,workload,kind,entity_ref,split_by,cost,share,cpu_share,ram_share,gpu_share,storage_share,cpu_efficiency,ram_efficiency',
      'prod,shop/checkout-api,workload,component:default/checkout-api,opencost,60.000000000,0.3,0.666666,0.333333,0,0,0.2,0.25',
      'prod,(not visible to you),not-visible,,,80.000000000,0.4,,,,,,',
      '',
    ]);
  });
});
