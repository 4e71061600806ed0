import { createHash } from 'node:crypto';
import { Request } from 'express';
import {
  AuditorService,
  AuthService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  catalogEntityReadPermission,
  RESOURCE_TYPE_CATALOG_ENTITY,
} from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  BasicPermission,
  ConditionalPolicyDecision,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  chargebackReadPermission,
  complianceReadPermission,
  costscopeAdminPermission,
  entityCostReadPermission,
  ingestRunsReadPermission,
  metricsWritePermission,
  overviewReadPermission,
} from '@costscope/backstage-plugin-common';
import { SnapshotEntity } from '../allocation/catalogSnapshot';
import { parseEntityRefParams } from './parseRequest';
import { EntityDirectory } from '../budgets/BudgetService';
import { CostscopeEntityResource } from '../permissions/entityResource';
import { costscopeEntityResourceRef } from '../permissions/rules';
import { canonicalJson, HiddenSetCache } from './HiddenSetCache';

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
  /**
   * Whether the policy grants an entity permission for this entity, conditions applied
   * (an entity the catalog does not hold meets no condition).
   */
  isAllowedOn(
    credentials: BackstageCredentials,
    permission: EntityPermission,
    entityRef: string,
  ): Promise<boolean>;
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
  /**
   * A read of the entity's cost: undefined unless the policy grants
   * `costscope.entity.cost.read` on the entity, else what of its rollup the caller may see
   * (as {@link visibilityBelow}). The policy is asked once for both.
   */
  entityCostRead(
    credentials: BackstageCredentials,
    entityRef: string,
  ): Promise<Visibility | undefined>;
  /**
   * What of the entity's rollup the caller may see, with a key to keep answers by: the
   * hidden set is computed only when an answer is not kept already. Hidden, here and below:
   * entities the catalog does not let the caller read, and those the policy does not grant
   * `costscope.entity.cost.read` on (lower-case refs).
   */
  visibilityBelow(
    credentials: BackstageCredentials,
    entityRef: string,
  ): Promise<Visibility>;
  /** The hidden entities among the entity and every entity whose cost rolls up into it. */
  hiddenBelow(
    credentials: BackstageCredentials,
    entityRef: string,
  ): Promise<ReadonlySet<string>>;
  /** The hidden entities among every entity of the last allocation. */
  hiddenInOrganisation(
    credentials: BackstageCredentials,
  ): Promise<ReadonlySet<string>>;
  /** {@link hiddenInOrganisation} with a key to keep answers by, as {@link visibilityBelow}. */
  visibilityInOrganisation(
    credentials: BackstageCredentials,
  ): Promise<Visibility>;
  /** The entity as the catalog has it now, if it exists. */
  catalogEntity(entityRef: string): Promise<SnapshotEntity | undefined>;
  /** Throws NotFoundError unless the last allocation knows the entity. */
  requireKnownEntity(entityRef: string): Promise<void>;
}

/** Which entities of a rollup are hidden from a caller. */
export interface Visibility {
  /** Equal keys mean equal hidden sets; empty when nothing is hidden. */
  key: string;
  /** The hidden entities (lower-case refs), computed on first use. */
  hidden(): Promise<ReadonlySet<string>>;
}

/** Nothing hidden. */
export const EVERYTHING_VISIBLE: Visibility = {
  key: '',
  hidden: async () => new Set(),
};

/**
 * Whether the caller sees every entity, known without computing a hidden set: such callers
 * may be served the answers kept for everyone.
 */
export function seesEverything(visibility: Visibility): boolean {
  return visibility.key === '';
}

/**
 * What a caller may see of an entity's Kubernetes cost: below the entity, and anywhere in the
 * organisation, asked only for a cluster's owner (whose whole split names any entity).
 */
export interface KubernetesCallerVisibility {
  below: Visibility;
  organisation(): Promise<Visibility>;
}

/** Entities (lower-case refs) with their resources; undefined where none is known. */
export type EntityResources = ReadonlyMap<
  string,
  CostscopeEntityResource | undefined
>;

/** The entities a visibility check is about. */
interface EntityScope {
  /** Their refs. */
  refs(): Promise<string[]>;
  /** Their refs with their resources, for Costscope's own conditions. */
  resources(): Promise<EntityResources>;
  /**
   * Whether the resources read last came from more than the snapshot (the catalog, for an
   * entity the snapshot does not hold yet): such a hidden set is not kept.
   */
  readBeyondSnapshot?(): boolean;
}

/** Each ref with its resource from `load`. */
async function withResources(
  refs: string[],
  load: DefaultCostscopeAccessOptions['loadResources'],
): Promise<EntityResources> {
  const lowered = refs.map(ref => ref.toLocaleLowerCase('en-US'));
  const resources = await load(lowered);
  return new Map(lowered.map((ref, i) => [ref, resources[i]]));
}

/** A Costscope permission on one catalog entity. */
export type EntityPermission = ResourcePermission<
  typeof RESOURCE_TYPE_CATALOG_ENTITY
>;

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

/** The message of a 403 for a permission the policy refused. */
export function refusal(permission: BasicPermission): string {
  switch (permission.name) {
    case overviewReadPermission.name:
      return `You may not read Costscope's organisation overview (permission ${permission.name}).`;
    case chargebackReadPermission.name:
      return `You may not read the chargeback report (permission ${permission.name}).`;
    case complianceReadPermission.name:
      return `You may not read the organisation's tag compliance (permission ${permission.name}).`;
    case ingestRunsReadPermission.name:
      return `You may not read Costscope's ingest runs (permission ${permission.name}).`;
    case metricsWritePermission.name:
      return `You may not send business metric values (permission ${permission.name}).`;
    case costscopeAdminPermission.name:
      return `Only Costscope admins may do this (permission ${permission.name}).`;
    default:
      return `You may not do this (permission ${permission.name}).`;
  }
}

/** The 404 of an entity that the last allocation's catalog snapshot does not hold. */
export function unknownEntityError(entityRef: string): NotFoundError {
  return new NotFoundError(
    `entity ${entityRef} is not known to Costscope (not in the catalog, not yet allocated, or not visible to you)`,
  );
}

/**
 * The request's credentials, after checking an entity permission for the entity (401
 * first). A refusal is audited with the entity ref. It answers 404 like an entity that does
 * not exist (`notFound`, default {@link unknownEntityError}), so that a caller learns nothing
 * of entities hidden from them; a caller who may read the entity's cost gets a 403 instead.
 */
export async function authorizeEntityRequest(
  access: CostscopeAccess,
  auditor: AuditorService,
  req: Request,
  permission: EntityPermission,
  /** The entity's ref, or how to parse it: parsed after the credentials, so 401 comes before 400. */
  ref: string | (() => string),
  notFound?: (entityRef: string) => Error,
): Promise<{ credentials: BackstageCredentials; entityRef: string }> {
  const credentials = await access.credentials(req);
  const entityRef = typeof ref === 'string' ? ref : ref();
  if (await access.isAllowedOn(credentials, permission, entityRef)) {
    return { credentials, entityRef };
  }
  const readable =
    permission.name !== entityCostReadPermission.name &&
    (await access.isAllowedOn(
      credentials,
      entityCostReadPermission,
      entityRef,
    ));
  const error = readable
    ? new NotAllowedError(
        `You may not do this to ${entityRef} (permission ${permission.name}).`,
      )
    : (notFound ?? unknownEntityError)(entityRef);
  return refuseEntityRequest(auditor, req, permission, entityRef, error);
}

/** Audits the refusal of an entity permission, then throws its error. */
async function refuseEntityRequest(
  auditor: AuditorService,
  req: Request,
  permission: EntityPermission,
  entityRef: string,
  error: Error,
): Promise<never> {
  const event = await auditor.createEvent({
    eventId: 'entity-access-refused',
    severityLevel: 'medium',
    request: req,
    meta: { permission: permission.name, entityRef },
  });
  await event.fail({ error });
  throw error;
}

/**
 * A read of one entity's cost (`costscope.entity.cost.read` on the entity named by the route's
 * `kind`, `namespace` and `name`, refused as {@link authorizeEntityRequest} does), and what of
 * its rollup the caller may see.
 */
export async function authorizeEntityCostRead(
  access: CostscopeAccess,
  auditor: AuditorService,
  req: Request,
): Promise<{ entityRef: string; visibility: Visibility }> {
  const credentials = await access.credentials(req);
  const entityRef = parseEntityRefParams(req.params);
  const visibility = await access.entityCostRead(credentials, entityRef);
  if (!visibility) {
    return refuseEntityRequest(
      auditor,
      req,
      entityCostReadPermission,
      entityRef,
      unknownEntityError(entityRef),
    );
  }
  return { entityRef, visibility };
}

export interface DefaultCostscopeAccessOptions {
  auth: AuthService;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  /** Applies Costscope's conditions to a resource (from the permissions registry's ruleset). */
  applyConditions(
    decision: ConditionalPolicyDecision,
    resource: CostscopeEntityResource,
  ): boolean;
  /** Loads the resources Costscope's rules apply to, from the catalog (one entity's checks). */
  loadResources(
    entityRefs: string[],
  ): Promise<Array<CostscopeEntityResource | undefined>>;
  /**
   * Loads them from the last allocation's catalog snapshot, for lists and rollups: one read
   * however many entities, where the catalog would be asked once per entity.
   */
  loadSnapshotResources(
    entityRefs: string[],
  ): Promise<Array<CostscopeEntityResource | undefined>>;
  /** The entity and the entities whose cost rolls up into it, in the last allocation. */
  entitiesBelow(entityRef: string): Promise<string[]>;
  /**
   * The same entities with their resources from the snapshot, read together and keyed on
   * the entity: what Costscope's own conditions need, read only when a decision has them.
   */
  resourcesBelow(entityRef: string): Promise<EntityResources>;
  /** Every entity of the last allocation. */
  allEntities(): Promise<string[]>;
  /**
   * Keeps the hidden sets of Costscope's own conditions per snapshot version and decision;
   * without it every request computes its own.
   */
  hiddenSets?: Pick<HiddenSetCache, 'get' | 'version'>;
  /** The catalog, read with the plugin's own credentials. */
  directory: Pick<EntityDirectory, 'getEntity'>;
  /** Whether the last allocation's catalog snapshot holds the entity. */
  entityExists(entityRef: string): Promise<boolean>;
}

/** What the policy decided for a caller: the permissions asked, with their decisions. */
interface Decided {
  credentials: BackstageCredentials;
  asked: EntityPermission[];
  decisions: PolicyDecision[];
  /**
   * The snapshot's version as this request first read it for a kept hidden set: an entity's
   * check and its rollup's then cost one read, not two one after the other.
   */
  snapshotVersion?: Promise<string | undefined>;
}

/** A decision with Costscope's own conditions, which Costscope applies itself. */
function isCostscopeConditional(
  decision: PolicyDecision,
): decision is ConditionalPolicyDecision {
  return (
    decision.result === AuthorizeResult.CONDITIONAL &&
    decision.pluginId === costscopeEntityResourceRef.pluginId &&
    decision.resourceType === costscopeEntityResourceRef.resourceType
  );
}

/** Access decided by Backstage's permission framework and the catalog's ownership. */
export class DefaultCostscopeAccess implements CostscopeAccess {
  constructor(private readonly options: DefaultCostscopeAccessOptions) {}

  /**
   * One entity as Costscope's rules see it: from the last allocation's snapshot, as its cost
   * is (one local read instead of a catalog request per ancestor), or from the catalog when
   * the snapshot does not hold it yet (a new entity's budget).
   */
  private oneEntity(entityRef: string): EntityScope {
    let beyondSnapshot = false;
    return {
      refs: async () => [entityRef],
      resources: () =>
        withResources([entityRef], async refs => {
          const fromSnapshot = await this.options.loadSnapshotResources(refs);
          if (fromSnapshot.every(Boolean)) return fromSnapshot;
          beyondSnapshot = true;
          return this.options.loadResources(refs);
        }),
      readBeyondSnapshot: () => beyondSnapshot,
    };
  }

  credentials(req: Request): Promise<BackstageCredentials> {
    return this.options.httpAuth.credentials(req);
  }

  async isAllowedOn(
    credentials: BackstageCredentials,
    permission: EntityPermission,
    entityRef: string,
  ): Promise<boolean> {
    return this.isAllowedAfter(
      await this.decide(credentials, permission),
      entityRef,
    );
  }

  async entityCostRead(
    credentials: BackstageCredentials,
    entityRef: string,
  ): Promise<Visibility | undefined> {
    const decided = await this.decide(credentials, entityCostReadPermission);
    if (!(await this.isAllowedAfter(decided, entityRef))) return undefined;
    return this.visibilityBelowAfter(decided, entityRef);
  }

  async visibilityBelow(
    credentials: BackstageCredentials,
    entityRef: string,
  ): Promise<Visibility> {
    return this.visibilityBelowAfter(
      await this.decide(credentials, entityCostReadPermission),
      entityRef,
    );
  }

  private async isAllowedAfter(
    decided: Decided,
    entityRef: string,
  ): Promise<boolean> {
    const visibility = await this.visibility(
      decided,
      this.oneEntity(entityRef),
      `entity:${entityRef.toLocaleLowerCase('en-US')}`,
    );
    return (await visibility.hidden()).size === 0;
  }

  private visibilityBelowAfter(
    decided: Decided,
    entityRef: string,
  ): Promise<Visibility> {
    return this.visibility(
      decided,
      {
        refs: () => this.options.entitiesBelow(entityRef),
        resources: () => this.options.resourcesBelow(entityRef),
      },
      `below:${entityRef}`,
    );
  }

  async hiddenBelow(
    credentials: BackstageCredentials,
    entityRef: string,
  ): Promise<ReadonlySet<string>> {
    return (await this.visibilityBelow(credentials, entityRef)).hidden();
  }

  async hiddenInOrganisation(
    credentials: BackstageCredentials,
  ): Promise<ReadonlySet<string>> {
    return (await this.visibilityInOrganisation(credentials)).hidden();
  }

  async visibilityInOrganisation(
    credentials: BackstageCredentials,
  ): Promise<Visibility> {
    return this.visibility(
      await this.decide(credentials, entityCostReadPermission),
      {
        refs: () => this.options.allEntities(),
        resources: async () =>
          withResources(
            await this.options.allEntities(),
            this.options.loadSnapshotResources,
          ),
      },
      'organisation',
    );
  }

  /** The policy's decisions on the catalog's own read permission and on `permission`. */
  private async decide(
    credentials: BackstageCredentials,
    permission: EntityPermission,
  ): Promise<Decided> {
    const asked = [catalogEntityReadPermission, permission];
    const decisions = await this.options.permissions.authorizeConditional(
      asked.map(p => ({ permission: p })),
      { credentials },
    );
    return { credentials, asked, decisions };
  }

  /**
   * The entities the caller may not read with the catalog's own permission, or may not be
   * granted the permission on. Both decisions are asked first, so that an unconditional
   * answer (the common case) costs no catalog or snapshot read. An answer from Costscope's
   * own conditions depends on the decisions and the snapshot only: its key is the
   * decisions', and the set is computed when first needed (and kept per snapshot version
   * and decisions, with `hiddenSets`).
   */
  private async visibility(
    decided: Decided,
    entities: EntityScope,
    /** Names the entities, to keep the answer per allocation. */
    scope?: string,
  ): Promise<Visibility> {
    const { credentials, asked, decisions } = decided;
    if (decisions.every(d => d.result === AuthorizeResult.ALLOW)) {
      return EVERYTHING_VISIBLE;
    }
    const compute = () =>
      this.refusedByAll(credentials, asked, decisions, entities);
    const { hiddenSets } = this.options;
    // Another plugin's conditions (the catalog's own rules) are answered by that plugin from
    // its data now, which changes between allocations: such sets are neither keyed by the
    // decisions nor kept, every request asks. Only Costscope's own conditions, applied to
    // the snapshot, give a set that the snapshot's version and the decisions determine.
    const fromSnapshotOnly = decisions.every(
      d =>
        d.result !== AuthorizeResult.CONDITIONAL ||
        d.pluginId === costscopeEntityResourceRef.pluginId,
    );
    if (scope && fromSnapshotOnly) {
      const decisionKey = canonicalJson(decisions);
      let hidden: Promise<ReadonlySet<string>> | undefined;
      return {
        key: `policy:${digest(`${scope}\n${decisionKey}`)}`,
        // Unconditional decisions (allow, deny) need no set kept: the refs are the answer.
        hidden: () =>
          (hidden ??=
            hiddenSets && decisions.some(isCostscopeConditional)
              ? hiddenSets.get(
                  scope,
                  decisionKey,
                  async () => ({
                    hidden: await compute(),
                    keep: !entities.readBeyondSnapshot?.(),
                  }),
                  (decided.snapshotVersion ??= hiddenSets.version()),
                )
              : compute()),
      };
    }
    const hidden = await compute();
    return {
      key:
        hidden.size === 0 ? '' : `set:${digest([...hidden].sort().join('\n'))}`,
      hidden: async () => hidden,
    };
  }

  private async refusedByAll(
    credentials: BackstageCredentials,
    asked: EntityPermission[],
    decisions: PolicyDecision[],
    entities: EntityScope,
  ): Promise<Set<string>> {
    // Costscope's own conditions need the resources: then the refs come with them, in one
    // read; otherwise the refs alone are read.
    const resources = decisions.some(isCostscopeConditional)
      ? await entities.resources()
      : undefined;
    const refs = resources
      ? [...resources.keys()]
      : (await entities.refs()).map(ref => ref.toLocaleLowerCase('en-US'));
    const refused = new Set<string>();
    for (let i = 0; i < asked.length; i++) {
      const pending = refs.filter(ref => !refused.has(ref));
      for (const ref of await this.refusedBy(
        credentials,
        asked[i],
        decisions[i],
        pending,
        resources,
      )) {
        refused.add(ref);
      }
    }
    return refused;
  }

  private async refusedBy(
    credentials: BackstageCredentials,
    permission: EntityPermission,
    decision: PolicyDecision,
    refs: string[],
    /** Read when a decision has Costscope's own conditions. */
    resources: EntityResources | undefined,
  ): Promise<string[]> {
    if (refs.length === 0 || decision.result === AuthorizeResult.ALLOW) {
      return [];
    }
    if (decision.result !== AuthorizeResult.CONDITIONAL) return refs;
    if (isCostscopeConditional(decision)) {
      return refs.filter(ref => {
        const resource = resources?.get(ref);
        return !resource || !this.options.applyConditions(decision, resource);
      });
    }
    // Another plugin's conditions (the catalog's own rules): the framework asks that plugin,
    // for all the entities in one request.
    const answers = await this.options.permissions.authorize(
      refs.map(resourceRef => ({ permission, resourceRef })),
      { credentials },
    );
    return refs.filter((_, i) => answers[i].result !== AuthorizeResult.ALLOW);
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
