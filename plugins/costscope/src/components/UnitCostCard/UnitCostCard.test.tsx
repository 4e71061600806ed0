import { screen } from '@testing-library/react';
import type { UnitCostQuery } from '@costscope/backstage-plugin-common';
import { UnitCostCard, trendStart } from './UnitCostCard';
import { createFakeApi, freezeDate } from '../../__testUtils__/fixtures';
import { unitCostFor } from '../../__testUtils__/unitCostFixtures';
import { renderWithApi } from '../../__testUtils__/render';
import { formatUnitCost } from '../../utils/format';

const REF = 'component:default/checkout-api';
const range = {
  from: '2024-04-15',
  to: '2024-05-14',
  costBasis: 'effective' as const,
};

describe('UnitCostCard', () => {
  beforeEach(() => freezeDate());
  afterEach(() => jest.useRealTimers());

  it('shows cost per unit, its change and a 13-month trend, labelled with the basis', async () => {
    const api = createFakeApi({
      getEntityUnitCost: jest.fn(async (ref: string, query: UnitCostQuery) =>
        unitCostFor(ref, query),
      ),
    });
    await renderWithApi(<UnitCostCard entityRef={REF} range={range} />, {
      api,
    });

    expect(
      await screen.findByText('Cost per order (amortized)'),
    ).toBeInTheDocument();
    const figure = await screen.findByTestId('costscope-unit-cost');
    expect(figure).toHaveTextContent(formatUnitCost('2.5', 'USD'));
    expect(figure).toHaveAttribute('data-amount', '2.500000000');
    expect(screen.getByTestId('costscope-change')).toHaveTextContent('+25%');
    expect(
      screen.getByText(
        `Previous: ${formatUnitCost('2', 'USD')} (2024-04-15 – 2024-05-14)`,
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('img', {
        name: 'Cost per order by month from 2023-05-01 to 2024-05-14',
      }),
    ).toBeInTheDocument();
    expect(api.getEntityUnitCost).toHaveBeenCalledWith(REF, {
      ...range,
      metric: undefined,
      granularity: undefined,
    });
    expect(api.getEntityUnitCost).toHaveBeenCalledWith(REF, {
      from: '2023-05-01',
      to: '2024-05-14',
      costBasis: 'effective',
      metric: undefined,
      granularity: 'month',
    });
  });

  it('labels the billed basis', async () => {
    const api = createFakeApi({
      getEntityUnitCost: jest.fn(async (ref: string, query: UnitCostQuery) =>
        unitCostFor(ref, query),
      ),
    });
    await renderWithApi(
      <UnitCostCard
        entityRef={REF}
        range={{ ...range, costBasis: 'billed' }}
      />,
      { api },
    );
    expect(
      await screen.findByText('Cost per order (billed)'),
    ).toBeInTheDocument();
  });

  it('says how to add a metric when the entity reports none', async () => {
    const api = createFakeApi(); // answers hasValues: false
    await renderWithApi(<UnitCostCard entityRef={REF} range={range} />, {
      api,
    });
    const empty = await screen.findByTestId('costscope-unit-cost-empty');
    expect(empty).toHaveTextContent('This entity reports no orders');
    expect(empty).toHaveTextContent('POST /api/costscope/v1/metrics');
    expect(empty).toHaveTextContent('costscope.metrics.write');
    expect(empty).toHaveTextContent('costscope.unitCost.file');
    expect(empty).toHaveTextContent('"metric": "orders"');
    expect(screen.queryByTestId('costscope-unit-cost-chart')).toBeNull();
  });

  it("on a team, says the cost is the reporting entities', not the whole team's", async () => {
    const TEAM = 'group:default/checkout-squad';
    const api = createFakeApi({
      getEntityUnitCost: jest.fn(async (ref: string, query: UnitCostQuery) =>
        unitCostFor(ref, query, { reportingEntities: 2 }),
      ),
    });
    await renderWithApi(<UnitCostCard entityRef={TEAM} range={range} />, {
      api,
    });
    expect(await screen.findByTestId('costscope-unit-cost')).toHaveTextContent(
      formatUnitCost('2.5', 'USD'),
    );
    expect(
      screen.getByTestId('costscope-unit-cost-rolled-up'),
    ).toHaveTextContent(
      "orders summed over the 2 entities below that report it, divided into the cost of those entities, not the whole team's cost.",
    );
    expect(
      await screen.findByRole('img', { name: /^Cost per order by month/ }),
    ).toBeInTheDocument();
  });

  it('on a system reported by one entity, names it the system', async () => {
    const api = createFakeApi({
      getEntityUnitCost: jest.fn(async (ref: string, query: UnitCostQuery) =>
        unitCostFor(ref, query, { reportingEntities: 1 }),
      ),
    });
    await renderWithApi(
      <UnitCostCard entityRef="system:default/checkout" range={range} />,
      { api },
    );
    expect(
      await screen.findByTestId('costscope-unit-cost-rolled-up'),
    ).toHaveTextContent(
      "orders summed over the entity below that report it, divided into the cost of that entity, not the whole system's cost.",
    );
  });

  it('on a component, says nothing of entities below', async () => {
    const api = createFakeApi({
      getEntityUnitCost: jest.fn(async (ref: string, query: UnitCostQuery) =>
        unitCostFor(ref, query),
      ),
    });
    await renderWithApi(<UnitCostCard entityRef={REF} range={range} />, {
      api,
    });
    await screen.findByTestId('costscope-unit-cost');
    expect(screen.queryByTestId('costscope-unit-cost-rolled-up')).toBeNull();
  });

  it('on a team that nothing below reports for, says so', async () => {
    const api = createFakeApi(); // answers hasValues: false
    await renderWithApi(
      <UnitCostCard entityRef="group:default/checkout-squad" range={range} />,
      { api },
    );
    expect(
      await screen.findByTestId('costscope-unit-cost-empty'),
    ).toHaveTextContent(
      'Neither this team nor any entity below it reports orders.',
    );
  });

  it('says where to configure metrics when none is', async () => {
    const api = createFakeApi({
      getEntityUnitCost: jest.fn(async (ref: string, query: UnitCostQuery) => ({
        ...unitCostFor(ref, query, { hasValues: false }),
        metric: null,
        unit: null,
        metrics: [],
      })),
    });
    await renderWithApi(<UnitCostCard entityRef={REF} range={range} />, {
      api,
    });
    expect(await screen.findByText('Unit cost')).toBeInTheDocument();
    expect(
      await screen.findByTestId('costscope-unit-cost-empty'),
    ).toHaveTextContent('costscope.unitCost.metrics');
  });

  it('shows the error of a failed load', async () => {
    const api = createFakeApi({
      getEntityUnitCost: jest.fn(async () => {
        throw new Error('backend unreachable');
      }),
    });
    await renderWithApi(<UnitCostCard entityRef={REF} range={range} />, {
      api,
    });
    expect(
      (await screen.findAllByText(/backend unreachable/)).length,
    ).toBeGreaterThan(0);
  });

  it('starts the trend 12 months before the range end month', () => {
    expect(trendStart('2024-05-14')).toBe('2023-05-01');
    expect(trendStart('2026-01-31')).toBe('2025-01-01');
  });
});
