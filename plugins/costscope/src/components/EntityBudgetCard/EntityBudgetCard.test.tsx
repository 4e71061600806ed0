import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ResponseError } from '@backstage/errors';
import type {
  BudgetState,
  EntityBudgetResponse,
} from '@costscope/backstage-plugin-common';
import { EntityBudgetCard } from './EntityBudgetCard';
import {
  budgetChanges,
  budgetStatusFor,
  componentEntity,
  createFakeApi,
  freezeDate,
  summaryFor,
  uiBudget,
} from '../../__testUtils__/fixtures';
import { renderWithApi } from '../../__testUtils__/render';
import { formatMoney } from '../../utils/format';

const REF = 'component:default/checkout-api';

function budgetApi(...responses: EntityBudgetResponse[]) {
  const getEntityBudget = jest.fn();
  responses.forEach(r => getEntityBudget.mockResolvedValueOnce(r));
  getEntityBudget.mockResolvedValue(responses[responses.length - 1]);
  return createFakeApi({
    getEntityBudget,
    getEntitySummary: jest.fn(async (ref, range) =>
      summaryFor(ref, range, { currency: 'EUR' }),
    ),
    putEntityBudget: jest.fn(async () => responses[responses.length - 1]),
    deleteEntityBudget: jest.fn(async () => undefined),
    getEntityBudgetHistory: jest.fn(async () => ({ items: budgetChanges })),
  });
}

async function renderCard(api: ReturnType<typeof createFakeApi>) {
  await renderWithApi(<EntityBudgetCard />, { api, entity: componentEntity });
}

async function responseError(status: number, message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'InputError', message },
        request: { method: 'PUT', url: '/budget' },
        response: { statusCode: status },
      }),
      {
        status,
        statusText: 'Bad Request',
        headers: { 'content-type': 'application/json' },
      },
    ),
  );
}

describe('EntityBudgetCard', () => {
  beforeEach(() => freezeDate());
  afterEach(() => jest.useRealTimers());

  it.each<[BudgetState, string, string]>([
    ['ok', 'On track', '25%'],
    ['warning', 'Warning', '58.3%'],
    ['forecast-over', 'Forecast over budget', '75%'],
    ['over', 'Over budget', '104.2%'],
  ])('shows the %s state as "%s"', async (state, label, percent) => {
    const status = budgetStatusFor(state);
    const api = budgetApi({ status, canEdit: true });
    await renderCard(api);

    const chip = await screen.findByText(label);
    expect(chip.closest('[data-state]')).toHaveAttribute('data-state', state);
    expect(api.getEntityBudget).toHaveBeenCalledWith(REF);
    expect(screen.getByTestId('costscope-budget-percent')).toHaveTextContent(
      percent,
    );
    expect(
      screen.getByRole('progressbar', { name: 'Budget used' }),
    ).toHaveAttribute(
      'aria-valuenow',
      String(Math.round(Math.min(100, status.percentUsed))),
    );
    expect(screen.getByTestId('costscope-budget-amount')).toHaveTextContent(
      formatMoney('1200', 'USD'),
    );
    expect(screen.getByText('per month')).toBeInTheDocument();
    expect(screen.getByText('Spent so far (amortized)')).toBeInTheDocument();
    expect(screen.getByTestId('costscope-budget-spent')).toHaveAttribute(
      'data-amount',
      status.spent,
    );
    expect(screen.getByTestId('costscope-budget-forecast')).toHaveTextContent(
      formatMoney(status.forecast.amount, 'USD'),
    );
    expect(screen.getByTestId('costscope-budget-interval')).toHaveTextContent(
      `80% interval: ${formatMoney(status.forecast.low, 'USD')} – ${formatMoney(
        status.forecast.high,
        'USD',
      )}`,
    );
    expect(screen.getByTestId('costscope-budget-rate')).toHaveTextContent(
      `${formatMoney(status.dailyRate, 'USD')} per day`,
    );
    expect(screen.getByTestId('costscope-budget-days-left')).toHaveTextContent(
      '17',
    );
    expect(
      screen.getByTestId('costscope-budget-data-through'),
    ).toHaveTextContent('2024-05-14');
    expect(
      screen.getByText('Monthly, 2024-05-01 – 2024-05-31'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('costscope-budget-source')).toHaveTextContent(
      /^Set in Costscope, last changed by user:default\/jane/,
    );
  });

  it('says when a declared budget overrides the UI budget', async () => {
    const status = budgetStatusFor('ok', {
      budget: { ...uiBudget, amount: '2000', source: 'annotation' },
      overridden: { ...uiBudget, amount: '900' },
    });
    const api = budgetApi({
      status,
      canEdit: false,
      readOnlyReason: 'The budget is declared as code.',
    });
    await renderCard(api);

    expect(
      await screen.findByTestId('costscope-budget-source'),
    ).toHaveTextContent("Declared in the entity's annotations.");
    expect(
      screen.getByText(
        `A budget of ${formatMoney(
          '900',
          'USD',
        )} per month set in Costscope is overridden by this one, declared in the entity's annotations.`,
      ),
    ).toBeInTheDocument();
    expect(screen.getByTestId('costscope-budget-read-only')).toHaveTextContent(
      'The budget is declared as code.',
    );
    expect(
      screen.queryByRole('button', { name: 'Edit' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Delete' }),
    ).not.toBeInTheDocument();
  });

  it('offers to create a budget when there is none and the user may', async () => {
    const api = budgetApi({ status: null, canEdit: true });
    await renderCard(api);
    expect(await screen.findByText('No budget')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Create budget' }),
    ).toBeInTheDocument();
    expect(screen.queryByText(/catalog-info\.yaml/)).not.toBeInTheDocument();
  });

  it('explains why not and how to declare one when the user may not', async () => {
    const api = budgetApi({
      status: null,
      canEdit: false,
      readOnlyReason:
        'Only members of group:default/payments can set a budget.',
    });
    await renderCard(api);
    expect(await screen.findByText('No budget')).toBeInTheDocument();
    expect(screen.getByTestId('costscope-budget-read-only')).toHaveTextContent(
      'Only members of group:default/payments can set a budget.',
    );
    expect(
      screen.getByText('costscope.io/budget-monthly: "1200"'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Create budget' }),
    ).not.toBeInTheDocument();
  });

  it('creates a budget in the billing currency and refreshes', async () => {
    const created = budgetStatusFor('ok', {
      budget: { ...uiBudget, amount: '1500.500000000', currency: 'EUR' },
    });
    const api = budgetApi(
      { status: null, canEdit: true },
      { status: created, canEdit: true },
    );
    await renderCard(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Create budget' }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Create budget' });
    const d = within(dialog);
    await waitFor(() =>
      expect(d.getByLabelText('Currency')).toHaveValue('EUR'),
    );
    expect(api.getEntitySummary).toHaveBeenCalledWith(REF, {
      from: '2024-05-01',
      to: '2024-05-14',
    });
    // Defaults: 50, 80, 100 % of actual and 100 % of the forecast.
    expect(
      d
        .getAllByRole('textbox', { name: /Threshold \d percent/ })
        .map(input => (input as HTMLInputElement).value),
    ).toEqual(['50', '80', '100', '100']);

    await userEvent.type(d.getByLabelText(/Amount/), '1500.50');
    await userEvent.selectOptions(d.getByLabelText('Period'), 'quarterly');
    await userEvent.click(
      d.getByRole('button', { name: 'Remove threshold 1' }),
    );
    await userEvent.clear(
      d.getByRole('textbox', { name: 'Threshold 1 percent' }),
    );
    await userEvent.type(
      d.getByRole('textbox', { name: 'Threshold 1 percent' }),
      '90',
    );
    await userEvent.click(d.getByRole('button', { name: 'Add threshold' }));
    await userEvent.selectOptions(
      d.getByRole('combobox', { name: 'Threshold 4 kind' }),
      'forecast',
    );
    await userEvent.clear(
      d.getByRole('textbox', { name: 'Threshold 4 percent' }),
    );
    await userEvent.type(
      d.getByRole('textbox', { name: 'Threshold 4 percent' }),
      '120',
    );
    await userEvent.type(
      d.getByLabelText('Recipients'),
      'group:default/payments, user:default/jane',
    );
    await userEvent.selectOptions(d.getByLabelText('Counts'), 'billed');
    await userEvent.click(d.getByRole('button', { name: 'Save' }));

    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.putEntityBudget).toHaveBeenCalledTimes(1);
    expect(api.putEntityBudget).toHaveBeenCalledWith(REF, {
      amount: '1500.50',
      period: 'quarterly',
      currency: 'EUR',
      thresholds: [
        { kind: 'actual', percent: 90 },
        { kind: 'actual', percent: 100 },
        { kind: 'forecast', percent: 100 },
        { kind: 'forecast', percent: 120 },
      ],
      recipients: ['group:default/payments', 'user:default/jane'],
      costBasis: 'billed',
    });
    expect(
      await screen.findByTestId('costscope-budget-amount'),
    ).toHaveTextContent(formatMoney('1500.5', 'EUR'));
    expect(api.getEntityBudget).toHaveBeenCalledTimes(2);
  });

  it('checks the form before sending it', async () => {
    const api = budgetApi({ status: null, canEdit: true });
    await renderCard(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Create budget' }),
    );
    const d = within(await screen.findByRole('dialog'));
    await waitFor(() =>
      expect(d.getByLabelText('Currency')).toHaveValue('EUR'),
    );
    await userEvent.type(d.getByLabelText(/Amount/), '-5');
    await userEvent.clear(
      d.getByRole('textbox', { name: 'Threshold 2 percent' }),
    );
    await userEvent.type(
      d.getByRole('textbox', { name: 'Threshold 2 percent' }),
      '1001',
    );
    await userEvent.type(d.getByLabelText('Recipients'), 'payments');
    await userEvent.click(d.getByRole('button', { name: 'Save' }));

    expect(
      d.getByText(
        'The amount must be a positive number such as 1200 or 1200.50.',
      ),
    ).toBeInTheDocument();
    expect(
      d.getByText('The percentage must be greater than 0 and at most 1000.'),
    ).toBeInTheDocument();
    expect(
      d.getByText(/Not a user or group ref: payments\./),
    ).toBeInTheDocument();
    expect(api.putEntityBudget).not.toHaveBeenCalled();

    await userEvent.clear(d.getByLabelText(/Amount/));
    await userEvent.type(d.getByLabelText(/Amount/), '0.00');
    await userEvent.click(d.getByRole('button', { name: 'Save' }));
    expect(
      d.getByText('The amount must be greater than 0.'),
    ).toBeInTheDocument();
    expect(api.putEntityBudget).not.toHaveBeenCalled();
  });

  it("shows the server's message when saving fails", async () => {
    const api = budgetApi({
      status: budgetStatusFor('warning'),
      canEdit: true,
    });
    api.putEntityBudget.mockRejectedValue(
      await responseError(
        400,
        "invalid budget: currency 'USD' must be the billing currency EUR",
      ),
    );
    await renderCard(api);
    await userEvent.click(await screen.findByRole('button', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit budget' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(
      await within(dialog).findByText(
        "Could not save the budget: invalid budget: currency 'USD' must be the billing currency EUR",
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });

  it('edits the existing budget, starting from its values', async () => {
    const api = budgetApi({
      status: budgetStatusFor('ok', {
        budget: {
          ...uiBudget,
          period: 'annual',
          thresholds: [{ kind: 'forecast', percent: 90 }],
          recipients: ['group:default/finance'],
        },
      }),
      canEdit: true,
    });
    await renderCard(api);
    await userEvent.click(await screen.findByRole('button', { name: 'Edit' }));
    const d = within(
      await screen.findByRole('dialog', { name: 'Edit budget' }),
    );
    expect(d.getByLabelText(/Amount/)).toHaveValue('1200');
    expect(d.getByLabelText('Period')).toHaveValue('annual');
    expect(d.getByLabelText('Currency')).toHaveValue('USD');
    // No basis of its own: it follows the configured one, and saving sends none.
    expect(d.getByLabelText('Counts')).toHaveValue('');
    expect(
      d.getByRole('option', { name: 'As configured (amortized)' }),
    ).toBeInTheDocument();
    await userEvent.click(d.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(api.putEntityBudget).toHaveBeenCalled());
    expect(api.putEntityBudget).toHaveBeenCalledWith(REF, {
      amount: '1200',
      period: 'annual',
      currency: 'USD',
      thresholds: [{ kind: 'forecast', percent: 90 }],
      recipients: ['group:default/finance'],
    });
    // An existing budget gives the currency: no summary request.
    expect(api.getEntitySummary).not.toHaveBeenCalled();
  });

  it('deletes the budget after confirmation', async () => {
    const api = budgetApi(
      { status: budgetStatusFor('over'), canEdit: true },
      { status: null, canEdit: true },
    );
    await renderCard(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Delete' }),
    );
    let dialog = await screen.findByRole('dialog', { name: 'Delete budget?' });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.deleteEntityBudget).not.toHaveBeenCalled();

    await userEvent.click(screen.getByRole('button', { name: 'Delete' }));
    dialog = await screen.findByRole('dialog', { name: 'Delete budget?' });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Delete' }),
    );
    expect(await screen.findByText('No budget')).toBeInTheDocument();
    expect(api.deleteEntityBudget).toHaveBeenCalledWith(REF);
  });

  it('shows read-only budgets without edit buttons', async () => {
    const api = budgetApi({
      status: budgetStatusFor('warning'),
      canEdit: false,
      readOnlyReason: 'Only members of group:default/payments can change it.',
    });
    await renderCard(api);
    expect(
      await screen.findByTestId('costscope-budget-read-only'),
    ).toHaveTextContent(
      'Only members of group:default/payments can change it.',
    );
    expect(
      screen.queryByRole('button', { name: 'Edit' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Delete' }),
    ).not.toBeInTheDocument();
  });

  it('shows the history when expanded', async () => {
    const api = budgetApi({ status: budgetStatusFor('ok'), canEdit: true });
    await renderCard(api);
    const toggle = await screen.findByRole('button', { name: 'History' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(api.getEntityBudgetHistory).not.toHaveBeenCalled();
    await userEvent.click(toggle);

    const table = await screen.findByRole('table', { name: 'Budget history' });
    expect(api.getEntityBudgetHistory).toHaveBeenCalledWith(REF);
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    const first = within(rows[0]);
    expect(first.getByText('user:default/jane')).toBeInTheDocument();
    expect(first.getByText('updated')).toBeInTheDocument();
    expect(
      first.getByText(
        `${formatMoney('1000', 'USD')} per month → ${formatMoney(
          '1200',
          'USD',
        )} per month`,
      ),
    ).toBeInTheDocument();
    expect(within(rows[1]).getByText('created')).toBeInTheDocument();
    expect(
      within(rows[1]).getByText(`– → ${formatMoney('1000', 'USD')} per month`),
    ).toBeInTheDocument();
  });

  it('shows errors', async () => {
    const api = createFakeApi({
      getEntityBudget: jest.fn(async () => {
        throw new Error('budget store down');
      }),
    });
    await renderCard(api);
    expect(
      (await screen.findAllByText(/budget store down/)).length,
    ).toBeGreaterThan(0);
  });
});
