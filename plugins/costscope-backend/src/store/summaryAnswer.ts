import {
  AllocationOverlap,
  CostBreakdownItem,
  DateRange,
  EntityCostSummary,
  MappingRuleUsage,
  nanosToMoney,
  NOT_VISIBLE_KEY,
} from '@costscope/backstage-plugin-common';
import { previousRange } from '../lib/dates';
import { changeRatioOf, shareOf } from '../lib/decimal';
import type { Amounts } from './CostQueries';

/** Dimensions of the summary's breakdowns, in the order of byService, byAccount, ... */
export const SUMMARY_DIMENSIONS = [
  'service_name',
  'sub_account_id',
  'region',
  'provider',
  'charge_category',
] as const;

/** The rollup columns (alias `r`) a summary's rows are grouped by: rule, then dimensions. */
export const SUMMARY_ROW_COLUMNS = [
  'r.rule_id',
  ...SUMMARY_DIMENSIONS.map(column => `r.${column}`),
];

/** A mapping rule as the summary names it. */
export interface RuleRow {
  id: number;
  entity_ref: string;
  origin: MappingRuleUsage['origin'];
  rule: string;
}

/** A group of an entity's rollup rows in the range, by rule and dimensions. */
export interface SummaryRow {
  rule_id: number | null;
  provider: string | null;
  sub_account_id: string | null;
  region: string | null;
  service_name: string | null;
  charge_category: string | null;
  cost: unknown;
}

/** An allocation key that other entities' rules matched too, with the rule that won it. */
export interface OverlapKey {
  allocKey: string;
  winner: string;
  tags: string;
  overlaps: string;
}

/** What a summary is made of, however it was read (one entity, or every entity at once). */
export interface SummaryParts {
  previousTotal: bigint;
  rows: SummaryRow[];
  /** The rule of an id, for every rule that brought cost to the entity. */
  ruleOf(id: number): RuleRow | undefined;
  /** The entity's own rules, whether they brought cost or not. */
  ownRules: RuleRow[];
  /** The overlapping keys of the rules below the entity, with their cost in the range. */
  overlaps: Array<OverlapKey & { cost: bigint }>;
}

export function nanos(value: unknown): bigint {
  return value === null || value === undefined ? 0n : BigInt(String(value));
}

/** Larger cost first. */
export function compareCost(a: bigint, b: bigint): number {
  if (a === b) return 0;
  return b > a ? 1 : -1;
}

export function breakdown(
  rows: Array<{ key: string; cost: unknown }>,
  total: bigint,
): CostBreakdownItem[] {
  return rows.map(row => {
    const cost = nanos(row.cost);
    return {
      key: row.key,
      cost: nanosToMoney(cost),
      share: shareOf(cost, total),
    };
  });
}

/** Sums by key, largest first and by key on ties, as breakdown rows. */
function sortedByCost(
  sums: Map<string, bigint>,
): Array<{ key: string; cost: bigint }> {
  return [...sums]
    .map(([key, cost]) => ({ key, cost }))
    .sort((a, b) => compareCost(a.cost, b.cost) || a.key.localeCompare(b.key));
}

/** Origins in the order an entity's rules are built (rules.ts), Kubernetes rules last. */
const ORIGIN_ORDER: Array<RuleRow['origin']> = [
  'commitment',
  'annotation',
  'convention',
  'account',
  'kubernetes',
];

/**
 * Rules listed by what they are (entity, origin as built, text), not by id: ids are kept across
 * allocations, so their order would tell the catalog's history rather than the rules.
 */
function compareRuleRows(a: RuleRow, b: RuleRow): number {
  return (
    compareCodePoints(a.entity_ref, b.entity_ref) ||
    ORIGIN_ORDER.indexOf(a.origin) - ORIGIN_ORDER.indexOf(b.origin) ||
    compareCodePoints(a.rule, b.rule)
  );
}

function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/**
 * Rules that brought cost in the range (largest first), then the entity's own rules that
 * brought none, each by entity, origin and text.
 */
function mappingRules(
  parts: SummaryParts,
  byRule: Map<number, bigint>,
): MappingRuleUsage[] {
  const used = [...byRule]
    .filter(([id]) => parts.ruleOf(id) !== undefined)
    .map(([id, cost]) => ({ ...parts.ruleOf(id)!, cost }))
    .sort((a, b) => compareCost(a.cost, b.cost) || compareRuleRows(a, b));
  const unused = parts.ownRules
    .filter(rule => !byRule.has(rule.id))
    .sort(compareRuleRows)
    .map(rule => ({ ...rule, cost: 0n }));
  return [...used, ...unused].map(rule => ({
    entityRef: rule.entity_ref,
    origin: rule.origin,
    rule: rule.rule,
    cost: nanosToMoney(rule.cost),
  }));
}

/**
 * Overlapping keys with cost in the range, summed per winner, tags and other rules; larger
 * first, then by winner and by the group's own text, so that any reading order gives one answer.
 */
export function overlapsOf(
  keys: Array<OverlapKey & { cost: bigint }>,
): AllocationOverlap[] {
  const groups = new Map<
    string,
    { winner: string; tags: string; overlaps: string; cost: bigint }
  >();
  for (const key of keys) {
    const id = JSON.stringify([key.winner, key.tags, key.overlaps]);
    const group = groups.get(id);
    if (group) group.cost += key.cost;
    else groups.set(id, { ...key });
  }
  return [...groups]
    .sort(
      ([aId, a], [bId, b]) =>
        compareCost(a.cost, b.cost) ||
        a.winner.localeCompare(b.winner) ||
        aId.localeCompare(bId),
    )
    .map(([, group]) => ({
      winner: group.winner,
      others: JSON.parse(group.overlaps),
      tags: Object.entries(JSON.parse(group.tags) as Record<string, string>)
        .map(([key, value]) => `${key}=${value}`)
        .join(', '),
      cost: nanosToMoney(group.cost),
    }));
}

/**
 * An entity's cost summary from its parts: every breakdown, the entities and the rules come
 * from its rollup rows grouped by rule and dimensions. The cost of rules of hidden entities is
 * one {@link NOT_VISIBLE_KEY} line in each breakdown.
 */
export function summaryAnswer(
  entityRef: string,
  range: DateRange,
  amounts: Amounts,
  parts: SummaryParts,
  hidden: ReadonlySet<string>,
): EntityCostSummary {
  const previous = previousRange(range.from, range.to);
  const isHidden = (ruleId: number | null) => {
    if (hidden.size === 0 || ruleId === null) return false;
    const ref = parts.ruleOf(Number(ruleId))?.entity_ref;
    return ref !== undefined && hidden.has(ref);
  };

  let total = 0n;
  let hiddenCost: bigint | undefined;
  const byDimension = SUMMARY_DIMENSIONS.map(() => new Map<string, bigint>());
  const byRule = new Map<number, bigint>();
  for (const row of parts.rows) {
    const cost = nanos(row.cost);
    total += cost;
    if (isHidden(row.rule_id)) {
      hiddenCost = (hiddenCost ?? 0n) + cost;
      continue;
    }
    SUMMARY_DIMENSIONS.forEach((column, i) => {
      const key = String(row[column]);
      byDimension[i].set(key, (byDimension[i].get(key) ?? 0n) + cost);
    });
    if (row.rule_id !== null) {
      const ruleId = Number(row.rule_id);
      byRule.set(ruleId, (byRule.get(ruleId) ?? 0n) + cost);
    }
  }

  const byEntity = new Map<string, bigint>();
  for (const [ruleId, cost] of byRule) {
    const ref = parts.ruleOf(ruleId)?.entity_ref;
    if (ref) byEntity.set(ref, (byEntity.get(ref) ?? 0n) + cost);
  }
  if (hiddenCost !== undefined) {
    for (const sums of [...byDimension, byEntity]) {
      sums.set(NOT_VISIBLE_KEY, hiddenCost);
    }
  }
  const [byService, byAccount, byRegion, byProvider, byChargeCategory] =
    byDimension.map(sums => breakdown(sortedByCost(sums), total));

  return {
    entityRef,
    ...amounts,
    from: range.from,
    to: range.to,
    total: nanosToMoney(total),
    previous: { ...previous, total: nanosToMoney(parts.previousTotal) },
    change: nanosToMoney(total - parts.previousTotal),
    changeRatio: changeRatioOf(total, parts.previousTotal),
    byService,
    byAccount,
    byRegion,
    byProvider,
    byChargeCategory,
    byEntity: breakdown(sortedByCost(byEntity), total),
    mappingRules: mappingRules(parts, byRule).filter(
      rule => !hidden.has(rule.entityRef),
    ),
    overlaps: overlapsOf(parts.overlaps).filter(
      overlap =>
        !hidden.has(overlap.winner) &&
        !overlap.others.some(other => hidden.has(other)),
    ),
  };
}
