import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { ROLLUP_VERSION_KEY } from './RollupReadCache';
import {
  AllocatedEntityRow,
  AllocationRuleRow,
  KeyAllocation,
  KeyToAllocate,
} from './types';
import { takeWriteLock } from './writeLock';

const CHUNK = 500;

/** The entity ref of the whole bill in the rollup table. */
export const ORG_REF = '*';

/** What an allocation writes: the catalog tree, the rules and each key's outcome. */
export interface AllocationResult {
  entities: AllocatedEntityRow[];
  /** Per entity ref, the refs it rolls up into (itself included). */
  ancestors: Map<string, Set<string>>;
  rules: AllocationRuleRow[];
  keys: Map<string, KeyAllocation>;
}

async function insertChunked(
  tx: Knex.Transaction,
  table: string,
  rows: object[],
) {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await tx(table).insert(rows.slice(i, i + CHUNK));
  }
}

/** Reads allocation inputs and writes an allocation with its rolled-up daily totals. */
export class AllocationStore {
  constructor(private readonly knex: Knex) {}

  async listKeys(): Promise<KeyToAllocate[]> {
    const rows = await this.knex('costscope_alloc_keys').select(
      'alloc_key',
      'sub_account_id',
      'tags',
    );
    return rows.map(row => ({
      allocKey: row.alloc_key,
      subAccountId: row.sub_account_id,
      tags: row.tags,
    }));
  }

  async getState(key: string): Promise<string | undefined> {
    const row = await this.knex('costscope_state').where({ key }).first();
    return row?.value;
  }

  /**
   * Replaces the allocation in one transaction and rebuilds the rollup table from the facts,
   * so that a team page is an indexed read rather than a scan over its components' facts.
   */
  async writeAllocation(
    result: AllocationResult,
    fingerprint: string,
  ): Promise<void> {
    await this.knex.transaction(async tx => {
      await takeWriteLock(tx);
      await tx('costscope_rollup_daily').delete();
      await tx('costscope_entity_ancestors').delete();
      await tx('costscope_entities').delete();
      await tx('costscope_alloc_rules').delete();

      await insertChunked(
        tx,
        'costscope_entities',
        result.entities.map(e => ({
          entity_ref: e.ref,
          kind: e.kind,
          title: e.title ?? null,
          owner_ref: e.ownerRef ?? null,
          parent_ref: e.parentRef ?? null,
        })),
      );
      await insertChunked(
        tx,
        'costscope_entity_ancestors',
        [...result.ancestors].flatMap(([ref, ancestors]) =>
          [...ancestors].map(ancestor => ({
            entity_ref: ref,
            ancestor_ref: ancestor,
          })),
        ),
      );
      await insertChunked(
        tx,
        'costscope_alloc_rules',
        result.rules.map(rule => ({
          id: rule.id,
          entity_ref: rule.entityRef,
          origin: rule.origin,
          rule: rule.rule,
        })),
      );

      await tx('costscope_alloc_keys').update({
        rule_id: null,
        overlaps: null,
      });
      // Keys grouped by outcome: one UPDATE per rule rather than one per key.
      const byOutcome = new Map<string, string[]>();
      for (const [allocKey, allocation] of result.keys) {
        if (allocation.ruleId === null) continue;
        const outcome = JSON.stringify([
          allocation.ruleId,
          allocation.overlaps,
        ]);
        byOutcome.set(outcome, [...(byOutcome.get(outcome) ?? []), allocKey]);
      }
      for (const [outcome, allocKeys] of byOutcome) {
        const [ruleId, overlaps] = JSON.parse(outcome) as [number, string[]];
        for (let i = 0; i < allocKeys.length; i += CHUNK) {
          await tx('costscope_alloc_keys')
            .whereIn('alloc_key', allocKeys.slice(i, i + CHUNK))
            .update({
              rule_id: ruleId,
              overlaps: overlaps.length > 0 ? JSON.stringify(overlaps) : null,
            });
        }
      }

      const dimensions = [
        'f.usage_date',
        'f.provider',
        'f.sub_account_id',
        'f.region',
        'f.service_name',
        'f.currency',
      ];
      const columns = [
        'entity_ref',
        'rule_id',
        'usage_date',
        'provider',
        'sub_account_id',
        'region',
        'service_name',
        'currency',
        'billed_nanos',
        'effective_nanos',
      ];
      await tx.raw(
        `INSERT INTO costscope_rollup_daily (${columns.join(', ')})
         SELECT a.ancestor_ref, k.rule_id, ${dimensions.join(', ')},
                SUM(f.billed_nanos), SUM(f.effective_nanos)
         FROM costscope_cost_facts f
         JOIN costscope_alloc_keys k ON k.alloc_key = f.alloc_key
         JOIN costscope_alloc_rules r ON r.id = k.rule_id
         JOIN costscope_entity_ancestors a ON a.entity_ref = r.entity_ref
         GROUP BY a.ancestor_ref, k.rule_id, ${dimensions.join(', ')}`,
      );
      await tx.raw(
        `INSERT INTO costscope_rollup_daily (${columns.join(', ')})
         SELECT ?, k.rule_id, ${dimensions.join(', ')},
                SUM(f.billed_nanos), SUM(f.effective_nanos)
         FROM costscope_cost_facts f
         JOIN costscope_alloc_keys k ON k.alloc_key = f.alloc_key
         GROUP BY k.rule_id, ${dimensions.join(', ')}`,
        [ORG_REF],
      );

      await tx('costscope_state')
        .insert({ key: 'allocation_fingerprint', value: fingerprint })
        .onConflict('key')
        .merge();
      // A new version on every rebuild, even of the same catalog: the facts may have changed.
      await tx('costscope_state')
        .insert({ key: ROLLUP_VERSION_KEY, value: randomUUID() })
        .onConflict('key')
        .merge();
    });
  }
}
