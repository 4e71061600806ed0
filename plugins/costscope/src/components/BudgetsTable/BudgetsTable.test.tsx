import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { BudgetsTable, budgetsToCsv } from './BudgetsTable';
import { budgetList } from '../../__testUtils__/fixtures';
import { formatMoney } from '../../utils/format';

const routes = {
  mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
};

/** The entity names of the rows, in display order. */
function order(): string[] {
  return screen
    .getAllByRole('row')
    .slice(1)
    .map(row => within(row).getAllByRole('cell')[0].textContent ?? '');
}

describe('BudgetsTable', () => {
  it('lists budgets, the most severe state first', async () => {
    await renderInTestApp(<BudgetsTable items={budgetList} />, routes);
    expect(order()).toEqual([
      'payments',
      'search-api',
      'search',
      'Checkout API',
    ]);

    const rows = screen.getAllByRole('row').slice(1);
    const over = within(rows[0]);
    expect(over.getByText('Over budget')).toBeInTheDocument();
    expect(over.getByText('Annotation')).toBeInTheDocument();
    expect(over.getByText(formatMoney('1250.5', 'USD'))).toBeInTheDocument();
    expect(over.getByText('104.2%')).toBeInTheDocument();
    expect(over.getByText(formatMoney('2100', 'USD'))).toBeInTheDocument();

    const quarterly = within(rows[2]);
    expect(quarterly.getByText('Warning')).toBeInTheDocument();
    expect(quarterly.getByText('app-config')).toBeInTheDocument();
    expect(quarterly.getByText('Quarterly')).toHaveAttribute(
      'title',
      '2024-04-01 – 2024-06-30',
    );
    expect(quarterly.getByText(formatMoney('5000', 'USD'))).toBeInTheDocument();

    const ok = within(rows[3]);
    expect(ok.getByText('On track')).toBeInTheDocument();
    expect(ok.getByText('Costscope')).toBeInTheDocument();
    expect(ok.getByText('25%')).toBeInTheDocument();
    expect(ok.getByRole('link', { name: 'Checkout API' })).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout-api',
    );
  });

  it('sorts by spend exactly and by state severity', async () => {
    await renderInTestApp(<BudgetsTable items={budgetList} />, routes);
    // Switching columns keeps the direction (descending); the next clicks go to no order,
    // then ascending.
    await userEvent.click(screen.getByText('Spent'));
    expect(order()).toEqual([
      'search',
      'payments',
      'search-api',
      'Checkout API',
    ]);
    await userEvent.click(screen.getByText('Spent'));
    await userEvent.click(screen.getByText('Spent'));
    expect(order()).toEqual([
      'Checkout API',
      'search-api',
      'payments',
      'search',
    ]);

    // By severity (ok, warning, forecast-over, over), not alphabetically.
    await userEvent.click(screen.getByText('State'));
    expect(order()).toEqual([
      'Checkout API',
      'search',
      'search-api',
      'payments',
    ]);
    await userEvent.click(screen.getByText('State'));
    expect(order()).toEqual([
      'payments',
      'search-api',
      'search',
      'Checkout API',
    ]);
  });

  it('tells how to create budgets when there are none', async () => {
    await renderInTestApp(<BudgetsTable items={[]} />, routes);
    expect(screen.getByText('No budget is set yet.')).toBeInTheDocument();
    expect(screen.getByText('costscope.io/budget-monthly')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Download CSV/ })).toBeDisabled();
  });

  it('exports exact amounts as CSV', () => {
    const lines = budgetsToCsv(budgetList).split('\r\n');
    expect(lines[0]).toBe(
      'entity_ref,source,period,period_from,period_to,currency,amount,spent,percent_used,forecast,forecast_low,forecast_high,state',
    );
    expect(lines[2]).toBe(
      'group:default/payments,annotation,monthly,2024-05-01,2024-06-01,USD,1200.000000000,1250.500000000,104.2,2100.000000000,1990.000000000,2230.000000000,over',
    );
    expect(lines).toHaveLength(budgetList.length + 2);
  });
});
