import { PermissionsRegistryService } from '@backstage/backend-plugin-api';
import {
  ConditionalPolicyDecision,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  PermissionRule,
  PermissionRuleset,
} from '@backstage/plugin-permission-node';
import { costscopePermissions } from '@costscope/backstage-plugin-common';
import {
  CostscopeEntityResource,
  GetEntity,
  loadEntityResources,
} from './entityResource';
import { costscopeEntityResourceRef, costscopeEntityRules } from './rules';

/** How Costscope applies its own conditions to its entities. */
export interface EntityConditions {
  applyConditions(
    decision: ConditionalPolicyDecision,
    resource: CostscopeEntityResource,
  ): boolean;
  loadResources(
    entityRefs: string[],
  ): Promise<Array<CostscopeEntityResource | undefined>>;
}

/**
 * Registers Costscope's permissions and its rules on `catalog-entity`. `getResources` lets
 * the permission framework apply Costscope conditions to an entity ref on behalf of any
 * caller of `authorize` (it reads the catalog with `getEntity`).
 */
export function registerCostscopePermissions(
  registry: PermissionsRegistryService,
  getEntity: GetEntity,
): EntityConditions {
  const loadResources = (refs: string[]) =>
    loadEntityResources(getEntity, refs);
  registry.addPermissions(costscopePermissions);
  registry.addResourceType({
    resourceRef: costscopeEntityResourceRef,
    rules: Object.values(costscopeEntityRules),
    getResources: loadResources,
  });
  const authorize = createConditionApplier(
    registry.getPermissionRuleset(costscopeEntityResourceRef),
  );
  return {
    applyConditions: (decision, resource) => authorize(decision, resource),
    loadResources,
  };
}

/**
 * Applies a decision's conditions as the framework's `createConditionAuthorizer` does, but
 * checks each condition's parameters once per decision instead of once per entity: a rollup
 * applies one decision to hundreds of entities, and the check (zod) cost more than the rules
 * themselves (bench:api, team-summary-restricted-uncached). Parameters are still checked
 * when a condition is first reached, and refused with the framework's error.
 */
export function createConditionApplier<TResource>(
  ruleset: PermissionRuleset<TResource>,
): (decision: PolicyDecision, resource: TResource | undefined) => boolean {
  const rules = new Map<string, PermissionRule<TResource, unknown, string>>();
  return createConditionAuthorizer<TResource>({
    getRuleByName: name => {
      let rule = rules.get(name);
      if (!rule) {
        const registered = ruleset.getRuleByName(name);
        rule = {
          ...registered,
          paramsSchema: checkedOnce(registered.paramsSchema),
        } as PermissionRule<TResource, unknown, string>;
        rules.set(name, rule);
      }
      return rule;
    },
  });
}

/**
 * A Standard Schema that keeps its answer per parameters object: a decision's conditions
 * are the same objects for every entity it is applied to. Other schemas (zod v3, which the
 * framework checks with `safeParse`) are left as they are.
 */
function checkedOnce(schema: unknown): unknown {
  const standard = (
    schema as { '~standard'?: { validate?: unknown } } | null
  )?.['~standard'];
  if (!standard || typeof standard.validate !== 'function') return schema;
  const validate = standard.validate as (params: unknown) => unknown;
  const answers = new WeakMap<object, unknown>();
  return {
    '~standard': {
      ...standard,
      validate: (params: unknown) => {
        if (typeof params !== 'object' || params === null) {
          return validate(params);
        }
        if (!answers.has(params)) answers.set(params, validate(params));
        return answers.get(params);
      },
    },
  };
}
