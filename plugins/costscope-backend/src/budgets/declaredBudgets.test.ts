import { ConfigReader } from '@backstage/config';
import { Budget } from '@costscope/backstage-plugin-common';
import {
  budgetFromAnnotations,
  readConfiguredBudgets,
  resolveBudget,
} from './declaredBudgets';

const REF = 'component:default/api';

describe('budgetFromAnnotations', () => {
  it('reads a monthly budget with the default thresholds', () => {
    expect(
      budgetFromAnnotations(
        REF,
        { 'costscope.io/budget-monthly': ' 1200 ' },
        'USD',
      ),
    ).toEqual({
      entityRef: REF,
      amount: '1200.000000000',
      currency: 'USD',
      period: 'monthly',
      thresholds: [
        { kind: 'actual', percent: 50 },
        { kind: 'actual', percent: 80 },
        { kind: 'actual', percent: 100 },
        { kind: 'forecast', percent: 100 },
      ],
      recipients: [],
      source: 'annotation',
    });
  });

  it('reads thresholds (a bare number is actual) and recipients', () => {
    const budget = budgetFromAnnotations(
      REF,
      {
        'costscope.io/budget-quarterly': '3000.5',
        'costscope.io/budget-thresholds': 'forecast:110, 75%,actual:90',
        'costscope.io/budget-recipients':
          'group:default/team-a, user:default/dana',
      },
      'EUR',
    );
    expect(budget).toMatchObject({
      period: 'quarterly',
      amount: '3000.500000000',
      currency: 'EUR',
      thresholds: [
        { kind: 'actual', percent: 75 },
        { kind: 'actual', percent: 90 },
        { kind: 'forecast', percent: 110 },
      ],
      recipients: ['group:default/team-a', 'user:default/dana'],
    });
  });

  it('reads the declared cost basis and names a wrong one', () => {
    expect(
      budgetFromAnnotations(
        REF,
        {
          'costscope.io/budget-monthly': '10',
          'costscope.io/budget-cost-basis': ' billed ',
        },
        'USD',
      )?.costBasis,
    ).toBe('billed');
    expect(
      budgetFromAnnotations(
        REF,
        { 'costscope.io/budget-monthly': '10' },
        'USD',
      ),
    ).not.toHaveProperty('costBasis');
    expect(() =>
      budgetFromAnnotations(
        REF,
        {
          'costscope.io/budget-monthly': '10',
          'costscope.io/budget-cost-basis': 'amortised',
        },
        'USD',
      ),
    ).toThrow(
      'annotation costscope.io/budget-monthly of component:default/api: costBasis must be one of effective, billed, list',
    );
  });

  it('has no budget without a period annotation', () => {
    expect(budgetFromAnnotations(REF, { other: '1' }, 'USD')).toBeUndefined();
  });

  it('names the annotation that is wrong', () => {
    expect(() =>
      budgetFromAnnotations(REF, { 'costscope.io/budget-annual': '-3' }, 'USD'),
    ).toThrow(
      /^annotation costscope.io\/budget-annual of component:default\/api: amount/,
    );
    expect(() =>
      budgetFromAnnotations(
        REF,
        {
          'costscope.io/budget-monthly': '10',
          'costscope.io/budget-thresholds': 'actual:2000',
        },
        'USD',
      ),
    ).toThrow(/percent/);
    expect(() =>
      budgetFromAnnotations(
        REF,
        {
          'costscope.io/budget-monthly': '10',
          'costscope.io/budget-annual': '100',
        },
        'USD',
      ),
    ).toThrow(
      'costscope.io/budget-monthly and costscope.io/budget-annual are both set; declare one budget period',
    );
  });
});

describe('readConfiguredBudgets', () => {
  const read = (budgets: unknown) =>
    readConfiguredBudgets(
      new ConfigReader({ costscope: { budgets } } as any),
      'USD',
    );

  it('reads entries keyed by lower-case ref', () => {
    const budgets = read([
      { entityRef: 'Group:default/Team-A', amount: 500, period: 'monthly' },
      {
        entityRef: 'system:store',
        amount: '12000',
        period: 'annual',
        thresholds: [{ kind: 'actual', percent: 90 }],
        costBasis: 'billed',
      },
    ]);
    expect([...budgets.keys()]).toEqual([
      'group:default/team-a',
      'system:default/store',
    ]);
    expect(budgets.get('group:default/team-a')).not.toHaveProperty('costBasis');
    expect(budgets.get('system:default/store')).toMatchObject({
      costBasis: 'billed',
      amount: '12000.000000000',
      period: 'annual',
      source: 'config',
      thresholds: [{ kind: 'actual', percent: 90 }],
    });
  });

  it.each([
    [
      [{ entityRef: 'api', amount: 5, period: 'monthly' }],
      /costscope.budgets\[0\].entityRef 'api' is not an entity ref/,
    ],
    [
      [{ entityRef: 'component:api', amount: 0, period: 'monthly' }],
      /^costscope.budgets\[0\]: amount/,
    ],
    [
      [{ entityRef: 'component:api', amount: 5, period: 'daily' }],
      /^costscope.budgets\[0\]: period/,
    ],
    [
      [
        {
          entityRef: 'component:api',
          amount: 5,
          period: 'monthly',
          currency: 'EUR',
        },
      ],
      /billing currency USD/,
    ],
    [
      [
        { entityRef: 'component:api', amount: 5, period: 'monthly' },
        { entityRef: 'Component:default/API', amount: 6, period: 'monthly' },
      ],
      'costscope.budgets[1].entityRef component:default/api has a budget already',
    ],
  ])('stops the backend on a bad entry (%#)', (budgets, message) => {
    expect(() => read(budgets)).toThrow(message);
  });
});

describe('resolveBudget', () => {
  const budget = (source: Budget['source']): Budget => ({
    entityRef: REF,
    amount: '1.000000000',
    currency: 'USD',
    period: 'monthly',
    thresholds: [],
    recipients: [],
    source,
  });

  it('prefers app-config, then annotations, then the UI, and says what it overrides', () => {
    const ui = budget('ui');
    const annotation = budget('annotation');
    const config = budget('config');
    expect(resolveBudget({ ui, annotation, config })).toEqual({
      budget: config,
      overridden: ui,
    });
    expect(resolveBudget({ ui, annotation })).toEqual({
      budget: annotation,
      overridden: ui,
    });
    expect(resolveBudget({ annotation, config })).toEqual({ budget: config });
    expect(resolveBudget({ ui })).toEqual({ budget: ui });
    expect(resolveBudget({})).toEqual({});
  });
});
