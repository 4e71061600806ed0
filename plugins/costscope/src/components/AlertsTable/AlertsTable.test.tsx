import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { AlertsTable } from './AlertsTable';
import { costAlerts } from '../../__testUtils__/fixtures';
import { formatDateTime, formatMoney } from '../../utils/format';

const routes = {
  mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
};

function titles(): string[] {
  return screen
    .getAllByRole('row')
    .slice(1)
    .map(row =>
      row.textContent?.includes('Unusual spend') ? 'anomaly' : 'budget',
    );
}

describe('AlertsTable', () => {
  it('lists alerts, newest first, with amounts, drivers and delivery', async () => {
    // Given oldest first: the table orders them.
    await renderInTestApp(
      <AlertsTable alerts={[...costAlerts].reverse()} />,
      routes,
    );
    expect(titles()).toEqual(['budget', 'anomaly']);
    const rows = screen.getAllByRole('row').slice(1);

    const budget = within(rows[0]);
    expect(
      budget.getByText(formatDateTime('2024-05-14T06:00:00Z')),
    ).toBeInTheDocument();
    expect(budget.getByRole('link', { name: 'checkout-api' })).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout-api',
    );
    expect(budget.getByText('Budget')).toBeInTheDocument();
    expect(budget.getByText('80% of actual spend')).toBeInTheDocument();
    expect(
      budget.getByText('checkout-api reached 80% of its monthly budget'),
    ).toBeInTheDocument();
    expect(budget.getByText(formatMoney('980', 'USD'))).toBeInTheDocument();
    expect(
      budget.getByText(`vs ${formatMoney('1200', 'USD')} budget`),
    ).toBeInTheDocument();
    const drivers = within(budget.getByRole('list', { name: 'Top drivers' }))
      .getAllByRole('listitem')
      .map(item => item.textContent);
    expect(drivers).toEqual([
      `Amazon EC2: ${formatMoney('600', 'USD')} (${formatMoney('150', 'USD', {
        signed: true,
      })})`,
      `Amazon RDS db-checkout: ${formatMoney('200', 'USD')} (${formatMoney(
        '-20',
        'USD',
        { signed: true },
      )})`,
    ]);
    expect(budget.getByText('notifications, webhook')).toBeInTheDocument();
    expect(
      budget.getByRole('link', {
        name: 'Cost of component:default/checkout-api',
      }),
    ).toHaveAttribute('href', '/catalog/default/component/checkout-api/cost');

    const anomaly = within(rows[1]);
    expect(anomaly.getByText('Anomaly')).toBeInTheDocument();
    expect(
      anomaly.getByText(`vs ${formatMoney('120', 'USD')} expected`),
    ).toBeInTheDocument();
    expect(anomaly.getAllByText('–')).toHaveLength(2); // no drivers, not delivered
  });

  it('sorts by amount', async () => {
    await renderInTestApp(<AlertsTable alerts={costAlerts} />, routes);
    // Switching columns keeps the direction: descending.
    await userEvent.click(screen.getByText('Amount'));
    expect(titles()).toEqual(['budget', 'anomaly']);
    await userEvent.click(screen.getByText('Amount'));
    await userEvent.click(screen.getByText('Amount'));
    expect(titles()).toEqual(['anomaly', 'budget']);
  });

  it('says when no alert has fired', async () => {
    await renderInTestApp(<AlertsTable alerts={[]} />, routes);
    expect(screen.getByText(/No alert has fired/)).toBeInTheDocument();
  });
});
