import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { BreakdownTable } from './BreakdownTable';
import { NOT_VISIBLE_KEY } from '@costscope/backstage-plugin-common';
import { formatMoney } from '../../utils/format';

describe('BreakdownTable', () => {
  it('shows names, costs and shares, largest first', async () => {
    await renderInTestApp(
      <BreakdownTable
        title="Cost by service"
        items={[
          { key: 'small', cost: '9.999999999', share: 0.1 },
          {
            key: 'big',
            label: 'Big service',
            cost: '90.000000001',
            share: 0.9,
          },
        ]}
        currency="EUR"
      />,
    );
    const rows = screen.getAllByRole('row').slice(1);
    expect(within(rows[0]).getByText('Big service')).toBeInTheDocument();
    expect(
      within(rows[0]).getByText(formatMoney('90.000000001', 'EUR')),
    ).toBeInTheDocument();
    expect(within(rows[0]).getByText('90%')).toBeInTheDocument();
    expect(within(rows[1]).getByText('small')).toBeInTheDocument();
  });

  it('links entity refs and keeps other keys as text', async () => {
    await renderInTestApp(
      <BreakdownTable
        title="Cost by entity"
        entityRefs
        items={[
          { key: 'component:default/web', cost: '1', share: 0.5 },
          { key: ':not a ref', cost: '1', share: 0.5 },
        ]}
        currency="USD"
      />,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(screen.getByRole('link', { name: 'web' })).toHaveAttribute(
      'href',
      '/catalog/default/component/web',
    );
    expect(screen.getByText(':not a ref')).toBeInTheDocument();
  });

  it('names the line of entities hidden from the viewer without a link', async () => {
    await renderInTestApp(
      <BreakdownTable
        title="Cost by entity"
        entityRefs
        items={[
          { key: 'component:default/web', cost: '1', share: 0.5 },
          { key: NOT_VISIBLE_KEY, cost: '1', share: 0.5 },
        ]}
        currency="USD"
      />,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(screen.getByText('Not visible to you')).toBeInTheDocument();
    expect(screen.getAllByRole('link')).toHaveLength(1);
  });

  it('shows its empty text', async () => {
    await renderInTestApp(
      <BreakdownTable
        title="X"
        items={[]}
        currency="USD"
        emptyText="Nothing here."
      />,
    );
    expect(screen.getByText('Nothing here.')).toBeInTheDocument();
  });
});
