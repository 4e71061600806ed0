import { foldCase, normaliseText } from '../compliance/text';
import { KeyAllocation, KeyToAllocate } from '../store/types';
import { AllocationRule, compareRules, PRIORITY } from './rules';

export interface AllocateOptions {
  /** Compare tag keys ignoring case (`Service` matches `service`). */
  caseInsensitiveTagKeys: boolean;
}

/**
 * Assigns every key to exactly one rule (or none): allocation is a partition. Tag rules of
 * different entities that match the same key are reported as overlaps.
 */
export function allocateKeys(
  keys: KeyToAllocate[],
  rules: AllocationRule[],
  options: AllocateOptions,
): Map<string, KeyAllocation> {
  // NFC and trimmed, as tag compliance compares them: `café` typed on a Mac (NFD) is `café`.
  const normaliseKey = (key: string) =>
    options.caseInsensitiveTagKeys
      ? foldCase(normaliseText(key))
      : normaliseText(key);
  const ordered = [...rules].sort(compareRules);
  const result = new Map<string, KeyAllocation>();

  for (const key of keys) {
    const tags = new Map<string, string>();
    for (const [tagKey, value] of Object.entries(
      JSON.parse(key.tags) as Record<string, string>,
    )) {
      tags.set(normaliseKey(tagKey), normaliseText(String(value)));
    }
    const matches = ordered.filter(rule => {
      if (rule.unusedCommitment) return key.unusedCommitment === true;
      if (rule.accountIds) return rule.accountIds.includes(key.subAccountId);
      return rule.conditions!.every(
        c => tags.get(normaliseKey(c.key)) === normaliseText(c.value),
      );
    });
    const winner = matches[0];
    const overlaps =
      winner && winner.priority <= PRIORITY.componentConvention
        ? [
            ...new Set(
              matches
                .filter(m => m.priority <= PRIORITY.componentConvention)
                .map(m => m.entityRef)
                .filter(ref => ref !== winner.entityRef),
            ),
          ]
        : [];
    result.set(key.allocKey, { ruleId: winner?.id ?? null, overlaps });
  }
  return result;
}
