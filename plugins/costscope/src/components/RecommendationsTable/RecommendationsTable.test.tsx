import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  RecommendationsTable,
  recommendationsToCsv,
} from './RecommendationsTable';
import { createFakeApi } from '../../__testUtils__/fixtures';
import {
  orgRecommendations,
  recommendationApi,
  recommendationListFor,
} from '../../__testUtils__/recommendationFixtures';
import { renderWithApi } from '../../__testUtils__/render';
import { downloadCsv } from '../../utils/csv';
import { formatMoney } from '../../utils/format';

jest.mock('../../utils/csv', () => ({
  ...jest.requireActual('../../utils/csv'),
  downloadCsv: jest.fn(),
}));

/** The resource cells of the rows, in display order. */
function order(): string[] {
  return screen
    .getAllByRole('row')
    .slice(1)
    .map(row => within(row).getAllByRole('cell')[1].textContent ?? '');
}

async function renderTable(api = recommendationApi(orgRecommendations)) {
  await renderWithApi(<RecommendationsTable limit={100} />, { api });
  return api;
}

describe('RecommendationsTable', () => {
  it('shows progress while loading', async () => {
    const api = createFakeApi({
      getRecommendations: jest.fn(() => new Promise(() => {})),
    });
    await renderWithApi(<RecommendationsTable />, { api });
    expect(
      await screen.findByRole('progressbar', { name: 'Loading' }),
    ).toBeInTheDocument();
    expect(api.getRecommendations).toHaveBeenCalledWith({});
  });

  it('shows a load error', async () => {
    const api = createFakeApi({
      getRecommendations: jest.fn(async () => {
        throw new Error('recommendation store down');
      }),
    });
    await renderWithApi(<RecommendationsTable />, { api });
    expect(
      await screen.findByText(/Could not load savings tips/),
    ).toBeInTheDocument();
  });

  it('ranks the tips by saving with their total, entity, kind and confidence', async () => {
    const api = await renderTable();
    expect(api.getRecommendations).toHaveBeenCalledWith({ limit: 100 });
    const total = await screen.findByTestId('costscope-recommendations-total');
    // 392.448 (the payer's Savings Plan, counted once) + 140.16 + 60.736 + 8
    expect(total).toHaveAttribute('data-amount', '601.344000000');
    expect(total).toHaveTextContent(formatMoney('601.344', 'USD'));
    expect(screen.getByText('4 open tips')).toBeInTheDocument();

    const headers = screen.getAllByRole('columnheader').map(h => h.textContent);
    expect(headers).toEqual([
      'Rank',
      'Resource',
      'Entity',
      'Kind',
      'Action',
      'Monthly saving',
      'Confidence',
    ]);

    expect(order()).toEqual([
      'Compute Savings Plan, payer 999988887777999988887777',
      'checkout-api-1i-0a1b2c3d4e5f60001',
      'checkout-worker-oldi-0a1b2c3d4e5f60002',
      'vol-0abc0000000000001',
    ]);
    const rows = screen.getAllByRole('row').slice(1);
    const first = within(rows[1]);
    expect(first.getAllByRole('cell')[0]).toHaveTextContent('2');
    expect(first.getByRole('link', { name: /checkout-api/ })).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout-api',
    );
    expect(first.getByText('Over-provisioned instance')).toBeInTheDocument();
    expect(
      first.getByText('Resize from m6i.2xlarge to m6i.xlarge'),
    ).toBeInTheDocument();
    expect(first.getByText(formatMoney('140.16', 'USD'))).toBeInTheDocument();
    expect(first.getByText('High confidence')).toBeInTheDocument();

    // The purchase: unallocated, with its plan
    const purchase = within(rows[0]);
    expect(purchase.getByText('Unallocated')).toBeInTheDocument();
    expect(purchase.queryByRole('link')).not.toBeInTheDocument();
    expect(purchase.getByText('Savings Plan purchase')).toBeInTheDocument();
    expect(purchase.getByText('Medium confidence')).toBeInTheDocument();
    expect(
      purchase.getByText(formatMoney('392.448', 'USD')),
    ).toBeInTheDocument();
    const plan = purchase.getByTestId('costscope-tip-savings-plan');
    expect(plan).toHaveTextContent(/1\.3824.* per hour/);
    expect(plan).toHaveTextContent('12 months, no upfront');
    expect(plan).toHaveTextContent('Expected utilization100%');
    expect(plan).toHaveTextContent('Breaks evenMonth 1');
    expect(plan).toHaveTextContent('30 days (2024-04-15 to 2024-05-14)');
    expect(plan).toHaveTextContent('Sized after 2 rightsizing tips');
    // the organisation's view has no share
    expect(purchase.queryByTestId('costscope-plan-share')).toBeNull();

    expect(
      within(rows[3]).getByRole('link', { name: /payments/ }),
    ).toHaveAttribute('href', '/catalog/default/system/payments');
  });

  it('sorts by monthly saving exactly and by confidence', async () => {
    // As text, "8" > "60.736" > "140.16": the sort compares amounts, not strings.
    await renderTable();
    await screen.findByTestId('costscope-recommendations-total');
    await userEvent.click(screen.getByText('Monthly saving'));
    expect(order()).toEqual([
      'vol-0abc0000000000001',
      'checkout-worker-oldi-0a1b2c3d4e5f60002',
      'checkout-api-1i-0a1b2c3d4e5f60001',
      'Compute Savings Plan, payer 999988887777999988887777',
    ]);
    await userEvent.click(screen.getByText('Monthly saving'));
    expect(order()).toEqual([
      'Compute Savings Plan, payer 999988887777999988887777',
      'checkout-api-1i-0a1b2c3d4e5f60001',
      'checkout-worker-oldi-0a1b2c3d4e5f60002',
      'vol-0abc0000000000001',
    ]);

    // Switching columns keeps the direction (descending): the surest first, not alphabetical.
    await userEvent.click(screen.getByText('Confidence'));
    const confidences = screen
      .getAllByRole('row')
      .slice(1)
      .map(row => within(row).getAllByRole('cell')[6].textContent);
    expect(confidences).toEqual([
      'High confidence',
      'High confidence',
      'Medium confidence',
      'Medium confidence',
    ]);
  });

  it('downloads the tips as CSV', async () => {
    await renderTable();
    await screen.findByTestId('costscope-recommendations-total');
    await userEvent.click(screen.getByRole('button', { name: /Download CSV/ }));
    expect(downloadCsv).toHaveBeenCalledWith(
      'costscope-savings-tips.csv',
      recommendationsToCsv(orgRecommendations.items),
    );
  });

  it('exports exact amounts as CSV, in rank order', () => {
    const lines = recommendationsToCsv(orgRecommendations.items).split('\r\n');
    expect(lines[0]).toBe(
      'rank,id,kind,provider,account,region,resource_id,resource_name,resource_kind,entity_ref,action,current_type,suggested_type,current_monthly_cost,monthly_saving,currency,confidence,price_source,state',
    );
    expect(lines[2]).toBe(
      '2,overprovisioned-instance:i-0a1b2c3d4e5f60001,overprovisioned-instance,AWS,111122223333,us-east-1,i-0a1b2c3d4e5f60001,checkout-api-1,instance,component:default/checkout-api,Resize from m6i.2xlarge to m6i.xlarge,m6i.2xlarge,m6i.xlarge,280.320000000,140.160000000,USD,high,billing,open',
    );
    // The unallocated purchase has an empty entity.
    expect(lines[1]).toBe(
      '1,savings-plan-purchase:aws:999988887777,savings-plan-purchase,AWS,999988887777,global,999988887777,"Compute Savings Plan, payer 999988887777",payer,,Buy a 12-month Compute Savings Plan (no upfront) on payer 999988887777: commit 1.3824 USD an hour,,,1401.600000000,392.448000000,USD,medium,billing,open',
    );
    expect(lines).toHaveLength(orgRecommendations.items.length + 2);
  });

  it('says when prices could not be refreshed', async () => {
    await renderTable(
      recommendationApi(
        recommendationListFor('organization', [], {
          prices: [
            {
              source: 'prices-file',
              attemptedAt: '2024-05-15T02:00:00Z',
              error: 'Error: cannot read /etc/prices.json',
            },
          ],
        }),
      ),
    );
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Prices could not be refreshed (prices-file): Error: cannot read /etc/prices.json; no prices from this source yet.',
    );
  });

  it('tells what to configure when there are no tips', async () => {
    await renderTable(
      recommendationApi(recommendationListFor('organization', [])),
    );
    expect(await screen.findByText('No savings tips.')).toBeInTheDocument();
    expect(screen.getByText('costscope.aws')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Download CSV/ })).toBeDisabled();
  });
});
