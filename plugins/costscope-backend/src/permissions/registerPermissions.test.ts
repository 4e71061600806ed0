import {
  AuthorizeResult,
  ConditionalPolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { z } from 'zod/v4';
import { createConditionApplier } from './registerPermissions';
import { costscopeEntityResourceRef } from './rules';

type Thing = { kind: string; size: number };

describe('createConditionApplier', () => {
  const isKind = createPermissionRule({
    name: 'IS_KIND',
    description: 'of the kind',
    resourceRef: costscopeEntityResourceRef as any,
    paramsSchema: z.object({ kind: z.string() }),
    apply: (thing: Thing, { kind }) => thing.kind === kind,
    toQuery: () => ({} as any),
  });
  const isLarge = createPermissionRule({
    name: 'IS_LARGE',
    description: 'larger than',
    resourceRef: costscopeEntityResourceRef as any,
    paramsSchema: z.object({ over: z.number() }),
    apply: (thing: Thing, { over }) => thing.size > over,
    toQuery: () => ({} as any),
  });
  const counted = () => {
    const checks = jest.fn();
    const rules = [isKind, isLarge].map(rule => {
      const standard = rule.paramsSchema!['~standard'];
      return {
        ...rule,
        paramsSchema: {
          ...rule.paramsSchema,
          '~standard': {
            ...standard,
            validate: (params: unknown) => {
              checks(rule.name);
              return standard.validate(params);
            },
          },
        },
      };
    });
    const ruleset = {
      getRuleByName: (name: string) => rules.find(r => r.name === name)!,
    } as any;
    return { ruleset, checks };
  };
  const things: Thing[] = Array.from({ length: 50 }, (_, i) => ({
    kind: i % 2 ? 'odd' : 'even',
    size: i,
  }));
  const decision = (conditions: any): ConditionalPolicyDecision => ({
    result: AuthorizeResult.CONDITIONAL,
    pluginId: 'costscope',
    resourceType: 'catalog-entity',
    conditions,
  });

  it('answers as the framework does, checking each condition once per decision', () => {
    const conditions = decision({
      anyOf: [
        {
          rule: 'IS_KIND',
          resourceType: 'catalog-entity',
          params: { kind: 'odd' },
        },
        {
          not: {
            rule: 'IS_LARGE',
            resourceType: 'catalog-entity',
            params: { over: 10 },
          },
        },
      ],
    });
    const framework = counted();
    const expected = things.map(thing =>
      createConditionAuthorizer<Thing>(framework.ruleset)(conditions, thing),
    );
    // The framework checks the parameters each time it applies a condition.
    expect(framework.checks.mock.calls.length).toBeGreaterThan(50);

    const ours = counted();
    const apply = createConditionApplier<Thing>(ours.ruleset);
    expect(things.map(thing => apply(conditions, thing))).toEqual(expected);
    expect(ours.checks.mock.calls.map(([name]) => name).sort()).toEqual([
      'IS_KIND',
      'IS_LARGE',
    ]);
    expect(apply({ result: AuthorizeResult.ALLOW }, things[0])).toBe(true);
    expect(apply({ result: AuthorizeResult.DENY }, things[0])).toBe(false);
    expect(apply(conditions, undefined)).toBe(false);
  });

  it('refuses invalid parameters every time a condition is reached, as the framework does', () => {
    const apply = createConditionApplier<Thing>(counted().ruleset);
    const invalid = decision({
      allOf: [
        {
          rule: 'IS_KIND',
          resourceType: 'catalog-entity',
          params: { kind: 'odd' },
        },
        {
          rule: 'IS_LARGE',
          resourceType: 'catalog-entity',
          params: { over: 'ten' },
        },
      ],
    });
    // Even things stop at the first condition: the invalid one is never reached.
    expect(apply(invalid, things[0])).toBe(false);
    for (const thing of [things[1], things[3]]) {
      expect(() => apply(invalid, thing)).toThrow(
        expect.objectContaining({ name: 'InputError' }),
      );
    }
  });
});
