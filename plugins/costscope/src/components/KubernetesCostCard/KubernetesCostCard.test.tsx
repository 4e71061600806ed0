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
import { formatMoney } from '../../utils/format';
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
    expect(
      within(card).getByText(formatMoney('9.000000001', 'USD')),
    ).toBeInTheDocument();
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
