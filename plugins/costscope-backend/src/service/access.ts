import { Request } from 'express';
import {
  AuthService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  costReadPermission,
  costscopeAdminPermission,
} from '@costscope/backstage-plugin-common';
import { SnapshotEntity } from '../allocation/catalogSnapshot';
import { owningGroupOf } from '../budgets/budgetAccess';
import { EntityDirectory } from '../budgets/BudgetService';

/** Who is asking, as far as changing an entity's Costscope settings cares. */
export interface Caller {
  /** The user's own ref and the groups it belongs to; empty for services. */
  ownershipRefs: string[];
  /** Holds `costscope.admin`: may change everything. */
  isAdmin: boolean;
  /** Recorded as the author of a change: the user's ref, or the calling service. */
  by: string;
}

/**
 * Everything the routes ask about the caller and the entity of a request: who is calling,
 * what the permission policy grants them, which group owns an entity, and whether Costscope
 * knows the entity at all. One module, so that every route decides access the same way.
 */
export interface CostscopeAccess {
  /** The request's credentials (401 without a valid token). */
  credentials(req: Request): Promise<BackstageCredentials>;
  /** Whether the policy grants the permission. */
  isAllowed(
    credentials: BackstageCredentials,
    permission: BasicPermission,
  ): Promise<boolean>;
  /** Throws NotAllowedError (with the message, when given) unless the permission is granted. */
  authorize(
    credentials: BackstageCredentials,
    permission: BasicPermission,
    message?: string,
  ): Promise<void>;
  /** The request's credentials, after checking the permission (401, then 403). */
  authorizeRequest(
    req: Request,
    permission: BasicPermission,
    message?: string,
  ): Promise<BackstageCredentials>;
  /** The caller's identity, groups and whether it holds `costscope.admin`. */
  caller(credentials: BackstageCredentials): Promise<Caller>;
  /** The entity as the catalog has it now, if it exists. */
  catalogEntity(entityRef: string): Promise<SnapshotEntity | undefined>;
  /** Throws NotFoundError unless the last allocation knows the entity. */
  requireKnownEntity(entityRef: string): Promise<void>;
}

/** The message of a 403 for a permission the policy refused. */
export function refusal(permission: BasicPermission): string {
  switch (permission.name) {
    case costReadPermission.name:
      return `You may not read Costscope cost data (permission ${permission.name}).`;
    case costscopeAdminPermission.name:
      return `Only Costscope admins may do this (permission ${permission.name}).`;
    default:
      return `You may not do this (permission ${permission.name}).`;
  }
}

/** The 404 of an entity that the last allocation's catalog snapshot does not hold. */
export function unknownEntityError(entityRef: string): NotFoundError {
  return new NotFoundError(
    `entity ${entityRef} is not known to Costscope (not in the catalog, or not yet allocated)`,
  );
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

/** The group whose members may change an entity's settings (re-exported for the routes). */
export { owningGroupOf };

export interface DefaultCostscopeAccessOptions {
  auth: AuthService;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  /** The catalog, read with the plugin's own credentials. */
  directory: Pick<EntityDirectory, 'getEntity'>;
  /** Whether the last allocation's catalog snapshot holds the entity. */
  entityExists(entityRef: string): Promise<boolean>;
}

/** Access decided by Backstage's permission framework and the catalog's ownership. */
export class DefaultCostscopeAccess implements CostscopeAccess {
  constructor(private readonly options: DefaultCostscopeAccessOptions) {}

  credentials(req: Request): Promise<BackstageCredentials> {
    return this.options.httpAuth.credentials(req);
  }

  async isAllowed(
    credentials: BackstageCredentials,
    permission: BasicPermission,
  ): Promise<boolean> {
    const [decision] = await this.options.permissions.authorize(
      [{ permission }],
      { credentials },
    );
    return decision.result === AuthorizeResult.ALLOW;
  }

  async authorize(
    credentials: BackstageCredentials,
    permission: BasicPermission,
    message?: string,
  ): Promise<void> {
    if (!(await this.isAllowed(credentials, permission))) {
      throw new NotAllowedError(message ?? refusal(permission));
    }
  }

  async authorizeRequest(
    req: Request,
    permission: BasicPermission,
    message?: string,
  ): Promise<BackstageCredentials> {
    const credentials = await this.credentials(req);
    await this.authorize(credentials, permission, message);
    return credentials;
  }

  async caller(credentials: BackstageCredentials): Promise<Caller> {
    const { auth, userInfo } = this.options;
    const isAdmin = await this.isAllowed(credentials, costscopeAdminPermission);
    if (auth.isPrincipal(credentials, 'user')) {
      const info = await userInfo.getUserInfo(credentials);
      return {
        isAdmin,
        ownershipRefs: info.ownershipEntityRefs,
        by: info.userEntityRef,
      };
    }
    const subject = auth.isPrincipal(credentials, 'service')
      ? credentials.principal.subject
      : 'unknown';
    return { isAdmin, ownershipRefs: [], by: subject };
  }

  catalogEntity(entityRef: string): Promise<SnapshotEntity | undefined> {
    return this.options.directory.getEntity(entityRef);
  }

  async requireKnownEntity(entityRef: string): Promise<void> {
    if (!(await this.options.entityExists(entityRef))) {
      throw unknownEntityError(entityRef);
    }
  }
}
