import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import {
  budgetUpdatePermission,
  costReadPermission,
  costscopeAdminPermission,
} from '@costscope/backstage-plugin-common';
import { CostscopeDemoPolicy } from './permissionPolicy';

const GROUPS: Record<string, string[]> = {
  // The demo's guest sign-in.
  'user:default/guest': ['group:default/checkout-squad'],
  'user:default/alex': ['Group:default/Platform-Team'],
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

const decide = async (
  permission: Parameters<CostscopeDemoPolicy['handle']>[0]['permission'],
  user?: string,
) =>
  (await policy.handle({ permission }, user ? userOf(user) : undefined)).result;

describe('CostscopeDemoPolicy', () => {
  it('lets signed-in users read and ask to change budgets (Costscope checks the owning group)', async () => {
    for (const user of ['user:default/guest', 'user:default/alex']) {
      expect(await decide(costReadPermission, user)).toBe(
        AuthorizeResult.ALLOW,
      );
      expect(await decide(budgetUpdatePermission, user)).toBe(
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

  it('refuses Costscope to callers without a user', async () => {
    for (const permission of [
      costReadPermission,
      budgetUpdatePermission,
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
