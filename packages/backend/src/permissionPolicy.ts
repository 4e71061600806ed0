import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { costscopeAdminPermission } from '@costscope/backstage-plugin-common';

/** Members of these groups hold `costscope.admin` in the demo. */
export const DEMO_ADMIN_GROUPS = ['group:default/platform-team'];

/**
 * The demo's policy: Costscope admin actions (ingest triggers, any budget) need an admin
 * group; everything else is allowed to signed-in users. Budget edits are checked by the
 * Costscope backend against the entity's owning group. Adopters replace this module with
 * their own policy; see README, "Permissions".
 */
export class CostscopeDemoPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (request.permission.name === costscopeAdminPermission.name) {
      const refs = user?.info.ownershipEntityRefs ?? [];
      return {
        result: DEMO_ADMIN_GROUPS.some(group => refs.includes(group))
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      };
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

/** Installs {@link CostscopeDemoPolicy} in the permission backend. */
export const permissionModuleCostscopeDemoPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'costscope-demo-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new CostscopeDemoPolicy());
      },
    });
  },
});
