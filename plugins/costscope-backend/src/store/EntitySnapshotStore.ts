import { Knex } from 'knex';
import { SnapshotEntity } from '../allocation/catalogSnapshot';
import { GetEntity } from '../permissions/entityResource';

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
   * A getter for one check over many entities: the refs asked for while the check walks its
   * entities and their ancestors are read together, one read per level of the chains
   * (entities, then their systems, domains, owner groups...), instead of the whole snapshot
   * or one read per entity.
   */
  batchedGetter(): GetEntity {
    type Waiting = {
      resolve(entity: SnapshotEntity | undefined): void;
      reject(error: unknown): void;
    };
    let pending = new Map<string, Waiting[]>();
    const flush = async () => {
      const asked = pending;
      pending = new Map();
      const waiting = [...asked.values()].flat();
      try {
        const found = await this.entitiesOf([...asked.keys()]);
        for (const [ref, waiters] of asked) {
          for (const waiter of waiters) waiter.resolve(found.get(ref));
        }
      } catch (error) {
        for (const waiter of waiting) waiter.reject(error);
      }
    };
    return ref =>
      new Promise((resolve, reject) => {
        // setImmediate, not a microtask: the other entities of a level ask in the
        // microtasks that the previous read's answer sets off.
        if (pending.size === 0) setImmediate(flush);
        pending.set(ref, [...(pending.get(ref) ?? []), { resolve, reject }]);
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
