import { allocateKeys } from './allocate';
import { SnapshotEntity } from './catalogSnapshot';
import { assignRuleIds, StoredRule } from './ruleIds';
import { AllocationRule, buildRules } from './rules';

const component = (
  name: string,
  annotations: Record<string, string> = {},
): SnapshotEntity => ({
  ref: `component:default/${name}`,
  kind: 'component',
  name,
  annotations,
});
const conventions = { componentTagKeys: ['service'], groupTagKeys: ['team'] };
const stored = (rules: AllocationRule[]): StoredRule[] =>
  rules.map(({ id, entityRef, origin, rule }) => ({
    id,
    entityRef,
    origin,
    rule,
  }));
const idOf = (rules: AllocationRule[], entityRef: string, rule: string) =>
  rules.find(r => r.entityRef === entityRef && r.rule === rule)?.id;

describe('assignRuleIds', () => {
  it('keeps the id of a rule built again and gives new rules fresh ids above the largest stored', () => {
    const before = buildRules(
      [component('api'), component('web')],
      conventions,
    );
    const first = assignRuleIds(before.rules, []);
    expect(first.rules.map(r => r.id)).toEqual([1, 2]);
    expect(first.firstFreeId).toBe(3);

    // batch comes first in the catalog: built at position 0, yet api and web keep their ids.
    const after = buildRules(
      [component('batch'), component('api'), component('web')],
      conventions,
    );
    const second = assignRuleIds(after.rules, stored(first.rules));
    expect(idOf(second.rules, 'component:default/api', 'service=api')).toBe(1);
    expect(idOf(second.rules, 'component:default/web', 'service=web')).toBe(2);
    expect(idOf(second.rules, 'component:default/batch', 'service=batch')).toBe(
      3,
    );
    // Built order is kept: only ids are given.
    expect(second.rules.map(r => r.order)).toEqual([0, 1, 2]);
    expect(second.firstFreeId).toBe(4);
  });

  it('gives no new rule the id of a gone one: fresh ids start above the largest stored', () => {
    const storedRules: StoredRule[] = [
      {
        id: 1,
        entityRef: 'component:default/api',
        origin: 'convention',
        rule: 'service=api',
      },
      {
        id: 7,
        entityRef: 'component:default/old',
        origin: 'convention',
        rule: 'service=old',
      },
    ];
    const built = buildRules(
      [component('api'), component('new'), component('newer')],
      conventions,
    ).rules;
    const { rules, firstFreeId } = assignRuleIds(built, storedRules);
    expect(rules.map(r => [r.entityRef, r.id])).toEqual([
      ['component:default/api', 1],
      ['component:default/new', 8],
      ['component:default/newer', 9],
    ]);
    expect(firstFreeId).toBe(10);
  });

  it('tells rules apart by entity, origin and text', () => {
    const storedRules: StoredRule[] = [
      // Same text, another origin and another entity: neither is api's convention rule.
      {
        id: 4,
        entityRef: 'component:default/api',
        origin: 'annotation',
        rule: 'service=api',
      },
      {
        id: 5,
        entityRef: 'component:default/web',
        origin: 'convention',
        rule: 'service=api',
      },
    ];
    const built = buildRules([component('api')], conventions).rules;
    expect(assignRuleIds(built, storedRules).rules.map(r => r.id)).toEqual([6]);
  });

  it('keeps both ids of a rule built twice (one condition set written twice)', () => {
    const built = buildRules(
      [component('api', { 'costscope.io/cost-tags': 'env=prod; env=prod' })],
      conventions,
    ).rules;
    expect(built).toHaveLength(2);
    const first = assignRuleIds(built, []);
    const second = assignRuleIds(built, stored(first.rules));
    expect(second.rules.map(r => r.id)).toEqual(first.rules.map(r => r.id));
    expect(new Set(second.rules.map(r => r.id)).size).toBe(2);
  });

  it('refuses a stored id that is not a positive integer', () => {
    expect(() =>
      assignRuleIds(
        [],
        [
          {
            id: Number.NaN,
            entityRef: 'component:default/api',
            origin: 'convention',
            rule: 'service=api',
          },
        ],
      ),
    ).toThrow('invalid id');
  });
});

describe('allocation outcome with kept ids', () => {
  it('breaks ties of equal priority by catalog order, whatever the ids, as positional ids did', () => {
    // Two convention rules of one component, equal in priority, specificity and kind: the key
    // has both tags, so only catalog order (service before app) decides.
    const catalog = [component('web'), component('api'), component('shared')];
    const twoKeys = { componentTagKeys: ['service', 'app'], groupTagKeys: [] };
    const keys = [
      {
        allocKey: 'both',
        subAccountId: '1',
        tags: JSON.stringify({ service: 'api', app: 'api' }),
      },
      {
        allocKey: 'app-only',
        subAccountId: '1',
        tags: JSON.stringify({ app: 'web' }),
      },
      {
        allocKey: 'shared',
        subAccountId: '1',
        tags: JSON.stringify({ app: 'shared', service: 'shared' }),
      },
      { allocKey: 'none', subAccountId: '1', tags: '{}' },
    ];
    const options = { caseInsensitiveTagKeys: false };
    const positional = buildRules(catalog, twoKeys).rules;
    // Stored ids in the reverse of catalog order: each app rule's id is below its service rule's.
    const reversed = stored(positional).map((rule, i) => ({
      ...rule,
      id: positional.length - i,
    }));
    const kept = assignRuleIds(positional, reversed).rules;
    expect(idOf(kept, 'component:default/api', 'app=api')).toBeLessThan(
      idOf(kept, 'component:default/api', 'service=api')!,
    );

    const winners = (rules: AllocationRule[]) =>
      new Map(
        [...allocateKeys(keys, rules, options)].map(([key, { ruleId }]) => {
          const rule = rules.find(r => r.id === ruleId);
          return [key, rule ? `${rule.entityRef} ${rule.rule}` : null];
        }),
      );
    const byPosition = winners(positional);
    expect(byPosition.get('both')).toBe('component:default/api service=api');
    expect(byPosition.get('shared')).toBe(
      'component:default/shared service=shared',
    );
    expect(winners(kept)).toEqual(byPosition);
  });
});
