import {
  AuthService,
  BackstageCredentials,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { BasicPermission } from '@backstage/plugin-permission-common';
import { costscopeAdminPermission } from '@costscope/backstage-plugin-common';

/** Who is asking, as far as changing an entity's Costscope settings cares. */
export interface Caller {
  /** The user's own ref and the groups it belongs to; empty for services. */
  ownershipRefs: string[];
  /** Holds `costscope.admin`: may change everything. */
  isAdmin: boolean;
  /** Recorded as the author of a change: the user's ref, or the calling service. */
  by: string;
}

/** Reads the caller's identity and whether it holds `costscope.admin`. */
export async function callerOf(
  credentials: BackstageCredentials,
  services: {
    auth: AuthService;
    userInfo: UserInfoService;
    isAllowed: (
      credentials: BackstageCredentials,
      permission: BasicPermission,
    ) => Promise<boolean>;
  },
): Promise<Caller> {
  const isAdmin = await services.isAllowed(
    credentials,
    costscopeAdminPermission,
  );
  if (services.auth.isPrincipal(credentials, 'user')) {
    const info = await services.userInfo.getUserInfo(credentials);
    return {
      isAdmin,
      ownershipRefs: info.ownershipEntityRefs,
      by: info.userEntityRef,
    };
  }
  const subject = services.auth.isPrincipal(credentials, 'service')
    ? credentials.principal.subject
    : 'unknown';
  return { isAdmin, ownershipRefs: [], by: subject };
}

/** Admins, and members of the owning group when there is one. */
export function isOwnerOrAdmin(
  caller: Pick<Caller, 'isAdmin' | 'ownershipRefs'>,
  owningGroup: string | undefined,
): boolean {
  if (caller.isAdmin) return true;
  if (!owningGroup) return false;
  const group = owningGroup.toLocaleLowerCase('en-US');
  return caller.ownershipRefs.some(
    ref => ref.toLocaleLowerCase('en-US') === group,
  );
}
