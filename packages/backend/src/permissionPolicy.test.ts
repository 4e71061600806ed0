import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import {
  chargebackReadPermission,
  costscopeAdminPermission,
  metricsWritePermission,
  entityBudgetUpdatePermission,
  entityCostReadPermission,
  entityRecommendationUpdatePermission,
  overviewReadPermission,
} from '@costscope/backstage-plugin-common';
import { CostscopeDemoPolicy } from './permissionPolicy';

const GROUPS: Record<string, string[]> = {
  // The demo's guest sign-in.
  'user:default/guest': ['group:default/checkout-squad'],
  'user:default/alex': ['Group:default/Platform-Team'],
  'user:default/hana.kim': ['group:default/data-team'],
  'user:default/felix.wong': ['group:default/finance'],
};

function userOf(userEntityRef: string) {
  const credentials = {
    $$type: '@backstage/BackstageCredentials',
    principal: { type: 'user', userEntityRef },
  } as BackstageCredentials;
  return {
    credentials,
    info: {
      userEntityRef,
      ownershipEntityRefs: [userEntityRef, ...(GROUPS[userEntityRef] ?? [])],
    },
  };
}

const policy = new CostscopeDemoPolicy({
  getUserInfo: async credentials => {
    const ref = (credentials.principal as { userEntityRef: string })
      .userEntityRef;
    return {
      userEntityRef: ref,
      ownershipEntityRefs: [ref, ...(GROUPS[ref] ?? [])],
    };
  },
});

const decision = (
  permission: Parameters<CostscopeDemoPolicy['handle']>[0]['permission'],
  user?: string,
) => policy.handle({ permission }, user ? userOf(user) : undefined);
const decide = async (
  permission: Parameters<CostscopeDemoPolicy['handle']>[0]['permission'],
  user?: string,
) => (await decision(permission, user)).result;

describe('CostscopeDemoPolicy', () => {
  it("hides the commerce domain's cost from the data team, by condition", async () => {
    expect(
      await decision(entityCostReadPermission, 'user:default/hana.kim'),
    ).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'costscope',
      resourceType: 'catalog-entity',
      conditions: {
        not: {
          rule: 'IS_IN_DOMAIN',
          resourceType: 'catalog-entity',
          params: { domain: 'domain:default/commerce' },
        },
      },
    });
    expect(await decide(overviewReadPermission, 'user:default/hana.kim')).toBe(
      AuthorizeResult.ALLOW,
    );
  });

  it('gives finance the chargeback and no other organisation view', async () => {
    const finance = 'user:default/felix.wong';
    expect(await decide(chargebackReadPermission, finance)).toBe(
      AuthorizeResult.ALLOW,
    );
    expect(await decide(entityCostReadPermission, finance)).toBe(
      AuthorizeResult.ALLOW,
    );
    expect(await decide(overviewReadPermission, finance)).toBe(
      AuthorizeResult.DENY,
    );
  });

  it("lets signed-in users read entities' cost and the organisation views", async () => {
    for (const user of ['user:default/guest', 'user:default/alex']) {
      for (const permission of [
        entityCostReadPermission,
        overviewReadPermission,
        chargebackReadPermission,
      ]) {
        expect(await decide(permission, user)).toBe(AuthorizeResult.ALLOW);
      }
    }
  });

  it("lets others change budgets and tips of their own group's entities only, by condition", async () => {
    for (const permission of [
      entityBudgetUpdatePermission,
      entityRecommendationUpdatePermission,
    ]) {
      expect(await decision(permission, 'user:default/guest')).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'costscope',
        resourceType: 'catalog-entity',
        conditions: {
          rule: 'IS_ENTITY_OR_ANCESTOR_OWNER',
          resourceType: 'catalog-entity',
          params: {
            claims: ['user:default/guest', 'group:default/checkout-squad'],
            ancestors: false,
          },
        },
      });
      // Platform-team administers Costscope: every entity, no condition.
      expect(await decide(permission, 'user:default/alex')).toBe(
        AuthorizeResult.ALLOW,
      );
    }
  });

  it('keeps Costscope admin actions to platform-team', async () => {
    expect(await decide(costscopeAdminPermission, 'user:default/alex')).toBe(
      AuthorizeResult.ALLOW,
    );
    expect(await decide(costscopeAdminPermission, 'user:default/guest')).toBe(
      AuthorizeResult.DENY,
    );
  });

  it('keeps sending metric values by hand to platform-team', async () => {
    expect(await decide(metricsWritePermission, 'user:default/alex')).toBe(
      AuthorizeResult.ALLOW,
    );
    expect(await decide(metricsWritePermission, 'user:default/guest')).toBe(
      AuthorizeResult.DENY,
    );
  });

  it('refuses Costscope to callers without a user', async () => {
    for (const permission of [
      entityCostReadPermission,
      entityBudgetUpdatePermission,
      overviewReadPermission,
      costscopeAdminPermission,
    ]) {
      expect(await decide(permission)).toBe(AuthorizeResult.DENY);
    }
  });

  it("leaves the other plugins' permissions open, as the demo had them", async () => {
    const catalogRead = createPermission({
      name: 'catalog.entity.read',
      attributes: { action: 'read' },
      resourceType: 'catalog-entity',
    });
    expect(await decide(catalogRead, 'user:default/guest')).toBe(
      AuthorizeResult.ALLOW,
    );
  });
});
