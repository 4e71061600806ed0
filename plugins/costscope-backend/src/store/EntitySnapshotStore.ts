import { Knex } from 'knex';
import { SnapshotEntity } from '../allocation/catalogSnapshot';
import { GetEntity } from '../permissions/entityResource';

/**
 * The `costscope_state` key of the allocation's fingerprint, the snapshot's version: a hash
 * of the catalog entities the snapshot is written from (and of the allocation's other
 * inputs), written in the transaction that writes the snapshot. The allocation skips a
 * rebuild when it is unchanged, so an equal value means an equal snapshot; a rebuild for
 * new facts alone keeps it.
 */
export const ALLOCATION_FINGERPRINT_KEY = 'allocation_fingerprint';

/** Refs per `IN (...)` list: SQLite allows 999 parameters per statement. */
const IN_CHUNK = 500;

interface EntityRow {
  entity_ref: string;
  kind: string;
  title: string | null;
  owner_ref: string | null;
  parent_ref: string | null;
}

/**
 * The catalog snapshot of the last allocation (`costscope_entities`, `costscope_entity_ancestors`),
 * read for visibility checks over many entities at once.
 */
export class EntitySnapshotStore {
  constructor(private readonly knex: Knex) {}

  /** The entities of these (lower-case) refs that the snapshot holds. */
  async entitiesOf(refs: string[]): Promise<Map<string, SnapshotEntity>> {
    const unique = [...new Set(refs)];
    const rows: EntityRow[] = [];
    for (let i = 0; i < unique.length; i += IN_CHUNK) {
      rows.push(
        ...(await this.columns().whereIn(
          'entity_ref',
          unique.slice(i, i + IN_CHUNK),
        )),
      );
    }
    return toEntities(rows);
  }

  /**
   * The entities of these refs with every entity their checks walk: what their cost rolls up
   * into (system, domains, owner groups and their parents) and what that rolls up into (the
   * owners of the system and domains), read through `costscope_entity_ancestors` in one
   * statement per 250 refs.
   */
  async entitiesWithAncestors(
    refs: string[],
  ): Promise<Map<string, SnapshotEntity>> {
    const unique = [...new Set(refs)];
    const rows: EntityRow[] = [];
    // Each chunk is bound twice.
    const size = IN_CHUNK / 2;
    for (let i = 0; i < unique.length; i += size) {
      const chunk = unique.slice(i, i + size);
      rows.push(
        ...(await this.columns()
          .whereIn('entity_ref', chunk)
          .orWhereIn('entity_ref', builder =>
            builder
              .select('a2.ancestor_ref')
              .from('costscope_entity_ancestors as a1')
              .join(
                'costscope_entity_ancestors as a2',
                'a2.entity_ref',
                'a1.ancestor_ref',
              )
              .whereIn('a1.entity_ref', chunk),
          )),
      );
    }
    return toEntities(rows);
  }

  /**
   * The entity, every entity whose cost rolls up into it (`below`), and every entity their
   * checks walk (as {@link entitiesWithAncestors}), in one statement keyed on the entity:
   * a rollup's visibility reads what its own entities need, not a list of their refs.
   */
  async belowWithAncestors(
    entityRef: string,
  ): Promise<{ below: string[]; entities: Map<string, SnapshotEntity> }> {
    const ref = entityRef.toLocaleLowerCase('en-US');
    const rows: Array<EntityRow & { below: number | string }> = await this.knex(
      'costscope_entities',
    )
      .select('entity_ref', 'kind', 'title', 'owner_ref', 'parent_ref')
      .select(
        this.knex.raw(
          `CASE WHEN EXISTS (SELECT 1 FROM costscope_entity_ancestors x
               WHERE x.entity_ref = costscope_entities.entity_ref AND x.ancestor_ref = ?)
             THEN 1 ELSE 0 END as below`,
          [ref],
        ),
      )
      // Nested IN lists, not joins: each level is a small distinct set, where the joins
      // multiply the rows by the chains' lengths twice before dropping the duplicates.
      .whereIn('entity_ref', walked =>
        walked
          .select('ancestor_ref')
          .from('costscope_entity_ancestors')
          .whereIn('entity_ref', rolledInto =>
            rolledInto
              .select('ancestor_ref')
              .from('costscope_entity_ancestors')
              .whereIn('entity_ref', below =>
                below
                  .select('entity_ref')
                  .from('costscope_entity_ancestors')
                  .where('ancestor_ref', ref),
              ),
          ),
      );
    return {
      below: rows.filter(row => Number(row.below) === 1).map(r => r.entity_ref),
      entities: toEntities(rows),
    };
  }

  /**
   * A getter for one check over many entities. The first refs asked for are read with their
   * ancestors ({@link entitiesWithAncestors}), so that walking their chains needs no other
   * read; refs asked later that this did not bring are read together, one read per level
   * of the chains. Never the whole snapshot, never one read per entity. With `read`, the
   * entities already read: only refs it does not hold are read, level by level.
   */
  batchedGetter(read?: Map<string, SnapshotEntity>): GetEntity {
    type Waiting = {
      resolve(entity: SnapshotEntity | undefined): void;
      reject(error: unknown): void;
    };
    const known = new Map<string, SnapshotEntity | undefined>(read);
    let first = !read;
    let pending = new Map<string, Waiting[]>();
    const flush = async () => {
      const asked = pending;
      pending = new Map();
      const refs = [...asked.keys()];
      try {
        const found = first
          ? await this.entitiesWithAncestors(refs)
          : await this.entitiesOf(refs);
        first = false;
        for (const [ref, entity] of found) known.set(ref, entity);
        for (const ref of refs) {
          const entity = found.get(ref);
          known.set(ref, entity);
          for (const waiter of asked.get(ref)!) waiter.resolve(entity);
        }
      } catch (error) {
        for (const waiter of [...asked.values()].flat()) waiter.reject(error);
      }
    };
    return ref =>
      known.has(ref)
        ? Promise.resolve(known.get(ref))
        : new Promise((resolve, reject) => {
            // setImmediate, not a microtask: the other entities of a level ask in the
            // microtasks that the previous read's answer sets off.
            if (pending.size === 0) setImmediate(flush);
            pending.set(ref, [
              ...(pending.get(ref) ?? []),
              { resolve, reject },
            ]);
          });
  }

  private columns() {
    return this.knex<EntityRow>('costscope_entities').select(
      'entity_ref',
      'kind',
      'title',
      'owner_ref',
      'parent_ref',
    );
  }

  /** The snapshot's version ({@link ALLOCATION_FINGERPRINT_KEY}); undefined before the first allocation. */
  async version(): Promise<string | undefined> {
    const row = await this.knex('costscope_state')
      .where({ key: ALLOCATION_FINGERPRINT_KEY })
      .first('value');
    return row?.value;
  }

  /** Every entity ref of the snapshot. */
  async refs(): Promise<string[]> {
    const rows = await this.knex('costscope_entities').select('entity_ref');
    return rows.map(row => row.entity_ref);
  }

  /** The entity and every entity whose cost rolls up into it (its catalog and owner trees). */
  async below(entityRef: string): Promise<string[]> {
    const rows = await this.knex('costscope_entity_ancestors')
      .where('ancestor_ref', entityRef.toLocaleLowerCase('en-US'))
      .select('entity_ref');
    return rows.map(row => row.entity_ref);
  }
}

function toEntities(rows: EntityRow[]): Map<string, SnapshotEntity> {
  return new Map(
    rows.map(row => [
      row.entity_ref,
      {
        ref: row.entity_ref,
        kind: row.kind,
        // Stored refs are complete (`kind:namespace/name`): the name follows the slash.
        name: row.entity_ref.slice(row.entity_ref.indexOf('/') + 1),
        ...(row.title !== null ? { title: row.title } : {}),
        ...(row.owner_ref !== null ? { ownerRef: row.owner_ref } : {}),
        ...(row.parent_ref !== null ? { parentRef: row.parent_ref } : {}),
        annotations: {},
      },
    ]),
  );
}
