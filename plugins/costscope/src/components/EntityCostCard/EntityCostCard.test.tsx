import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EntityCostCard } from './EntityCostCard';
import {
  createFakeApi,
  freezeDate,
  groupEntity,
  summaryFor,
  unmappedSummary,
} from '../../__testUtils__/fixtures';
import { renderWithApi } from '../../__testUtils__/render';
import { formatMoney } from '../../utils/format';

const byEntity = Array.from({ length: 7 }, (_, i) => ({
  key: `component:default/svc-${i + 1}`,
  cost: `${70 - i * 10}.000000000`,
  share: (70 - i * 10) / 280,
}));

describe('EntityCostCard', () => {
  beforeEach(() => freezeDate());
  afterEach(() => jest.useRealTimers());

  it('shows the last 30 days, the change, the top 5 entities and services', async () => {
    const api = createFakeApi({
      getEntitySummary: jest.fn(async (ref, range) =>
        summaryFor(ref, range, { byEntity }),
      ),
    });
    await renderWithApi(<EntityCostCard />, { api, entity: groupEntity });

    expect(await screen.findByText('Cloud cost')).toBeInTheDocument();
    expect(api.getEntitySummary).toHaveBeenCalledWith(
      'group:default/payments',
      {
        from: '2024-04-15',
        to: '2024-05-14',
        costBasis: 'effective',
      },
    );
    expect(screen.getByText('Last 30 days, amortized')).toBeInTheDocument();
    const total = screen.getByTestId('costscope-card-total');
    expect(total).toHaveTextContent(formatMoney('1234.567890123', 'USD'));
    expect(screen.getByTestId('costscope-change')).toHaveTextContent('+23.5%');

    const entities = screen.getByRole('list', { name: 'Top entities' });
    const links = within(entities).getAllByRole('link');
    expect(links.map(l => l.textContent)).toEqual([
      'svc-1',
      'svc-2',
      'svc-3',
      'svc-4',
      'svc-5',
    ]);
    const services = screen.getByRole('list', { name: 'Top services' });
    expect(within(services).getByText('Amazon EC2')).toBeInTheDocument();
  });

  it('says when no cost is mapped', async () => {
    const api = createFakeApi({
      getEntitySummary: jest.fn(async (ref, range) =>
        unmappedSummary(ref, range),
      ),
    });
    await renderWithApi(<EntityCostCard />, { api, entity: groupEntity });
    expect(
      await screen.findByText(/No cloud cost is mapped to this entity/),
    ).toBeInTheDocument();
    expect(
      screen.queryByTestId('costscope-card-total'),
    ).not.toBeInTheDocument();
  });

  it('shows errors', async () => {
    const api = createFakeApi({
      getEntitySummary: jest.fn(async () => {
        throw new Error('backend down');
      }),
    });
    await renderWithApi(<EntityCostCard />, { api, entity: groupEntity });
    expect((await screen.findAllByText(/backend down/)).length).toBeGreaterThan(
      0,
    );
  });

  it('counts on the basis its switch selects', async () => {
    const api = createFakeApi();
    await renderWithApi(<EntityCostCard />, { api, entity: groupEntity });
    await screen.findByTestId('costscope-card-total');
    await userEvent.click(screen.getByRole('button', { name: 'Billed cost' }));
    await waitFor(() =>
      expect(api.getEntitySummary).toHaveBeenLastCalledWith(
        'group:default/payments',
        { from: '2024-04-15', to: '2024-05-14', costBasis: 'billed' },
      ),
    );
    expect(await screen.findByText('Last 30 days, billed')).toBeInTheDocument();
  });
});
