import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { z } from 'zod/v4';
import { CostscopeEntityResource } from './entityResource';

/**
 * What a Costscope rule becomes for filtering: Costscope filters entities in memory, so the
 * query is the rule's own predicate.
 * @public
 */
export type CostscopeEntityQuery = (
  resource: CostscopeEntityResource,
) => boolean;

/**
 * Costscope's view of the `catalog-entity` resource type, under the plugin id `costscope`.
 * @public
 */
export const costscopeEntityResourceRef = createPermissionResourceRef<
  CostscopeEntityResource,
  CostscopeEntityQuery
>().with({ pluginId: 'costscope', resourceType: RESOURCE_TYPE_CATALOG_ENTITY });

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/**
 * Normalised forms of rule parameters, kept: a list or rollup applies one decision's rules
 * to hundreds of entities, and parsing and case-folding the same parameter each time cost
 * more than the rest of the check (bench:api, team-summary-restricted-uncached).
 */
class Memo<T> {
  private readonly kept = new Map<string, T>();
  constructor(private readonly compute: (key: string) => T) {}

  get(key: string): T {
    let value = this.kept.get(key);
    if (value === undefined) {
      // Parameters come from the policy: few distinct values; the bound only guards memory.
      if (this.kept.size >= 1000) this.kept.clear();
      value = this.compute(key);
      this.kept.set(key, value);
    }
    return value;
  }
}

/** The domain's lower-case ref, or null for a malformed ref (it names no domain). */
const domainRefs = new Memo<string | null>(domain => {
  try {
    return lower(
      stringifyEntityRef(
        parseEntityRef(domain, {
          defaultKind: 'domain',
          defaultNamespace: 'default',
        }),
      ),
    );
  } catch {
    return null;
  }
});

const lowerRefs = new Memo<string>(lower);

function isInDomain(
  resource: CostscopeEntityResource,
  domain: string,
): boolean {
  const wanted = domainRefs.get(domain);
  if (wanted === null) return false;
  if (resource.entity.kind === 'domain' && resource.entity.ref === wanted) {
    return true;
  }
  return resource.ancestors.some(
    entity => entity.kind === 'domain' && entity.ref === wanted,
  );
}

function isOwnedBy(
  resource: CostscopeEntityResource,
  claims: string[],
  ancestors: boolean,
): boolean {
  const refs = new Set(claims.map(claim => lowerRefs.get(claim)));
  if (!ancestors) return !!resource.owner && refs.has(resource.owner);
  return resource.owners.some(owner => refs.has(owner));
}

const kindParams = z.object({
  kinds: z
    .array(z.string())
    .describe('Entity kinds, case-insensitive, e.g. `["group", "domain"]`.'),
});

const inDomainParams = z.object({
  domain: z
    .string()
    .describe(
      'The domain, as an entity ref (`domain:default/payments` or `payments`).',
    ),
});

const ownerParams = z.object({
  claims: z
    .array(z.string())
    .describe(
      "The caller's ownership refs (user and groups), as user info lists them.",
    ),
  ancestors: z
    .boolean()
    .optional()
    .describe(
      'Also match owners of its system and domains and their parent groups (default true); false matches the owner of the entity only.',
    ),
});

/** Costscope's rules on catalog entities, for conditional decisions on its entity permissions. @public */
export const costscopeEntityRules = {
  isEntityKind: createPermissionRule({
    name: 'IS_ENTITY_KIND',
    description:
      'Allow entities of the given kinds, e.g. every group, so that a condition on domains still shows teams.',
    resourceRef: costscopeEntityResourceRef,
    paramsSchema: kindParams,
    apply: (resource, { kinds }) =>
      kinds.some(kind => lowerRefs.get(kind) === resource.entity.kind),
    toQuery:
      ({ kinds }) =>
      resource =>
        kinds.some(kind => lowerRefs.get(kind) === resource.entity.kind),
  }),
  isInDomain: createPermissionRule({
    name: 'IS_IN_DOMAIN',
    description:
      'Allow entities in the given domain: the domain itself, its subdomains, their systems and the systems\u2019 components and resources.',
    resourceRef: costscopeEntityResourceRef,
    paramsSchema: inDomainParams,
    apply: (resource, { domain }) => isInDomain(resource, domain),
    toQuery:
      ({ domain }) =>
      resource =>
        isInDomain(resource, domain),
  }),
  isEntityOrAncestorOwner: createPermissionRule({
    name: 'IS_ENTITY_OR_ANCESTOR_OWNER',
    description:
      'Allow entities owned by one of the claims, or whose system or domain is (a group owns itself; parent groups of an owner own too).',
    resourceRef: costscopeEntityResourceRef,
    paramsSchema: ownerParams,
    apply: (resource, { claims, ancestors }) =>
      isOwnedBy(resource, claims, ancestors ?? true),
    toQuery:
      ({ claims, ancestors }) =>
      resource =>
        isOwnedBy(resource, claims, ancestors ?? true),
  }),
};

const conditionExports = createConditionExports({
  resourceRef: costscopeEntityResourceRef,
  rules: costscopeEntityRules,
});

/**
 * Conditions for a permission policy's conditional decisions on Costscope's entity
 * permissions, e.g. `costscopeConditions.isInDomain({ domain: 'payments' })`.
 * @public
 */
export const costscopeConditions = conditionExports.conditions;

/** Wraps Costscope conditions into a policy's conditional decision. @public */
export const createCostscopeConditionalDecision =
  conditionExports.createConditionalDecision;
