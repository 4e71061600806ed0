import {
  coreServices,
  createBackendModule,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  costscopeConditions,
  createCostscopeConditionalDecision,
} from '@costscope/backstage-plugin-backend';
import {
  chargebackReadPermission,
  complianceReadPermission,
  costscopeAdminPermission,
  entityBudgetUpdatePermission,
  entityCostReadPermission,
  entityRecommendationUpdatePermission,
  ingestRunsReadPermission,
  overviewReadPermission,
} from '@costscope/backstage-plugin-common';

/** Members of these groups hold `costscope.admin` in the demo. */
export const DEMO_ADMIN_GROUPS = ['group:default/platform-team'];

const allow: PolicyDecision = { result: AuthorizeResult.ALLOW };
const deny: PolicyDecision = { result: AuthorizeResult.DENY };

/**
 * The demo's policy for Costscope:
 * - reading an entity's cost and the organisation views (overview, chargeback, compliance,
 *   ingest runs): every signed-in user;
 * - `costscope.entity.budget.update` and `costscope.entity.recommendation.update`: members of
 *   {@link DEMO_ADMIN_GROUPS} for every entity, others for the entities their group owns
 *   (the condition `IS_ENTITY_OR_ANCESTOR_OWNER` without ancestors);
 * - `costscope.admin` (ingest triggers, the organisation-wide chargeback CSV, unallocated
 *   tips): members of {@link DEMO_ADMIN_GROUPS}.
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
    const { permission } = request;
    if (
      isPermission(permission, entityBudgetUpdatePermission) ||
      isPermission(permission, entityRecommendationUpdatePermission)
    ) {
      if (!user) return deny;
      const claims = await this.ownershipRefs(user);
      if (isDemoAdmin(claims)) return allow;
      return createCostscopeConditionalDecision(
        permission,
        costscopeConditions.isEntityOrAncestorOwner({
          claims,
          ancestors: false,
        }),
      );
    }
    switch (permission.name) {
      case entityCostReadPermission.name:
      case overviewReadPermission.name:
      case chargebackReadPermission.name:
      case complianceReadPermission.name:
      case ingestRunsReadPermission.name:
        return user ? allow : deny;
      case costscopeAdminPermission.name:
        return user && isDemoAdmin(await this.ownershipRefs(user))
          ? allow
          : deny;
      default:
        return allow;
    }
  }

  private async ownershipRefs(user: PolicyQueryUser): Promise<string[]> {
    return (await this.userInfo.getUserInfo(user.credentials))
      .ownershipEntityRefs;
  }
}

function isDemoAdmin(ownershipRefs: string[]): boolean {
  const refs = ownershipRefs.map(ref => ref.toLocaleLowerCase('en-US'));
  return DEMO_ADMIN_GROUPS.some(group => refs.includes(group));
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
