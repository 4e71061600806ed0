import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Entity } from '@backstage/catalog-model';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { ResponseError } from '@backstage/errors';
import { NOT_VISIBLE_KEY } from '@costscope/backstage-plugin-common';
import { GroupCostTree } from './GroupCostTree';
import type { UnitCostQuery } from '@costscope/backstage-plugin-common';
import { createFakeApi, summaryFor } from '../../__testUtils__/fixtures';
import { unitCostFor } from '../../__testUtils__/unitCostFixtures';
import { formatUnitCost } from '../../utils/format';
import { costscopeApiRef } from '../../api';

const query = {
  from: '2026-11-01',
  to: '2026-11-30',
  costBasis: 'effective' as const,
};

/** engineering > commerce (> checkout, secret), data; secret is hidden from the viewer. */
const group = (name: string, children: string[] = []): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children },
  relations: children.map(child => ({
    type: 'parentOf',
    targetRef: `group:default/${child}`,
  })),
});
const catalog = catalogApiMock({
  entities: [
    group('engineering', ['data', 'commerce']),
    group('commerce', ['checkout', 'secret']),
    group('checkout'),
    group('data'),
  ],
});
const totals: Record<string, string> = {
  'group:default/engineering': '1000.000000000',
  'group:default/commerce': '600.000000000',
  'group:default/checkout': '400.000000000',
  'group:default/data': '100.000000000',
};

async function notFound() {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({ error: { name: 'NotFoundError', message: 'No' } }),
      { status: 404, headers: { 'content-type': 'application/json' } },
    ) as any,
  );
}

function api() {
  return createFakeApi({
    // checkout's orders: 3 entities below it report them.
    getEntityUnitCost: jest.fn(async (ref: string, q: UnitCostQuery) =>
      unitCostFor(ref, q, {
        hasValues: ref === 'group:default/checkout',
        reportingEntities: 3,
      }),
    ),
    getEntitySummary: jest.fn(async (ref: string, range) => {
      if (!totals[ref]) throw await notFound();
      return summaryFor(ref, range, { total: totals[ref] });
    }),
  });
}

async function renderTree(items: any[], fake = api()) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [costscopeApiRef, fake],
        [catalogApiRef, catalog],
      ]}
    >
      <GroupCostTree
        title="Cost by group (amortized)"
        items={items}
        currency="USD"
        query={query}
      />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  return fake;
}

const rows = () =>
  screen.getAllByTestId('costscope-group-row').map(row => {
    const cells = within(row).getAllByRole('cell');
    return [
      row.getAttribute('data-depth'),
      // A hidden team's line has one empty cell across the figures.
      cells[0].textContent,
      cells[1].textContent,
      cells[2]?.textContent ?? '',
    ];
  });

describe('GroupCostTree', () => {
  it('opens the organisation level by level onto the catalog teams', async () => {
    const fake = await renderTree([
      {
        key: 'group:default/engineering',
        label: 'Engineering',
        cost: '1000',
        share: 0.975,
      },
    ]);
    expect(rows()).toEqual([['0', 'Engineering', '$1,000.00', '97.5%']]);
    // The change comes from the group's own summary for the same range and basis.
    expect(fake.getEntitySummary).toHaveBeenCalledWith(
      'group:default/engineering',
      query,
    );
    expect(await screen.findByText('+$234.57 (+23.5%)')).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Show the teams of Engineering' }),
    );
    await waitFor(() =>
      expect(rows()).toEqual([
        ['0', 'Engineering', '$1,000.00', '97.5%'],
        ['1', 'commerce', '$600.00', '60%'],
        ['1', 'data', '$100.00', '10%'],
      ]),
    );
    expect(
      screen.getByRole('button', { name: 'Hide the teams of Engineering' }),
    ).toHaveAttribute('aria-expanded', 'true');

    await userEvent.click(
      screen.getByRole('button', { name: 'Show the teams of commerce' }),
    );
    // A team the viewer may not see is one line without its name or cost.
    await waitFor(() =>
      expect(rows()).toEqual([
        ['0', 'Engineering', '$1,000.00', '97.5%'],
        ['1', 'commerce', '$600.00', '60%'],
        ['2', 'checkout', '$400.00', '66.7%'],
        ['2', 'Not visible to you', '', ''],
        ['1', 'data', '$100.00', '10%'],
      ]),
    );
    // checkout's cost per order, of the entities below it that report orders.
    const perOrder = await screen.findByText(
      `${formatUnitCost('2.5', 'USD')} per order`,
    );
    expect(perOrder).toHaveAttribute('data-amount', '2.500000000');
    expect(perOrder).toHaveAttribute(
      'title',
      "orders of the 3 entities that report it, over their cost, not the whole team's",
    );
    expect(screen.getAllByText(/ per order$/)).toHaveLength(1);
    expect(fake.getEntityUnitCost).toHaveBeenCalledWith(
      'group:default/checkout',
      { ...query, granularity: 'month', metric: undefined },
    );

    await userEvent.click(
      screen.getByRole('button', { name: 'Show the teams of data' }),
    );
    expect(
      await screen.findByText('data has no teams below it.'),
    ).toBeInTheDocument();
  });

  it("shows top groups hidden from the viewer as one line with the overview's sum", async () => {
    await renderTree([
      {
        key: 'group:default/engineering',
        label: 'Engineering',
        cost: '1000',
        share: 0.8,
      },
      { key: NOT_VISIBLE_KEY, cost: '250', share: 0.2 },
    ]);
    expect(rows()).toEqual([
      ['0', 'Engineering', '$1,000.00', '80%'],
      ['0', 'Not visible to you', '$250.00', '20%'],
    ]);
  });

  it('says so when no group has cost', async () => {
    await renderTree([]);
    expect(
      screen.getByText('No group has cost in this range.'),
    ).toBeInTheDocument();
  });
});
