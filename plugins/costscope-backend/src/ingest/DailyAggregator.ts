import { CostLine } from '@costscope/backstage-plugin-node';
import { parseDecimal, toNanos } from '../lib/decimal';
import { allocationKey, canonicalTags } from './allocationKey';

/** A daily cost fact as stored: amounts rounded once, after exact summing. */
export interface CostFact {
  billingPeriod: string;
  usageDate: string;
  provider: string;
  billingAccountId: string;
  subAccountId: string;
  region: string;
  serviceName: string;
  serviceCategory?: string;
  resourceId: string;
  resourceName?: string;
  resourceType?: string;
  chargeCategory: string;
  currency: string;
  allocKey: string;
  billedNanos: bigint;
  effectiveNanos: bigint;
  lineCount: number;
}

/** A distinct allocation key with what allocation matches on. */
export interface AllocationKeyRow {
  allocKey: string;
  provider: string;
  subAccountId: string;
  tags: string;
}

interface PendingFact extends Omit<CostFact, 'billedNanos' | 'effectiveNanos'> {
  billedWork: bigint;
  effectiveWork: bigint;
}

/**
 * Sums cost lines into daily facts per billing period. Amounts are summed exactly in 1e-18
 * units and rounded to nano-units only when a fact is read out.
 */
export class DailyAggregator {
  private readonly periods = new Map<string, Map<string, PendingFact>>();
  private readonly keys = new Map<string, AllocationKeyRow>();
  /** Cache of tag texts to allocation keys: most lines repeat a few tag sets. */
  private readonly keyCache = new Map<string, string>();

  add(line: CostLine): void {
    const billed = parseDecimal(line.billedCost);
    const effective = parseDecimal(line.effectiveCost);
    if (billed === undefined || effective === undefined) {
      throw new Error(`cost line with non-numeric cost reached the aggregator`);
    }
    const tagsText = canonicalTags(line.tags);
    const keyCacheId = `${line.provider}\u0000${line.subAccountId}\u0000${tagsText}`;
    let allocKey = this.keyCache.get(keyCacheId);
    if (!allocKey) {
      allocKey = allocationKey(line.provider, line.subAccountId, tagsText);
      this.keyCache.set(keyCacheId, allocKey);
      this.keys.set(allocKey, {
        allocKey,
        provider: line.provider,
        subAccountId: line.subAccountId,
        tags: tagsText,
      });
    }

    const region = line.regionId ?? '';
    const resourceId = line.resourceId ?? '';
    const factId = [
      line.chargeDate,
      line.provider,
      line.billingAccountId,
      line.subAccountId,
      region,
      line.serviceName,
      line.serviceCategory ?? '',
      resourceId,
      line.resourceName ?? '',
      line.resourceType ?? '',
      line.chargeCategory,
      line.currency,
      allocKey,
    ].join('\u0000');

    let facts = this.periods.get(line.billingPeriod);
    if (!facts) {
      facts = new Map();
      this.periods.set(line.billingPeriod, facts);
    }
    const fact = facts.get(factId);
    if (fact) {
      fact.billedWork += billed;
      fact.effectiveWork += effective;
      fact.lineCount += 1;
      return;
    }
    facts.set(factId, {
      billingPeriod: line.billingPeriod,
      usageDate: line.chargeDate,
      provider: line.provider,
      billingAccountId: line.billingAccountId,
      subAccountId: line.subAccountId,
      region,
      serviceName: line.serviceName,
      serviceCategory: line.serviceCategory,
      resourceId,
      resourceName: line.resourceName,
      resourceType: line.resourceType,
      chargeCategory: line.chargeCategory,
      currency: line.currency,
      allocKey,
      billedWork: billed,
      effectiveWork: effective,
      lineCount: 1,
    });
  }

  billingPeriods(): string[] {
    return [...this.periods.keys()].sort();
  }

  /** The period's facts, each rounded once to nano-units. */
  factsOf(billingPeriod: string): CostFact[] {
    const facts = this.periods.get(billingPeriod);
    if (!facts) return [];
    return [...facts.values()].map(
      ({ billedWork, effectiveWork, ...fact }) => ({
        ...fact,
        billedNanos: toNanos(billedWork),
        effectiveNanos: toNanos(effectiveWork),
      }),
    );
  }

  allocationKeys(): AllocationKeyRow[] {
    return [...this.keys.values()];
  }
}
