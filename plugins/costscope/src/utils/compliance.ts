import { moneyToNanos, nanosToMoney } from '@costscope/backstage-plugin-common';
import type {
  ChargebackOwnerBy,
  ChargebackReportLine,
  ComplianceTotals,
  LikelyOwner,
  NonCompliantResource,
  TagPolicyRuleDescription,
  TagSourceUsed,
  TagViolation,
} from '@costscope/backstage-plugin-common';
import { toCsv } from './csv';

/**
 * A tag key for a sentence: as it is, or in double quotes when it has surrounding or only
 * white space, so that `" team"` does not read as `team`.
 */
export function displayKey(key: string): string {
  return key === '' || key.trim() !== key ? JSON.stringify(key) : key;
}

/** The key a violation is about, with the policy's name when the resource spells it otherwise. */
function violationKey(violation: TagViolation): string {
  const { key, foundKey } = violation;
  if (foundKey === undefined || foundKey === key) return displayKey(key);
  return `${displayKey(foundKey)} (for ${displayKey(key)})`;
}

/**
 * One broken rule in words, e.g. `missing team`,
 * `env (for environment) is 'Prod', must be one of: prod, staging, dev (letter case differs)`,
 * `key spelled Team, policy wants team`.
 */
export function describeViolation(violation: TagViolation): string {
  const { key, foundKey, value, allowed, problem } = violation;
  switch (problem) {
    case 'missing':
      return `missing ${displayKey(key)}`;
    case 'empty':
      return `${violationKey(violation)} is empty`;
    case 'not-allowed':
      return allowed
        ? `${violationKey(violation)} is '${value ?? ''}', must be ${allowed}`
        : `${violationKey(violation)} is '${
            value ?? ''
          }', which is not allowed`;
    case 'case-mismatch':
      if (value === undefined) {
        return `key spelled ${displayKey(
          foundKey ?? key,
        )}, policy wants ${displayKey(key)}`;
      }
      return allowed
        ? `${violationKey(
            violation,
          )} is '${value}', must be ${allowed} (letter case differs)`
        : `${violationKey(violation)} is '${value}': letter case differs`;
    default:
      return `${displayKey(key)}: ${String(problem)}`;
  }
}

/** Every problem of a non-compliant resource in words: its violations, or why its tags are unknown. */
export function describeProblems(resource: NonCompliantResource): string[] {
  const problems = resource.violations.map(describeViolation);
  if (resource.unreadableTags) {
    problems.push(`tags could not be read: ${resource.unreadableTags}`);
  }
  return problems;
}

/** Which tags were judged, for display. */
export const TAG_SOURCE_LABELS: Record<TagSourceUsed, string> = {
  inventory: 'inventory tags',
  billing: 'billing tags',
  none: 'no readable tags',
};

/** One rule of the policy in words: `environment (or env, stage): one of: prod, staging, dev`. */
export function describeRule(rule: TagPolicyRuleDescription): string {
  const aliases =
    rule.aliases.length > 0
      ? ` (or ${rule.aliases.map(displayKey).join(', ')})`
      : '';
  const allowed = rule.allowed ?? 'any non-empty value';
  const scope = rule.scope ? `; only for ${rule.scope}` : '';
  return `${displayKey(rule.key)}${aliases}: ${allowed}${scope}`;
}

/** Cost of the resources that break a rule: `cost.total - cost.compliant`, exactly. */
export function nonCompliantCost(totals: ComplianceTotals): string {
  try {
    return nanosToMoney(
      moneyToNanos(totals.cost.total) - moneyToNanos(totals.cost.compliant),
    );
  } catch {
    return String(Number(totals.cost.total) - Number(totals.cost.compliant));
  }
}

/** `12 of 15 resources`. */
export function resourcesText(totals: ComplianceTotals): string {
  const { compliant, total } = totals.resources;
  return `${compliant.toLocaleString()} of ${total.toLocaleString()} resource${
    total === 1 ? '' : 's'
  }`;
}

/** The CSV of a non-compliant list: exact decimal costs, the problems in words. */
export function nonCompliantToCsv(
  resources: NonCompliantResource[],
  currency: string,
): string {
  return toCsv(
    [
      'resource_id',
      'resource_name',
      'resource_type',
      'provider',
      'account',
      'service',
      'cost',
      'currency',
      'tags_used',
      'problems',
      'disagreement',
    ],
    resources.map(r => [
      r.resourceId,
      r.resourceName,
      r.resourceType,
      r.provider,
      r.accountId,
      r.service,
      r.cost,
      currency,
      r.tagsUsed,
      describeProblems(r).join('; '),
      r.disagreement,
    ]),
  );
}

/** Labels of the owner kinds a chargeback is by. */
export const CHARGEBACK_BY_LABELS: Record<ChargebackOwnerBy, string> = {
  group: 'By team',
  costCenter: 'By cost center',
};

/** Labels of chargeback line kinds. */
export const CHARGEBACK_KIND_LABELS: Record<
  ChargebackReportLine['kind'],
  string
> = {
  allocated: 'Allocated',
  shared: 'Shared',
  unallocated: 'Unallocated',
  'not-visible': 'Not visible to you',
};

/** Labels of likely-owner confidences. */
export const CONFIDENCE_LABELS: Record<LikelyOwner['confidence'], string> = {
  high: 'High confidence',
  medium: 'Medium confidence',
  low: 'Low confidence',
};

/** Exact sum of money strings; undefined when one does not parse. */
export function sumMoney(amounts: string[]): string | undefined {
  try {
    let sum = 0n;
    for (const amount of amounts) sum += moneyToNanos(amount);
    return nanosToMoney(sum);
  } catch {
    return undefined;
  }
}

/** Exact equality of two money strings (`"1.5"` equals `"1.500000000"`). */
export function sameMoney(a: string, b: string): boolean {
  try {
    return moneyToNanos(a) === moneyToNanos(b);
  } catch {
    return a === b;
  }
}
