import { monthly } from '../exact';
import {
  COMPLETE_COVERAGE_PERCENT,
  InstanceAssessment,
  instanceEvidence,
  lowerConfidence,
  pct,
  RuleContext,
  RuleOutcome,
  recommendationBase,
  toMoney,
  windowText,
} from './common';

/**
 * Idle instance: the mean of hourly CPU averages is under `idle.cpuAveragePercent` (default 5)
 * and the largest hourly CPU maximum under `idle.cpuMaximumPercent` (default 15) over the
 * lookback window. Saving: the instance's whole cost, 730 hours a month (its volumes keep
 * costing while it is stopped; they are not counted).
 * Confidence: high; medium when the data covers less than 90 % of the window, or for an
 * accelerated (GPU) instance, whose GPU load is not measured.
 */
export function idleInstance(
  a: InstanceAssessment,
  ctx: RuleContext,
): RuleOutcome {
  const { enabled, cpuAveragePercent, cpuMaximumPercent } = ctx.config.idle;
  if (!enabled) return undefined;
  if (
    !(a.cpu.average < cpuAveragePercent && a.cpu.maximum < cpuMaximumPercent)
  ) {
    return undefined;
  }
  let confidence = lowerConfidence(
    'high',
    a.runningPercent < COMPLETE_COVERAGE_PERCENT ? 1 : 0,
  );
  const accelerated = a.typeInfo?.familySpec.accelerated === true;
  if (accelerated) confidence = lowerConfidence(confidence, 1);
  const cost = toMoney(monthly(a.cost.hourly));
  const type = a.resource.type;
  return {
    recommendation: {
      ...recommendationBase(a.resource, 'idle-instance', ctx.currency),
      action: 'Stop the instance, or terminate it if nobody needs it',
      reason: `CPU averaged ${pct(a.cpu.average)} and never went above ${pct(
        a.cpu.maximum,
      )} ${windowText(a, ctx)} (idle: average under ${pct(
        cpuAveragePercent,
      )}, maximum under ${pct(cpuMaximumPercent)}).${
        accelerated ? ' GPU load is not measured.' : ''
      }`,
      evidence: instanceEvidence(a, ctx.config),
      ...(type ? { currentType: type } : {}),
      currentMonthlyCost: cost,
      monthlySaving: cost,
      confidence,
      priceSource: a.cost.source,
    },
  };
}
