import {
  CostAlert,
  BudgetListItem,
  CostBreakdownItem,
  moneyToNanos,
  nanosToMoney,
  NOT_VISIBLE_KEY,
  RecommendationList,
} from '@costscope/backstage-plugin-common';
import { ChargebackRules } from '../compliance/chargeback';
import { shareOf } from '../lib/decimal';
import { ChargebackLine } from '../compliance/chargebackCsv';

/*
 * Redaction of lists and rollups for a caller who may not see some entities: a hidden
 * entity's name never appears, its cost stays in the totals as one "not visible to you" line.
 */

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/** Breakdown lines keyed by entity ref: hidden ones become one {@link NOT_VISIBLE_KEY} line. */
export function hideBreakdownEntities(
  items: CostBreakdownItem[],
  hidden: ReadonlySet<string>,
  total: string,
): CostBreakdownItem[] {
  if (hidden.size === 0) return items;
  const visible = items.filter(item => !hidden.has(lower(item.key)));
  if (visible.length === items.length) return items;
  const hiddenNanos = items
    .filter(item => hidden.has(lower(item.key)))
    .reduce((sum, item) => sum + moneyToNanos(item.cost), 0n);
  return [
    ...visible,
    {
      key: NOT_VISIBLE_KEY,
      cost: nanosToMoney(hiddenNanos),
      share: shareOf(hiddenNanos, moneyToNanos(total)),
    },
  ];
}

/** The owner that stands for hidden entities and hidden owners while lines are computed. */
const HIDDEN_OWNER = '\u0000not-visible';

/**
 * Chargeback rules under which the cost of a hidden entity, and of an entity whose owning
 * group is hidden, goes to one stand-in owner (merged by {@link mergeHiddenChargeback}). It
 * stays in the weights of a proportional split, so shared cost is split as for everyone.
 */
export function hidingChargebackRules(
  rules: ChargebackRules,
  hidden: ReadonlySet<string>,
): ChargebackRules {
  return {
    ...rules,
    isShared: ref => !hidden.has(lower(ref)) && rules.isShared(ref),
    ownerOf: ref => {
      if (hidden.has(lower(ref))) return { owner: HIDDEN_OWNER };
      const owner = rules.ownerOf(ref);
      return owner.owner && hidden.has(lower(owner.owner))
        ? { owner: HIDDEN_OWNER }
        : owner;
    },
  };
}

/**
 * Chargeback lines (ordered by month) with the stand-in owner's lines merged into one
 * `not-visible` line at the end of each month, without service: the lines still add up to
 * the bill.
 */
export async function* mergeHiddenChargeback(
  lines: AsyncIterable<ChargebackLine>,
): AsyncGenerator<ChargebackLine> {
  let month: string | undefined;
  let hiddenNanos: bigint | undefined;
  const notVisible = (): ChargebackLine => ({
    month: month!,
    owner: '',
    ownerName: NOT_VISIBLE_KEY,
    service: '',
    kind: 'not-visible',
    costNanos: hiddenNanos!,
  });
  for await (const line of lines) {
    if (line.month !== month) {
      if (hiddenNanos !== undefined) yield notVisible();
      month = line.month;
      hiddenNanos = undefined;
    }
    if (line.owner === HIDDEN_OWNER) {
      hiddenNanos = (hiddenNanos ?? 0n) + line.costNanos;
    } else {
      yield line;
    }
  }
  if (hiddenNanos !== undefined) yield notVisible();
}

/**
 * Recommendations of hidden entities leave the list; the open ones are counted, with their
 * saving, in `notVisible` (the total stays the total).
 */
export function hideRecommendationEntities(
  list: RecommendationList,
  hidden: ReadonlySet<string>,
): RecommendationList {
  if (hidden.size === 0) return list;
  const isHidden = (entityRef?: string) =>
    !!entityRef && hidden.has(lower(entityRef));
  const hiddenItems = list.items.filter(item => isHidden(item.entityRef));
  return {
    ...list,
    items: list.items.filter(item => !isHidden(item.entityRef)),
    dismissed: list.dismissed.filter(item => !isHidden(item.entityRef)),
    // A skipped resource names no entity, so it may be a hidden one's: left out whenever
    // anything in the list's scope is hidden, tips or not.
    skipped: undefined,
    ...(hiddenItems.length > 0
      ? {
          notVisible: {
            count: hiddenItems.length,
            monthlySaving: nanosToMoney(
              hiddenItems.reduce(
                (sum, item) => sum + moneyToNanos(item.monthlySaving),
                0n,
              ),
            ),
          },
        }
      : {}),
  };
}

/** Items about one entity each (budgets, alerts): those of hidden entities are left out. */
export function withoutHiddenEntities<T extends BudgetListItem | CostAlert>(
  items: T[],
  hidden: ReadonlySet<string>,
): T[] {
  if (hidden.size === 0) return items;
  return items.filter(item => !hidden.has(lower(item.entityRef)));
}
