import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/test-utils';
import { ResourcesTable } from './ResourcesTable';
import { resourcesFor } from '../../__testUtils__/fixtures';

const list = resourcesFor('component:default/checkout-api', {
  from: '2024-04-15',
  to: '2024-05-14',
});

function readBlob(blob: Blob): Promise<string> {
  if (typeof blob.text === 'function') return blob.text();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error);
    reader.readAsText(blob);
  });
}

describe('ResourcesTable', () => {
  const originalCreate = URL.createObjectURL;
  const originalRevoke = URL.revokeObjectURL;
  let createObjectURL: jest.Mock;
  let click: jest.SpyInstance;

  beforeEach(() => {
    createObjectURL = jest.fn(() => 'blob:costscope-test');
    URL.createObjectURL = createObjectURL;
    URL.revokeObjectURL = jest.fn();
    click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => {});
  });

  afterEach(() => {
    URL.createObjectURL = originalCreate;
    URL.revokeObjectURL = originalRevoke;
    click.mockRestore();
  });

  it('lists the resources, largest cost first', async () => {
    await renderInTestApp(
      <ResourcesTable
        title="Resources"
        resources={list.resources}
        currency="USD"
        fileName="r.csv"
      />,
    );
    const rows = screen.getAllByRole('row').slice(1);
    expect(within(rows[0]).getByText('i-0abc')).toBeInTheDocument();
    expect(within(rows[1]).getByText('db-checkout')).toBeInTheDocument();
    expect(within(rows[0]).getByText('72.9%')).toBeInTheDocument();
  });

  it('sorts by cost when the header is clicked', async () => {
    await renderInTestApp(
      <ResourcesTable
        title="Resources"
        resources={list.resources}
        currency="USD"
        fileName="r.csv"
      />,
    );
    const order = () =>
      screen
        .getAllByRole('row')
        .slice(1)
        .map(row => (row.textContent?.includes('i-0abc') ? 'i-0abc' : 'db'));
    expect(order()).toEqual(['i-0abc', 'db']);
    // The table starts sorted by cost, descending (the first click confirms that order,
    // the second one reverses it).
    await userEvent.click(screen.getByText('Cost'));
    await userEvent.click(screen.getByText('Cost'));
    expect(order()).toEqual(['db', 'i-0abc']);
  });

  it('downloads the rows as CSV, escaping commas, quotes and line breaks', async () => {
    await renderInTestApp(
      <ResourcesTable
        title="Resources"
        resources={list.resources}
        currency="USD"
        fileName="costscope-resources.csv"
      />,
    );
    await userEvent.click(screen.getByRole('button', { name: /Download CSV/ }));

    expect(createObjectURL).toHaveBeenCalledTimes(1);
    expect(click).toHaveBeenCalledTimes(1);
    const link = click.mock.instances[0] as unknown as HTMLAnchorElement;
    expect(link.download).toBe('costscope-resources.csv');
    expect(link.href).toBe('blob:costscope-test');

    const blob = createObjectURL.mock.calls[0][0] as Blob;
    expect(blob.type).toBe('text/csv;charset=utf-8');
    const csv = await readBlob(blob);
    expect(csv).toBe(
      [
        'resource_id,resource_name,resource_type,provider,account,region,service,entity_ref,cost,share,original_currency,original_cost',
        'i-0abc,"checkout, ""primary""\nnode",instance,aws,111122223333,eu-west-1,AmazonEC2,component:default/checkout-api,900.000000000,0.729,,',
        'db-checkout,,db,aws,111122223333,eu-west-1,AmazonRDS,component:default/checkout-api,334.567890123,0.271,,',
        '',
      ].join('\r\n'),
    );
  });

  it('shows what a converted resource was billed as, only when one was', async () => {
    const converted = [
      list.resources[0],
      {
        ...list.resources[1],
        cost: '108.420000000',
        originalCost: { currency: 'EUR', cost: '100.000000000' },
      },
    ];
    await renderInTestApp(
      <ResourcesTable
        title="Resources"
        resources={converted}
        currency="USD"
        fileName="r.csv"
      />,
    );
    expect(
      screen.getByRole('columnheader', { name: 'Billed as' }),
    ).toBeInTheDocument();
    const row = screen
      .getAllByRole('row')
      .find(r => r.textContent?.includes('db-checkout'))!;
    expect(within(row).getByText('$108.42')).toBeInTheDocument();
    expect(within(row).getByText('€100.00')).toBeInTheDocument();
  });

  it('has no Billed as column when nothing was converted', async () => {
    await renderInTestApp(
      <ResourcesTable
        title="Resources"
        resources={list.resources}
        currency="USD"
        fileName="r.csv"
      />,
    );
    expect(screen.queryByText('Billed as')).not.toBeInTheDocument();
  });

  it('disables the download without rows', async () => {
    await renderInTestApp(
      <ResourcesTable
        title="Resources"
        resources={[]}
        currency="USD"
        fileName="r.csv"
      />,
    );
    expect(screen.getByRole('button', { name: /Download CSV/ })).toBeDisabled();
    expect(screen.getByText('No resources in this range.')).toBeInTheDocument();
  });
});
