import { Recommendation } from '@costscope/backstage-plugin-common';
import { Exact, exact, monthly, multiply, subtract, divide } from '../exact';
import { InstanceTypeInfo } from '../priceTable';
import {
  COMPLETE_COVERAGE_PERCENT,
  HourlyCost,
  InstanceAssessment,
  instanceEvidence,
  lowerConfidence,
  pct,
  RuleContext,
  skipOf,
  tableApplies,
  tableGap,
  recommendationBase,
  toMoney,
  windowText,
} from './common';

/** Utilisation a candidate type would see, in percent of the candidate. */
export interface Projection {
  cpuAverage: number;
  cpuP95: number;
  cpuMaximum: number;
  memoryP95?: number;
  memoryMaximum?: number;
}

/** A cheaper type that fits, with its table price (nano-units an hour). */
export interface FittingType {
  type: InstanceTypeInfo;
  tableHourly: bigint;
  projection: Projection;
}

export interface OverprovisionedOutcome {
  recommendation?: Recommendation;
  skip?: ReturnType<typeof skipOf>;
  /** What the instance would cost after the resize, for the rules that follow. */
  resized?: HourlyCost;
}

/**
 * The load of `a` moved onto `candidate`: CPU scales with the vCPU ratio (half the vCPUs, twice
 * the percentage), memory with the memory ratio.
 */
export function project(
  a: InstanceAssessment,
  current: InstanceTypeInfo,
  candidate: InstanceTypeInfo,
): Projection {
  const cpuRatio = current.vcpu / candidate.vcpu;
  const memoryRatio = current.memoryGiB / candidate.memoryGiB;
  return {
    cpuAverage: a.cpu.average * cpuRatio,
    cpuP95: a.cpu.p95 * cpuRatio,
    cpuMaximum: a.cpu.maximum * cpuRatio,
    ...(a.memory
      ? {
          memoryP95: a.memory.p95 * memoryRatio,
          memoryMaximum: a.memory.maximum * memoryRatio,
        }
      : {}),
  };
}

/**
 * Whether the projected load fits: CPU p95 and maximum under their thresholds; memory p95 and
 * maximum under theirs where memory is reported, else no less memory per vCPU than today (a
 * move the CPU alone cannot justify); for a burstable candidate, the average under its baseline
 * (so that credits do not run out).
 */
export function fits(
  projection: Projection,
  current: InstanceTypeInfo,
  candidate: InstanceTypeInfo,
  ctx: RuleContext,
): boolean {
  const c = ctx.config.overprovisioned;
  if (projection.cpuP95 > c.cpuP95Percent) return false;
  if (projection.cpuMaximum > c.cpuMaximumPercent) return false;
  if (projection.memoryP95 !== undefined) {
    if (projection.memoryP95 > c.memoryP95Percent) return false;
    if ((projection.memoryMaximum ?? 0) > c.memoryMaximumPercent) return false;
  } else if (
    candidate.memoryGiB / candidate.vcpu <
    current.memoryGiB / current.vcpu
  ) {
    return false;
  }
  if (
    candidate.familySpec.burstable &&
    projection.cpuAverage > (candidate.baselinePercent ?? 0)
  ) {
    return false;
  }
  return true;
}

/** Cheaper types of the same family (and of its alternatives, when allowed) that fit, cheapest first. */
export function fittingTypes(
  a: InstanceAssessment,
  current: InstanceTypeInfo,
  currentHourly: bigint,
  ctx: RuleContext,
): FittingType[] {
  const c = ctx.config.overprovisioned;
  const families = new Set([
    current.family,
    ...(c.otherFamilies ? current.familySpec.alternatives : []),
  ]);
  const fitting: FittingType[] = [];
  for (const candidate of ctx.prices.instanceTypesIn(a.resource.region)) {
    if (!families.has(candidate.family) || candidate.type === current.type)
      continue;
    if (candidate.familySpec.accelerated) continue;
    if (
      !c.architectureChange &&
      candidate.familySpec.architecture !== current.familySpec.architecture
    ) {
      continue;
    }
    const tableHourly = ctx.prices.getInstanceHourly(
      a.resource.region,
      candidate.type,
    );
    if (tableHourly >= currentHourly) continue;
    const projection = project(a, current, candidate);
    if (!fits(projection, current, candidate, ctx)) continue;
    fitting.push({ type: candidate, tableHourly, projection });
  }
  // cheapest first; at equal price the same family, then more vCPUs (more headroom)
  return fitting.sort((x, y) => {
    if (x.tableHourly !== y.tableHourly)
      return x.tableHourly < y.tableHourly ? -1 : 1;
    const xSame = x.type.family === current.family ? 0 : 1;
    const ySame = y.type.family === current.family ? 0 : 1;
    if (xSame !== ySame) return xSame - ySame;
    return y.type.vcpu - x.type.vcpu;
  });
}

/**
 * Over-provisioned instance: a cheaper type fits the load with headroom. Candidates are the
 * smaller sizes of the family and, with `otherFamilies`, the sizes of the families the price
 * table lists as alternatives (same architecture unless `architectureChange`). A candidate fits
 * when the projected CPU p95 and maximum (scaled by the vCPU ratio) stay under
 * `cpuP95Percent` (70) and `cpuMaximumPercent` (90), and memory likewise under
 * `memoryP95Percent` (80) and `memoryMaximumPercent` (90) where memory is reported. A spiky
 * instance with a low average is not downsized when its spikes would not fit. The cheapest
 * fitting type wins.
 *
 * Saving: (current price - suggested price) x 730 hours from the price table; with a billing
 * cost, that cost x (1 - suggested price / current price) x 730, so that discounts the
 * resource gets carry over.
 * Confidence: high, one level lower for each of: memory not reported, data covering less than
 * 90 % of the window, another family; low for an architecture change.
 */
export function overprovisionedInstance(
  a: InstanceAssessment,
  ctx: RuleContext,
): OverprovisionedOutcome | undefined {
  if (!ctx.config.overprovisioned.enabled) return undefined;
  const { resource } = a;
  const current = a.typeInfo;
  if (!current) {
    return {
      skip: skipOf(
        resource,
        'unknown-type',
        resource.type
          ? `No price source describes instance type ${resource.type} in ${resource.region} (vCPUs, memory), so no smaller type can be named: ${ctx.prices.remedy}`
          : 'The inventory gives no instance type',
        'overprovisioned-instance',
      ),
    };
  }
  if (current.familySpec.accelerated) {
    return {
      skip: skipOf(
        resource,
        'accelerated',
        `${current.type} is a GPU instance: its GPU load is not measured, so it is not resized`,
        'overprovisioned-instance',
      ),
    };
  }
  const currentHourly = tableApplies(ctx, resource.provider)
    ? ctx.prices.findInstanceHourly(resource.region, current.type)
    : undefined;
  if (currentHourly === undefined) {
    return {
      skip: skipOf(
        resource,
        'no-price',
        `Cheaper sizes cannot be compared: ${tableGap(
          ctx,
          resource.provider,
          `instance type ${current.type}`,
          resource.region,
        )}`,
        'overprovisioned-instance',
      ),
    };
  }
  const [best] = fittingTypes(a, current, currentHourly, ctx);
  if (!best) return undefined;

  // the price per hour after the resize, in the same terms as today's cost
  let resizedHourly: Exact;
  if (a.cost.source === 'billing') {
    resizedHourly = divide(
      multiply(a.cost.hourly, exact(best.tableHourly)),
      exact(currentHourly),
    );
  } else {
    resizedHourly = exact(best.tableHourly);
  }
  const saving = monthly(subtract(a.cost.hourly, resizedHourly));

  const sameFamily = best.type.family === current.family;
  const archChange =
    best.type.familySpec.architecture !== current.familySpec.architecture;
  let confidence = lowerConfidence(
    'high',
    (a.memory ? 0 : 1) +
      (a.runningPercent < COMPLETE_COVERAGE_PERCENT ? 1 : 0) +
      (sameFamily ? 0 : 1),
  );
  if (archChange) confidence = 'low';

  const p = best.projection;
  const memoryText = a.memory
    ? ` Memory p95 ${pct(a.memory.p95)} and maximum ${pct(
        a.memory.maximum,
      )} of ${current.memoryGiB} GiB become about ${pct(
        p.memoryP95!,
      )} and ${pct(p.memoryMaximum!)} of ${best.type.memoryGiB} GiB.`
    : ' Memory is not reported (no CloudWatch agent): check it before resizing.';
  const action = `Resize from ${current.type} to ${best.type.type}${
    archChange
      ? ` (${best.type.familySpec.architecture}: needs ${best.type.familySpec.architecture} builds)`
      : ''
  }`;
  return {
    recommendation: {
      ...recommendationBase(resource, 'overprovisioned-instance', ctx.currency),
      action,
      reason: `CPU averaged ${pct(a.cpu.average)}, p95 ${pct(
        a.cpu.p95,
      )} and maximum ${pct(a.cpu.maximum)} of ${
        current.vcpu
      } vCPUs ${windowText(a, ctx)}; on ${
        best.type.vcpu
      } vCPUs that is about ${pct(p.cpuP95)} p95 and ${pct(
        p.cpuMaximum,
      )} maximum.${memoryText}`,
      evidence: instanceEvidence(a, ctx.config),
      currentType: current.type,
      suggestedType: best.type.type,
      currentMonthlyCost: toMoney(monthly(a.cost.hourly)),
      monthlySaving: toMoney(saving),
      confidence,
      priceSource: a.cost.source,
    },
    resized: {
      hourly: resizedHourly,
      source: a.cost.source,
      type: best.type.type,
    },
  };
}
