import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { CostExplanation } from './CostExplanation';
import { summaryFor } from '../../__testUtils__/fixtures';

const summary = summaryFor('component:default/checkout-api', {
  from: '2024-04-15',
  to: '2024-05-14',
});
const routes = {
  mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
};

describe('CostExplanation', () => {
  it('lists the mapping rules with origin, rule, entity and cost', async () => {
    await renderInTestApp(
      <CostExplanation
        mappingRules={summary.mappingRules}
        overlaps={summary.overlaps}
        currency="USD"
      />,
      routes,
    );
    expect(screen.getByText('Why is this cost yours?')).toBeInTheDocument();
    const rules = screen
      .getByText('Mapping rules')
      .closest('div[class*="MuiPaper"]') as HTMLElement;
    const row = within(rules).getByText('service=checkout-api').closest('tr')!;
    expect(within(row).getByText('Annotation')).toBeInTheDocument();
    expect(
      within(row).getByRole('link', { name: 'checkout-api' }),
    ).toBeInTheDocument();
  });

  it('shows overlaps: who won and who else matched', async () => {
    await renderInTestApp(
      <CostExplanation
        mappingRules={summary.mappingRules}
        overlaps={summary.overlaps}
        currency="USD"
      />,
      routes,
    );
    const row = screen
      .getByText('service=checkout-api,app=legacy')
      .closest('tr')!;
    const links = within(row).getAllByRole('link');
    expect(links.map(l => l.textContent)).toEqual([
      'checkout-api',
      'legacy-checkout',
    ]);
  });

  it('says when there is neither', async () => {
    await renderInTestApp(
      <CostExplanation mappingRules={[]} overlaps={[]} currency="USD" />,
    );
    expect(
      screen.getByText(/No mapping rule brought cost/),
    ).toBeInTheDocument();
    expect(screen.getByText(/No overlapping rules/)).toBeInTheDocument();
  });
});
