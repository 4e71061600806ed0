import { screen, within } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { EntityCostReview } from './EntityCostReview';
import { createFakeApi } from '../../__testUtils__/fixtures';
import { digestFor } from '../../__testUtils__/digestFixtures';
import { costscopeApiRef } from '../../api';

const TEAM = 'group:default/payments';

async function renderReview(
  api: ReturnType<typeof createFakeApi>,
  url = '/catalog/default/group/payments/cost',
) {
  await renderInTestApp(
    <TestApiProvider apis={[[costscopeApiRef, api]]}>
      <EntityCostReview entityRef={TEAM} costBasis="billed" />
    </TestApiProvider>,
    {
      routeEntries: [url],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

describe('EntityCostReview', () => {
  it('shows last week and last month as the digests tell them', async () => {
    const api = createFakeApi();
    await renderReview(api);

    const week = await screen.findByTestId('costscope-review-week');
    expect(screen.getByText('Week of 30 Nov – 6 Dec 2026')).toBeInTheDocument();
    expect(
      within(week).getByTestId('costscope-review-week-total'),
    ).toHaveTextContent('$1,250.00');
    expect(within(week).getByText('Before: $1,000.00')).toBeInTheDocument();

    const month = await screen.findByTestId('costscope-review-month');
    expect(screen.getByText('November 2026')).toBeInTheDocument();
    expect(month).toHaveTextContent('Chargeback$5,600.00');

    // The sections below the figures.
    const weekTables = screen.getAllByRole('table', {
      name: /^Top entities, Week of/,
    });
    expect(within(weekTables[0]).getByText('Checkout API')).toBeInTheDocument();
    expect(
      within(weekTables[0]).getByText('Not visible to you'),
    ).toBeInTheDocument();
    // Each line's change against its cost the period before: 700 -> 1,000 is +42.9 %.
    expect(
      within(weekTables[0]).getByText('+$300.00 (+42.9%)'),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText('A year before: $4,000.00 (+$1,400.25 since).'),
    ).toHaveLength(1);
    expect(
      screen.getAllByText('No cost data from a year before.'),
    ).toHaveLength(1);
    expect(
      screen.getAllByText('2 open tips worth $300.00 a month.'),
    ).toHaveLength(2);
    expect(
      screen.getAllByText('Checkout API spent unusually much on 2026-12-02')[0],
    ).toHaveAttribute('href', '/catalog/default/component/checkout-api/cost');
    expect(
      screen.getAllByText('82% of cost compliant (75% the week before).'),
    ).toHaveLength(1);
    // Cost per order of the component below the team that reports orders.
    const perUnit = screen.getAllByText(/per order$/);
    expect(perUnit).toHaveLength(3);
    expect(screen.getByText('$0.125 the week before')).toBeInTheDocument();
    // The month also tells the team's own cost per order, and whose cost it divides.
    // (Only the month's digest has them: the fixture's week has none.)
    const own = screen.getByTestId('costscope-review-own-unit-cost');
    expect(own).toHaveTextContent('Payments, all in: $0.108 per order');
    expect(own).toHaveTextContent(
      "orders of the 3 entities below that report it, over their cost (not the whole team's). $0.115 the month before.",
    );
    expect(
      screen.queryAllByTestId('costscope-review-own-unit-cost'),
    ).toHaveLength(1);
    // Commitments of the month: the team's coverage and rate, the organisation's utilization.
    expect(
      screen.getByTestId('costscope-review-commitments'),
    ).toHaveTextContent(
      '88.2% of eligible usage covered by Savings Plans or reservations ($15.00 of $17.00 at list price), effective savings rate 17.6%.',
    );
    expect(
      screen.getByText(
        'Organisation: utilization 75%, $3.60 of commitment unused.',
      ),
    ).toBeInTheDocument();
    expect(screen.getAllByText('Commitments')).toHaveLength(1);

    expect(api.getEntityDigest).toHaveBeenCalledWith(TEAM, {
      period: 'week',
      date: undefined,
      costBasis: 'billed',
    });
    expect(api.getEntityDigest).toHaveBeenCalledWith(TEAM, {
      period: 'month',
      date: undefined,
      costBasis: 'billed',
    });
  });

  it('opens the period a digest link names', async () => {
    const api = createFakeApi();
    await renderReview(
      api,
      '/catalog/default/group/payments/cost?review=week&date=2026-11-23',
    );
    await screen.findByTestId('costscope-review-week');
    expect(api.getEntityDigest).toHaveBeenCalledWith(TEAM, {
      period: 'week',
      date: '2026-11-23',
      costBasis: 'billed',
    });
    expect(api.getEntityDigest).toHaveBeenCalledWith(TEAM, {
      period: 'month',
      date: undefined,
      costBasis: 'billed',
    });
  });

  it('says when nothing is at risk and a load fails', async () => {
    const api = createFakeApi({
      getEntityDigest: jest.fn(async (ref: string, query: { period: any }) => {
        if (query.period === 'month') throw new Error('backend down');
        return digestFor(ref, 'week', {
          budgetsAtRisk: [],
          alerts: [],
          savings: { openCount: 0, monthlySaving: '0', top: [] },
          compliance: null,
        });
      }),
    });
    await renderReview(api);
    await screen.findByTestId('costscope-review-week');
    expect(screen.getByText('No budget at risk.')).toBeInTheDocument();
    expect(screen.getByText('No alert in this period.')).toBeInTheDocument();
    expect(screen.getByText('No open savings tip.')).toBeInTheDocument();
    expect(
      await screen.findByText(/Could not load the monthly review/),
    ).toBeInTheDocument();
  });
});
