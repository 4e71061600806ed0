import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { lightTheme } from '@backstage/theme';
import { ResponseError } from '@backstage/errors';
import { EntityCostContent } from './EntityCostContent';
import {
  componentEntity,
  createFakeApi,
  freezeDate,
  summaryFor,
  systemEntity,
  unmappedSummary,
} from '../../__testUtils__/fixtures';
import { renderWithApi } from '../../__testUtils__/render';
import { formatMoney } from '../../utils/format';

const ref = 'component:default/checkout-api';
const last30 = {
  from: '2024-04-15',
  to: '2024-05-14',
  costBasis: 'effective',
};

describe('EntityCostContent', () => {
  beforeEach(() => freezeDate());
  afterEach(() => jest.useRealTimers());

  it('shows the figures, chart and tables from the API', async () => {
    const api = createFakeApi();
    await renderWithApi(<EntityCostContent />, {
      api,
      entity: componentEntity,
    });

    const total = await screen.findByTestId('costscope-total');
    expect(total).toHaveAttribute('data-amount', '1234.567890123');
    expect(total).toHaveTextContent(formatMoney('1234.567890123', 'USD'));
    expect(api.getEntitySummary).toHaveBeenCalledWith(ref, last30);
    expect(api.getEntitySeries).toHaveBeenCalledWith(ref, {
      ...last30,
      groupBy: 'service',
    });
    expect(api.getEntityResources).toHaveBeenCalledWith(ref, last30);

    // Change against the previous range.
    const change = screen.getByTestId('costscope-change');
    expect(change).toHaveAttribute('data-direction', 'increase');
    expect(change).toHaveTextContent(
      formatMoney('234.567890123', 'USD', { signed: true }),
    );
    expect(change).toHaveTextContent('+23.5%');

    // Chart: top 8 services and "Other".
    const chart = await screen.findByRole('img', {
      name: /Daily cost from 2024-04-15 to 2024-05-14, stacked by service/,
    });
    expect(chart.getAttribute('aria-label')).toMatch(/Service8, Other$/);

    // Services, resources, mapping rules, overlaps.
    expect(screen.getByText('Cost by service (amortized)')).toBeInTheDocument();
    expect(screen.getAllByText('Amazon RDS').length).toBeGreaterThan(0);
    expect(await screen.findByText('db-checkout')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Download CSV/ })).toBeEnabled();
    expect(screen.getByText('Why is this cost yours?')).toBeInTheDocument();
    expect(screen.getByText('service=checkout-api')).toBeInTheDocument();
    expect(screen.getByText('Annotation')).toBeInTheDocument();
    expect(screen.getByText('Convention')).toBeInTheDocument();
    expect(
      screen.getByText('service=checkout-api,app=legacy'),
    ).toBeInTheDocument();
    expect(screen.getByText('legacy-checkout')).toBeInTheDocument();
    // A component has no breakdown by entity.
    expect(screen.queryByText(/^Cost by component/)).not.toBeInTheDocument();
    // Tax and credits apart from usage.
    expect(
      screen.getByText('Cost by charge category (amortized)'),
    ).toBeInTheDocument();
    expect(screen.getByText('Tax')).toBeInTheDocument();
    expect(screen.getByText('Credit')).toBeInTheDocument();
  });

  it('shows an increase as bad and a decrease as good', async () => {
    const api = createFakeApi({
      getEntitySummary: jest.fn(async (r, range) =>
        summaryFor(r, range, { change: '-100.000000000', changeRatio: -0.1 }),
      ),
    });
    await renderWithApi(<EntityCostContent />, {
      api,
      entity: componentEntity,
    });
    const change = await screen.findByTestId('costscope-change');
    expect(change).toHaveAttribute('data-direction', 'decrease');
    expect(change).toHaveTextContent('-10%');
    expect(change).toHaveStyle({ color: lightTheme.palette.success.main });
  });

  it('colours an increase with the error colour', async () => {
    await renderWithApi(<EntityCostContent />, {
      api: createFakeApi(),
      entity: componentEntity,
    });
    const change = await screen.findByTestId('costscope-change');
    expect(change).toHaveStyle({ color: lightTheme.palette.error.main });
  });

  it('explains how to map cost when nothing is mapped', async () => {
    const api = createFakeApi({
      getEntitySummary: jest.fn(async (r, range) => unmappedSummary(r, range)),
    });
    await renderWithApi(<EntityCostContent />, {
      api,
      entity: componentEntity,
    });
    expect(
      await screen.findByText('No cloud cost is mapped to checkout-api'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('costscope-total')).toHaveAttribute(
      'data-amount',
      '0.000000000',
    );
    expect(
      screen.getAllByText(/costscope\.io\/cost-tags/).length,
    ).toBeGreaterThan(0);
    expect(screen.getByText(/Zero-config convention/)).toBeInTheDocument();
    expect(
      screen.queryByText('Why is this cost yours?'),
    ).not.toBeInTheDocument();
  });

  it('treats rules that matched nothing as unmapped and names them', async () => {
    const api = createFakeApi({
      getEntitySummary: jest.fn(async (r, range) => ({
        ...unmappedSummary(r, range),
        mappingRules: [
          {
            entityRef: 'component:default/checkout-api',
            origin: 'convention' as const,
            rule: 'service=checkout-api',
            cost: '0.000000000',
          },
        ],
      })),
    });
    await renderWithApi(<EntityCostContent />, {
      api,
      entity: componentEntity,
    });
    expect(
      await screen.findByText('No cloud cost is mapped to checkout-api'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Rules checked, none matched a cost line/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('(convention)', { exact: false }),
    ).toBeInTheDocument();
  });

  it('shows the error of a failed request', async () => {
    const response = new Response(
      JSON.stringify({
        error: { name: 'NotAllowedError', message: 'no access to cost' },
        request: { method: 'GET', url: '/summary' },
        response: { statusCode: 403 },
      }),
      { status: 403, headers: { 'content-type': 'application/json' } },
    );
    const error = await ResponseError.fromResponse(response);
    const api = createFakeApi({
      getEntitySummary: jest.fn(async () => {
        throw error;
      }),
    });
    await renderWithApi(<EntityCostContent />, {
      api,
      entity: componentEntity,
    });
    expect(
      (await screen.findAllByText(/no access to cost/)).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByTestId('costscope-total')).not.toBeInTheDocument();
  });

  it('asks for the range the picker selects', async () => {
    const api = createFakeApi();
    await renderWithApi(<EntityCostContent />, {
      api,
      entity: componentEntity,
    });
    await screen.findByTestId('costscope-total');
    expect(
      screen.getByRole('button', { name: 'Last 30 days' }),
    ).toHaveAttribute('aria-pressed', 'true');

    await userEvent.click(screen.getByRole('button', { name: 'Last 90 days' }));
    const last90 = {
      from: '2024-02-15',
      to: '2024-05-14',
      costBasis: 'effective',
    };
    await waitFor(() =>
      expect(api.getEntitySummary).toHaveBeenLastCalledWith(ref, last90),
    );
    await waitFor(() =>
      expect(api.getEntitySeries).toHaveBeenLastCalledWith(ref, {
        ...last90,
        groupBy: 'service',
      }),
    );
    await waitFor(() =>
      expect(api.getEntityResources).toHaveBeenLastCalledWith(ref, last90),
    );
    expect(screen.getByTestId('costscope-range')).toHaveTextContent(
      '2024-02-15 – 2024-05-14',
    );

    await userEvent.click(
      screen.getByRole('button', { name: 'Month to date' }),
    );
    await waitFor(() =>
      expect(api.getEntitySummary).toHaveBeenLastCalledWith(ref, {
        from: '2024-05-01',
        to: '2024-05-14',
        costBasis: 'effective',
      }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Last 12 months' }),
    );
    await waitFor(() =>
      expect(api.getEntitySummary).toHaveBeenLastCalledWith(ref, {
        from: '2023-05-15',
        to: '2024-05-14',
        costBasis: 'effective',
      }),
    );
  });

  it('breaks a system down by its components', async () => {
    const api = createFakeApi({
      getEntitySummary: jest.fn(async (r, range) =>
        summaryFor(r, range, {
          byEntity: [
            {
              key: 'component:default/checkout-api',
              cost: '1000.000000000',
              share: 0.81,
            },
            {
              key: 'component:default/payments-worker',
              cost: '234.567890123',
              share: 0.19,
            },
          ],
        }),
      ),
    });
    await renderWithApi(<EntityCostContent />, { api, entity: systemEntity });
    expect(
      await screen.findByText('Cost by component (amortized)'),
    ).toBeInTheDocument();
    expect(api.getEntitySummary).toHaveBeenCalledWith(
      'system:default/payments',
      last30,
    );
    const link = screen.getByRole('link', { name: 'payments-worker' });
    expect(link).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-worker',
    );
    const row = link.closest('tr')!;
    expect(within(row).getByText('19%')).toBeInTheDocument();
  });

  it('switches the basis every amount is counted on, and labels them with it', async () => {
    const api = createFakeApi();
    await renderWithApi(<EntityCostContent />, {
      api,
      entity: componentEntity,
    });
    await screen.findByTestId('costscope-total');
    expect(
      screen.getByRole('button', { name: 'Amortized cost' }),
    ).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByText(/^Total \(amortized\)/)).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Billed cost' }));
    const billed = { ...last30, costBasis: 'billed' };
    await waitFor(() =>
      expect(api.getEntitySummary).toHaveBeenLastCalledWith(ref, billed),
    );
    await waitFor(() =>
      expect(api.getEntitySeries).toHaveBeenLastCalledWith(ref, {
        ...billed,
        groupBy: 'service',
      }),
    );
    await waitFor(() =>
      expect(api.getEntityResources).toHaveBeenLastCalledWith(ref, billed),
    );
    expect(await screen.findByText(/^Total \(billed\)/)).toBeInTheDocument();
    expect(screen.getByText('Cost by service (billed)')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Billed cost' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
  });
});
