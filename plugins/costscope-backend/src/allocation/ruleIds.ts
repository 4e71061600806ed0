import { AllocationRuleRow } from '../store/types';

/** A rule as stored: enough to tell whether a built rule is the same one. */
export type StoredRule = Pick<
  AllocationRuleRow,
  'id' | 'entityRef' | 'origin' | 'rule'
>;

const twinKey = (rule: Pick<StoredRule, 'entityRef' | 'origin' | 'rule'>) =>
  JSON.stringify([rule.entityRef, rule.origin, rule.rule]);

/**
 * Gives each built rule the id its twin (same entity, origin and text) had in the stored
 * allocation, and new rules fresh ids above every id stored or given: a catalog change then
 * renumbers nothing, so the rollups of the rules it did not touch stay valid. The id of a rule
 * gone is never given again in the same rebuild (its rollup rows are deleted by id). Answers
 * the rules with their ids, in the order given, and the first id above theirs: where the
 * Kubernetes rules start. Those may take a gone rule's id, since a split is always rebuilt in
 * full, and so do not push the ids up at every allocation.
 */
export function assignRuleIds<T extends Omit<StoredRule, 'id'>>(
  built: T[],
  stored: StoredRule[],
): { rules: Array<T & { id: number }>; firstFreeId: number } {
  // Ids per twin, lowest first: the same text twice (a duplicated condition set) keeps both.
  const idsOf = new Map<string, number[]>();
  let maxId = 0;
  for (const rule of [...stored].sort((a, b) => a.id - b.id)) {
    if (!Number.isSafeInteger(rule.id) || rule.id < 1) {
      throw new Error(`Stored allocation rule has an invalid id: ${rule.id}`);
    }
    const key = twinKey(rule);
    idsOf.set(key, [...(idsOf.get(key) ?? []), rule.id]);
    maxId = Math.max(maxId, rule.id);
  }
  const rules = built.map(rule => {
    const id = idsOf.get(twinKey(rule))?.shift();
    if (id !== undefined) return { ...rule, id };
    maxId += 1;
    return { ...rule, id: maxId };
  });
  const firstFreeId =
    rules.reduce((max, rule) => Math.max(max, rule.id), 0) + 1;
  return { rules, firstFreeId };
}
