import * as index from './index';

describe('costscope plugin', () => {
  it('exports the plugin and its extensions', () => {
    expect(index.costscopePlugin.getId()).toBe('costscope');
    expect(index.costscopeApiRef.id).toBe('plugin.costscope.service');
    expect(index.EntityCostContent).toBeDefined();
    expect(index.EntityCostCard).toBeDefined();
    expect(index.EntityBudgetCard).toBeDefined();
    expect(index.CostscopePage).toBeDefined();
    expect(typeof index.isCostscopeAvailable).toBe('function');
    expect(
      Array.from(index.costscopePlugin.getApis(), factory => factory.api.id),
    ).toEqual(['plugin.costscope.service']);
  });
});
