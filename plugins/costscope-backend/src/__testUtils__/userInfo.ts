import { mockServices } from '@backstage/backend-test-utils';

/** Backstage's user info service where each user owns itself and its groups in `groups`. */
export function userInfoWithGroups(groups: Record<string, string[]>) {
  return mockServices.userInfo.mock({
    getUserInfo: async credentials => {
      const ref = (credentials.principal as any).userEntityRef;
      return {
        userEntityRef: ref,
        ownershipEntityRefs: [ref, ...(groups[ref] ?? [])],
      };
    },
  }).factory;
}
