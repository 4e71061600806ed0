import { PermissionsRegistryService } from '@backstage/backend-plugin-api';
import { ConditionalPolicyDecision } from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
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
  const authorize = createConditionAuthorizer(
    registry.getPermissionRuleset(costscopeEntityResourceRef),
  );
  return {
    applyConditions: (decision, resource) => authorize(decision, resource),
    loadResources,
  };
}
