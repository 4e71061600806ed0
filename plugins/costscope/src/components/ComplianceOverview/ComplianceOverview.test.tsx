import { screen, within } from '@testing-library/react';
import { ComplianceOverview } from './ComplianceOverview';
import {
  createComplianceApi,
  noTagPolicy,
  organisationComplianceFor,
  responseError,
} from '../../__testUtils__/complianceFixtures';
import { renderWithApi } from '../../__testUtils__/render';

const range = { from: '2024-04-15', to: '2024-05-14' };

const cellTexts = (row: HTMLElement) =>
  within(row)
    .getAllByRole('cell')
    .map(cell => cell.textContent);

describe('ComplianceOverview', () => {
  it('shows progress while loading, for the range it is given', async () => {
    const api = createComplianceApi({
      getOrganisationCompliance: jest.fn(() => new Promise(() => {})),
    });
    await renderWithApi(<ComplianceOverview range={range} />, { api });
    expect(
      await screen.findByRole('progressbar', { name: 'Loading' }),
    ).toBeInTheDocument();
    expect(api.getOrganisationCompliance).toHaveBeenCalledWith(range);
  });

  it("shows the server's error", async () => {
    const error = await responseError(500, 'compliance store unavailable');
    const api = createComplianceApi({
      getOrganisationCompliance: jest.fn(async () => {
        throw error;
      }),
    });
    await renderWithApi(<ComplianceOverview range={range} />, { api });
    expect(
      await screen.findByText(/Could not load tag compliance/),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/compliance store unavailable/).length,
    ).toBeGreaterThan(0);
  });

  it('shows the totals by count and by cost', async () => {
    const api = createComplianceApi();
    await renderWithApi(<ComplianceOverview range={range} />, { api });
    expect(
      await screen.findByTestId('costscope-compliance-by-count'),
    ).toHaveTextContent('80%');
    expect(screen.getByTestId('costscope-compliance-count')).toHaveTextContent(
      '80 of 100 resources',
    );
    expect(
      screen.getByTestId('costscope-compliance-by-cost'),
    ).toHaveTextContent('75%');
    expect(screen.getByTestId('costscope-compliance-cost')).toHaveTextContent(
      '$7,500.00 of $10,000.00',
    );
    expect(
      screen.getByTestId('costscope-compliance-scope-notes'),
    ).toHaveTextContent("4 resources are outside the policy's scope ($120.00)");
  });

  it('breaks compliance down by account and by service, most non-compliant cost first', async () => {
    const api = createComplianceApi();
    await renderWithApi(<ComplianceOverview range={range} />, { api });
    const accounts = await screen.findByRole('region', {
      name: 'Compliance by account',
    });
    const accountRows = within(accounts).getAllByRole('row').slice(1);
    expect(cellTexts(accountRows[0])).toEqual([
      'data-prod (444455556666)',
      '20 of 40 resources',
      '50%',
      '$2,000.00',
      '60%',
    ]);
    expect(cellTexts(accountRows[1])).toEqual([
      '111122223333',
      '60 of 60 resources',
      '100%',
      '$500.00',
      '90%',
    ]);

    const services = screen.getByRole('region', {
      name: 'Compliance by service',
    });
    const serviceRows = within(services).getAllByRole('row').slice(1);
    expect(serviceRows.map(row => cellTexts(row)[0])).toEqual([
      'AmazonS3',
      'AmazonEC2',
    ]);
    expect(cellTexts(serviceRows[0])[3]).toBe('$1,500.00');
  });

  it('shows problems by key and the month-by-month trend', async () => {
    const api = createComplianceApi();
    await renderWithApi(<ComplianceOverview range={range} />, { api });
    const byKey = await screen.findByRole('table', {
      name: 'Problems by tag key',
    });
    const keyRows = within(byKey).getAllByRole('row').slice(1);
    expect(within(keyRows[0]).getByRole('rowheader')).toHaveTextContent('team');
    expect(cellTexts(keyRows[0])).toEqual(['12', '$1,800.00', '3', '$200.00']);

    const trend = screen.getByRole('table', { name: 'Compliance by month' });
    const months = within(trend).getAllByRole('row').slice(1);
    expect(
      months.map(row => within(row).getByRole('rowheader').textContent),
    ).toEqual(['2024-04', '2024-05']);
    expect(cellTexts(months[0])).toEqual([
      '70 of 100 resources',
      '70%',
      '$9,000.00',
      '66.7%',
    ]);
  });

  it('shows the unallocated spend with likely owners, their confidence and evidence', async () => {
    const api = createComplianceApi();
    await renderWithApi(<ComplianceOverview range={range} />, { api });
    expect(
      await screen.findByTestId('costscope-compliance-unallocated'),
    ).toHaveTextContent('$1,500.12');

    const region = screen.getByRole('region', {
      name: 'Top unallocated resources',
    });
    const rows = within(region).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);

    const first = rows[0];
    expect(within(first).getByText('checkout-api-worker')).toBeInTheDocument();
    expect(within(first).getByText('i-0orphan')).toBeInTheDocument();
    expect(within(first).getByText('$800.00')).toBeInTheDocument();
    const owner = within(first).getByRole('link', { name: 'payments' });
    expect(owner).toHaveAttribute('href', '/catalog/default/group/payments');
    expect(
      within(first).getByRole('link', { name: 'checkout-api' }),
    ).toHaveAttribute('href', '/catalog/default/component/checkout-api');
    expect(within(first).getByText('High confidence')).toBeInTheDocument();
    const evidence = within(first).getByRole('list', {
      name: 'Evidence for checkout-api-worker',
    });
    expect(
      within(evidence)
        .getAllByRole('listitem')
        .map(item => item.textContent),
    ).toEqual([
      'tag owner=payments matches group payments',
      'name checkout-api-worker starts with component checkout-api',
    ]);

    expect(within(rows[1]).getByText('Low confidence')).toBeInTheDocument();
    expect(
      within(rows[1]).getByRole('link', { name: 'search' }),
    ).toBeInTheDocument();
    expect(within(rows[2]).getByText('No guess')).toBeInTheDocument();
  });

  it('says how to configure a policy, and still shows the unallocated spend', async () => {
    const api = createComplianceApi({
      getOrganisationCompliance: jest.fn(async r =>
        organisationComplianceFor(r, {
          policy: noTagPolicy,
          byAccount: [],
          byService: [],
          byKey: [],
          trend: [],
        }),
      ),
    });
    await renderWithApi(<ComplianceOverview range={range} />, { api });
    expect(
      await screen.findByTestId('costscope-no-tag-policy'),
    ).toHaveTextContent(
      'No tag policy configured: add costscope.tagPolicy to app-config.',
    );
    expect(
      screen.queryByTestId('costscope-compliance-by-count'),
    ).not.toBeInTheDocument();
    expect(
      screen.getByRole('region', { name: 'Top unallocated resources' }),
    ).toBeInTheDocument();
  });
});
