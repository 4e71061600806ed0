import { Knex } from 'knex';

/**
 * Every entity's entities below it, itself included (`costscope_entity_ancestors`): whose
 * cost rolls up into it. Lower-case refs.
 */
export async function readEntitiesBelow(
  knex: Knex,
): Promise<Map<string, string[]>> {
  const below = new Map<string, string[]>();
  for (const row of await knex('costscope_entity_ancestors').select(
    'entity_ref',
    'ancestor_ref',
  )) {
    const list = below.get(row.ancestor_ref);
    if (list) list.push(row.entity_ref);
    else below.set(row.ancestor_ref, [row.entity_ref]);
  }
  return below;
}
