import { Knex } from 'knex';
import { CostBasis } from '@costscope/backstage-plugin-common';

const sum = (column: string) => `CAST(SUM(${column}) AS TEXT)`;

/**
 * Checks, in exact integers, that allocation is a partition and every rollup adds up:
 * - org: allocated + unallocated == total == sum of facts;
 * - system/domain: rollup == direct + rollups of its catalog children;
 * - group: rollup == direct + direct cost of the entities it owns + rollups of child groups.
 * Returns the mismatches (empty when all hold) and the figures checked.
 */
export async function checkRollupInvariants(
  knex: Knex,
  /** The basis whose columns are checked (each must hold on its own). */
  basis: CostBasis = 'billed',
) {
  const column = `${basis}_nanos`;
  const mismatches: string[] = [];
  const factsTotal = BigInt(
    (await knex('costscope_cost_facts').first(knex.raw(`${sum(column)} as c`)))
      ?.c ?? '0',
  );
  const org = await knex('costscope_rollup_daily')
    .where({ entity_ref: '*' })
    .select(knex.raw(`CASE WHEN rule_id IS NULL THEN 'u' ELSE 'a' END as part`))
    .select(knex.raw(`${sum(column)} as c`))
    .groupByRaw(`CASE WHEN rule_id IS NULL THEN 'u' ELSE 'a' END`);
  const allocated = BigInt(org.find(r => r.part === 'a')?.c ?? '0');
  const unallocated = BigInt(org.find(r => r.part === 'u')?.c ?? '0');
  if (allocated + unallocated !== factsTotal) {
    mismatches.push(
      `org: allocated ${allocated} + unallocated ${unallocated} != facts ${factsTotal}`,
    );
  }

  // Direct cost per entity, straight from the facts, a split node fact by its parts.
  const directRows = await knex('costscope_cost_facts as f')
    .join('costscope_alloc_keys as k', 'k.alloc_key', 'f.alloc_key')
    .join('costscope_alloc_rules as r', 'r.id', 'k.rule_id')
    .whereNotExists(
      knex('costscope_k8s_split_facts as s').whereRaw('s.fact_id = f.id'),
    )
    .select('r.entity_ref')
    .select(knex.raw(`${sum(`f.${column}`)} as c`))
    .groupBy('r.entity_ref');
  const partRows = await knex('costscope_k8s_parts as p')
    .join('costscope_alloc_rules as r', 'r.id', 'p.rule_id')
    .select('r.entity_ref')
    .select(knex.raw(`${sum(`p.${column}`)} as c`))
    .groupBy('r.entity_ref');
  const direct = new Map<string, bigint>();
  for (const r of [...directRows, ...partRows]) {
    direct.set(r.entity_ref, (direct.get(r.entity_ref) ?? 0n) + BigInt(r.c));
  }
  const directTotal = [...direct.values()].reduce((a, b) => a + b, 0n);
  if (directTotal !== allocated) {
    mismatches.push(
      `sum of direct allocations ${directTotal} != allocated ${allocated}`,
    );
  }

  const rollupRows = await knex('costscope_rollup_daily')
    .whereNot({ entity_ref: '*' })
    .select('entity_ref')
    .select(knex.raw(`${sum(column)} as c`))
    .groupBy('entity_ref');
  const rollup = new Map<string, bigint>(
    rollupRows.map(r => [r.entity_ref, BigInt(r.c)]),
  );
  const entities = await knex('costscope_entities').select();
  const of = (map: Map<string, bigint>, ref: string) => map.get(ref) ?? 0n;

  for (const e of entities) {
    let expected = of(direct, e.entity_ref);
    for (const child of entities) {
      if (e.kind === 'group') {
        if (child.kind === 'group' && child.parent_ref === e.entity_ref) {
          expected += of(rollup, child.entity_ref);
        } else if (child.kind !== 'group' && child.owner_ref === e.entity_ref) {
          expected += of(direct, child.entity_ref);
        }
      } else if (child.parent_ref === e.entity_ref && child.kind !== 'group') {
        expected += of(rollup, child.entity_ref);
      }
    }
    if (expected !== of(rollup, e.entity_ref)) {
      mismatches.push(
        `${e.entity_ref}: rollup ${of(
          rollup,
          e.entity_ref,
        )} != parts ${expected}`,
      );
    }
  }
  return { mismatches, factsTotal, allocated, unallocated, direct, rollup };
}
