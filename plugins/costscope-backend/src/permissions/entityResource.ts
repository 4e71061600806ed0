import { SnapshotEntity } from '../allocation/catalogSnapshot';
import { owningGroupOf } from '../budgets/budgetAccess';

/**
 * A catalog entity as Costscope's permission rules see it: the entity with the chains a
 * rule needs already walked, because a rule's `apply` cannot read the catalog.
 * @public
 */
export interface CostscopeEntityResource {
  /** The entity the permission is asked for. */
  entity: SnapshotEntity;
  /** Its catalog chain upwards: system, domain, parent domains (parent groups for a group). */
  ancestors: SnapshotEntity[];
  /** The group (or user) that owns the entity itself: a group owns itself (lower-case ref). */
  owner?: string;
  /** Every owner of the entity or of an ancestor, with the owners' parent groups (lower-case refs). */
  owners: string[];
}

/** Loads entities by ref; may answer undefined for refs the catalog does not hold. */
export type GetEntity = (
  entityRef: string,
) => Promise<SnapshotEntity | undefined>;

/**
 * Loads the resources of the given refs (undefined for entities the catalog does not have),
 * reading each catalog entity at most once per call: every entity the chains walk is read
 * first, one level of the chains at a time, then each resource is put together without
 * waiting (a rollup's hundreds of entities share their system, domain and owners).
 */
export async function loadEntityResources(
  getEntity: GetEntity,
  entityRefs: string[],
): Promise<Array<CostscopeEntityResource | undefined>> {
  const lower = (ref: string) => ref.toLocaleLowerCase('en-US');
  const loaded = new Map<string, SnapshotEntity | undefined>();
  let level = [...new Set(entityRefs.map(lower))];
  while (level.length > 0) {
    const found = await Promise.all(level.map(ref => getEntity(ref)));
    const next = new Set<string>();
    level.forEach((ref, i) => loaded.set(ref, found[i]));
    for (const entity of found) {
      // What the walks below follow from an entity: its catalog parent (a parent group
      // for a group) and its owning group.
      for (const link of [entity?.parentRef, entity && owningGroupOf(entity)]) {
        if (link && !loaded.has(lower(link))) next.add(lower(link));
      }
    }
    level = [...next];
  }
  const get = (ref: string) => loaded.get(lower(ref));
  return entityRefs.map(ref => {
    const entity = get(ref);
    if (!entity) return undefined;
    const ancestors: SnapshotEntity[] = [];
    const seen = new Set([entity.ref]);
    for (let next = entity.parentRef; next && !seen.has(next); ) {
      seen.add(next);
      const parent = get(next);
      if (!parent) break;
      ancestors.push(parent);
      next = parent.parentRef;
    }
    const owners = new Set<string>();
    for (const member of [entity, ...ancestors]) {
      let group = owningGroupOf(member);
      while (group && !owners.has(group)) {
        owners.add(group);
        const found = get(group);
        group = found?.kind === 'group' ? found.parentRef : undefined;
      }
    }
    return {
      entity,
      ancestors,
      owner: owningGroupOf(entity),
      owners: [...owners],
    };
  });
}
