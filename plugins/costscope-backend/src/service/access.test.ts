import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { costReadPermission } from '@costscope/backstage-plugin-common';
import { DefaultCostscopeAccess, isOwnerOrAdmin } from './access';

describe('DefaultCostscopeAccess', () => {
  const auth = mockServices.auth();
  const userInfo = mockServices.userInfo.mock({
    getUserInfo: async () => ({
      userEntityRef: 'user:default/dana',
      ownershipEntityRefs: ['user:default/dana', 'group:default/team-a'],
    }),
  });
  const accessWith = (allowed: boolean, known: string[] = []) => {
    const authorize = jest.fn(async (requests: unknown[]) =>
      requests.map(() => ({
        result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
      })),
    );
    const access = new DefaultCostscopeAccess({
      auth,
      httpAuth: mockServices.httpAuth(),
      userInfo,
      permissions: mockServices.permissions.mock({
        authorize: authorize as any,
      }),
      directory: { getEntity: async () => undefined },
      entityExists: async ref => known.includes(ref),
    });
    return { access, authorize };
  };

  it('reads a user and whether it is an admin', async () => {
    const { access, authorize } = accessWith(true);
    expect(
      await access.caller(mockCredentials.user('user:default/dana')),
    ).toEqual({
      isAdmin: true,
      ownershipRefs: ['user:default/dana', 'group:default/team-a'],
      by: 'user:default/dana',
    });
    expect(authorize).toHaveBeenCalledWith(
      [{ permission: expect.objectContaining({ name: 'costscope.admin' }) }],
      expect.anything(),
    );
  });

  it('records a service by its subject, owning nothing', async () => {
    const { access } = accessWith(false);
    expect(
      await access.caller(mockCredentials.service('plugin:catalog')),
    ).toEqual({ isAdmin: false, ownershipRefs: [], by: 'plugin:catalog' });
  });

  it('refuses a denied permission with a message naming it', async () => {
    const { access } = accessWith(false);
    await expect(
      access.authorize(mockCredentials.user(), costReadPermission),
    ).rejects.toThrow(
      'You may not read Costscope cost data (permission costscope.cost.read).',
    );
    await expect(
      access.authorize(mockCredentials.user(), costReadPermission, 'No.'),
    ).rejects.toMatchObject({ name: 'NotAllowedError', message: 'No.' });
  });

  it('answers 404 for an entity the last allocation does not know', async () => {
    const { access } = accessWith(true, ['component:default/api']);
    await expect(
      access.requireKnownEntity('component:default/api'),
    ).resolves.toBeUndefined();
    await expect(
      access.requireKnownEntity('component:default/gone'),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message:
        'entity component:default/gone is not known to Costscope (not in the catalog, or not yet allocated)',
    });
  });
});

describe('isOwnerOrAdmin', () => {
  const member = {
    isAdmin: false,
    ownershipRefs: ['user:default/dana', 'Group:default/Team-A'],
  };

  it('admits members of the owning group, in any case, and admins', () => {
    expect(isOwnerOrAdmin(member, 'group:default/team-a')).toBe(true);
    expect(isOwnerOrAdmin(member, 'group:default/team-b')).toBe(false);
    expect(isOwnerOrAdmin(member, undefined)).toBe(false);
    expect(
      isOwnerOrAdmin({ isAdmin: true, ownershipRefs: [] }, undefined),
    ).toBe(true);
  });
});
