import { CostLine } from '@costscope/backstage-plugin-node';
import { detach } from './detach';
import { allocationKey, canonicalTags } from './allocationKey';
import { AmountReader, FactTable } from './exactSum';
import { parseDecimal } from '@costscope/backstage-plugin-common';
import {
  convertToNanos,
  ExchangeRate,
  ExchangeRates,
  impliedRate,
} from '../currency/ExchangeRates';
import { WORK_SCALE } from '../lib/decimal';
import { MethodDetailsSum } from './methodDetailsSum';
import { rowCountOf } from './rowCount';
import { AllocationKeyRow, CostFact, FactDimensions } from '../store/types';

/** A fact's dimensions, with what the aggregator keeps to find its group again. */
interface FactGroup extends FactDimensions {
  /** Order of the allocation key's first appearance. */
  allocIndex: number;
  /**
   * A tags object of a line in this group (sources may share one between equal tag sets):
   * a line with this very object, provider and sub-account has the group's allocation key.
   */
  tagsSeen: object;
  /** The allocated tags object of a split line in this group, likewise. */
  allocatedTagsSeen?: object;
}

/** Distinct charge days per aggregator; a fact key packs a group id and a day id. */
const DAY_IDS = 0x10000;

/**
 * Sums cost lines into daily facts per billing period. Amounts are summed exactly (see
 * `FactTable`) and rounded to nano-units only when a fact is read out.
 *
 * Memory grows with the number of distinct facts, not lines: the dimensions of a fact are
 * kept once per group (resource, account, service, charge category, allocation key), and
 * each (group, day) only holds its sums. Consecutive lines of the same group and day, as
 * exports write them, are recognised without any lookup.
 */
export class DailyAggregator {
  /** Per billing period, facts by group id * DAY_IDS + day id. */
  private readonly periods = new Map<string, FactTable>();
  private readonly groupIds = new Map<string, number>();
  private readonly groups: FactGroup[] = [];
  private readonly dayIds = new Map<string, number>();
  private readonly days: string[] = [];
  private readonly keys = new Map<string, AllocationKeyRow>();
  /** Allocation keys by canonical tags text, then provider and sub-account. */
  private readonly keysByTags = new Map<
    string,
    Map<string, FactGroup['allocIndex']>
  >();
  private readonly allocKeys: string[] = [];
  /**
   * Per tags object (sources may share one between equal tag sets): its canonical text and
   * its allocation keys by sub-account.
   */
  private readonly tagTexts = new WeakMap<
    object,
    { text: string; bySubAccount: Map<string, number> }
  >();
  /** The group a resource id was last seen in. */
  private readonly groupOfResource = new Map<string, number>();
  private readonly billed = new AmountReader();
  private readonly effective = new AmountReader();
  private readonly list = new AmountReader();
  private last: CostLine | undefined;
  /** The tags the last line was allocated by. */
  private lastTags: object | undefined;
  /**
   * A split line is allocated by its own tags and its allocated resource's (FOCUS leaves the
   * latter's out of Tags): one merged object per pair of tag objects, for the checks by
   * identity below.
   */
  private readonly merged = new WeakMap<
    object,
    WeakMap<object, Readonly<Record<string, string>>>
  >();
  /** Per period's facts, the split details of the facts whose lines gave some. */
  private readonly details = new Map<
    FactTable,
    Map<number, MethodDetailsSum>
  >();
  /** Canonical texts of allocated tag objects. */
  private readonly allocatedTexts = new WeakMap<object, string>();
  private lastAllocIndex = 0;
  private lastGroupId = 0;
  private lastDayId = 0;
  private lastFacts: FactTable | undefined;
  private ranks: { groups: Int32Array; days: Int32Array } | undefined;
  /**
   * Per currency and month without a configured rate: the exact effective cost of its lines
   * priced in the reporting currency, as billed and as priced (1e-18 units).
   */
  private readonly priced = new Map<
    string,
    { billing: bigint; pricing: bigint; rate?: ExchangeRate }
  >();

  /**
   * @param rates - converts facts in another currency into the reporting currency, each
   *   fact's exact sum multiplied by its billing month's rate and rounded once; without it,
   *   facts keep the currency of their lines.
   */
  constructor(private readonly rates?: ExchangeRates) {}

  add(line: CostLine): void {
    const { billed, effective, list } = this;
    if (!billed.read(line.billedCost)) {
      throw new Error(`cost line with non-numeric cost reached the aggregator`);
    }
    if (line.effectiveCost === line.billedCost) {
      effective.copy(billed);
    } else if (!effective.read(line.effectiveCost)) {
      throw new Error(`cost line with non-numeric cost reached the aggregator`);
    }
    // A line without a list price counts at its billed cost on the list basis.
    const listCost = line.listCost ?? line.billedCost;
    if (listCost === line.billedCost) {
      list.copy(billed);
    } else if (listCost === line.effectiveCost) {
      list.copy(effective);
    } else if (!list.read(listCost)) {
      throw new Error(`cost line with non-numeric cost reached the aggregator`);
    }
    this.ranks = undefined;
    if (line.pricing !== undefined) this.addPriced(line);

    const last = this.last;
    const tags = line.allocated ? this.mergedTags(line) : line.tags;
    let allocIndex = this.lastAllocIndex;
    let groupId = this.lastGroupId;
    if (
      !last ||
      tags !== this.lastTags ||
      line.provider !== last.provider ||
      line.subAccountId !== last.subAccountId ||
      isUnused(line) !== isUnused(last)
    ) {
      // Most often the resource's group of its line before: no allocation-key lookup.
      const known =
        line.resourceId === undefined
          ? undefined
          : this.groupOfResource.get(line.resourceId);
      const group = known === undefined ? undefined : this.groups[known];
      if (
        group !== undefined &&
        group.tagsSeen === tags &&
        group.provider === line.provider &&
        group.subAccountId === line.subAccountId &&
        sameDimensions(group, line)
      ) {
        allocIndex = group.allocIndex;
        groupId = known!;
      } else {
        allocIndex = this.allocIndexOf(line, tags);
        groupId = this.groupOf(line, allocIndex);
        this.groups[groupId].tagsSeen = tags;
      }
    } else if (
      line.resourceId !== last.resourceId ||
      line.billingAccountId !== last.billingAccountId ||
      line.regionId !== last.regionId ||
      line.serviceName !== last.serviceName ||
      line.serviceCategory !== last.serviceCategory ||
      line.resourceName !== last.resourceName ||
      line.resourceType !== last.resourceType ||
      line.chargeCategory !== last.chargeCategory ||
      line.currency !== last.currency ||
      line.commitmentDiscountId !== last.commitmentDiscountId ||
      line.commitmentDiscountStatus !== last.commitmentDiscountStatus ||
      !sameAllocation(line.allocated, last.allocated)
    ) {
      groupId = this.groupOf(line, allocIndex);
    }
    let dayId = this.lastDayId;
    if (!last || line.chargeDate !== last.chargeDate) {
      dayId = this.dayOf(line.chargeDate);
    }
    let facts = this.lastFacts;
    if (!last || !facts || line.billingPeriod !== last.billingPeriod) {
      facts = this.periods.get(line.billingPeriod);
      if (!facts) {
        facts = new FactTable();
        this.periods.set(detach(line.billingPeriod), facts);
      }
    }
    this.last = line;
    this.lastTags = tags;
    this.lastAllocIndex = allocIndex;
    this.lastGroupId = groupId;
    this.lastDayId = dayId;
    this.lastFacts = facts;

    const factKey = groupId * DAY_IDS + dayId;
    // A pre-aggregated line's amounts are its rows' sums: it counts as those rows.
    const rows = rowCountOf(line);
    facts.add(factKey, billed, effective, list, rows);
    const methodDetails = line.allocated?.methodDetails;
    if (methodDetails) {
      let byFact = this.details.get(facts);
      if (!byFact) {
        byFact = new Map();
        this.details.set(facts, byFact);
      }
      let sum = byFact.get(factKey);
      if (!sum) {
        sum = new MethodDetailsSum();
        byFact.set(factKey, sum);
      }
      sum.add(methodDetails, rows);
    }
  }

  /** Sums what a line priced in the reporting currency says of the month's rate. */
  private addPriced(line: CostLine): void {
    const rates = this.rates;
    if (
      !rates ||
      line.pricing!.currency !== rates.reportingCurrency ||
      line.currency === rates.reportingCurrency
    ) {
      return;
    }
    const key = `${line.currency}\u0000${line.billingPeriod.slice(0, 7)}`;
    let sums = this.priced.get(key);
    if (!sums) {
      sums = { billing: 0n, pricing: 0n };
      this.priced.set(key, sums);
    }
    // Both were checked when the line was read.
    sums.billing += parseDecimal(line.effectiveCost, WORK_SCALE)!;
    sums.pricing += parseDecimal(line.pricing!.effectiveCost, WORK_SCALE)!;
  }

  /** A configured rate, else the one the month's lines priced in the reporting currency imply. */
  private rateOf(currency: string, month: string): ExchangeRate | undefined {
    const configured = this.rates!.rateOf(currency, month);
    if (configured) return configured;
    const sums = this.priced.get(`${currency}\u0000${month}`);
    if (!sums) return undefined;
    sums.rate ??= impliedRate(sums.pricing, sums.billing);
    return sums.rate;
  }

  /** The line's tags with its allocated resource's, the same object for the same pair. */
  private mergedTags(line: CostLine): Readonly<Record<string, string>> {
    const own = line.tags;
    const allocated = line.allocated!.tags;
    let byAllocated = this.merged.get(own);
    if (!byAllocated) {
      byAllocated = new WeakMap();
      this.merged.set(own, byAllocated);
    }
    let tags = byAllocated.get(allocated);
    if (!tags) {
      tags = Object.freeze({ ...allocated, ...own });
      byAllocated.set(allocated, tags);
    }
    return tags;
  }

  private allocatedText(tags: Record<string, string>): string {
    let text = this.allocatedTexts.get(tags);
    if (text === undefined) {
      text = canonicalTags(tags);
      this.allocatedTexts.set(tags, text);
    }
    return text;
  }

  private allocIndexOf(line: CostLine, tags: Record<string, string>): number {
    const unused = isUnused(line);
    // Unused commitment has keys of its own, apart from other lines of the same tags.
    const subKey = unused ? `${line.subAccountId}\u0000U` : line.subAccountId;
    let seen = this.tagTexts.get(tags);
    if (seen === undefined) {
      seen = { text: canonicalTags(tags), bySubAccount: new Map() };
      this.tagTexts.set(tags, seen);
    } else {
      // Equal tag sets recur across accounts: one small map per tag set and sub-account.
      const known = seen.bySubAccount.get(subKey);
      if (
        known !== undefined &&
        this.keys.get(this.allocKeys[known])!.provider === line.provider
      ) {
        return known;
      }
    }
    const tagsText = seen.text;
    let byAccount = this.keysByTags.get(tagsText);
    if (!byAccount) {
      byAccount = new Map();
      this.keysByTags.set(tagsText, byAccount);
    }
    const accountKey = `${line.provider}\u0000${subKey}`;
    let allocIndex = byAccount.get(accountKey);
    if (allocIndex === undefined) {
      const allocKey = allocationKey(
        line.provider,
        line.subAccountId,
        tagsText,
        unused,
      );
      allocIndex = this.allocKeys.length;
      this.allocKeys.push(allocKey);
      byAccount.set(detach(accountKey), allocIndex);
      this.keys.set(allocKey, {
        allocKey,
        provider: detach(line.provider),
        subAccountId: detach(line.subAccountId),
        tags: tagsText,
        unusedCommitment: unused,
      });
    }
    // Only detached strings are kept: a slice of the input would keep its whole chunk alive
    // (and the garbage collector would move it to the old generation).
    seen.bySubAccount.set(detach(subKey), allocIndex);
    return allocIndex;
  }

  private groupOf(line: CostLine, allocIndex: number): number {
    const resourceId = line.resourceId;
    if (resourceId !== undefined) {
      const candidate = this.groupOfResource.get(resourceId);
      if (candidate !== undefined) {
        const group = this.groups[candidate];
        if (group.allocIndex === allocIndex && sameDimensions(group, line)) {
          return candidate;
        }
      }
    }
    const groupId = this.groupOfKey(line, allocIndex);
    if (resourceId !== undefined) {
      this.groupOfResource.set(this.groups[groupId].resourceId, groupId);
    }
    return groupId;
  }

  private groupOfKey(line: CostLine, allocIndex: number): number {
    const allocated = line.allocated;
    const allocatedTags = allocated
      ? this.allocatedText(allocated.tags)
      : undefined;
    // Provider and sub-account are part of the allocation key.
    const groupKey = `${allocIndex}\u0000${line.billingAccountId}\u0000${
      line.regionId ?? ''
    }\u0000${line.serviceName}\u0000${line.serviceCategory ?? '\u0001'}\u0000${
      line.resourceId ?? ''
    }\u0000${line.resourceName ?? '\u0001'}\u0000${
      line.resourceType ?? '\u0001'
    }\u0000${line.chargeCategory}\u0000${line.currency}\u0000${
      line.commitmentDiscountId ?? '\u0001'
    }\u0000${line.commitmentDiscountStatus ?? '\u0001'}${
      allocated
        ? `\u0000${allocated.methodId}\u0000${
            allocated.resourceId ?? '\u0001'
          }\u0000${allocated.resourceName ?? '\u0001'}\u0000${allocatedTags}`
        : ''
    }`;
    let groupId = this.groupIds.get(groupKey);
    if (groupId === undefined) {
      groupId = this.groups.length;
      this.groupIds.set(groupKey, groupId);
      this.groups.push({
        provider: detach(line.provider),
        billingAccountId: detach(line.billingAccountId),
        subAccountId: detach(line.subAccountId),
        region: detach(line.regionId ?? ''),
        serviceName: detach(line.serviceName),
        serviceCategory: detachOptional(line.serviceCategory),
        resourceId: detach(line.resourceId ?? ''),
        resourceName: detachOptional(line.resourceName),
        resourceType: detachOptional(line.resourceType),
        chargeCategory: detach(line.chargeCategory),
        currency: detach(line.currency),
        commitmentId: detachOptional(line.commitmentDiscountId),
        commitmentStatus: line.commitmentDiscountStatus,
        ...(allocated
          ? {
              allocatedMethodId: detach(allocated.methodId),
              allocatedResourceId: detachOptional(allocated.resourceId),
              allocatedResourceName: detachOptional(allocated.resourceName),
              allocatedTags,
              allocatedTagsSeen: allocated.tags,
            }
          : {}),
        allocKey: this.allocKeys[allocIndex],
        allocIndex,
        tagsSeen: line.tags,
      });
    }
    return groupId;
  }

  private dayOf(chargeDate: string): number {
    let dayId = this.dayIds.get(chargeDate);
    if (dayId === undefined) {
      dayId = this.days.length;
      if (dayId >= DAY_IDS) {
        throw new Error(`more than ${DAY_IDS} distinct charge days in one run`);
      }
      this.dayIds.set(detach(chargeDate), dayId);
      this.days.push(detach(chargeDate));
    }
    return dayId;
  }

  billingPeriods(): string[] {
    return [...this.periods.keys()].sort();
  }

  /** How many facts a billing period has. */
  factCount(billingPeriod: string): number {
    return this.periods.get(billingPeriod)?.size ?? 0;
  }

  /**
   * The period's facts, each rounded once to nano-units, made one at a time. They come by
   * allocation key and day, the order of the facts table's index on them, which makes
   * inserting them much cheaper than in the order the lines came.
   */
  *factsOf(billingPeriod: string): IterableIterator<CostFact> {
    const facts = this.periods.get(billingPeriod);
    if (!facts) return;
    const ranks = this.rankings();
    const order = new Float64Array(facts.size);
    let i = 0;
    for (const factKey of facts.keys()) {
      const groupId = Math.floor(factKey / DAY_IDS);
      order[i] =
        ranks.groups[groupId] * DAY_IDS + ranks.days[factKey % DAY_IDS];
      i += 1;
    }
    order.sort();
    const groupAt = inverse(ranks.groups);
    const dayAt = inverse(ranks.days);
    for (const ranked of order) {
      const groupId = groupAt[Math.floor(ranked / DAY_IDS)];
      const dayId = dayAt[ranked % DAY_IDS];
      const factKey = groupId * DAY_IDS + dayId;
      const sums = facts.read(factKey)!;
      const group = this.groups[groupId];
      const fact: CostFact = {
        billingPeriod,
        usageDate: this.days[dayId],
        provider: group.provider,
        billingAccountId: group.billingAccountId,
        subAccountId: group.subAccountId,
        region: group.region,
        serviceName: group.serviceName,
        serviceCategory: group.serviceCategory,
        resourceId: group.resourceId,
        resourceName: group.resourceName,
        resourceType: group.resourceType,
        chargeCategory: group.chargeCategory,
        currency: group.currency,
        commitmentId: group.commitmentId,
        commitmentStatus: group.commitmentStatus,
        ...(group.allocatedMethodId !== undefined
          ? {
              allocatedMethodId: group.allocatedMethodId,
              allocatedResourceId: group.allocatedResourceId,
              allocatedResourceName: group.allocatedResourceName,
              allocatedTags: group.allocatedTags,
            }
          : {}),
        ...detailsOf(this.details.get(facts)?.get(factKey)),
        allocKey: group.allocKey,
        billedNanos: sums.billedNanos,
        effectiveNanos: sums.effectiveNanos,
        listNanos: sums.listNanos,
        lineCount: sums.lineCount,
      };
      yield this.rates && group.currency !== this.rates.reportingCurrency
        ? this.converted(fact, facts, factKey)
        : fact;
    }
  }

  /**
   * The fact in the reporting currency, its amounts in its own currency kept beside. Lines of
   * a month without a rate are refused before they reach the aggregator.
   */
  private converted(fact: CostFact, facts: FactTable, factKey: number) {
    const month = fact.billingPeriod.slice(0, 7);
    const rate = this.rateOf(fact.currency, month);
    if (!rate) {
      // Lines without a rate are refused before; only priced lines can get here without one.
      throw new Error(
        `no exchange rate for ${fact.currency} in ${month}: none is configured and its lines' ` +
          `PricingCurrencyEffectiveCost does not give a positive one; previous data kept`,
      );
    }
    const work = facts.readWork(factKey)!;
    return {
      ...fact,
      currency: this.rates!.reportingCurrency,
      billedNanos: convertToNanos(work.billed, rate),
      effectiveNanos: convertToNanos(work.effective, rate),
      listNanos: convertToNanos(work.list, rate),
      original: {
        currency: fact.currency,
        exchangeRate: rate.text,
        billedNanos: fact.billedNanos,
        effectiveNanos: fact.effectiveNanos,
        listNanos: fact.listNanos,
      },
    };
  }

  /** Ranks of groups (by allocation key, in linear time) and of days (by date). */
  private rankings(): { groups: Int32Array; days: Int32Array } {
    if (this.ranks) return this.ranks;
    const perKey = new Int32Array(this.allocKeys.length + 1);
    for (const group of this.groups) perKey[group.allocIndex + 1] += 1;
    for (let k = 1; k < perKey.length; k += 1) perKey[k] += perKey[k - 1];
    const groups = new Int32Array(this.groups.length);
    this.groups.forEach((group, groupId) => {
      groups[groupId] = perKey[group.allocIndex];
      perKey[group.allocIndex] += 1;
    });
    const days = new Int32Array(this.days.length);
    [...this.days.keys()]
      .sort((a, b) => (this.days[a] < this.days[b] ? -1 : 1))
      .forEach((dayId, rank) => {
        days[dayId] = rank;
      });
    this.ranks = { groups, days };
    return this.ranks;
  }

  allocationKeys(): AllocationKeyRow[] {
    return [...this.keys.values()];
  }
}

/** A fact's split details as it stores them, when its lines gave any. */
function detailsOf(sum: MethodDetailsSum | undefined) {
  const text = sum?.text();
  return text === undefined ? {} : { allocatedMethodDetails: text };
}

/**
 * Whether a line has a group's dimensions besides the allocation key (and the resource id,
 * which the group was found by).
 */
function sameDimensions(group: FactGroup, line: CostLine): boolean {
  return (
    group.billingAccountId === line.billingAccountId &&
    group.region === (line.regionId ?? '') &&
    group.serviceName === line.serviceName &&
    group.serviceCategory === line.serviceCategory &&
    group.resourceName === line.resourceName &&
    group.resourceType === line.resourceType &&
    group.chargeCategory === line.chargeCategory &&
    group.currency === line.currency &&
    group.commitmentId === line.commitmentDiscountId &&
    group.commitmentStatus === line.commitmentDiscountStatus &&
    group.allocatedMethodId === line.allocated?.methodId &&
    group.allocatedResourceId === line.allocated?.resourceId &&
    group.allocatedResourceName === line.allocated?.resourceName &&
    group.allocatedTagsSeen === line.allocated?.tags
  );
}

/** Whether two lines carry the same split (tags by identity, as sources share them). */
function sameAllocation(
  a: CostLine['allocated'],
  b: CostLine['allocated'],
): boolean {
  if (a === b) return true;
  return (
    a !== undefined &&
    b !== undefined &&
    a.methodId === b.methodId &&
    a.resourceId === b.resourceId &&
    a.resourceName === b.resourceName &&
    a.tags === b.tags
  );
}

function isUnused(line: CostLine): boolean {
  return line.commitmentDiscountStatus === 'Unused';
}

/** rank -> id from id -> rank. */
function inverse(ranks: Int32Array): Int32Array {
  const ids = new Int32Array(ranks.length);
  ranks.forEach((rank, id) => {
    ids[rank] = id;
  });
  return ids;
}

function detachOptional(text: string | undefined): string | undefined {
  return text === undefined ? undefined : detach(text);
}
