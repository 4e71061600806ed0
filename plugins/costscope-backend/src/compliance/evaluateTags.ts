import { TagViolation } from '@costscope/backstage-plugin-common';
import {
  describeAllowed,
  RequiredTagRule,
  TagPolicy,
  TagPolicyScope,
} from './tagPolicy';
import {
  compareCodePoints,
  comparable,
  foldCase,
  normaliseText,
  tagValueText,
} from './text';

/** What scope rules look at: where a resource lives and what it is. */
export interface ScopeTarget {
  provider?: string;
  service?: string;
  resourceType?: string;
}

/** The result of judging one resource's tags. */
export interface TagEvaluation {
  /** False when the policy does not apply to the resource: it is then not counted at all. */
  inScope: boolean;
  /** Broken rules, in policy order; empty when compliant or out of scope. */
  violations: TagViolation[];
}

function listMatches(list: string[] | undefined, value: string | undefined) {
  if (!list) return true;
  if (value === undefined) return false;
  const wanted = comparable(value, true);
  return list.some(item => comparable(item, true) === wanted);
}

/**
 * Whether a scope covers a resource. A list that is set must hold the resource's value
 * (ignoring case); a resource without that value (no service known) is then outside.
 */
export function isInScope(
  scope: TagPolicyScope | undefined,
  target: ScopeTarget,
): boolean {
  if (!scope) return true;
  return (
    listMatches(scope.providers, target.provider) &&
    listMatches(scope.services, target.service) &&
    listMatches(scope.resourceTypes, target.resourceType)
  );
}

/** One tag of the resource, prepared for matching. */
interface PreparedTag {
  /** The key exactly as the resource spells it. */
  rawKey: string;
  /** NFC, trimmed. */
  key: string;
  /** The value as text (NFC, trimmed), or undefined for a non-scalar value. */
  value: string | undefined;
}

function prepareTags(tags: Record<string, unknown> | undefined): PreparedTag[] {
  const prepared: PreparedTag[] = [];
  for (const [rawKey, rawValue] of Object.entries(tags ?? {})) {
    const key = normaliseText(rawKey);
    if (key === '') continue;
    const text = tagValueText(rawValue);
    if ('absent' in text) continue;
    prepared.push({
      rawKey,
      key,
      value: 'text' in text ? normaliseText(text.text) : undefined,
    });
  }
  return prepared;
}

interface Candidate {
  tag: PreparedTag;
  /** Index into the rule's spellings: the key first, then aliases in order. */
  spelling: number;
  /** The spelling matches without folding case. */
  exactCase: boolean;
}

/** Orders candidates: the key before aliases, exact case first, untrimmed spellings last. */
function compareCandidates(a: Candidate, b: Candidate): number {
  return (
    a.spelling - b.spelling ||
    Number(b.exactCase) - Number(a.exactCase) ||
    Number(a.tag.rawKey !== a.tag.key) - Number(b.tag.rawKey !== b.tag.key) ||
    compareCodePoints(a.tag.rawKey, b.tag.rawKey)
  );
}

function findCandidates(
  rule: RequiredTagRule,
  keyCaseInsensitive: boolean,
  tags: PreparedTag[],
) {
  const accepted: Candidate[] = [];
  const wrongCase: Candidate[] = [];
  for (const tag of tags) {
    const exact = rule.spellings.indexOf(tag.key);
    if (exact >= 0) {
      accepted.push({ tag, spelling: exact, exactCase: true });
      continue;
    }
    const folded = foldCase(tag.key);
    const loose = rule.spellings.findIndex(s => foldCase(s) === folded);
    if (loose >= 0) {
      (keyCaseInsensitive ? accepted : wrongCase).push({
        tag,
        spelling: loose,
        exactCase: false,
      });
    }
  }
  return {
    accepted: accepted.sort(compareCandidates),
    wrongCase: wrongCase.sort(compareCandidates),
  };
}

function valueViolation(
  rule: RequiredTagRule,
  value: string,
): 'not-allowed' | 'case-mismatch' | undefined {
  if (rule.allowedValues) {
    const wanted = comparable(value, rule.valueCaseInsensitive);
    if (
      rule.allowedValues.some(
        a => comparable(a, rule.valueCaseInsensitive) === wanted,
      )
    ) {
      return undefined;
    }
    const folded = foldCase(value);
    return rule.allowedValues.some(a => foldCase(a) === folded)
      ? 'case-mismatch'
      : 'not-allowed';
  }
  if (rule.pattern) {
    if (rule.pattern.test(value)) return undefined;
    return rule.patternIgnoringCase!.test(value)
      ? 'case-mismatch'
      : 'not-allowed';
  }
  return undefined;
}

/** Judges one rule; undefined when it holds. */
function evaluateRule(
  rule: RequiredTagRule,
  keyCaseInsensitive: boolean,
  tags: PreparedTag[],
): TagViolation | undefined {
  const { accepted, wrongCase } = findCandidates(
    rule,
    keyCaseInsensitive,
    tags,
  );
  const foundKey = (tag: PreparedTag) =>
    tag.rawKey === rule.key ? {} : { foundKey: tag.rawKey };

  if (accepted.length === 0) {
    if (wrongCase.length > 0) {
      return {
        key: rule.key,
        problem: 'case-mismatch',
        ...foundKey(wrongCase[0].tag),
        allowed: `key spelled ${rule.spellings
          .map(s => `'${s}'`)
          .join(' or ')}`,
      };
    }
    return { key: rule.key, problem: 'missing' };
  }

  // The preferred spelling that has a value; a blank preferred spelling does not hide a
  // good alias (`env=""`, `Environment=prod` complies).
  const chosen = accepted.find(c => c.tag.value !== '') ?? accepted[0];
  const { tag } = chosen;
  if (tag.value === '') {
    return { key: rule.key, problem: 'empty', ...foundKey(tag) };
  }
  if (tag.value === undefined) {
    return {
      key: rule.key,
      problem: 'not-allowed',
      ...foundKey(tag),
      allowed: 'a text, number or boolean value',
    };
  }
  const problem = valueViolation(rule, tag.value);
  if (!problem) return undefined;
  return {
    key: rule.key,
    problem,
    ...foundKey(tag),
    value: tag.value,
    allowed: describeAllowed(rule),
  };
}

/**
 * Judges a resource's tags against the policy. `tags` is an object as parsed from FOCUS
 * `Tags` JSON or read from an inventory: string values as they are, numbers and booleans as
 * their JSON text (`{"cost-center": 4711}` is `4711`), null values as absent tags. Keys and
 * values are NFC-normalised and trimmed before comparison; see the README for every rule.
 */
export function evaluateTags(
  tags: Record<string, unknown> | undefined,
  policy: TagPolicy,
  target: ScopeTarget = {},
): TagEvaluation {
  if (!isInScope(policy.scope, target))
    return { inScope: false, violations: [] };
  const prepared = prepareTags(tags);
  const violations: TagViolation[] = [];
  for (const rule of policy.requiredTags) {
    if (!isInScope(rule.scope, target)) continue;
    const violation = evaluateRule(rule, policy.keyCaseInsensitive, prepared);
    if (violation) violations.push(violation);
  }
  return { inScope: true, violations };
}

/**
 * A test for tag keys the policy cares about (a required key or an alias, compared as the
 * policy compares keys), used to keep disagreements between tag sources to what matters.
 */
export function policyKeyFilter(policy: TagPolicy): (key: string) => boolean {
  const keys = new Set(
    policy.requiredTags.flatMap(rule =>
      rule.spellings.map(s => comparable(s, policy.keyCaseInsensitive)),
    ),
  );
  return key => keys.has(comparable(key, policy.keyCaseInsensitive));
}
