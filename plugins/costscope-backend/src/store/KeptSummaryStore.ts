import { CostBasis, DateRange } from '@costscope/backstage-plugin-common';
import { Knex } from 'knex';
import { GzippedJson } from '../lib/gzippedJson';
import { previousRange } from '../lib/dates';
import { costColumn, sumOf } from './costSums';
import { readRollupVersion } from './RollupReadCache';
import {
  nanos,
  OverlapKey,
  RuleRow,
  SUMMARY_ROW_COLUMNS,
  SummaryRow,
} from './summaryAnswer';
import { takeWriteLock } from './writeLock';
import { readAllocRules } from './allocRules';
import { ORG_REF } from './AllocationStore';
import { readEntitiesBelow } from './entitiesBelow';
import { withoutParallelWorkers } from './withoutParallelWorkers';

const TABLE = 'costscope_kept_summaries';
/** Rows per INSERT: 6 values each, within every SQLite build's variable limit. */
const INSERT_CHUNK = 100;
/** Largest list bound into one IN (...). */
const IN_CHUNK = 500;

/** A summary computed at rebuild time, as the route answers it. */
export interface KeptSummary {
  entityRef: string;
  costBasis: CostBasis;
  range: DateRange;
  body: GzippedJson;
  /** Characters of its JSON text. */
  characters: number;
}

/**
 * Summaries computed after a rebuild of the rollups (the `costscope_kept_summaries` table), and
 * the reads that compute them for many entities at once. The rollup rebuild deletes them in its
 * own transaction ({@link deleteKeptSummaries}), so a kept summary is never older than the
 * rollups it was read from.
 */
export class KeptSummaryStore {
  constructor(private readonly knex: Knex) {}

  /** The kept summary of an entity for exactly this range and basis. */
  async read(
    entityRef: string,
    costBasis: CostBasis,
    range: DateRange,
  ): Promise<GzippedJson | undefined> {
    const row = await this.knex(TABLE)
      .where({
        entity_ref: entityRef,
        cost_basis: costBasis,
        range_from: range.from,
        range_to: range.to,
      })
      .first('body_gzip');
    return row ? new GzippedJson(row.body_gzip) : undefined;
  }

  /** The range and basis the kept summaries hold, when any are kept. */
  async keptRange(): Promise<
    | { range: DateRange; costBasis: CostBasis; rollupVersion: string }
    | undefined
  > {
    const row = await this.knex(TABLE).first(
      'range_from',
      'range_to',
      'cost_basis',
      'rollup_version',
    );
    return row
      ? {
          range: { from: row.range_from, to: row.range_to },
          costBasis: row.cost_basis,
          rollupVersion: row.rollup_version,
        }
      : undefined;
  }

  rollupVersion(): Promise<string | undefined> {
    return readRollupVersion(this.knex);
  }

  /**
   * Replaces the kept summaries with these, read at `rollupVersion`, in one transaction; does
   * nothing and answers false when the rollups were rebuilt since (their version changed), so
   * that summaries of replaced rollups are never kept.
   */
  async replace(
    rollupVersion: string,
    summaries: KeptSummary[],
  ): Promise<boolean> {
    return this.knex.transaction(async tx => {
      // The rebuild takes the same lock: it cannot commit between the check and the insert.
      await takeWriteLock(tx);
      if ((await readRollupVersion(tx)) !== rollupVersion) return false;
      await tx(TABLE).delete();
      for (let i = 0; i < summaries.length; i += INSERT_CHUNK) {
        await tx(TABLE).insert(
          summaries.slice(i, i + INSERT_CHUNK).map(summary => ({
            entity_ref: summary.entityRef,
            cost_basis: summary.costBasis,
            range_from: summary.range.from,
            range_to: summary.range.to,
            rollup_version: rollupVersion,
            body_gzip: summary.body.gzip,
          })),
        );
      }
      return true;
    });
  }

  /** Every entity of the allocation, by ref. */
  async entityRefs(): Promise<string[]> {
    const rows = await this.knex('costscope_entities')
      .select('entity_ref')
      .orderBy('entity_ref');
    return rows.map(row => row.entity_ref);
  }

  /** Every entity's entities below it, itself included. */
  entitiesBelow(): Promise<Map<string, string[]>> {
    return readEntitiesBelow(this.knex);
  }

  /**
   * The organisation's rollup rows in a range by rule and dimensions, allocated rows only: an
   * entity's rows are those of the rules of the entities below it, as the rebuild rolls them
   * up to every ancestor (`insertRollups`). Background work: read without parallel workers.
   */
  async organisationRowsByRule(
    range: DateRange,
    basis: CostBasis,
  ): Promise<Map<number, SummaryRow[]>> {
    const rows: SummaryRow[] = await withoutParallelWorkers(this.knex, db =>
      db('costscope_rollup_daily as r')
        .where('r.entity_ref', ORG_REF)
        .whereNotNull('r.rule_id')
        .whereBetween('r.usage_date', [range.from, range.to])
        .select(...SUMMARY_ROW_COLUMNS)
        .select(db.raw(`${sumOf(costColumn('r', basis))} as cost`))
        .groupBy(...SUMMARY_ROW_COLUMNS),
    );
    const byRule = new Map<number, SummaryRow[]>();
    for (const row of rows) {
      const id = Number(row.rule_id);
      const list = byRule.get(id);
      if (list) list.push(row);
      else byRule.set(id, [row]);
    }
    return byRule;
  }

  /** The organisation's allocated cost in a range by rule. */
  async organisationTotalsByRule(
    range: DateRange,
    basis: CostBasis,
  ): Promise<Map<number, bigint>> {
    const rows = await withoutParallelWorkers(this.knex, db =>
      db('costscope_rollup_daily as r')
        .where('r.entity_ref', ORG_REF)
        .whereNotNull('r.rule_id')
        .whereBetween('r.usage_date', [range.from, range.to])
        .select('r.rule_id')
        .select(db.raw(`${sumOf(costColumn('r', basis))} as cost`))
        .groupBy('r.rule_id'),
    );
    return new Map(rows.map(row => [Number(row.rule_id), nanos(row.cost)]));
  }

  /** Every mapping rule, by id. */
  async rules(): Promise<RuleRow[]> {
    return await readAllocRules(this.knex);
  }

  /** Every key that other rules matched too, once per entity its cost rolls up into. */
  async overlapKeysByAncestor(): Promise<
    Array<OverlapKey & { ancestorRef: string }>
  > {
    const rows = await this.knex('costscope_alloc_keys as k')
      .join('costscope_alloc_rules as ru', 'ru.id', 'k.rule_id')
      .join('costscope_entity_ancestors as a', 'a.entity_ref', 'ru.entity_ref')
      .whereNotNull('k.overlaps')
      .select('a.ancestor_ref', 'k.alloc_key', 'k.tags', 'k.overlaps')
      .select({ winner: 'ru.entity_ref' });
    return rows.map(row => ({
      ancestorRef: row.ancestor_ref,
      allocKey: row.alloc_key,
      winner: row.winner,
      tags: row.tags ?? '{}',
      overlaps: row.overlaps,
    }));
  }

  /**
   * The rollup rows of these entities in the range, grouped by rule and dimensions, and their
   * totals in the previous range of the same length: what their summaries are made of.
   */
  async summaryRowsOf(
    entityRefs: string[],
    range: DateRange,
    basis: CostBasis,
  ): Promise<{
    rows: Map<string, SummaryRow[]>;
    previousTotals: Map<string, unknown>;
  }> {
    const costSum = sumOf(costColumn('r', basis));
    const previous = previousRange(range.from, range.to);
    const rows = new Map<string, SummaryRow[]>();
    const previousTotals = new Map<string, unknown>();
    for (let i = 0; i < entityRefs.length; i += IN_CHUNK) {
      const refs = entityRefs.slice(i, i + IN_CHUNK);
      const grouped: Array<SummaryRow & { entity_ref: string }> =
        await this.knex('costscope_rollup_daily as r')
          .whereIn('r.entity_ref', refs)
          .whereBetween('r.usage_date', [range.from, range.to])
          .select('r.entity_ref', ...SUMMARY_ROW_COLUMNS)
          .select(this.knex.raw(`${costSum} as cost`))
          .groupBy('r.entity_ref', ...SUMMARY_ROW_COLUMNS);
      for (const { entity_ref: ref, ...row } of grouped) {
        const list = rows.get(ref);
        if (list) list.push(row);
        else rows.set(ref, [row]);
      }
      const totals = await this.knex('costscope_rollup_daily as r')
        .whereIn('r.entity_ref', refs)
        .whereBetween('r.usage_date', [previous.from, previous.to])
        .select('r.entity_ref')
        .select(this.knex.raw(`${costSum} as cost`))
        .groupBy('r.entity_ref');
      for (const total of totals)
        previousTotals.set(total.entity_ref, total.cost);
    }
    return { rows, previousTotals };
  }
}

/** What the rollup rebuild calls in its transaction: kept summaries of the old rollups go. */
export async function deleteKeptSummaries(tx: Knex.Transaction): Promise<void> {
  await tx(TABLE).delete();
}
