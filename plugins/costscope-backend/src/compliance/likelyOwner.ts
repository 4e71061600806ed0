import { LikelyOwner, OwnerEvidence } from '@costscope/backstage-plugin-common';
import {
  compareCodePoints,
  foldCase,
  normaliseText,
  slug,
  tagValueText,
} from './text';

/** What the owner guess needs of a catalog entity. */
export interface KnownEntity {
  /** Entity ref, e.g. `component:default/checkout-api`. */
  ref: string;
  /** `metadata.name`. */
  name: string;
  /** `component`, `system`, `resource`, `group`, `user` (any case). */
  kind: string;
  /** The owning group or user, for components, systems and resources. */
  ownerRef?: string;
  /** Accounts, subscriptions or projects mapped to the entity. */
  accountIds?: string[];
}

/** The resource whose owner is guessed. */
export interface OwnerGuessResource {
  resourceId: string;
  resourceName?: string;
  accountId?: string;
  /** Its tags (inventory when present, else billing); values as parsed from JSON. */
  tags: Record<string, unknown>;
}

export interface LikelyOwnerOptions {
  /** Tag keys whose value names a team or person. Default: team, owner, squad, group, contact. */
  ownerTagKeys?: string[];
  /**
   * Tag keys whose value names a component or system. Default: service, app, application,
   * component, system, project.
   */
  entityTagKeys?: string[];
}

const DEFAULT_OWNER_TAG_KEYS = ['team', 'owner', 'squad', 'group', 'contact'];
const DEFAULT_ENTITY_TAG_KEYS = [
  'service',
  'app',
  'application',
  'component',
  'system',
  'project',
];
const OWNER_KINDS = new Set(['group', 'user']);

/**
 * The keys to guess owners by in an organisation: the defaults plus the tag keys its
 * allocation conventions already map to groups and components.
 */
export function likelyOwnerOptionsFor(conventions: {
  groupTagKeys: string[];
  componentTagKeys: string[];
}): Required<LikelyOwnerOptions> {
  return {
    ownerTagKeys: [
      ...new Set([...DEFAULT_OWNER_TAG_KEYS, ...conventions.groupTagKeys]),
    ],
    entityTagKeys: [
      ...new Set([...DEFAULT_ENTITY_TAG_KEYS, ...conventions.componentTagKeys]),
    ],
  };
}
/** Shorter component names would match too many resource names by prefix. */
const MIN_PREFIX_LENGTH = 3;

/**
 * Weights of clues. A high-confidence guess needs an ownership tag that names a group or
 * user exactly, or several agreeing clues.
 */
const WEIGHT = {
  ownerTagExact: 4,
  entityTagExact: 3,
  tagExactOtherKind: 2,
  tagNearMatch: 2,
  account: 2,
  namePrefix: 1,
} as const;

interface Clue {
  ownerRef: string;
  entityRef?: string;
  weight: number;
  evidence: OwnerEvidence;
}

/** The owner to ask about an entity, and the entity itself unless it is an owner. */
function ownerOf(
  entity: KnownEntity,
): { ownerRef: string; entityRef?: string } | undefined {
  if (OWNER_KINDS.has(foldCase(entity.kind))) return { ownerRef: entity.ref };
  if (!entity.ownerRef) return undefined;
  return { ownerRef: entity.ownerRef, entityRef: entity.ref };
}

function describeEntity(entity: KnownEntity): string {
  return `${foldCase(entity.kind)} ${entity.name}`;
}

/** `alice@example.com` -> `alice`; other values unchanged. */
function localPart(value: string): string {
  const at = value.indexOf('@');
  return at > 0 ? value.slice(0, at) : value;
}

/** The last segment of an ARN or path, which often carries the resource's name. */
function nameFromId(resourceId: string): string {
  const parts = resourceId.split(/[:/]/).filter(p => p !== '');
  return parts[parts.length - 1] ?? resourceId;
}

/**
 * Guesses whom to ask about an unallocated resource, from three kinds of clue:
 * - its other tags: an ownership tag (`team`, `owner`, ...) naming a group or user, or an
 *   entity tag (`service`, `app`, ...) naming a component or system (whose owner is asked),
 *   compared ignoring case, spaces and Unicode form, and as near matches ignoring
 *   punctuation (`Checkout_API` is `checkout-api`); an e-mail's local part names a user;
 * - its account, when an entity has the account mapped;
 * - its name (or the last segment of its id) starting with a component's name
 *   (`checkout-api-worker-3`), the longest such name winning.
 *
 * Clues add up per owner; the owner with the most weight wins (ties go to the first ref in
 * code-point order, with low confidence). Returns undefined when there is no clue.
 */
export function likelyOwner(
  resource: OwnerGuessResource,
  entities: KnownEntity[],
  options: LikelyOwnerOptions = {},
): LikelyOwner | undefined {
  const ownerKeys = new Set(
    (options.ownerTagKeys ?? DEFAULT_OWNER_TAG_KEYS).map(k =>
      foldCase(normaliseText(k)),
    ),
  );
  const entityKeys = new Set(
    (options.entityTagKeys ?? DEFAULT_ENTITY_TAG_KEYS).map(k =>
      foldCase(normaliseText(k)),
    ),
  );
  const clues: Clue[] = [];

  // Tags.
  for (const [rawKey, rawValue] of Object.entries(resource.tags)) {
    const key = foldCase(normaliseText(rawKey));
    const isOwnerKey = ownerKeys.has(key);
    if (!isOwnerKey && !entityKeys.has(key)) continue;
    const text = tagValueText(rawValue);
    if (!('text' in text)) continue;
    const value = normaliseText(text.text);
    if (value === '') continue;
    const candidates = [value];
    if (isOwnerKey && localPart(value) !== value)
      candidates.push(localPart(value));

    for (const entity of entities) {
      const owner = ownerOf(entity);
      if (!owner) continue;
      const isOwnerKind = OWNER_KINDS.has(foldCase(entity.kind));
      const name = foldCase(normaliseText(entity.name));
      const ref = foldCase(normaliseText(entity.ref));
      let weight: number | undefined;
      if (candidates.some(c => foldCase(c) === name || foldCase(c) === ref)) {
        if (isOwnerKey && isOwnerKind) weight = WEIGHT.ownerTagExact;
        else if (!isOwnerKey && !isOwnerKind) weight = WEIGHT.entityTagExact;
        else weight = WEIGHT.tagExactOtherKind;
      } else if (
        slug(name) !== '' &&
        candidates.some(c => slug(c) === slug(name))
      ) {
        weight = WEIGHT.tagNearMatch;
      }
      if (weight === undefined) continue;
      clues.push({
        ...owner,
        weight,
        evidence: {
          kind: 'tag',
          detail: `tag ${normaliseText(
            rawKey,
          )}=${value} matches ${describeEntity(entity)}`,
        },
      });
    }
  }

  // Account.
  if (resource.accountId) {
    const accountId = normaliseText(resource.accountId);
    for (const entity of entities) {
      if (!entity.accountIds?.some(id => normaliseText(id) === accountId))
        continue;
      const owner = ownerOf(entity);
      if (!owner) continue;
      clues.push({
        ...owner,
        weight: WEIGHT.account,
        evidence: {
          kind: 'account',
          detail: `account ${accountId} is mapped to ${describeEntity(entity)}`,
        },
      });
    }
  }

  // Name prefix.
  const resourceName = foldCase(
    normaliseText(resource.resourceName ?? nameFromId(resource.resourceId)),
  );
  let prefixEntity: KnownEntity | undefined;
  let prefixLength = 0;
  for (const entity of entities) {
    if (foldCase(entity.kind) !== 'component') continue;
    const name = foldCase(normaliseText(entity.name));
    if (name.length < MIN_PREFIX_LENGTH) continue;
    const matches =
      resourceName === name ||
      (resourceName.startsWith(name) &&
        /^[-_./: ]/.test(resourceName.slice(name.length)));
    if (matches && name.length > prefixLength) {
      prefixEntity = entity;
      prefixLength = name.length;
    }
  }
  const prefixOwner = prefixEntity && ownerOf(prefixEntity);
  if (prefixEntity && prefixOwner) {
    clues.push({
      ...prefixOwner,
      weight: WEIGHT.namePrefix,
      evidence: {
        kind: 'name',
        detail: `name ${
          resource.resourceName ?? resource.resourceId
        } starts with ${describeEntity(prefixEntity)}`,
      },
    });
  }

  if (clues.length === 0) return undefined;

  // Add up per owner.
  const byOwner = new Map<string, Clue[]>();
  for (const clue of clues) {
    const list = byOwner.get(clue.ownerRef);
    if (list) list.push(clue);
    else byOwner.set(clue.ownerRef, [clue]);
  }
  const ranked = [...byOwner]
    .map(([ownerRef, list]) => ({
      ownerRef,
      list,
      total: list.reduce((sum, c) => sum + c.weight, 0),
    }))
    .sort(
      (a, b) => b.total - a.total || compareCodePoints(a.ownerRef, b.ownerRef),
    );
  const [best, second] = ranked;

  let confidence: LikelyOwner['confidence'];
  if (second && second.total === best.total) confidence = 'low';
  else if (
    best.list.some(c => c.weight === WEIGHT.ownerTagExact) ||
    best.total >= 5
  ) {
    confidence = 'high';
  } else if (best.total >= 3) confidence = 'medium';
  else confidence = 'low';
  // A strong rival makes any guess less sure.
  if (second && second.total * 2 >= best.total && confidence === 'high') {
    confidence = 'medium';
  }

  const strongest = [...best.list]
    .filter(c => c.entityRef)
    .sort((a, b) => b.weight - a.weight)[0];
  return {
    ownerRef: best.ownerRef,
    ...(strongest?.entityRef ? { entityRef: strongest.entityRef } : {}),
    evidence: [...best.list]
      .sort((a, b) => b.weight - a.weight)
      .map(c => c.evidence),
    confidence,
  };
}
