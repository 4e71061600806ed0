/**
 * The answers the summary and series endpoints must give on the synthetic organisation,
 * computed from the organisation itself (each resource's daily cost, the allocation of its
 * key, the ancestors of the winning rule's entity) in BigInt, without SQL or the rollup
 * table: what `--verify` compares the API's answers with.
 */
import { nanosToMoney } from '@costscope/backstage-plugin-common';
import { previousRange } from '../../plugins/costscope-backend/src/lib/dates';
import { BenchOrg, dailyCost } from './org';

/** The key of a series day's total, beside the services' keys. */
export const DAY_TOTAL = '(day total)';

/** Costs as the API formats money, by breakdown key. */
export type Costs = Record<string, string>;

export interface ExpectedSummary {
  total: string;
  previousTotal: string;
  byService: Costs;
  byAccount: Costs;
  byRegion: Costs;
  byProvider: Costs;
  byEntity: Costs;
  /** `entityRef|origin|rule` of the rules that brought cost, and of the entity's own rules. */
  mappingRules: Costs;
  /** `winner|tags|others` of the overlapping keys. */
  overlaps: Costs;
}

export interface ExpectedAnswers {
  summary: ExpectedSummary;
  /** The series by service: day -> service -> cost, and the day's total (DAY_TOTAL). */
  series: Record<string, Costs>;
}

class Sums {
  private readonly sums = new Map<string, bigint>();
  add(key: string, value: bigint) {
    this.sums.set(key, (this.sums.get(key) ?? 0n) + value);
  }
  ensure(key: string) {
    if (!this.sums.has(key)) this.sums.set(key, 0n);
  }
  money(): Costs {
    return Object.fromEntries(
      [...this.sums].map(([key, value]) => [key, nanosToMoney(value)]),
    );
  }
}

/** The tags of a key as the summary shows them: `key=value` pairs. */
function tagsText(tagsJson: string): string {
  return Object.entries(JSON.parse(tagsJson) as Record<string, string>)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
}

/** Expected answers for these entities over the range (days of `org.days`). */
export function expectedAnswers(
  org: BenchOrg,
  entityRefs: string[],
  range: { from: string; to: string },
): Map<string, ExpectedAnswers> {
  const previous = previousRange(range.from, range.to);
  const wanted = new Set(entityRefs);
  const rules = new Map(org.rules.map(rule => [rule.id, rule]));
  const tagsOfKey = new Map(org.keys.map(key => [key.allocKey, key.tags]));
  const acc = new Map(
    entityRefs.map(ref => [
      ref,
      {
        total: 0n,
        previousTotal: 0n,
        dims: [new Sums(), new Sums(), new Sums(), new Sums()],
        byEntity: new Sums(),
        mappingRules: new Sums(),
        overlaps: new Sums(),
        series: new Map<string, Sums>(),
      },
    ]),
  );
  for (const [ref, sums] of acc) {
    for (const rule of org.rules) {
      if (rule.entityRef === ref) {
        sums.mappingRules.ensure(`${ref}|${rule.origin}|${rule.rule}`);
      }
    }
  }

  org.resources.forEach((resource, r) => {
    const allocation = org.allocations.get(resource.allocKey);
    const rule =
      allocation?.ruleId === null || allocation?.ruleId === undefined
        ? undefined
        : rules.get(allocation.ruleId);
    if (!rule) return; // unallocated: reaches no entity
    const reached = [...(org.ancestors.get(rule.entityRef) ?? [])].filter(ref =>
      wanted.has(ref),
    );
    if (reached.length === 0) return;
    const overlapKey =
      allocation!.overlaps.length > 0
        ? `${rule.entityRef}|${tagsText(
            tagsOfKey.get(resource.allocKey)!,
          )}|${allocation!.overlaps.join(',')}`
        : undefined;
    org.days.forEach((day, d) => {
      const inRange = day >= range.from && day <= range.to;
      const inPrevious = day >= previous.from && day <= previous.to;
      if (!inRange && !inPrevious) return;
      const cost = BigInt(dailyCost(resource, r, d).billed);
      for (const ref of reached) {
        const sums = acc.get(ref)!;
        if (inPrevious) {
          sums.previousTotal += cost;
          continue;
        }
        sums.total += cost;
        [
          resource.serviceName,
          resource.subAccountId,
          resource.region,
          resource.provider,
        ].forEach((key, i) => sums.dims[i].add(key, cost));
        sums.byEntity.add(rule.entityRef, cost);
        sums.mappingRules.add(
          `${rule.entityRef}|${rule.origin}|${rule.rule}`,
          cost,
        );
        if (overlapKey) sums.overlaps.add(overlapKey, cost);
        if (!sums.series.has(day)) sums.series.set(day, new Sums());
        sums.series.get(day)!.add(resource.serviceName, cost);
        sums.series.get(day)!.add(DAY_TOTAL, cost);
      }
    });
  });

  return new Map(
    [...acc].map(([ref, sums]) => [
      ref,
      {
        summary: {
          total: nanosToMoney(sums.total),
          previousTotal: nanosToMoney(sums.previousTotal),
          byService: sums.dims[0].money(),
          byAccount: sums.dims[1].money(),
          byRegion: sums.dims[2].money(),
          byProvider: sums.dims[3].money(),
          byEntity: sums.byEntity.money(),
          mappingRules: sums.mappingRules.money(),
          overlaps: sums.overlaps.money(),
        },
        series: Object.fromEntries(
          [...sums.series].map(([day, daySums]) => [day, daySums.money()]),
        ),
      },
    ]),
  );
}
