import { parseEntityRef } from '@backstage/catalog-model';
import { Knex } from 'knex';
import { SnapshotEntity } from '../allocation/catalogSnapshot';

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

  /** Every entity of the snapshot, by ref. Annotations are not kept in the snapshot. */
  async entities(): Promise<Map<string, SnapshotEntity>> {
    const rows: EntityRow[] = await this.knex('costscope_entities').select(
      'entity_ref',
      'kind',
      'title',
      'owner_ref',
      'parent_ref',
    );
    return new Map(
      rows.map(row => [
        row.entity_ref,
        {
          ref: row.entity_ref,
          kind: row.kind,
          name: parseEntityRef(row.entity_ref).name,
          ...(row.title !== null ? { title: row.title } : {}),
          ...(row.owner_ref !== null ? { ownerRef: row.owner_ref } : {}),
          ...(row.parent_ref !== null ? { parentRef: row.parent_ref } : {}),
          annotations: {},
        },
      ]),
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
