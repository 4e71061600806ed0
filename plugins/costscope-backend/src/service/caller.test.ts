import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { callerOf, isOwnerOrAdmin } from './caller';

describe('callerOf', () => {
  const auth = mockServices.auth();
  const userInfo = mockServices.userInfo.mock({
    getUserInfo: async () => ({
      userEntityRef: 'user:default/dana',
      ownershipEntityRefs: ['user:default/dana', 'group:default/team-a'],
    }),
  });

  it('reads a user and whether it is an admin', async () => {
    const isAllowed = jest.fn(async () => true);
    expect(
      await callerOf(mockCredentials.user('user:default/dana'), {
        auth,
        userInfo,
        isAllowed,
      }),
    ).toEqual({
      isAdmin: true,
      ownershipRefs: ['user:default/dana', 'group:default/team-a'],
      by: 'user:default/dana',
    });
    expect(isAllowed).toHaveBeenCalledWith(
      expect.anything(),
      expect.objectContaining({ name: 'costscope.admin' }),
    );
  });

  it('records a service by its subject, owning nothing', async () => {
    expect(
      await callerOf(mockCredentials.service('plugin:catalog'), {
        auth,
        userInfo,
        isAllowed: async () => false,
      }),
    ).toEqual({ isAdmin: false, ownershipRefs: [], by: 'plugin:catalog' });
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
