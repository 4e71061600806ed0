import { Knex } from 'knex';
import { RuleRow } from './summaryAnswer';

/** Every mapping rule of the stored allocation, as stored (ids as numbers). */
export async function readAllocRules(db: Knex): Promise<RuleRow[]> {
  const rows = await db('costscope_alloc_rules').select(
    'id',
    'entity_ref',
    'origin',
    'rule',
  );
  return rows.map(row => ({ ...row, id: Number(row.id) }));
}
