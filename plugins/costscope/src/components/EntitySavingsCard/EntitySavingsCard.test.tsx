import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Entity } from '@backstage/catalog-model';
import { EntitySavingsCard } from './EntitySavingsCard';
import { validateDismissRecommendationForm } from './DismissRecommendationDialog';
import {
  componentEntity,
  createFakeApi,
  freezeDate,
  groupEntity,
} from '../../__testUtils__/fixtures';
import {
  OPEN_TOTAL,
  RECOMMENDATIONS_ENTITY_REF,
  purchaseRecommendation,
  entityRecommendations,
  idleRecommendation,
  kubernetesRequestsRecommendation,
  recommendationApi,
  recommendationListFor,
  resizeRecommendation,
  responseError,
  skippedResources,
  snapshotRecommendation,
  snoozedRecommendation,
} from '../../__testUtils__/recommendationFixtures';
import { renderWithApi } from '../../__testUtils__/render';
import { formatMoney } from '../../utils/format';

type Api = ReturnType<typeof createFakeApi>;

async function renderCard(
  api: Api,
  options: { entity?: Entity; maxItems?: number } = {},
) {
  await renderWithApi(<EntitySavingsCard maxItems={options.maxItems} />, {
    api,
    entity: options.entity ?? componentEntity,
  });
}

/** The open recommendations on screen, in order. */
function openItems(): HTMLElement[] {
  return within(
    screen.getByRole('list', { name: 'Open savings tips' }),
  ).getAllByTestId('costscope-savings-tip');
}

function recommendationFor(name: string): HTMLElement {
  return screen.getByRole('listitem', { name });
}

async function openDismissDialog(resource: string) {
  await userEvent.click(
    within(recommendationFor(resource)).getByRole('button', {
      name: `Dismiss the tip for ${resource}`,
    }),
  );
  return screen.findByRole('dialog', { name: 'Dismiss savings tip' });
}

describe('EntitySavingsCard', () => {
  beforeEach(() => freezeDate());
  afterEach(() => jest.useRealTimers());

  it('shows a Kubernetes requests tip with its saving and evidence', async () => {
    const api = recommendationApi(
      recommendationListFor(RECOMMENDATIONS_ENTITY_REF, [
        kubernetesRequestsRecommendation,
      ]),
    );
    await renderCard(api);
    const item = await screen.findByRole('listitem', {
      name: 'shop/checkout-api',
    });
    expect(
      within(item).getByText(
        'Lower the cpu and memory requests of shop/checkout-api on cluster prod',
      ),
    ).toBeInTheDocument();
    expect(within(item).getByTestId('costscope-tip-saving')).toHaveTextContent(
      formatMoney('669.166666667', 'USD'),
    );
    const fact = (label: string) =>
      within(item).getByText(`${label}:`).closest('li') as HTMLElement;
    expect(fact('Used of request')).toHaveTextContent(
      /^Used of request: CPU 20\s?%, RAM 40\s?% over 14 days$/,
    );
    expect(fact('Share of its cost')).toHaveTextContent(
      /^Share of its cost: CPU 66\.7\s?%, RAM 33\.3\s?%$/,
    );
  });

  it('shows progress while loading', async () => {
    const api = createFakeApi({
      getEntityRecommendations: jest.fn(() => new Promise(() => {})),
    });
    await renderCard(api);
    expect(
      await screen.findByRole('progressbar', { name: 'Loading' }),
    ).toBeInTheDocument();
    expect(api.getEntityRecommendations).toHaveBeenCalledWith(
      RECOMMENDATIONS_ENTITY_REF,
    );
  });

  it('shows a load error', async () => {
    const api = createFakeApi({
      getEntityRecommendations: jest.fn(async () => {
        throw new Error('recommendation store down');
      }),
    });
    await renderCard(api);
    expect(
      await screen.findByText(/Could not load savings tips/),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/recommendation store down/).length,
    ).toBeGreaterThan(0);
  });

  it('says what to configure when there is nothing', async () => {
    const api = recommendationApi(
      recommendationListFor(RECOMMENDATIONS_ENTITY_REF, []),
    );
    await renderCard(api);
    expect(
      await screen.findByText(/No savings tips: Costscope needs an inventory/),
    ).toBeInTheDocument();
    expect(screen.getByText('costscope.aws')).toBeInTheDocument();
    expect(
      screen.queryByTestId('costscope-savings-total'),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /Why no tip/ }),
    ).not.toBeInTheDocument();
  });

  it('says when prices could not be refreshed and which prices are used', async () => {
    const api = createFakeApi({
      getEntityRecommendations: jest.fn(async () => ({
        ...entityRecommendations,
        prices: [
          {
            source: 'aws-pricing',
            refreshedAt: '2024-05-13T02:00:00Z',
            attemptedAt: '2024-05-15T02:00:00Z',
            error: 'AccessDeniedException: not authorized',
          },
        ],
      })),
    });
    await renderCard(api);
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Prices could not be refreshed (aws-pricing): AccessDeniedException: not authorized; using prices from 2024-05-13.',
    );
  });

  it('says nothing about prices when their last refresh went well', async () => {
    const api = createFakeApi({
      getEntityRecommendations: jest.fn(async () => ({
        ...entityRecommendations,
        prices: [
          {
            source: 'aws-pricing',
            refreshedAt: '2024-05-15T02:00:00Z',
            attemptedAt: '2024-05-15T02:00:00Z',
          },
        ],
      })),
    });
    await renderCard(api);
    await screen.findByTestId('costscope-savings-total');
    expect(screen.queryByTestId('costscope-prices-notice')).toBeNull();
  });

  it('shows a resource without a price with what to configure, not as a missing tip', async () => {
    const message =
      'No billing cost for this instance, and no on-demand price is known for instance type m5.large in ap-southeast-2 ' +
      '(prices from aws-pricing, read 2026-12-01): configure the AWS module (costscope.aws, with pricing:GetProducts) ' +
      'to read the AWS Price List for that region, or list the price in the file costscope.recommendations.prices.file names';
    const api = recommendationApi(
      recommendationListFor(RECOMMENDATIONS_ENTITY_REF, [], {
        skipped: [
          {
            provider: 'AWS',
            resourceId: 'i-0syd000000000001',
            resourceName: 'sydney-api',
            resourceKind: 'instance',
            accountId: '111122223333',
            region: 'ap-southeast-2',
            code: 'no-price',
            message,
          },
        ],
      }),
    );
    await renderCard(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Why no tip (1)' }),
    );
    const list = screen.getByRole('list', { name: 'Resources without a tip' });
    expect(within(list).getByText('sydney-api')).toBeInTheDocument();
    expect(
      within(list).getByText(
        /m5\.large in ap-southeast-2 .*costscope\.recommendations\.prices\.file/,
      ),
    ).toBeInTheDocument();
  });

  it('explains missing tips when resources were skipped', async () => {
    const api = recommendationApi(
      recommendationListFor(RECOMMENDATIONS_ENTITY_REF, [], {
        skipped: skippedResources,
      }),
    );
    await renderCard(api);
    expect(
      await screen.findByText(
        'No savings tips for the resources Costscope could judge.',
      ),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Why no tip (2)' }),
    );
    const list = screen.getByRole('list', { name: 'Resources without a tip' });
    expect(
      within(list).getByText(/Accelerated instances are not judged/),
    ).toBeInTheDocument();
    expect(within(list).getByText('fraud-gpu-1')).toBeInTheDocument();
    expect(within(list).getByText('i-0gpu000000000001')).toBeInTheDocument();
    expect(
      within(list).getByText(
        /Over-provisioned instance: Only 12 hours of CPU data, 30 needed/,
      ),
    ).toBeInTheDocument();
  });

  it('shows the total and each tip with its evidence and money', async () => {
    const api = recommendationApi();
    await renderCard(api);
    const total = await screen.findByTestId('costscope-savings-total');
    expect(total).toHaveTextContent(formatMoney(OPEN_TOTAL, 'USD'));
    expect(total).toHaveAttribute('data-amount', OPEN_TOTAL);
    expect(screen.getByText('6 open tips')).toBeInTheDocument();
    expect(screen.getByText('Savings')).toBeInTheDocument();
    expect(
      screen.getByText(
        `Computed ${new Date('2024-05-15T06:00:00Z').toLocaleString()}`,
      ),
    ).toBeInTheDocument();

    // Five of six, largest saving first.
    expect(openItems().map(t => t.getAttribute('data-tip-id'))).toEqual(
      entityRecommendations.items.slice(0, 5).map(t => t.id),
    );

    const resize = within(recommendationFor('checkout-api-1'));
    expect(resize.getByText('i-0a1b2c3d4e5f60001')).toBeInTheDocument();
    expect(resize.getByTestId('costscope-tip-saving')).toHaveTextContent(
      formatMoney('140.16', 'USD'),
    );
    expect(resize.getByText(resizeRecommendation.action)).toBeInTheDocument();
    expect(resize.getByText(resizeRecommendation.reason)).toBeInTheDocument();
    const evidence = resize.getByRole('list', { name: 'Evidence' });
    expect(evidence).toHaveTextContent('CPU: avg 12.4%, p95 31.2%, max 44.8%');
    expect(evidence).toHaveTextContent('Memory: avg 20.5%, p95 28%, max 35.1%');
    expect(evidence).toHaveTextContent('Data: 336 hours in the last 14 days');
    expect(resize.getByText('m6i.2xlarge')).toBeInTheDocument();
    expect(resize.getByText('m6i.xlarge')).toBeInTheDocument();
    expect(
      resize.getByText(`${formatMoney('280.32', 'USD')} per month`),
    ).toBeInTheDocument();
    expect(resize.getByText('High confidence')).toBeInTheDocument();
    expect(resize.getByText('Priced from your bill')).toBeInTheDocument();

    const idle = within(recommendationFor('checkout-worker-old'));
    expect(idle.getByRole('list', { name: 'Evidence' })).not.toHaveTextContent(
      'Memory',
    );
    expect(idle.getByText('Medium confidence')).toBeInTheDocument();
    expect(
      idle.getByText('Priced at the on-demand list price'),
    ).toBeInTheDocument();
    expect(idle.getByTestId('costscope-tip-saving')).toHaveTextContent(
      formatMoney(idleRecommendation.monthlySaving, 'USD'),
    );

    // The payer's Savings Plan purchase, with this entity's share of it.
    const purchase = within(
      recommendationFor('Compute Savings Plan, payer 999988887777'),
    );
    expect(purchase.getByTestId('costscope-tip-saving')).toHaveAttribute(
      'data-amount',
      '39.244800000',
    );
    expect(
      purchase.getByText('its share, saved per month'),
    ).toBeInTheDocument();
    expect(purchase.getByText('Savings Plan purchase')).toBeInTheDocument();
    const plan = purchase.getByTestId('costscope-tip-savings-plan');
    expect(plan).toHaveTextContent(/1\.3824.* per hour/);
    expect(plan).toHaveTextContent('12 months, no upfront');
    expect(plan).toHaveTextContent('Expected utilization100%');
    expect(plan).toHaveTextContent('13.8% of eligible usage');
    expect(purchase.getByTestId('costscope-plan-saving')).toHaveTextContent(
      `${formatMoney('392.448', 'USD')} per month at 28% off`,
    );
    expect(plan).toHaveTextContent('Month 1');
    expect(plan).toHaveTextContent('30 days (2024-04-15 to 2024-05-14)');
    expect(
      purchase.getByTestId('costscope-plan-sized-after'),
    ).toHaveTextContent(
      /^Sized after 2 rightsizing tips \(.*0\.2752.* per hour off the floor of .*2\.1952.*\), so the savings add up\.$/,
    );
    expect(purchase.getByTestId('costscope-plan-share')).toHaveTextContent(
      `This entity's share: 10% (${formatMoney('1000', 'USD')} of ${formatMoney(
        '10000',
        'USD',
      )} eligible on-demand usage), ${formatMoney(
        '39.2448',
        'USD',
      )} of the saving per month.`,
    );
    // a plan has no instance evidence
    expect(purchase.queryByRole('list', { name: 'Evidence' })).toBeNull();

    // A nameless resource is titled by its id.
    const volume = within(recommendationFor('vol-0abc0000000000001'));
    expect(volume.getByRole('list', { name: 'Evidence' })).toHaveTextContent(
      'Size: 100 GiB',
    );
    expect(volume.getByText('Unattached volume')).toBeInTheDocument();
  });

  it('shows all tips on request', async () => {
    await renderCard(recommendationApi());
    await screen.findByTestId('costscope-savings-total');
    expect(openItems()).toHaveLength(5);
    expect(screen.queryByText('checkout-db-backup')).not.toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Show all 6 tips' }),
    );
    expect(openItems()).toHaveLength(6);
    expect(
      within(recommendationFor('checkout-db-backup')).getByText(
        snapshotRecommendation.action,
      ),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Show fewer' }));
    expect(openItems()).toHaveLength(5);
  });

  it('honours maxItems', async () => {
    await renderCard(recommendationApi(), { maxItems: 2 });
    await screen.findByTestId('costscope-savings-total');
    expect(openItems()).toHaveLength(2);
    expect(
      screen.getByRole('button', { name: 'Show all 6 tips' }),
    ).toBeInTheDocument();
  });

  it('titles a group card as the team rollup and links tips of other entities', async () => {
    const api = recommendationApi(
      recommendationListFor('group:default/payments', [
        resizeRecommendation,
        { ...idleRecommendation, entityRef: 'component:default/search-api' },
      ]),
    );
    await renderCard(api, { entity: groupEntity });
    expect(
      await screen.findByText('Savings for this team'),
    ).toBeInTheDocument();
    expect(api.getEntityRecommendations).toHaveBeenCalledWith(
      'group:default/payments',
    );
    expect(
      within(recommendationFor('checkout-worker-old')).getByRole('link', {
        name: /search-api/,
      }),
    ).toHaveAttribute('href', '/catalog/default/component/search-api');
  });

  it('dismisses a tip with a reason, reloads, and the total drops', async () => {
    const api = recommendationApi();
    await renderCard(api);
    await screen.findByTestId('costscope-savings-total');
    const dialog = await openDismissDialog('checkout-api-1');
    const d = within(dialog);
    expect(d.getByRole('radio', { name: /^Dismiss/ })).toBeChecked();

    // The reason is required.
    await userEvent.click(d.getByRole('button', { name: 'Dismiss' }));
    expect(d.getByText('Enter a reason.')).toBeInTheDocument();
    expect(api.setRecommendationState).not.toHaveBeenCalled();

    await userEvent.type(
      d.getByRole('textbox', { name: /Reason/ }),
      '  Peak season needs the headroom ',
    );
    await userEvent.click(d.getByRole('button', { name: 'Dismiss' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.setRecommendationState).toHaveBeenCalledWith(
      resizeRecommendation.id,
      {
        state: 'dismissed',
        reason: 'Peak season needs the headroom',
      },
    );
    expect(api.getEntityRecommendations).toHaveBeenCalledTimes(2);
    // 254.2908 - 140.16
    await waitFor(() =>
      expect(screen.getByTestId('costscope-savings-total')).toHaveAttribute(
        'data-amount',
        '114.130800000',
      ),
    );
    expect(screen.getByTestId('costscope-savings-total')).toHaveTextContent(
      formatMoney('114.1308', 'USD'),
    );
    expect(screen.getByText('5 open tips')).toBeInTheDocument();
    expect(
      screen.queryByRole('listitem', { name: 'checkout-api-1' }),
    ).not.toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Dismissed (3)' }),
    );
    const dismissed = screen.getByRole('list', {
      name: 'Dismissed savings tips',
    });
    expect(
      within(dismissed).getByText('Reason: Peak season needs the headroom'),
    ).toBeInTheDocument();
  });

  it('snoozes a tip until a date after today', async () => {
    const api = recommendationApi();
    await renderCard(api);
    await screen.findByTestId('costscope-savings-total');
    const dialog = await openDismissDialog('checkout-worker-old');
    const d = within(dialog);
    await userEvent.click(
      d.getByRole('radio', { name: 'Snooze until a date' }),
    );
    const until = d.getByLabelText(/^Snooze until\W*$/, { selector: 'input' });
    expect(until).toHaveAttribute('type', 'date');
    expect(until).toHaveAttribute('min', '2024-05-16');
    await userEvent.type(
      d.getByRole('textbox', { name: /Reason/ }),
      'Migrating next sprint',
    );

    // No date, then today: both refused before any request.
    await userEvent.click(d.getByRole('button', { name: 'Snooze' }));
    expect(d.getByText('Pick the day the tip comes back.')).toBeInTheDocument();
    fireEvent.change(until, { target: { value: '2024-05-15' } });
    await userEvent.click(d.getByRole('button', { name: 'Snooze' }));
    expect(d.getByText('Pick a day after today.')).toBeInTheDocument();
    expect(api.setRecommendationState).not.toHaveBeenCalled();

    fireEvent.change(until, { target: { value: '2024-06-30' } });
    await userEvent.click(d.getByRole('button', { name: 'Snooze' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.setRecommendationState).toHaveBeenCalledWith(
      idleRecommendation.id,
      {
        state: 'snoozed',
        reason: 'Migrating next sprint',
        until: '2024-06-30',
      },
    );
    await waitFor(() =>
      expect(screen.getByTestId('costscope-savings-total')).toHaveAttribute(
        'data-amount',
        '193.554800000',
      ),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Dismissed (3)' }),
    );
    expect(
      within(
        screen.getByRole('list', { name: 'Dismissed savings tips' }),
      ).getByText(/^Snoozed until 2024-06-30 by user:default\/guest/),
    ).toBeInTheDocument();
  });

  it("shows the server's message when the user may not change the tip", async () => {
    const forbidden = await responseError(
      403,
      'Forbidden',
      'NotAllowedError',
      'Only members of group:default/payments and Costscope admins can change this tip.',
    );
    const api = recommendationApi(undefined, {
      setRecommendationState: jest.fn(async () => {
        throw forbidden;
      }),
    });
    await renderCard(api);
    await screen.findByTestId('costscope-savings-total');
    // the purchase is unallocated: only admins may set it aside
    const dialog = await openDismissDialog(
      'Compute Savings Plan, payer 999988887777',
    );
    const d = within(dialog);
    await userEvent.type(d.getByRole('textbox', { name: /Reason/ }), 'No');
    await userEvent.click(d.getByRole('button', { name: 'Dismiss' }));
    expect(
      await d.findByText(
        'Could not dismiss the tip: Only members of group:default/payments and Costscope admins can change this tip.',
      ),
    ).toBeInTheDocument();
    expect(api.setRecommendationState).toHaveBeenCalledWith(
      purchaseRecommendation.id,
      {
        state: 'dismissed',
        reason: 'No',
      },
    );
    // Still open, nothing reloaded, the total unchanged.
    expect(d.getByRole('button', { name: 'Dismiss' })).toBeEnabled();
    expect(api.getEntityRecommendations).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId('costscope-savings-total')).toHaveAttribute(
      'data-amount',
      OPEN_TOTAL,
    );
    await userEvent.click(d.getByRole('button', { name: 'Cancel' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it("shows the server's message for bad input", async () => {
    const bad = await responseError(
      400,
      'Bad Request',
      'InputError',
      'invalid recommendation state: until must be after today (2024-05-15)',
    );
    const api = recommendationApi(undefined, {
      setRecommendationState: jest.fn(async () => {
        throw bad;
      }),
    });
    await renderCard(api);
    await screen.findByTestId('costscope-savings-total');
    const d = within(await openDismissDialog('checkout-api-1'));
    await userEvent.click(
      d.getByRole('radio', { name: 'Snooze until a date' }),
    );
    fireEvent.change(
      d.getByLabelText(/^Snooze until\W*$/, { selector: 'input' }),
      {
        target: { value: '2024-05-16' },
      },
    );
    await userEvent.type(d.getByRole('textbox', { name: /Reason/ }), 'Later');
    await userEvent.click(d.getByRole('button', { name: 'Snooze' }));
    expect(
      await d.findByText(
        'Could not snooze the tip: invalid recommendation state: until must be after today (2024-05-15)',
      ),
    ).toBeInTheDocument();
  });

  it('lists dismissed and snoozed tips and restores one', async () => {
    const api = recommendationApi();
    await renderCard(api);
    await screen.findByTestId('costscope-savings-total');
    const toggle = screen.getByRole('button', { name: 'Dismissed (2)' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(
      screen.queryByRole('list', { name: 'Dismissed savings tips' }),
    ).not.toBeInTheDocument();
    await userEvent.click(toggle);

    const list = screen.getByRole('list', { name: 'Dismissed savings tips' });
    const items = within(list).getAllByTestId('costscope-dismissed-tip');
    expect(items.map(i => i.getAttribute('data-tip-id'))).toEqual([
      snoozedRecommendation.id,
      'unattached-volume:vol-0dead000000000001',
    ]);
    const snoozed = within(items[0]);
    expect(
      snoozed.getByText(
        `Snoozed until 2024-06-01 by user:default/jane on ${new Date(
          '2024-05-10T09:00:00Z',
        ).toLocaleString()}`,
      ),
    ).toBeInTheDocument();
    expect(
      snoozed.getByText('Reason: Black Friday load test next week'),
    ).toBeInTheDocument();
    expect(
      snoozed.getByText(
        `${snoozedRecommendation.action} (${formatMoney(
          '22',
          'USD',
        )} per month)`,
      ),
    ).toBeInTheDocument();
    const dismissed = within(items[1]);
    expect(
      dismissed.getByText(/^Dismissed by user:default\/sam on /),
    ).toBeInTheDocument();
    expect(
      dismissed.getByText('Reason: Kept for a restore drill'),
    ).toBeInTheDocument();

    await userEvent.click(
      snoozed.getByRole('button', {
        name: 'Restore the tip for checkout-batch',
      }),
    );
    expect(api.setRecommendationState).toHaveBeenCalledWith(
      snoozedRecommendation.id,
      {
        state: 'open',
      },
    );
    // 254.2908 + 22
    await waitFor(() =>
      expect(screen.getByTestId('costscope-savings-total')).toHaveAttribute(
        'data-amount',
        '276.290800000',
      ),
    );
    expect(
      screen.getByRole('button', { name: 'Dismissed (1)' }),
    ).toBeInTheDocument();
    expect(screen.getByText('7 open tips')).toBeInTheDocument();
  });

  it("shows the server's message when a restore is refused", async () => {
    const forbidden = await responseError(
      403,
      'Forbidden',
      'NotAllowedError',
      'Only members of group:default/payments and Costscope admins can change this tip.',
    );
    const api = recommendationApi(undefined, {
      setRecommendationState: jest.fn(async () => {
        throw forbidden;
      }),
    });
    await renderCard(api);
    await screen.findByTestId('costscope-savings-total');
    await userEvent.click(
      screen.getByRole('button', { name: 'Dismissed (2)' }),
    );
    await userEvent.click(
      screen.getByRole('button', {
        name: 'Restore the tip for checkout-batch',
      }),
    );
    expect(
      await screen.findByText(
        'Could not restore the tip: Only members of group:default/payments and Costscope admins can change this tip.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', {
        name: 'Restore the tip for checkout-batch',
      }),
    ).toBeEnabled();
  });

  it('keeps the list when the last open tip is dismissed', async () => {
    const api = recommendationApi(
      recommendationListFor(RECOMMENDATIONS_ENTITY_REF, [resizeRecommendation]),
    );
    await renderCard(api);
    await screen.findByTestId('costscope-savings-total');
    const d = within(await openDismissDialog('checkout-api-1'));
    await userEvent.type(d.getByRole('textbox', { name: /Reason/ }), 'Planned');
    await userEvent.click(d.getByRole('button', { name: 'Dismiss' }));
    expect(
      await screen.findByText('No open savings tips.'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('costscope-savings-total')).toHaveTextContent(
      formatMoney('0', 'USD'),
    );
    expect(
      screen.getByRole('button', { name: 'Dismissed (1)' }),
    ).toBeInTheDocument();
  });
});

describe('validateDismissRecommendationForm', () => {
  it('requires a reason of at most 500 characters', () => {
    expect(
      validateDismissRecommendationForm(
        { state: 'dismissed', reason: ' ', until: '' },
        '2024-05-15',
      ).errors.reason,
    ).toBe('Enter a reason.');
    expect(
      validateDismissRecommendationForm(
        { state: 'dismissed', reason: 'x'.repeat(501), until: '' },
        '2024-05-15',
      ).errors.reason,
    ).toMatch(/at most 500/);
  });

  it('sends the date only for a snooze', () => {
    expect(
      validateDismissRecommendationForm(
        { state: 'dismissed', reason: 'why', until: '2024-06-01' },
        '2024-05-15',
      ).input,
    ).toEqual({ state: 'dismissed', reason: 'why' });
    expect(
      validateDismissRecommendationForm(
        { state: 'snoozed', reason: 'why', until: '2024-05-16' },
        '2024-05-15',
      ).input,
    ).toEqual({ state: 'snoozed', reason: 'why', until: '2024-05-16' });
    expect(
      validateDismissRecommendationForm(
        { state: 'snoozed', reason: 'why', until: '16/05/2024' },
        '2024-05-15',
      ).errors.until,
    ).toBe('Enter a date such as 2024-06-30.');
  });
});
