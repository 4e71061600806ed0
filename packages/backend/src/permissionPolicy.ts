import {
  coreServices,
  createBackendModule,
  UserInfoService,
} from '@backstage/backend-plugin-api';
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
import {
  budgetUpdatePermission,
  costReadPermission,
  costscopeAdminPermission,
} from '@costscope/backstage-plugin-common';

/** Members of these groups hold `costscope.admin` in the demo. */
export const DEMO_ADMIN_GROUPS = ['group:default/platform-team'];

const allow: PolicyDecision = { result: AuthorizeResult.ALLOW };
const deny: PolicyDecision = { result: AuthorizeResult.DENY };

/**
 * The demo's policy for Costscope:
 * - `costscope.cost.read`: every signed-in user;
 * - `costscope.budget.update`: every signed-in user, because Costscope itself then requires
 *   membership of the entity's owning group (or `costscope.admin`) — the policy cannot check
 *   that, as the permission names no entity;
 * - `costscope.admin` (ingest triggers, the organisation-wide chargeback CSV, every budget and
 *   tip): members of {@link DEMO_ADMIN_GROUPS}.
 * The other plugins' permissions are allowed. Backend services (and static API tokens) never
 * reach a policy: the framework allows them. Adopters replace this module with their own
 * policy; see the Costscope backend README, "Permissions".
 */
export class CostscopeDemoPolicy implements PermissionPolicy {
  constructor(private readonly userInfo: UserInfoService) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    switch (request.permission.name) {
      case costReadPermission.name:
      case budgetUpdatePermission.name:
        return user ? allow : deny;
      case costscopeAdminPermission.name:
        return (await this.isAdmin(user)) ? allow : deny;
      default:
        return allow;
    }
  }

  private async isAdmin(user?: PolicyQueryUser): Promise<boolean> {
    if (!user) return false;
    const { ownershipEntityRefs } = await this.userInfo.getUserInfo(
      user.credentials,
    );
    const refs = ownershipEntityRefs.map(ref => ref.toLocaleLowerCase('en-US'));
    return DEMO_ADMIN_GROUPS.some(group => refs.includes(group));
  }
}

/** Installs {@link CostscopeDemoPolicy} in the permission backend. */
export const permissionModuleCostscopeDemoPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'costscope-demo-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, userInfo: coreServices.userInfo },
      async init({ policy, userInfo }) {
        policy.setPolicy(new CostscopeDemoPolicy(userInfo));
      },
    });
  },
});
