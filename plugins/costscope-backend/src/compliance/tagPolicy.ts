import { Config } from '@backstage/config';
import {
  TagPolicyDescription,
  TagPolicyRuleDescription,
} from '@costscope/backstage-plugin-common';
import { comparable, normaliseText } from './text';

/**
 * Which resources a policy or a rule applies to. Every list that is set must contain the
 * resource's value (compared case-insensitively, trimmed); a list that is not set matches all.
 */
export interface TagPolicyScope {
  /** FOCUS `ProviderName` values, e.g. `AWS`. */
  providers?: string[];
  /** FOCUS `ServiceName` values, e.g. `Amazon Elastic Compute Cloud`. */
  services?: string[];
  /** FOCUS `ResourceType` values or inventory kinds, e.g. `instance`, `volume`. */
  resourceTypes?: string[];
}

/** One required tag of the policy, checked and compiled. */
export interface RequiredTagRule {
  /** The key as configured (NFC, trimmed): how violations name it. */
  key: string;
  /** Other spellings that count as the key, as configured (NFC, trimmed). */
  aliases: string[];
  /** `[key, ...aliases]`: the order in which spellings are preferred when several are present. */
  spellings: string[];
  /** Accepted values (NFC, trimmed), when the rule has a list. */
  allowedValues?: string[];
  /** The pattern as configured, when the rule has one. */
  patternSource?: string;
  /** The pattern, anchored to the whole value, honouring `valueCaseInsensitive`. */
  pattern?: RegExp;
  /** The pattern ignoring case, to tell a case mismatch from a wrong value. */
  patternIgnoringCase?: RegExp;
  valueCaseInsensitive: boolean;
  /** Narrows the policy's scope for this rule only. */
  scope?: TagPolicyScope;
}

/** The tag policy from `costscope.tagPolicy`. */
export interface TagPolicy {
  /** Whether `Team` counts as `team`. */
  keyCaseInsensitive: boolean;
  /** Default for rules: whether `Prod` counts as `prod`. */
  valueCaseInsensitive: boolean;
  /** Resources outside it are not judged and not counted. */
  scope?: TagPolicyScope;
  requiredTags: RequiredTagRule[];
}

const POLICY_KEYS = [
  'keyCaseInsensitive',
  'valueCaseInsensitive',
  'scope',
  'requiredTags',
];
const RULE_KEYS = [
  'key',
  'aliases',
  'allowedValues',
  'pattern',
  'valueCaseInsensitive',
  'scope',
];
const SCOPE_KEYS = ['providers', 'services', 'resourceTypes'];

function checkKeys(config: Config, where: string, known: string[]) {
  for (const key of config.keys()) {
    if (!known.includes(key)) {
      throw new Error(
        `${where}.${key} is not a tag policy setting (known: ${known.join(
          ', ',
        )})`,
      );
    }
  }
}

function readBoolean(
  config: Config,
  key: string,
  where: string,
): boolean | undefined {
  const value = config.getOptional(key);
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') {
    throw new Error(`${where}.${key} must be true or false`);
  }
  return value;
}

/** Reads a non-empty list of non-blank texts; numbers and booleans are taken as text. */
function readTextList(
  config: Config,
  key: string,
  where: string,
): string[] | undefined {
  const value = config.getOptional(key);
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    throw new Error(`${where}.${key} must be a list`);
  }
  if (value.length === 0) {
    throw new Error(`${where}.${key} is empty; remove it or list values`);
  }
  return value.map((item, index) => {
    if (
      typeof item !== 'string' &&
      typeof item !== 'number' &&
      typeof item !== 'boolean'
    ) {
      throw new Error(`${where}.${key}[${index}] must be a text`);
    }
    const text = normaliseText(String(item));
    if (text === '') throw new Error(`${where}.${key}[${index}] is empty`);
    return text;
  });
}

function readScope(config: Config, where: string): TagPolicyScope | undefined {
  if (!config.has('scope')) return undefined;
  const scopeWhere = `${where}.scope`;
  const value = config.getOptional('scope');
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`${scopeWhere} must be an object`);
  }
  const scope = config.getConfig('scope');
  checkKeys(scope, scopeWhere, SCOPE_KEYS);
  const result: TagPolicyScope = {};
  for (const key of SCOPE_KEYS as Array<keyof TagPolicyScope>) {
    const list = readTextList(scope, key, scopeWhere);
    if (list) result[key] = list;
  }
  return Object.keys(result).length > 0 ? result : undefined;
}

function compilePattern(
  source: string,
  where: string,
  ignoreCase: boolean,
): RegExp {
  try {
    // Anchored: the pattern must match the whole value, so `prod|dev` does not pass `preprod`.
    return new RegExp(`^(?:${source})$`, ignoreCase ? 'iu' : 'u');
  } catch (error) {
    throw new Error(
      `${where}.pattern '${source}' is not a valid regular expression: ${
        (error as Error).message
      }`,
    );
  }
}

/**
 * Reads and checks `costscope.tagPolicy` from the root config. Returns undefined when no
 * policy is configured. Throws an Error naming the exact bad key (such as
 * `costscope.tagPolicy.requiredTags[2].pattern`), which stops the backend at start.
 *
 * `keyCaseInsensitive` defaults to `costscope.allocation.caseInsensitiveTagKeys` (itself true
 * by default) so that the policy and allocation agree on what a key is; values are compared
 * case-sensitively by default, as allocation does.
 */
export function readTagPolicy(
  config: Config | undefined,
): TagPolicy | undefined {
  const where = 'costscope.tagPolicy';
  if (!config?.has(where)) return undefined;
  const raw = config.getOptional(where);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new Error(`${where} must be an object`);
  }
  const policy = config.getConfig(where);
  checkKeys(policy, where, POLICY_KEYS);

  const keyCaseInsensitive =
    readBoolean(policy, 'keyCaseInsensitive', where) ??
    config.getOptionalBoolean('costscope.allocation.caseInsensitiveTagKeys') ??
    true;
  const valueCaseInsensitive =
    readBoolean(policy, 'valueCaseInsensitive', where) ?? false;
  const scope = readScope(policy, where);

  const rulesRaw = policy.getOptional('requiredTags');
  if (!Array.isArray(rulesRaw) || rulesRaw.length === 0) {
    throw new Error(`${where}.requiredTags must list at least one tag`);
  }
  rulesRaw.forEach((item, index) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw new Error(
        `${where}.requiredTags[${index}] must be an object with a key`,
      );
    }
  });

  // Which rule each spelling belongs to, compared as the policy compares keys.
  const spellingOwners = new Map<string, string>();
  const requiredTags = policy
    .getConfigArray('requiredTags')
    .map((rule, index): RequiredTagRule => {
      const ruleWhere = `${where}.requiredTags[${index}]`;
      checkKeys(rule, ruleWhere, RULE_KEYS);

      const keyRaw = rule.getOptional('key');
      if (typeof keyRaw !== 'string' || normaliseText(keyRaw) === '') {
        throw new Error(`${ruleWhere}.key must be a non-empty text`);
      }
      const key = normaliseText(keyRaw);
      const aliases = readTextList(rule, 'aliases', ruleWhere) ?? [];
      // A spelling may repeat within its own rule (`Environment` next to `environment` when
      // keys ignore case is merely redundant), but not belong to two rules.
      const ownSpellings = new Set<string>();
      [key, ...aliases].forEach((spelling, position) => {
        const spellingWhere =
          position === 0
            ? `${ruleWhere}.key`
            : `${ruleWhere}.aliases[${position - 1}]`;
        const folded = comparable(spelling, keyCaseInsensitive);
        if (ownSpellings.has(folded)) return;
        ownSpellings.add(folded);
        const owner = spellingOwners.get(folded);
        if (owner !== undefined) {
          throw new Error(
            `${spellingWhere} '${spelling}' is already used by ${owner}${
              keyCaseInsensitive ? ' (keys are compared ignoring case)' : ''
            }`,
          );
        }
        spellingOwners.set(folded, spellingWhere);
      });

      const allowedValues = readTextList(rule, 'allowedValues', ruleWhere);
      const patternRaw = rule.getOptional('pattern');
      if (patternRaw !== undefined && typeof patternRaw !== 'string') {
        throw new Error(`${ruleWhere}.pattern must be a text`);
      }
      if (allowedValues && patternRaw !== undefined) {
        throw new Error(
          `${ruleWhere} sets both allowedValues and pattern; use one of them`,
        );
      }
      if (patternRaw !== undefined && patternRaw.trim() === '') {
        throw new Error(`${ruleWhere}.pattern is empty`);
      }
      const ruleValueCaseInsensitive =
        readBoolean(rule, 'valueCaseInsensitive', ruleWhere) ??
        valueCaseInsensitive;

      return {
        key,
        aliases,
        spellings: [key, ...aliases],
        allowedValues,
        patternSource: patternRaw,
        pattern:
          patternRaw === undefined
            ? undefined
            : compilePattern(patternRaw, ruleWhere, ruleValueCaseInsensitive),
        patternIgnoringCase:
          patternRaw === undefined
            ? undefined
            : compilePattern(patternRaw, ruleWhere, true),
        valueCaseInsensitive: ruleValueCaseInsensitive,
        scope: readScope(rule, ruleWhere),
      };
    });

  return { keyCaseInsensitive, valueCaseInsensitive, scope, requiredTags };
}

/** What a rule accepts, for display: `one of: prod, dev` or `matching ^[a-z]+$`. */
export function describeAllowed(rule: RequiredTagRule): string | undefined {
  const ignoringCase = rule.valueCaseInsensitive ? ' (ignoring case)' : '';
  if (rule.allowedValues) {
    return `one of: ${rule.allowedValues.join(', ')}${ignoringCase}`;
  }
  if (rule.patternSource !== undefined) {
    return `matching ${rule.patternSource}${ignoringCase}`;
  }
  return undefined;
}

/** A scope for display: `providers AWS; resource types instance, volume`. */
export function describeScope(
  scope: TagPolicyScope | undefined,
): string | undefined {
  if (!scope) return undefined;
  const parts: string[] = [];
  if (scope.providers) parts.push(`providers ${scope.providers.join(', ')}`);
  if (scope.services) parts.push(`services ${scope.services.join(', ')}`);
  if (scope.resourceTypes) {
    parts.push(`resource types ${scope.resourceTypes.join(', ')}`);
  }
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/** The policy for display in the UI. */
export function describeTagPolicy(policy: TagPolicy): TagPolicyDescription {
  return {
    keyCaseInsensitive: policy.keyCaseInsensitive,
    scope: describeScope(policy.scope),
    rules: policy.requiredTags.map(
      (rule): TagPolicyRuleDescription => ({
        key: rule.key,
        aliases: rule.aliases,
        allowed: describeAllowed(rule),
        scope: describeScope(rule.scope),
      }),
    ),
  };
}
