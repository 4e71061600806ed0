import { BudgetInput, CostAlert } from '@costscope/backstage-plugin-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { alertKeyOf, BudgetStore } from './BudgetStore';
import { applyMigrations } from './migrations';

jest.setTimeout(60_000);

const REF = 'component:default/checkout';
const input: BudgetInput = {
  amount: '9007199254.740993123',
  period: 'monthly',
  currency: 'USD',
  thresholds: [
    { kind: 'actual', percent: 80 },
    { kind: 'forecast', percent: 100 },
  ],
  recipients: ['group:default/team-a'],
};

function alert(overrides: Partial<CostAlert> = {}): CostAlert {
  return {
    id: `a-${Math.random().toString(36).slice(2)}`,
    entityRef: REF,
    kind: 'budget',
    period: '2026-03',
    threshold: { kind: 'actual', percent: 80 },
    amount: '812.345678901',
    reference: '1000.000000000',
    currency: 'USD',
    title: 'checkout reached 80 % of its budget',
    description: 'Spent 812.35 of 1000.00',
    drivers: [
      {
        serviceName: 'Amazon EC2',
        amount: '500.000000000',
        change: '120.000000000',
      },
    ],
    link: '/catalog/default/component/checkout/cost',
    createdAt: '2026-03-20T06:00:00.000Z',
    deliveredTo: [],
    ...overrides,
  };
}

describe('BudgetStore', () => {
  const databases = createTestDatabases();

  async function storeOn(id: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(id);
    await applyMigrations(knex);
    return { knex, store: new BudgetStore(knex) };
  }

  it.each(databases.eachSupportedId())(
    'creates, updates and deletes budgets with their changes on %p',
    async id => {
      const { knex, store } = await storeOn(id);
      expect(await store.getBudget(REF)).toBeUndefined();

      const created = await store.putBudget(
        'Component:default/Checkout',
        input,
        'user:default/jane',
        '2026-03-01T10:00:00.000Z',
      );
      expect(created).toEqual({
        entityRef: REF,
        ...input,
        source: 'ui',
        updatedAt: '2026-03-01T10:00:00.000Z',
        updatedBy: 'user:default/jane',
      });
      expect(await store.getBudget(REF)).toEqual(created);
      const raw = await knex('costscope_budgets').first(
        knex.raw('CAST(amount_nanos AS TEXT) AS a'),
      );
      expect(raw.a).toBe('9007199254740993123');

      const updatedInput = { ...input, amount: '1500.5', recipients: [] };
      await store.putBudget(
        REF,
        updatedInput,
        'user:default/joe',
        '2026-03-02T10:00:00.000Z',
      );
      expect(await store.getBudget(REF)).toMatchObject({
        amount: '1500.500000000',
        recipients: [],
        updatedBy: 'user:default/joe',
      });
      await store.putBudget(
        'component:default/other',
        input,
        'user:default/joe',
        '2026-03-02T11:00:00.000Z',
      );
      expect((await store.listBudgets()).map(b => b.entityRef)).toEqual([
        REF,
        'component:default/other',
      ]);

      expect(
        await store.deleteBudget(
          REF,
          'user:default/ann',
          '2026-03-03T10:00:00.000Z',
        ),
      ).toBe(true);
      expect(await store.getBudget(REF)).toBeUndefined();
      expect(
        await store.deleteBudget(
          REF,
          'user:default/ann',
          '2026-03-04T10:00:00.000Z',
        ),
      ).toBe(false);

      const changes = await store.listChanges(REF, 10);
      expect(changes.map(c => [c.action, c.by, c.at])).toEqual([
        ['deleted', 'user:default/ann', '2026-03-03T10:00:00.000Z'],
        ['updated', 'user:default/joe', '2026-03-02T10:00:00.000Z'],
        ['created', 'user:default/jane', '2026-03-01T10:00:00.000Z'],
      ]);
      expect(changes[2].before).toBeUndefined();
      expect(changes[2].after).toEqual(input);
      expect(changes[1].before).toEqual(input);
      expect(changes[1].after).toEqual({
        ...updatedInput,
        amount: '1500.500000000',
      });
      expect(changes[0].before).toEqual({
        ...updatedInput,
        amount: '1500.500000000',
      });
      expect(changes[0].after).toBeUndefined();
      expect(await store.listChanges(REF, 1)).toHaveLength(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'records one creation and one update when two first writes race on %p',
    async id => {
      const { store } = await storeOn(id);
      const cheaper = { ...input, amount: '10' };
      await Promise.all([
        store.putBudget(
          REF,
          input,
          'user:default/jane',
          '2026-03-01T10:00:00.000Z',
        ),
        store.putBudget(
          REF,
          cheaper,
          'user:default/joe',
          '2026-03-01T10:00:00.000Z',
        ),
      ]);
      const changes = await store.listChanges(REF, 10);
      expect(changes.map(change => change.action).sort()).toEqual([
        'created',
        'updated',
      ]);
      const updated = changes.find(change => change.action === 'updated')!;
      expect((await store.getBudget(REF))?.amount).toBe(updated.after!.amount);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps budget and change together when the change fails on %p',
    async id => {
      const { knex, store } = await storeOn(id);
      await knex.schema.alterTable('costscope_budget_changes', table => {
        table.dropColumn('after');
      });
      // Errors of the native SQLite driver may come from another realm, so compare messages.
      const failure = await store
        .putBudget(REF, input, 'user:default/jane', '2026-03-01T10:00:00.000Z')
        .then(
          () => undefined,
          error => String(error?.message),
        );
      expect(failure).toMatch(/after/);
      expect(await store.getBudget(REF)).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'records an alert once per key and period on %p',
    async id => {
      const { store } = await storeOn(id);
      const first = alert({ amount: '9007199254.740993123' });
      expect(await store.recordAlertOnce(first)).toBe(true);
      expect(await store.recordAlertOnce(alert())).toBe(false);
      expect(await store.recordAlertOnce(first)).toBe(false);
      expect(await store.recordAlertOnce(alert({ period: '2026-04' }))).toBe(
        true,
      );
      expect(
        await store.recordAlertOnce(
          alert({ threshold: { kind: 'forecast', percent: 80 } }),
        ),
      ).toBe(true);
      expect(
        await store.recordAlertOnce(
          alert({
            kind: 'anomaly',
            threshold: undefined,
            period: '2026-03-19',
            createdAt: '2026-03-20T07:00:00.000Z',
          }),
        ),
      ).toBe(true);
      expect(
        await store.recordAlertOnce(
          alert({ entityRef: 'component:default/other' }),
        ),
      ).toBe(true);

      const listed = await store.listAlerts({ entityRef: REF, limit: 10 });
      expect(listed).toHaveLength(4);
      expect(listed[0]).toMatchObject({
        kind: 'anomaly',
        period: '2026-03-19',
      });
      expect(listed[0].threshold).toBeUndefined();
      const stored = listed.find(a => a.id === first.id);
      expect(stored).toEqual({ ...first, amount: '9007199254.740993123' });
      expect(await store.listAlerts({ limit: 100 })).toHaveLength(5);
      expect(await store.listAlerts({ limit: 2 })).toHaveLength(2);

      await store.setAlertDelivery(first.id, ['notifications']);
      expect(
        (await store.listAlerts({ limit: 100 })).find(a => a.id === first.id)
          ?.deliveredTo,
      ).toEqual(['notifications']);
    },
  );

  it.each(databases.eachSupportedId())(
    'lets exactly one of concurrent identical alerts win on %p',
    async id => {
      const { knex, store } = await storeOn(id);
      const other = new BudgetStore(knex);
      for (let round = 0; round < 5; round++) {
        const period = `2026-0${round + 1}`;
        const results = await Promise.all([
          store.recordAlertOnce(alert({ period })),
          other.recordAlertOnce(alert({ period })),
          store.recordAlertOnce(alert({ period })),
        ]);
        expect(results.filter(Boolean)).toHaveLength(1);
      }
      expect(await store.listAlerts({ limit: 100 })).toHaveLength(5);
    },
  );

  it('keys alerts by threshold or kind', () => {
    expect(
      alertKeyOf({
        kind: 'budget',
        threshold: { kind: 'actual', percent: 80 },
      }),
    ).toBe('actual:80');
    expect(
      alertKeyOf({
        kind: 'budget',
        threshold: { kind: 'forecast', percent: 12.5 },
      }),
    ).toBe('forecast:12.5');
    expect(alertKeyOf({ kind: 'anomaly' })).toBe('anomaly');
  });
});
