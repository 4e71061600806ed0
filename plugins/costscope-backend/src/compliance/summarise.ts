import {
  CostBasis,
  ComplianceBreakdownItem,
  ComplianceByKey,
  ComplianceTotals,
  ComplianceTrendPoint,
  EntityCompliance,
  NonCompliantResource,
  OrganisationCompliance,
  TagViolation,
  UnallocatedResource,
  divideHalfEven,
  nanosToMoney,
} from '@costscope/backstage-plugin-common';
import { evaluateTags, policyKeyFilter } from './evaluateTags';
import { KnownEntity, likelyOwner, LikelyOwnerOptions } from './likelyOwner';
import { ComplianceResourceInput } from '../store/types';
import { mergeTagSources, MergedTags } from './mergeTagSources';
import { describeTagPolicy, TagPolicy } from './tagPolicy';
import { compareCodePoints } from './text';

/** A resource after merging its tag sources and judging them. */
export interface EvaluatedResource {
  input: ComplianceResourceInput;
  merged: MergedTags;
  inScope: boolean;
  violations: TagViolation[];
  /** In scope and no rule broken (and its tags could be read). */
  compliant: boolean;
}

/** Merges and judges each resource. */
export function evaluateResources(
  resources: Iterable<ComplianceResourceInput>,
  policy: TagPolicy,
): EvaluatedResource[] {
  const isRelevantKey = policyKeyFilter(policy);
  const result: EvaluatedResource[] = [];
  for (const input of resources) {
    const merged = mergeTagSources(input.billingTags, input.inventoryTags, {
      isRelevantKey,
      keyCaseInsensitive: policy.keyCaseInsensitive,
    });
    const { inScope, violations } = evaluateTags(merged.tags, policy, {
      provider: input.provider,
      service: input.service,
      resourceType: input.resourceType,
    });
    // Unreadable billing tags and no inventory: nothing is known, so the resource cannot be
    // shown to comply; it is non-compliant without per-key violations (not "missing").
    const unreadable = merged.used === 'none';
    result.push({
      input,
      merged,
      inScope,
      violations: unreadable ? [] : violations,
      compliant: inScope && !unreadable && violations.length === 0,
    });
  }
  return result;
}

/** Orders BigInt amounts, largest first. */
function compareNanosDescending(a: bigint, b: bigint): number {
  if (a === b) return 0;
  return a > b ? -1 : 1;
}

/**
 * `part / whole` rounded half-even to 4 decimals, computed in BigInt so that no float sum
 * creeps in; null when `whole` is zero or negative.
 */
export function exactShare(part: bigint, whole: bigint): number | null {
  if (whole <= 0n) return null;
  return Number(divideHalfEven(part * 10_000n, whole)) / 10_000;
}

/** Totals and shares over the in-scope resources. */
export function complianceTotals(
  evaluated: Iterable<EvaluatedResource>,
): ComplianceTotals {
  let total = 0;
  let compliant = 0;
  let totalCost = 0n;
  let compliantCost = 0n;
  for (const resource of evaluated) {
    if (!resource.inScope) continue;
    total += 1;
    totalCost += resource.input.costNanos;
    if (resource.compliant) {
      compliant += 1;
      compliantCost += resource.input.costNanos;
    }
  }
  return {
    resources: { total, compliant },
    cost: {
      total: nanosToMoney(totalCost),
      compliant: nanosToMoney(compliantCost),
    },
    compliantShareByCount: exactShare(BigInt(compliant), BigInt(total)),
    compliantShareByCost: exactShare(compliantCost, totalCost),
  };
}

/** One line per required key, in policy order, including keys nobody breaks. */
export function complianceByKey(
  evaluated: Iterable<EvaluatedResource>,
  policy: TagPolicy,
): ComplianceByKey[] {
  const counts = new Map(
    policy.requiredTags.map(rule => [
      rule.key,
      { missingCount: 0, missingCost: 0n, invalidCount: 0, invalidCost: 0n },
    ]),
  );
  for (const resource of evaluated) {
    if (!resource.inScope) continue;
    for (const violation of resource.violations) {
      const count = counts.get(violation.key)!;
      if (violation.problem === 'missing' || violation.problem === 'empty') {
        count.missingCount += 1;
        count.missingCost += resource.input.costNanos;
      } else {
        count.invalidCount += 1;
        count.invalidCost += resource.input.costNanos;
      }
    }
  }
  return [...counts].map(([key, count]) => ({
    key,
    missingCount: count.missingCount,
    missingCost: nanosToMoney(count.missingCost),
    invalidCount: count.invalidCount,
    invalidCost: nanosToMoney(count.invalidCost),
  }));
}

/**
 * Compliance per account or per service, the slice with the most non-compliant cost first
 * (then by key). Resources without the dimension fall under the key `''`.
 */
export function complianceBreakdown(
  evaluated: Iterable<EvaluatedResource>,
  by: 'account' | 'service',
  labels: Record<string, string> = {},
): ComplianceBreakdownItem[] {
  const slices = new Map<string, EvaluatedResource[]>();
  for (const resource of evaluated) {
    if (!resource.inScope) continue;
    const key =
      (by === 'account' ? resource.input.accountId : resource.input.service) ??
      '';
    const slice = slices.get(key);
    if (slice) slice.push(resource);
    else slices.set(key, [resource]);
  }
  const items = [...slices].map(([key, resources]) => {
    const totals = complianceTotals(resources);
    const label = labels[key] ?? (key === '' ? `(no ${by})` : undefined);
    return {
      item: { key, ...(label ? { label } : {}), ...totals },
      nonCompliantCost: resources
        .filter(r => !r.compliant)
        .reduce((sum, r) => sum + r.input.costNanos, 0n),
    };
  });
  items.sort(
    (a, b) =>
      compareNanosDescending(a.nonCompliantCost, b.nonCompliantCost) ||
      compareCodePoints(a.item.key, b.item.key),
  );
  return items.map(i => i.item);
}

function toNonCompliant(resource: EvaluatedResource): NonCompliantResource {
  const { input, merged } = resource;
  const optional = <T>(key: string, value: T | undefined) =>
    value === undefined ? {} : { [key]: value };
  return {
    resourceId: input.resourceId,
    ...optional('resourceName', input.resourceName),
    ...optional('resourceType', input.resourceType),
    provider: input.provider,
    ...optional('accountId', input.accountId),
    ...optional('service', input.service),
    cost: nanosToMoney(input.costNanos),
    violations: resource.violations,
    tagsUsed: merged.used,
    tagSources: {
      ...optional('billing', merged.billing),
      ...optional('inventory', merged.inventory),
    },
    ...optional('disagreement', merged.disagreement),
    ...optional(
      'unreadableTags',
      merged.used === 'none' ? merged.billingRejection?.message : undefined,
    ),
  };
}

/** Highest cost first, then by resource id (code points), so the order is stable. */
function byCostDescending(a: EvaluatedResource, b: EvaluatedResource): number {
  return (
    compareNanosDescending(a.input.costNanos, b.input.costNanos) ||
    compareCodePoints(a.input.resourceId, b.input.resourceId)
  );
}

export interface EntityComplianceInput {
  entityRef: string;
  /** First day of the range, `YYYY-MM-DD`. */
  from: string;
  /** Last day of the range (inclusive), `YYYY-MM-DD`. */
  to: string;
  currency: string;
  /** The basis the resources' costs are counted on. */
  costBasis: CostBasis;
  policy: TagPolicy;
  /** The entity's resources (rolled up over its children), each once. */
  resources: Iterable<ComplianceResourceInput>;
  /** Cap on `nonCompliant` (the costliest are kept). Default: no cap. */
  maxNonCompliant?: number;
}

function outOfScope(evaluated: EvaluatedResource[]) {
  const outside = evaluated.filter(r => !r.inScope);
  return {
    resources: outside.length,
    cost: nanosToMoney(outside.reduce((s, r) => s + r.input.costNanos, 0n)),
  };
}

/** Tag compliance of one entity: counts, exact costs and shares, by key, the offenders. */
export function summariseEntityCompliance(
  input: EntityComplianceInput,
): EntityCompliance {
  const evaluated = evaluateResources(input.resources, input.policy);
  const nonCompliant = evaluated
    .filter(r => r.inScope && !r.compliant)
    .sort(byCostDescending)
    .slice(0, input.maxNonCompliant ?? Number.POSITIVE_INFINITY)
    .map(toNonCompliant);
  return {
    entityRef: input.entityRef,
    from: input.from,
    to: input.to,
    currency: input.currency,
    costBasis: input.costBasis,
    policy: describeTagPolicy(input.policy),
    ...complianceTotals(evaluated),
    outOfScope: outOfScope(evaluated),
    rejectedTags: evaluated.filter(r => r.merged.billingRejection).length,
    byKey: complianceByKey(evaluated, input.policy),
    nonCompliant,
  };
}

export interface OrganisationComplianceInput {
  from: string;
  to: string;
  currency: string;
  costBasis: CostBasis;
  policy: TagPolicy;
  /** Every resource with cost in the range. */
  resources: Iterable<ComplianceResourceInput>;
  /** The same per calendar month (`YYYY-MM`), oldest first, for the trend. */
  months: Array<{
    month: string;
    resources: Iterable<ComplianceResourceInput>;
  }>;
  /** Account names for display, by account id. */
  accountNames?: Record<string, string>;
  unallocated: {
    /** All unallocated cost in the range (also lines without a resource). */
    costNanos: bigint;
    /** The costliest unallocated resources; their owners are guessed. */
    top: ComplianceResourceInput[];
  };
  /** Catalog entities to guess owners from. */
  entities: KnownEntity[];
  likelyOwnerOptions?: LikelyOwnerOptions;
}

/** Organisation-wide compliance, by account, service and key, the trend and who to ask. */
export function summariseOrganisationCompliance(
  input: OrganisationComplianceInput,
): OrganisationCompliance {
  const evaluated = evaluateResources(input.resources, input.policy);
  const trend: ComplianceTrendPoint[] = input.months.map(
    ({ month, resources }) => ({
      month,
      ...complianceTotals(evaluateResources(resources, input.policy)),
    }),
  );
  const top: UnallocatedResource[] = [...input.unallocated.top]
    .sort(
      (a, b) =>
        compareNanosDescending(a.costNanos, b.costNanos) ||
        compareCodePoints(a.resourceId, b.resourceId),
    )
    .map(resource => {
      const { tags } = mergeTagSources(
        resource.billingTags,
        resource.inventoryTags,
      );
      const owner = likelyOwner(
        {
          resourceId: resource.resourceId,
          resourceName: resource.resourceName,
          accountId: resource.accountId,
          tags,
        },
        input.entities,
        input.likelyOwnerOptions,
      );
      return {
        resourceId: resource.resourceId,
        ...(resource.resourceName
          ? { resourceName: resource.resourceName }
          : {}),
        provider: resource.provider,
        ...(resource.accountId ? { accountId: resource.accountId } : {}),
        ...(resource.service ? { service: resource.service } : {}),
        cost: nanosToMoney(resource.costNanos),
        tags,
        ...(owner ? { likelyOwner: owner } : {}),
      };
    });
  return {
    from: input.from,
    to: input.to,
    currency: input.currency,
    costBasis: input.costBasis,
    policy: describeTagPolicy(input.policy),
    ...complianceTotals(evaluated),
    outOfScope: outOfScope(evaluated),
    rejectedTags: evaluated.filter(r => r.merged.billingRejection).length,
    byAccount: complianceBreakdown(evaluated, 'account', input.accountNames),
    byService: complianceBreakdown(evaluated, 'service'),
    byKey: complianceByKey(evaluated, input.policy),
    trend,
    unallocated: { cost: nanosToMoney(input.unallocated.costNanos), top },
  };
}
