import {
  divideHalfEven,
  nanosToMoney,
  Recommendation,
} from '@costscope/backstage-plugin-common';
import { resourceShare, WorkloadLine } from '../../kubernetes/workloadCosts';
import { RecommendationsConfig } from '../recommendationsConfig';

/** Hours of a month, as every other tip prices one. */
const MONTH_HOURS = 730n;

const percentOf = (part: bigint, whole: bigint) =>
  Number(divideHalfEven(part * 10_000n, whole)) / 100;

/**
 * A tip per workload whose cpu and ram usage over request are both under the thresholds over
 * the lookback: its monthly bill-split cost (its cost over the days it had cost, times 730
 * hours) times the share of its weight the unused requests hold,
 * cpu share x (1 - cpu usage/request) + ram share x (1 - ram usage/request), exact and rounded
 * once. The saving is of the workload's part of the node bill, not of a node, so it adds to the
 * nodes' own tips without counting the same resource twice.
 */
export function kubernetesRequests(
  lines: WorkloadLine[],
  options: { config: RecommendationsConfig; currency: string },
): Recommendation[] {
  const c = options.config.kubernetesRequests;
  if (!c.enabled) return [];
  const tips: Recommendation[] = [];
  for (const line of lines) {
    if (line.kind !== 'workload' || line.nanos <= 0n) continue;
    // Requests and use are OpenCost's, for the bill's split too: a workload without them
    // (a cluster without OpenCost, a bill that names it by a pod) has nothing to size
    // requests by, and gets no tip rather than a guess.
    if (line.cpu.days < c.minimumDays || line.ram.days < c.minimumDays)
      continue;
    const cpuShare = resourceShare(line, 'cpu');
    const ramShare = resourceShare(line, 'ram');
    if (!cpuShare || !ramShare) continue;
    const { cpu, ram } = line;
    // usage/request < threshold/100, in integers.
    const under = (sums: WorkloadLine['cpu'], percent: number) =>
      sums.usage * 10_000n < sums.request * BigInt(Math.round(percent * 100));
    if (!under(cpu, c.cpuUsagePercent) || !under(ram, c.ramUsagePercent))
      continue;
    // share x (request - usage) / request, summed over cpu and ram as one exact fraction.
    const unused = (share: typeof cpuShare, sums: WorkloadLine['cpu']) => ({
      n: share.n * (sums.request - sums.usage),
      d: share.d * sums.request,
    });
    const a = unused(cpuShare, cpu);
    const b = unused(ramShare, ram);
    const n = a.n * b.d + b.n * a.d;
    const d = a.d * b.d;
    const hours = 24n * BigInt(line.days);
    const saving = divideHalfEven(line.nanos * MONTH_HOURS * n, hours * d);
    const monthly = divideHalfEven(line.nanos * MONTH_HOURS, hours);
    const cpuUse = percentOf(cpu.usage, cpu.request);
    const ramUse = percentOf(ram.usage, ram.request);
    tips.push({
      id: `kubernetes-requests:${line.cluster}/${line.workload}`,
      kind: 'kubernetes-requests',
      provider: 'Kubernetes',
      resourceId: `${line.cluster}/${line.workload}`,
      resourceName: line.workload,
      resourceKind: 'workload',
      accountId: line.cluster,
      region: 'global',
      ...(line.entityRef ? { entityRef: line.entityRef } : {}),
      action: `Lower the cpu and memory requests of ${line.workload} on cluster ${line.cluster}`,
      reason:
        `Over ${cpu.days} days it used ${cpuUse}% of the cpu and ${ramUse}% of the memory it ` +
        `requested; the unused requests hold that part of its share of the cluster's bill.`,
      evidence: {
        lookbackDays: options.config.lookbackDays,
        kubernetes: {
          cluster: line.cluster,
          ...(line.namespace !== undefined
            ? { namespace: line.namespace }
            : {}),
          days: Math.min(cpu.days, ram.days),
          cpuUsagePercent: cpuUse,
          ramUsagePercent: ramUse,
          cpuSharePercent: percentOf(cpuShare.n, cpuShare.d),
          ramSharePercent: percentOf(ramShare.n, ramShare.d),
        },
      },
      currentMonthlyCost: nanosToMoney(monthly),
      monthlySaving: nanosToMoney(saving),
      currency: options.currency,
      confidence: Math.min(cpu.days, ram.days) >= 14 ? 'high' : 'medium',
      priceSource: 'billing',
      state: 'open',
    });
  }
  return tips;
}
