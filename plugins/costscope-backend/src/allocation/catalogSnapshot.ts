import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';

/** Kinds that cost can be allocated to and rolled up into. */
export const ALLOCATABLE_KINDS = [
  'Component',
  'Resource',
  'System',
  'Domain',
  'Group',
];

/**
 * What allocation (and Costscope's permission rules) need of a catalog entity.
 * @public
 */
export interface SnapshotEntity {
  /** The entity ref, lower-case. */
  ref: string;
  /** The kind, lower-case. */
  kind: string;
  name: string;
  title?: string;
  /** The owner's entity ref, lower-case (none for a group: a group owns itself). */
  ownerRef?: string;
  /** The entity it belongs to in the catalog tree: system, domain or parent group. */
  parentRef?: string;
  annotations: Record<string, string>;
}

function refOrUndefined(
  value: unknown,
  defaultKind: string,
  defaultNamespace: string,
): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(value, { defaultKind, defaultNamespace }),
    ).toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}

/** Reduces catalog entities to the fields allocation uses. */
export function toSnapshot(entity: Entity): SnapshotEntity {
  const namespace = entity.metadata.namespace ?? 'default';
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const kind = entity.kind.toLocaleLowerCase('en-US');
  let parentRef: string | undefined;
  if (kind === 'component' || kind === 'resource') {
    parentRef = refOrUndefined(spec.system, 'system', namespace);
  } else if (kind === 'system') {
    parentRef = refOrUndefined(spec.domain, 'domain', namespace);
  } else if (kind === 'domain') {
    parentRef = refOrUndefined(spec.subdomainOf, 'domain', namespace);
  } else if (kind === 'group') {
    parentRef = refOrUndefined(spec.parent, 'group', namespace);
  }
  return {
    // Refs are case-insensitive in the catalog; stored lower-case so lookups match.
    ref: stringifyEntityRef(entity).toLocaleLowerCase('en-US'),
    kind,
    name: entity.metadata.name,
    title: entity.metadata.title,
    ownerRef:
      kind === 'group'
        ? undefined
        : refOrUndefined(spec.owner, 'group', namespace),
    parentRef,
    annotations: entity.metadata.annotations ?? {},
  };
}

/**
 * Every entity a cost allocated to `ref` rolls up into, `ref` included: its catalog chain
 * (component -> system -> domain -> parent domains) and its owner chain (owner group ->
 * parent groups). An entity's cost goes to its own owner, not to the owner of its system,
 * so each allocated line is counted once per group tree.
 */
export function computeAncestors(
  entities: Map<string, SnapshotEntity>,
): Map<string, Set<string>> {
  const result = new Map<string, Set<string>>();
  const climb = (start: string | undefined, into: Set<string>) => {
    let current = start;
    while (current && entities.has(current) && !into.has(current)) {
      into.add(current);
      current = entities.get(current)!.parentRef;
    }
  };
  for (const entity of entities.values()) {
    const ancestors = new Set<string>([entity.ref]);
    climb(entity.parentRef, ancestors);
    climb(entity.ownerRef, ancestors);
    result.set(entity.ref, ancestors);
  }
  return result;
}

/** How people name an entity: its title, or a group's display name. */
export function displayTitleOf(entity: Entity): string | undefined {
  const profile = (entity.spec as { profile?: { displayName?: unknown } })
    ?.profile;
  return (
    entity.metadata.title ??
    (typeof profile?.displayName === 'string' ? profile.displayName : undefined)
  );
}
