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
 * reading each catalog entity at most once per call.
 */
export async function loadEntityResources(
  getEntity: GetEntity,
  entityRefs: string[],
): Promise<Array<CostscopeEntityResource | undefined>> {
  const loaded = new Map<string, Promise<SnapshotEntity | undefined>>();
  const get = (ref: string) => {
    const key = ref.toLocaleLowerCase('en-US');
    if (!loaded.has(key)) loaded.set(key, getEntity(key));
    return loaded.get(key)!;
  };
  return Promise.all(
    entityRefs.map(async ref => {
      const entity = await get(ref);
      if (!entity) return undefined;
      const ancestors: SnapshotEntity[] = [];
      const seen = new Set([entity.ref]);
      for (let next = entity.parentRef; next && !seen.has(next); ) {
        seen.add(next);
        const parent = await get(next);
        if (!parent) break;
        ancestors.push(parent);
        next = parent.parentRef;
      }
      const owners = new Set<string>();
      for (const member of [entity, ...ancestors]) {
        let group = owningGroupOf(member);
        while (group && !owners.has(group)) {
          owners.add(group);
          const found = await get(group);
          group = found?.kind === 'group' ? found.parentRef : undefined;
        }
      }
      return {
        entity,
        ancestors,
        owner: owningGroupOf(entity),
        owners: [...owners],
      };
    }),
  );
}
