import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ChargebackReport } from './ChargebackReport';
import {
  chargebackCsvFor,
  chargebackFor,
  createComplianceApi,
  readBlob,
  responseError,
} from '../../__testUtils__/complianceFixtures';
import { renderWithApi } from '../../__testUtils__/render';
import { mockApis } from '@backstage/test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { costscopeAdminPermission } from '@costscope/backstage-plugin-common';

const range = { from: '2024-04-15', to: '2024-05-14' };

const cellTexts = (row: HTMLElement) =>
  within(row)
    .getAllByRole('cell')
    .map(cell => cell.textContent);

describe('ChargebackReport', () => {
  const originalCreate = URL.createObjectURL;
  const originalRevoke = URL.revokeObjectURL;
  let createObjectURL: jest.Mock;
  let click: jest.SpyInstance;

  beforeEach(() => {
    createObjectURL = jest.fn(() => 'blob:costscope-chargeback');
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

  it('shows progress while loading', async () => {
    const api = createComplianceApi({
      getChargeback: jest.fn(() => new Promise(() => {})),
    });
    await renderWithApi(<ChargebackReport range={range} />, { api });
    expect(
      await screen.findByRole('progressbar', { name: 'Loading' }),
    ).toBeInTheDocument();
  });

  it('lists the lines by team with the total that equals the bill', async () => {
    const api = createComplianceApi();
    await renderWithApi(<ChargebackReport range={range} />, { api });

    expect(
      await screen.findByTestId('costscope-chargeback-total'),
    ).toHaveTextContent('$1,000.00');
    expect(api.getChargeback).toHaveBeenCalledWith({
      ...range,
      costBasis: 'effective',
      by: 'group',
    });
    expect(
      screen.getByText(/^Total \(amortized\), 2024-04-15/),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'By team' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    expect(
      screen.queryByTestId('costscope-chargeback-mismatch'),
    ).not.toBeInTheDocument();
    expect(
      screen.getByText(
        'Shared and unallocated cost appear as lines of their own.',
      ),
    ).toBeInTheDocument();

    const region = screen.getByRole('region', { name: 'Chargeback lines' });
    const [header, ...rows] = within(region).getAllByRole('row');
    expect(
      within(header)
        .getAllByRole('columnheader')
        .map(cell => cell.textContent),
    ).toEqual(['Month', 'Team', 'Service', 'Kind', 'Cost']);
    expect(cellTexts(rows[0])).toEqual([
      '2024-04',
      'Payments',
      'AmazonEC2',
      'Allocated',
      '$600.12',
    ]);
    expect(
      within(rows[0]).getByRole('link', { name: 'Payments' }),
    ).toHaveAttribute('href', '/catalog/default/group/payments');
    expect(cellTexts(rows[1])[3]).toBe('Shared');
    expect(cellTexts(rows[2])).toEqual([
      '2024-05',
      'Unallocated',
      'AmazonS3',
      'Unallocated',
      '$99.88',
    ]);
    expect(screen.getByTestId('costscope-chargeback-footer')).toHaveTextContent(
      'Total: $1,000.00',
    );
  });

  it('warns when the lines do not add up to the bill', async () => {
    const api = createComplianceApi({
      getChargeback: jest.fn(async query =>
        chargebackFor(query, { total: '1000.010000000' }),
      ),
    });
    await renderWithApi(<ChargebackReport range={range} />, { api });
    expect(
      await screen.findByTestId('costscope-chargeback-mismatch'),
    ).toHaveTextContent(
      "The lines add up to $1,000.00, not to the bill's $1,000.01.",
    );
  });

  it('asks for the report by cost center when switched', async () => {
    const api = createComplianceApi();
    await renderWithApi(<ChargebackReport range={range} />, { api });
    await screen.findByTestId('costscope-chargeback-total');

    await userEvent.click(
      screen.getByRole('button', { name: 'By cost center' }),
    );

    await waitFor(() =>
      expect(api.getChargeback).toHaveBeenLastCalledWith({
        ...range,
        costBasis: 'effective',
        by: 'costCenter',
      }),
    );
    const region = await screen.findByRole('region', {
      name: 'Chargeback lines',
    });
    expect(
      within(region).getByRole('columnheader', { name: 'Cost center' }),
    ).toBeInTheDocument();
    expect(within(region).getByText('CC-4711')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'By cost center' }),
    ).toHaveAttribute('aria-pressed', 'true');
  });

  it('asks for billed cost when switched, labels it and downloads it as billed', async () => {
    const api = createComplianceApi();
    await renderWithApi(<ChargebackReport range={range} />, { api });
    await screen.findByTestId('costscope-chargeback-total');

    await userEvent.click(screen.getByRole('button', { name: 'Billed cost' }));

    await waitFor(() =>
      expect(api.getChargeback).toHaveBeenLastCalledWith({
        ...range,
        costBasis: 'billed',
        by: 'group',
      }),
    );
    expect(
      await screen.findByText(/^Total \(billed\), 2024-04-15/),
    ).toBeInTheDocument();
    expect(screen.getByText('Chargeback lines (billed)')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: /Download CSV/ }));
    await waitFor(() => expect(click).toHaveBeenCalledTimes(1));
    expect(api.getChargebackCsv).toHaveBeenCalledWith({
      ...range,
      costBasis: 'billed',
      by: 'group',
    });
    const link = click.mock.instances[0] as unknown as HTMLAnchorElement;
    expect(link.download).toBe(
      'costscope-chargeback-2024-04-15-2024-05-14-group-billed.csv',
    );
  });

  it("shows the server's error when the report fails", async () => {
    const error = await responseError(400, "'by' must be group or costCenter");
    const api = createComplianceApi({
      getChargeback: jest.fn(async () => {
        throw error;
      }),
    });
    await renderWithApi(<ChargebackReport range={range} />, { api });
    expect(
      await screen.findByText(/Could not load the chargeback/),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/'by' must be group or costCenter/).length,
    ).toBeGreaterThan(0);
  });

  it("downloads the server's CSV exactly as sent", async () => {
    const api = createComplianceApi();
    await renderWithApi(<ChargebackReport range={range} />, { api });
    await screen.findByTestId('costscope-chargeback-total');

    await userEvent.click(screen.getByRole('button', { name: /Download CSV/ }));

    await waitFor(() => expect(click).toHaveBeenCalledTimes(1));
    expect(api.getChargebackCsv).toHaveBeenCalledWith({
      ...range,
      costBasis: 'effective',
      by: 'group',
    });
    expect(createObjectURL).toHaveBeenCalledTimes(1);
    const link = click.mock.instances[0] as unknown as HTMLAnchorElement;
    expect(link.download).toBe(
      'costscope-chargeback-2024-04-15-2024-05-14-group-effective.csv',
    );
    expect(link.href).toBe('blob:costscope-chargeback');
    const blob = createObjectURL.mock.calls[0][0] as Blob;
    expect(blob.type).toBe('text/csv;charset=utf-8');
    expect(await readBlob(blob)).toBe(
      chargebackCsvFor({ ...range, by: 'group' }),
    );
  });

  it('downloads the report by cost center after the switch', async () => {
    const api = createComplianceApi({
      getChargebackCsv: jest.fn(
        async () => 'month,owner\r\n2024-04,CC-4711\r\n',
      ),
    });
    await renderWithApi(<ChargebackReport range={range} />, { api });
    await screen.findByTestId('costscope-chargeback-total');
    await userEvent.click(
      screen.getByRole('button', { name: 'By cost center' }),
    );
    await userEvent.click(screen.getByRole('button', { name: /Download CSV/ }));

    await waitFor(() => expect(click).toHaveBeenCalledTimes(1));
    expect(api.getChargebackCsv).toHaveBeenCalledWith({
      ...range,
      costBasis: 'effective',
      by: 'costCenter',
    });
    const link = click.mock.instances[0] as unknown as HTMLAnchorElement;
    expect(link.download).toBe(
      'costscope-chargeback-2024-04-15-2024-05-14-costCenter-effective.csv',
    );
    expect(await readBlob(createObjectURL.mock.calls[0][0] as Blob)).toBe(
      'month,owner\r\n2024-04,CC-4711\r\n',
    );
  });

  it("shows the server's message when the download fails", async () => {
    const error = await responseError(
      500,
      'chargeback lines add up to 999.99, not to the bill 1000.00',
      'Error',
    );
    const api = createComplianceApi({
      getChargebackCsv: jest.fn(async () => {
        throw error;
      }),
    });
    await renderWithApi(<ChargebackReport range={range} />, { api });
    await screen.findByTestId('costscope-chargeback-total');
    await userEvent.click(screen.getByRole('button', { name: /Download CSV/ }));

    expect(
      await screen.findByTestId('costscope-chargeback-download-error'),
    ).toHaveTextContent(
      'Could not download the CSV: chargeback lines add up to 999.99, not to the bill 1000.00',
    );
    expect(createObjectURL).not.toHaveBeenCalled();
    expect(click).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: /Download CSV/ })).toBeEnabled();
  });

  it('tells non-admins that the CSV export is for Costscope admins', async () => {
    const error = await responseError(
      403,
      'Only Costscope admins may export the organisation-wide chargeback CSV (permission costscope.admin); the chargeback report itself is open to readers.',
      'NotAllowedError',
    );
    const api = createComplianceApi({
      getChargebackCsv: jest.fn(async () => {
        throw error;
      }),
    });
    await renderWithApi(<ChargebackReport range={range} />, { api });
    await screen.findByTestId('costscope-chargeback-total');
    await userEvent.click(screen.getByRole('button', { name: /Download CSV/ }));

    expect(
      await screen.findByTestId('costscope-chargeback-download-forbidden'),
    ).toHaveTextContent(
      'Only Costscope admins can download the organisation-wide chargeback CSV.',
    );
    expect(
      screen.queryByTestId('costscope-chargeback-download-error'),
    ).not.toBeInTheDocument();
    // The report itself stays.
    expect(screen.getByTestId('costscope-chargeback-total')).toBeVisible();
    expect(click).not.toHaveBeenCalled();
  });

  it('disables the CSV export for users without costscope.admin and says why', async () => {
    const api = createComplianceApi();
    const authorize = jest.fn(() => AuthorizeResult.DENY);
    await renderWithApi(<ChargebackReport range={range} />, {
      api,
      permission: mockApis.permission({ authorize }),
    });

    expect(
      await screen.findByTestId('costscope-chargeback-download-forbidden'),
    ).toHaveTextContent(
      'Only Costscope admins can download the organisation-wide chargeback CSV.',
    );
    expect(screen.getByRole('button', { name: /Download CSV/ })).toBeDisabled();
    expect(authorize).toHaveBeenCalledWith(
      expect.objectContaining({ permission: costscopeAdminPermission }),
    );
    // The report itself is open to readers.
    expect(
      await screen.findByTestId('costscope-chargeback-total'),
    ).toHaveTextContent('$1,000.00');
    expect(api.getChargebackCsv).not.toHaveBeenCalled();
  });
});
