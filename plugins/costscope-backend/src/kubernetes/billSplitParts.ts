import { ALLOCATED_IDLE_RESOURCE_NAME } from '@costscope/backstage-plugin-node';
import { BillSplitFact, KubernetesPartRow } from '../store/types';
import {
  largestRemainder,
  SplitPartKind,
  SplitPolicy,
} from './splitClusterCost';
import { ClusterRules, ruleForBillSplit } from './workloadRules';

const BASES = ['billedNanos', 'effectiveNanos', 'listNanos'] as const;

type Part = KubernetesPartRow & { key: string };
type IdlePart = {
  ruleId: number;
  kind: 'idle';
  namespace?: undefined;
  workload: string;
};

/**
 * The part of a node the bill itself allocates to its idle capacity (CUR 2.0's unused cost);
 * a fact the bill did not split at all (no method) is idle too.
 */
function isIdle(fact: BillSplitFact): boolean {
  return (
    fact.resourceId === null &&
    fact.resourceName === ALLOCATED_IDLE_RESOURCE_NAME
  );
}

/**
 * The parts of one group (cluster, resource, day and bill dimensions) of facts the bill split
 * itself: a part per workload (its pods' facts summed), the system namespaces' pods and the
 * nodes' unsplit idle part by the cluster's policy, as the OpenCost split treats them: kept
 * with the owner, or spread over the group's other parts in proportion to their cost,
 * exactly (OpenCost's largestRemainder). A basis with nothing to spread over keeps them with
 * the owner. Sorted by key; the parts sum to the facts on every basis.
 */
export function billSplitParts(
  rules: ClusterRules,
  policy: SplitPolicy,
  facts: BillSplitFact[],
): KubernetesPartRow[] {
  const byKey = new Map<string, Part>();
  for (const fact of facts) {
    const target: ReturnType<typeof ruleForBillSplit> | IdlePart =
      fact.methodId === null || isIdle(fact)
        ? {
            ruleId: rules.billOwnerRuleId ?? rules.ownerRuleId,
            kind: 'idle',
            workload: 'idle',
          }
        : ruleForBillSplit(rules, { ...fact, methodId: fact.methodId });
    const key = JSON.stringify([
      target.kind,
      target.workload,
      target.namespace ?? null,
      target.ruleId,
    ]);
    let part = byKey.get(key);
    if (!part) {
      part = {
        key,
        ruleId: target.ruleId,
        kind: target.kind,
        ...(target.namespace !== undefined
          ? { namespace: target.namespace }
          : {}),
        workload: target.workload,
        billedNanos: 0n,
        effectiveNanos: 0n,
        listNanos: 0n,
      };
      byKey.set(key, part);
    }
    for (const basis of BASES) part[basis] += fact[basis];
  }

  const spread = new Set<SplitPartKind>();
  if (policy.idle === 'spread') spread.add('idle');
  if (policy.systemTo === 'spread') spread.add('system');
  const parts = [...byKey.values()].sort((a, b) =>
    a.key < b.key ? -1 : Number(a.key > b.key),
  );
  const spreading = parts.filter(p => spread.has(p.kind as SplitPartKind));
  const recipients = parts.filter(p => !spread.has(p.kind as SplitPartKind));
  for (const basis of BASES) {
    const amount = spreading.reduce((s, p) => s + p[basis], 0n);
    if (amount === 0n) continue;
    // Each basis by its own cost: a pod a commitment covers bills 0 but costs its share.
    // Magnitudes, so that a group of credits spreads by the credits.
    const weighted = recipients.map(p => ({
      key: p.key,
      weight: p[basis] < 0n ? -p[basis] : p[basis],
    }));
    // Nothing to spread over on this basis: it stays with the owner.
    if (!weighted.some(r => r.weight > 0n)) continue;
    const shares = largestRemainder(amount, weighted);
    recipients.forEach((p, i) => {
      p[basis] += shares[i];
    });
    for (const p of spreading) p[basis] = 0n;
  }
  return parts
    .filter(
      p =>
        !spread.has(p.kind as SplitPartKind) ||
        BASES.some(basis => p[basis] !== 0n),
    )
    .map(({ key: _key, ...part }) => part);
}
