import {
  CostBasis,
  DateRange,
  EntityCostSummary,
} from '@costscope/backstage-plugin-common';
import { defaultRange, previousRange } from '../lib/dates';
import { GzippedJson } from '../lib/gzippedJson';
import { CostQueries } from '../store/CostQueries';
import { KeptSummary, KeptSummaryStore } from '../store/KeptSummaryStore';
import {
  nanos,
  OverlapKey,
  RuleRow,
  summaryAnswer,
  SummaryRow,
} from '../store/summaryAnswer';

/** Entities whose summaries are read and computed together. */
const BATCH = 250;

const NOTHING_HIDDEN: ReadonlySet<string> = new Set();

export interface SummaryKeeperOptions {
  store: KeptSummaryStore;
  queries: CostQueries;
  /** The basis pages open on (`costscope.costBasis`). */
  costBasis: CostBasis;
  /** Billing currency from config, used before any data exists. */
  currency: string;
  now?: () => Date;
}

/** What one refresh kept, and how long it took. */
export interface KeptSummariesOutcome {
  range: DateRange;
  costBasis: CostBasis;
  entities: number;
  /** Characters of JSON kept. */
  characters: number;
  /** Bytes stored, gzipped. */
  bytes: number;
  milliseconds: number;
}

/** The rules by id, and each entity's own rules. */
function indexRules(rules: RuleRow[]) {
  const ruleById = new Map(rules.map(rule => [rule.id, rule]));
  const ownRules = new Map<string, RuleRow[]>();
  for (const rule of rules) {
    const own = ownRules.get(rule.entity_ref);
    if (own) own.push(rule);
    else ownRules.set(rule.entity_ref, [rule]);
  }
  return { ruleById, ownRules };
}

/** Gives the event loop its turn between batches (SQLite reads run on its thread). */
const nextTurn = () => new Promise<void>(resolve => setImmediate(resolve));

/**
 * Computes, after each rebuild of the rollups, every entity's cost summary for the range and
 * basis a page opens on (the last 30 days up to yesterday, the configured basis), so that the
 * first visit to any page is one indexed read ({@link KeptSummaryStore}). The summaries are
 * read for many entities per statement instead of one entity per request, and made by the
 * same {@link summaryAnswer} the live read uses: a kept answer is the live answer.
 *
 * Other ranges and bases, and callers who may not see every entity below, are read live.
 */
export class SummaryKeeper {
  private running: Promise<KeptSummariesOutcome | undefined> | undefined;

  constructor(private readonly options: SummaryKeeperOptions) {}

  /**
   * Keeps the summaries unless those kept are already of the current rollups and of today's
   * default range; undefined when nothing needed doing (or the rollups changed meanwhile).
   * Calls while one runs join it.
   */
  refresh(): Promise<KeptSummariesOutcome | undefined> {
    this.running ??= this.refreshOnce().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async refreshOnce(): Promise<KeptSummariesOutcome | undefined> {
    const { store, costBasis } = this.options;
    const range = defaultRange(this.options.now?.() ?? new Date());
    const [version, kept] = await Promise.all([
      store.rollupVersion(),
      store.keptRange(),
    ]);
    if (!version) return undefined; // no rollups yet
    if (
      kept &&
      kept.rollupVersion === version &&
      kept.costBasis === costBasis &&
      kept.range.from === range.from &&
      kept.range.to === range.to
    ) {
      return undefined;
    }
    const started = Date.now();
    const summaries = await this.compute(range);
    const replaced = await store.replace(version, summaries);
    if (!replaced) return undefined;
    return {
      range,
      costBasis,
      entities: summaries.length,
      characters: summaries.reduce((sum, s) => sum + s.characters, 0),
      bytes: summaries.reduce((sum, s) => sum + s.body.gzip.length, 0),
      milliseconds: Date.now() - started,
    };
  }

  /** Every entity's summary for the range on the configured basis. */
  async compute(range: DateRange): Promise<KeptSummary[]> {
    const { store, queries, costBasis } = this.options;
    const [refs, rules, overlapKeys, currency] = await Promise.all([
      store.entityRefs(),
      store.rules(),
      store.overlapKeysByAncestor(),
      queries.currency(this.options.currency),
    ]);
    const { ruleById, ownRules } = indexRules(rules);
    const overlaps = await this.overlapsByAncestor(overlapKeys, range);

    const amounts = { currency, costBasis };
    const summaries: KeptSummary[] = [];
    for (let i = 0; i < refs.length; i += BATCH) {
      await nextTurn();
      const batch = refs.slice(i, i + BATCH);
      const { rows, previousTotals } = await store.summaryRowsOf(
        batch,
        range,
        costBasis,
      );
      for (const ref of batch) {
        const summary = summaryAnswer(
          ref,
          range,
          amounts,
          {
            previousTotal: nanos(previousTotals.get(ref)),
            rows: rows.get(ref) ?? [],
            ruleOf: id => ruleById.get(id),
            ownRules: ownRules.get(ref) ?? [],
            overlaps: overlaps.get(ref) ?? [],
          },
          NOTHING_HIDDEN,
        );
        const text = JSON.stringify(summary);
        summaries.push({
          entityRef: ref,
          costBasis,
          range,
          body: await GzippedJson.of(text),
          characters: text.length,
        });
      }
    }
    return summaries;
  }

  /**
   * Any entity's summary for a range on the configured basis, nothing hidden, as the live read
   * answers it: from two reads of the organisation's rollup by rule (the range, and the totals
   * of the range before) instead of two per entity. For a run that needs many entities'
   * summaries of one range (scheduled digests): a department's rows are read once, not again
   * for every level above a team. Entities only: the organisation's own summary (`*`) also
   * counts unallocated cost.
   */
  async everyEntitySummary(
    range: DateRange,
  ): Promise<(entityRef: string) => EntityCostSummary> {
    const { store, queries, costBasis } = this.options;
    const previous = previousRange(range.from, range.to);
    const [rules, overlapKeys, currency, below, rowsByRule, previousByRule] =
      await Promise.all([
        store.rules(),
        store.overlapKeysByAncestor(),
        queries.currency(this.options.currency),
        store.entitiesBelow(),
        store.organisationRowsByRule(range, costBasis),
        store.organisationTotalsByRule(previous, costBasis),
      ]);
    const overlaps = await this.overlapsByAncestor(overlapKeys, range);
    const { ruleById, ownRules } = indexRules(rules);
    const amounts = { currency, costBasis };
    return entityRef => {
      const rows: SummaryRow[] = [];
      let previousTotal = 0n;
      for (const ref of below.get(entityRef) ?? []) {
        for (const rule of ownRules.get(ref) ?? []) {
          rows.push(...(rowsByRule.get(rule.id) ?? []));
          previousTotal += previousByRule.get(rule.id) ?? 0n;
        }
      }
      return summaryAnswer(
        entityRef,
        range,
        amounts,
        {
          previousTotal,
          rows,
          ruleOf: id => ruleById.get(id),
          ownRules: ownRules.get(entityRef) ?? [],
          overlaps: overlaps.get(entityRef) ?? [],
        },
        NOTHING_HIDDEN,
      );
    };
  }

  /** The overlapping keys with cost in the range, per entity their cost rolls up into. */
  private async overlapsByAncestor(
    keys: Array<OverlapKey & { ancestorRef: string }>,
    range: DateRange,
  ): Promise<Map<string, Array<OverlapKey & { cost: bigint }>>> {
    const distinct = new Map<string, OverlapKey>();
    for (const key of keys) distinct.set(key.allocKey, key);
    const costs = new Map(
      (
        await this.options.queries.overlapCosts(
          [...distinct.values()],
          range,
          this.options.costBasis,
        )
      ).map(key => [key.allocKey, key.cost]),
    );
    const byAncestor = new Map<string, Array<OverlapKey & { cost: bigint }>>();
    for (const { ancestorRef, ...key } of keys) {
      const cost = costs.get(key.allocKey);
      if (cost === undefined) continue;
      const list = byAncestor.get(ancestorRef);
      if (list) list.push({ ...key, cost });
      else byAncestor.set(ancestorRef, [{ ...key, cost }]);
    }
    return byAncestor;
  }
}
