import { mockServices } from '@backstage/backend-test-utils';
import { BudgetInForce, BudgetService } from '../budgets/BudgetService';
import { BudgetStore } from '../store/BudgetStore';
import { DefaultBudgetsService } from './DefaultBudgetsService';

function inForce(ref: string): BudgetInForce {
  return {
    entity: { ref, kind: ref.split(':')[0], annotations: {} },
    budget: { entityRef: ref },
  } as unknown as BudgetInForce;
}

describe('DefaultBudgetsService.listBudgets', () => {
  const refs = [
    'component:default/api',
    'component:default/web',
    'group:default/team-a',
  ];
  const status = jest.fn(async (budget: BudgetInForce) => ({
    spent: budget.entity.ref,
  }));
  const service = new DefaultBudgetsService({
    budgets: {
      today: async () => '2026-03-10',
      listInForce: async () => refs.map(inForce),
      status,
    } as unknown as BudgetService,
    store: {} as BudgetStore,
    logger: mockServices.logger.mock(),
    afterBudgetSet: async () => {},
  });

  beforeEach(() => status.mockClear());

  it('lists every budget in force with its status', async () => {
    const items = await service.listBudgets();
    expect(items.map(item => item.entityRef)).toEqual(refs);
    expect(status).toHaveBeenCalledTimes(3);
  });

  it('reads the status of the budgets asked for only', async () => {
    const items = await service.listBudgets(
      new Set(['group:default/team-a', 'component:default/api']),
    );
    expect(items.map(item => item.entityRef)).toEqual([
      'component:default/api',
      'group:default/team-a',
    ]);
    expect(status.mock.calls.map(([budget]) => budget.entity.ref)).toEqual([
      'component:default/api',
      'group:default/team-a',
    ]);
  });
});
