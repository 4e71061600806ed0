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
  metricsWritePermission,
  overviewReadPermission,
} from '@costscope/backstage-plugin-common';

/** Members of these groups hold `costscope.admin` in the demo. */
export const DEMO_ADMIN_GROUPS = ['group:default/platform-team'];

/** Members of these groups may not see the cost of the commerce domain's entities. */
export const DEMO_COMMERCE_BLIND_GROUPS = ['group:default/data-team'];

/** The demo's commerce domain, hidden from {@link DEMO_COMMERCE_BLIND_GROUPS}. */
export const DEMO_HIDDEN_DOMAIN = 'domain:default/commerce';

/** Members of these groups see the chargeback and entities' cost, not the other organisation views. */
export const DEMO_FINANCE_GROUPS = ['group:default/finance'];

const allow: PolicyDecision = { result: AuthorizeResult.ALLOW };
const deny: PolicyDecision = { result: AuthorizeResult.DENY };

/**
 * The demo's policy for Costscope:
 * - reading an entity's cost: every signed-in user, except that members of
 *   {@link DEMO_COMMERCE_BLIND_GROUPS} (the data team) do not see the commerce domain's
 *   entities (the condition `IS_IN_DOMAIN`, negated): those answer 404 to them, and the
 *   rollups that hold them show their cost as one "not visible to you" line;
 * - the organisation views (overview, chargeback, compliance, ingest runs): every signed-in
 *   user, except {@link DEMO_FINANCE_GROUPS}, who get the chargeback only;
 * - `costscope.entity.budget.update` and `costscope.entity.recommendation.update`: members of
 *   {@link DEMO_ADMIN_GROUPS} for every entity, others for the entities their group owns
 *   (the condition `IS_ENTITY_OR_ANCESTOR_OWNER` without ancestors);
 * - `costscope.admin` (ingest triggers, the organisation-wide chargeback CSV, unallocated
 *   tips) and `costscope.metrics.write` (sending business metric values by hand; pipelines use
 *   service tokens): members of {@link DEMO_ADMIN_GROUPS}.
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
      case entityCostReadPermission.name: {
        if (!user) return deny;
        const claims = await this.ownershipRefs(user);
        return inGroups(claims, DEMO_COMMERCE_BLIND_GROUPS)
          ? createCostscopeConditionalDecision(entityCostReadPermission, {
              not: costscopeConditions.isInDomain({
                domain: DEMO_HIDDEN_DOMAIN,
              }),
            })
          : allow;
      }
      case chargebackReadPermission.name:
        return user ? allow : deny;
      case overviewReadPermission.name:
      case complianceReadPermission.name:
      case ingestRunsReadPermission.name:
        if (!user) return deny;
        return inGroups(await this.ownershipRefs(user), DEMO_FINANCE_GROUPS)
          ? deny
          : allow;
      case costscopeAdminPermission.name:
      case metricsWritePermission.name:
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

function inGroups(ownershipRefs: string[], groups: string[]): boolean {
  const refs = ownershipRefs.map(ref => ref.toLocaleLowerCase('en-US'));
  return groups.some(group => refs.includes(group));
}

function isDemoAdmin(ownershipRefs: string[]): boolean {
  return inGroups(ownershipRefs, DEMO_ADMIN_GROUPS);
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
