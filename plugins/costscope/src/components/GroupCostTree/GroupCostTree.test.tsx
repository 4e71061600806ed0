import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { NOT_VISIBLE_KEY } from '@costscope/backstage-plugin-common';
import { GroupCostTree } from './GroupCostTree';
import { createFakeApi, summaryFor } from '../../__testUtils__/fixtures';
import { renderWithApi } from '../../__testUtils__/render';

const query = {
  from: '2026-11-01',
  to: '2026-11-30',
  costBasis: 'effective' as const,
};

/** Engineering has two teams and an owned component; commerce one squad and a hidden one. */
const byEntityOf: Record<string, any[]> = {
  'group:default/engineering': [
    {
      key: 'group:default/commerce',
      label: 'Commerce',
      cost: '600',
      share: 0.6,
    },
    { key: 'component:default/portal', cost: '300', share: 0.3 },
    { key: 'group:default/data', cost: '100', share: 0.1 },
  ],
  'group:default/commerce': [
    { key: 'group:default/checkout', cost: '400', share: 0.6667 },
    { key: NOT_VISIBLE_KEY, cost: '200', share: 0.3333 },
  ],
};

function api() {
  return createFakeApi({
    getEntitySummary: jest.fn(async (ref: string, range) =>
      summaryFor(ref, range, { byEntity: byEntityOf[ref] ?? [] }),
    ),
  });
}

const rows = () =>
  screen
    .getAllByTestId('costscope-group-row')
    .map(row => [
      row.getAttribute('data-depth'),
      within(row).getAllByRole('cell')[0].textContent,
      within(row).getAllByRole('cell')[1].textContent,
    ]);

describe('GroupCostTree', () => {
  it('opens the organisation level by level, with each group change', async () => {
    const fake = api();
    await renderWithApi(
      <GroupCostTree
        title="Cost by group (amortized)"
        items={[
          {
            key: 'group:default/engineering',
            label: 'Engineering',
            cost: '1000',
            share: 0.975,
          },
        ]}
        currency="USD"
        query={query}
      />,
      { api: fake },
    );
    expect(rows()).toEqual([['0', 'Engineering', '$1,000.00']]);
    // The row's change comes from the group's own summary for the same range and basis.
    expect(fake.getEntitySummary).toHaveBeenCalledWith(
      'group:default/engineering',
      query,
    );
    expect(await screen.findByText('+$234.57 (+23.5%)')).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Show the teams of Engineering' }),
    );
    // Sub-groups only: the owned component stays on the group's own page.
    expect(rows()).toEqual([
      ['0', 'Engineering', '$1,000.00'],
      ['1', 'Commerce', '$600.00'],
      ['1', 'data', '$100.00'],
    ]);
    expect(
      screen.getByRole('button', { name: 'Hide the teams of Engineering' }),
    ).toHaveAttribute('aria-expanded', 'true');

    await userEvent.click(
      screen.getByRole('button', { name: 'Show the teams of Commerce' }),
    );
    expect(rows()).toEqual([
      ['0', 'Engineering', '$1,000.00'],
      ['1', 'Commerce', '$600.00'],
      ['2', 'checkout', '$400.00'],
      ['2', 'Not visible to you', '$200.00'],
      ['1', 'data', '$100.00'],
    ]);

    await userEvent.click(
      screen.getByRole('button', { name: 'Show the teams of data' }),
    );
    expect(
      await screen.findByText('No sub-team with cost in this range.'),
    ).toBeInTheDocument();
  });

  it('says so when no group has cost', async () => {
    await renderWithApi(
      <GroupCostTree
        title="Cost by group (amortized)"
        items={[]}
        currency="USD"
        query={query}
      />,
      { api: api() },
    );
    expect(
      screen.getByText('No group has cost in this range.'),
    ).toBeInTheDocument();
  });
});
