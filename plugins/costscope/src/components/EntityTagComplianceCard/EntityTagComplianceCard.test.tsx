import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EntityTagComplianceCard } from './EntityTagComplianceCard';
import {
  componentEntity,
  freezeDate,
  groupEntity,
} from '../../__testUtils__/fixtures';
import {
  allCompliantFor,
  createComplianceApi,
  entityComplianceFor,
  noTagPolicy,
  readBlob,
  responseError,
} from '../../__testUtils__/complianceFixtures';
import { renderWithApi } from '../../__testUtils__/render';
import { formatMoney } from '../../utils/format';

const REF = 'component:default/checkout-api';

describe('EntityTagComplianceCard', () => {
  beforeEach(() => freezeDate());
  afterEach(() => jest.useRealTimers());

  it('shows progress while loading, for the last 30 days by default', async () => {
    const api = createComplianceApi({
      getEntityCompliance: jest.fn(() => new Promise(() => {})),
    });
    await renderWithApi(<EntityTagComplianceCard />, {
      api,
      entity: componentEntity,
    });
    expect(
      await screen.findByRole('progressbar', { name: 'Loading' }),
    ).toBeInTheDocument();
    expect(screen.getByText('Last 30 days')).toBeInTheDocument();
    expect(api.getEntityCompliance).toHaveBeenCalledWith(REF, {
      from: '2024-04-15',
      to: '2024-05-14',
    });
  });

  it('asks for the range it is given', async () => {
    const api = createComplianceApi();
    const range = { from: '2024-01-01', to: '2024-03-31' };
    await renderWithApi(<EntityTagComplianceCard range={range} />, {
      api,
      entity: groupEntity,
    });
    expect(
      await screen.findByText('2024-01-01 – 2024-03-31'),
    ).toBeInTheDocument();
    expect(api.getEntityCompliance).toHaveBeenCalledWith(
      'group:default/payments',
      range,
    );
  });

  it("shows the server's error", async () => {
    const error = await responseError(
      403,
      'no access to cost',
      'NotAllowedError',
    );
    const api = createComplianceApi({
      getEntityCompliance: jest.fn(async () => {
        throw error;
      }),
    });
    await renderWithApi(<EntityTagComplianceCard />, {
      api,
      entity: componentEntity,
    });
    expect(
      (await screen.findAllByText(/no access to cost/)).length,
    ).toBeGreaterThan(0);
    expect(
      screen.queryByTestId('costscope-compliance-by-count'),
    ).not.toBeInTheDocument();
  });

  it('says how to configure a policy when there is none', async () => {
    const api = createComplianceApi({
      getEntityCompliance: jest.fn(async (ref, range) =>
        entityComplianceFor(ref, range, {
          policy: noTagPolicy,
          nonCompliant: [],
          byKey: [],
        }),
      ),
    });
    await renderWithApi(<EntityTagComplianceCard />, {
      api,
      entity: componentEntity,
    });
    expect(
      await screen.findByTestId('costscope-no-tag-policy'),
    ).toHaveTextContent(
      'No tag policy configured: add costscope.tagPolicy to app-config.',
    );
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('says so when every resource complies', async () => {
    const api = createComplianceApi({
      getEntityCompliance: jest.fn(async (ref, range) =>
        allCompliantFor(ref, range),
      ),
    });
    await renderWithApi(<EntityTagComplianceCard />, {
      api,
      entity: componentEntity,
    });
    expect(
      await screen.findByTestId('costscope-all-compliant'),
    ).toHaveTextContent('All 15 resources comply with the tag policy.');
    expect(
      screen.getByTestId('costscope-compliance-by-count'),
    ).toHaveTextContent('100%');
    expect(
      screen.queryByRole('region', { name: 'Non-compliant resources' }),
    ).not.toBeInTheDocument();
  });

  it('says when no resource falls under the policy', async () => {
    const api = createComplianceApi({
      getEntityCompliance: jest.fn(async (ref, range) => ({
        ...allCompliantFor(ref, range),
        resources: { total: 0, compliant: 0 },
        cost: { total: '0.000000000', compliant: '0.000000000' },
        compliantShareByCount: null,
        compliantShareByCost: null,
        outOfScope: { resources: 3, cost: '12.000000000' },
      })),
    });
    await renderWithApi(<EntityTagComplianceCard />, {
      api,
      entity: componentEntity,
    });
    expect(
      await screen.findByText(/No resource of this entity .* falls under/),
    ).toBeInTheDocument();
    expect(
      screen.getByTestId('costscope-compliance-scope-notes'),
    ).toHaveTextContent(
      `3 resources are outside the policy's scope (${formatMoney(
        '12',
        'USD',
      )}), not counted above.`,
    );
  });

  it('shows the shares with their counts and money', async () => {
    const api = createComplianceApi();
    await renderWithApi(<EntityTagComplianceCard />, {
      api,
      entity: componentEntity,
    });
    expect(
      await screen.findByTestId('costscope-compliance-by-count'),
    ).toHaveTextContent('80%');
    expect(screen.getByTestId('costscope-compliance-count')).toHaveTextContent(
      '12 of 15 resources',
    );
    expect(
      screen.getByTestId('costscope-compliance-by-cost'),
    ).toHaveTextContent('61.7%');
    expect(screen.getByTestId('costscope-compliance-cost')).toHaveTextContent(
      `${formatMoney('1234.5', 'USD')} of ${formatMoney('2000', 'USD')}`,
    );
    // In the test locale: $1,234.50 of $2,000.00.
    expect(formatMoney('1234.5', 'USD')).toBe('$1,234.50');
    const notes = screen.getByTestId('costscope-compliance-scope-notes');
    expect(notes).toHaveTextContent(
      "2 resources are outside the policy's scope ($50.25), not counted above.",
    );
    expect(notes).toHaveTextContent('1 resource has unreadable billing tags');
  });

  it('describes the policy behind a button', async () => {
    const api = createComplianceApi();
    await renderWithApi(<EntityTagComplianceCard />, {
      api,
      entity: componentEntity,
    });
    const toggle = await screen.findByRole('button', {
      name: /Tag policy: 3 required tags/,
    });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const rules = screen.getByRole('list', { name: 'Required tags' });
    expect(
      within(rules)
        .getAllByRole('listitem')
        .map(item => item.textContent),
    ).toEqual([
      'team: any non-empty value',
      'environment (or env, stage): one of: prod, staging, dev',
      'cost-center: matching CC-[0-9]{4}; only for resource types instance',
    ]);
    expect(
      screen.getByText(
        /Keys are compared with letter case\. Applies to providers AWS\./,
      ),
    ).toBeInTheDocument();
  });

  it('lists the non-compliant resources, highest cost first, with the problems in words', async () => {
    const api = createComplianceApi();
    await renderWithApi(<EntityTagComplianceCard />, {
      api,
      entity: componentEntity,
    });
    const region = await screen.findByRole('region', {
      name: 'Non-compliant resources',
    });
    const rows = within(region).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);

    // Highest cost first: name and id, service, account, cost, problems, judged on.
    expect(within(rows[0]).getByText('checkout-node')).toBeInTheDocument();
    expect(within(rows[0]).getByText('i-0abc')).toBeInTheDocument();
    expect(within(rows[0]).getByText('AmazonEC2')).toBeInTheDocument();
    expect(within(rows[0]).getByText('AWS 111122223333')).toBeInTheDocument();
    expect(within(rows[0]).getByText('$450.00')).toBeInTheDocument();
    expect(within(rows[0]).getByText('inventory tags')).toBeInTheDocument();
    const problems = within(rows[0]).getByRole('list', {
      name: 'Problems of checkout-node',
    });
    expect(
      within(problems)
        .getAllByRole('listitem')
        .map(item => item.textContent),
    ).toEqual([
      'missing team',
      "env (for environment) is 'Prod', must be one of: prod, staging, dev (letter case differs)",
      "cost-center is '4711', must be matching CC-[0-9]{4}",
    ]);

    expect(within(rows[1]).getByText('vol-0def')).toBeInTheDocument();
    expect(within(rows[1]).getByText('$215.50')).toBeInTheDocument();
    expect(within(rows[1]).getByText('billing tags')).toBeInTheDocument();
    expect(
      within(rows[1]).getByText('key spelled Team, policy wants team'),
    ).toBeInTheDocument();
    expect(
      within(rows[1]).getByText('stage (for environment) is empty'),
    ).toBeInTheDocument();

    expect(within(rows[2]).getByText('checkout-logs')).toBeInTheDocument();
    expect(within(rows[2]).getByText('no readable tags')).toBeInTheDocument();
    expect(
      within(rows[2]).getByText(
        'tags could not be read: Tags is not valid JSON: Unexpected token } at 14',
      ),
    ).toBeInTheDocument();
  });

  it('notes where billing and inventory tags disagree', async () => {
    const api = createComplianceApi();
    await renderWithApi(<EntityTagComplianceCard />, {
      api,
      entity: componentEntity,
    });
    const notes = await screen.findAllByTestId('costscope-tag-disagreement');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toHaveTextContent(
      'Billing and inventory tags disagree: tag team removed in inventory, still in billing data',
    );
    const row = notes[0].closest('tr')!;
    expect(within(row).getByText('i-0abc')).toBeInTheDocument();
  });

  it('summarises missing and invalid values by key', async () => {
    const api = createComplianceApi();
    await renderWithApi(<EntityTagComplianceCard />, {
      api,
      entity: componentEntity,
    });
    const table = await screen.findByRole('table', {
      name: 'Problems by tag key',
    });
    const rows = within(table).getAllByRole('row');
    expect(
      within(rows[0])
        .getAllByRole('columnheader')
        .map(cell => cell.textContent),
    ).toEqual([
      'Key',
      'Missing',
      'Cost of missing',
      'Invalid',
      'Cost of invalid',
    ]);
    expect(
      within(rows[1])
        .getAllByRole('cell')
        .map(cell => cell.textContent),
    ).toEqual(['1', '$450.00', '1', '$215.50']);
    expect(within(rows[1]).getByRole('rowheader')).toHaveTextContent('team');
    expect(within(rows[3]).getByRole('rowheader')).toHaveTextContent(
      'cost-center',
    );
  });

  it('says when the list holds only the costliest resources', async () => {
    const api = createComplianceApi({
      getEntityCompliance: jest.fn(async (ref, range) =>
        entityComplianceFor(ref, range, {
          resources: { total: 40, compliant: 12 },
        }),
      ),
    });
    await renderWithApi(<EntityTagComplianceCard />, {
      api,
      entity: componentEntity,
    });
    expect(
      await screen.findByText('The 3 costliest of 28 non-compliant resources.'),
    ).toBeInTheDocument();
  });

  describe('CSV export', () => {
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

    it('downloads the non-compliant list with exact costs and the problems in words', async () => {
      const api = createComplianceApi();
      await renderWithApi(<EntityTagComplianceCard />, {
        api,
        entity: componentEntity,
      });
      await userEvent.click(
        await screen.findByRole('button', { name: /Download CSV/ }),
      );
      expect(click).toHaveBeenCalledTimes(1);
      const link = click.mock.instances[0] as unknown as HTMLAnchorElement;
      expect(link.download).toBe(
        'costscope-non-compliant-checkout-api-2024-04-15-2024-05-14.csv',
      );
      const csv = await readBlob(createObjectURL.mock.calls[0][0] as Blob);
      expect(csv).toBe(
        [
          'resource_id,resource_name,resource_type,provider,account,service,cost,currency,tags_used,problems,disagreement',
          'i-0abc,checkout-node,instance,AWS,111122223333,AmazonEC2,450.000000000,USD,inventory,"missing team; env (for environment) is \'Prod\', must be one of: prod, staging, dev (letter case differs); cost-center is \'4711\', must be matching CC-[0-9]{4}","tag team removed in inventory, still in billing data"',
          'vol-0def,,volume,AWS,111122223333,AmazonEC2,215.500000000,USD,billing,"key spelled Team, policy wants team; stage (for environment) is empty",',
          'arn:aws:s3:::checkout-logs,checkout-logs,bucket,AWS,444455556666,AmazonS3,100.000000000,USD,none,tags could not be read: Tags is not valid JSON: Unexpected token } at 14,',
          '',
        ].join('\r\n'),
      );
    });
  });
});
