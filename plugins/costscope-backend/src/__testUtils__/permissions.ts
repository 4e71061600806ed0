import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  CostscopeEntityResource,
  GetEntity,
  loadEntityResources,
} from '../permissions/entityResource';
import { EntityResources } from '../service/access';
import {
  createConditionApplier,
  EntityConditions,
} from '../permissions/registerPermissions';
import { costscopeEntityRules } from '../permissions/rules';

/**
 * Costscope's conditions applied as the registry would, on entities from `getEntity` (for
 * single entities, lists and rollups alike); `below` lists what rolls up into an entity
 * (default: itself).
 */
export function entityConditionsFor(
  getEntity: GetEntity,
  below: (entityRef: string) => string[] = ref => [ref],
): EntityConditions & {
  loadSnapshotResources: EntityConditions['loadResources'];
  entitiesBelow(entityRef: string): Promise<string[]>;
  resourcesBelow(entityRef: string): Promise<EntityResources>;
} {
  const rules = Object.values(costscopeEntityRules);
  const authorize = createConditionApplier({
    getRuleByName: (name: string) => {
      const rule = rules.find(r => r.name === name);
      if (!rule) throw new Error(`no rule ${name}`);
      return rule;
    },
  } as unknown as Parameters<typeof createConditionApplier<CostscopeEntityResource>>[0]);
  return {
    applyConditions: (decision, resource) => authorize(decision, resource),
    loadResources: refs => loadEntityResources(getEntity, refs),
    loadSnapshotResources: refs => loadEntityResources(getEntity, refs),
    entitiesBelow: async ref => below(ref),
    resourcesBelow: async ref => {
      const refs = below(ref);
      const resources = await loadEntityResources(getEntity, refs);
      return new Map(refs.map((entity, i) => [entity, resources[i]]));
    },
  };
}

/** A policy for tests: what it decides for a user; services are always allowed. */
export type TestPolicy = (
  permission: Permission,
  user: string,
) => PolicyDecision;

/**
 * The permissions service on a test policy. `authorize` cannot resolve a conditional
 * decision here (no permission backend to call the plugin back), so it denies it.
 */
export function policyPermissions(policy: TestPolicy) {
  const decide = (
    permission: Permission,
    credentials: BackstageCredentials,
  ): PolicyDecision => {
    const principal = credentials.principal as any;
    if (principal.type === 'service') return { result: AuthorizeResult.ALLOW };
    if (principal.type !== 'user') return { result: AuthorizeResult.DENY };
    return policy(permission, principal.userEntityRef);
  };
  return mockServices.permissions.mock({
    authorize: async (requests, { credentials }) =>
      requests.map(({ permission }) => {
        const decision = decide(permission, credentials);
        return {
          result:
            decision.result === AuthorizeResult.ALLOW
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
        };
      }),
    authorizeConditional: async (requests, { credentials }) =>
      requests.map(({ permission }) => decide(permission, credentials)) as any,
  });
}
