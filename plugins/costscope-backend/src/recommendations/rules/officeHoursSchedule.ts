import { InventoryResource } from '@costscope/backstage-plugin-node';
import {
  complement,
  decimalFraction,
  divide,
  exact,
  HOURS_PER_WEEK,
  monthly,
  multiply,
} from '../exact';
import { RecommendationsConfig } from '../recommendationsConfig';
import {
  HourlyCost,
  InstanceAssessment,
  instanceEvidence,
  lowerConfidence,
  pct,
  RuleContext,
  RuleOutcome,
  recommendationBase,
  toMoney,
} from './common';

/** The environment tag of a resource (first configured key present, keys compared without case). */
export function environmentOf(
  resource: InventoryResource,
  config: RecommendationsConfig,
): { key: string; value: string } | undefined {
  const wanted = config.officeHours.environmentTagKeys.map(k =>
    k.toLowerCase(),
  );
  for (const wantedKey of wanted) {
    for (const [key, value] of Object.entries(resource.tags ?? {})) {
      if (key.toLowerCase() === wantedKey && value.trim() !== '') {
        return { key, value: value.trim() };
      }
    }
  }
  return undefined;
}

/** Whether the resource is tagged as something other than production. */
export function isNonProduction(
  resource: InventoryResource,
  config: RecommendationsConfig,
): boolean {
  const env = environmentOf(resource, config);
  if (!env) return false; // untagged: unknown, not assumed non-production
  const production = config.officeHours.productionValues.map(v =>
    v.toLowerCase(),
  );
  return !production.includes(env.value.toLowerCase());
}

/**
 * Office-hours schedule: a non-production instance (environment tag present and not one of
 * `productionValues`) that ran at least `minimumRunningPercent` (90) of the window, i.e. around
 * the clock. Running it `scheduledHoursPerWeek` (50) hours a week instead of 168 saves
 * cost per hour x 730 x (168 - 50) / 168 a month. The cost per hour is the one after an
 * over-provisioned recommendation's resize, when there is one, so the two savings add up.
 * Confidence: medium: whether anybody needs it at night or at weekends is not known.
 */
export function officeHoursSchedule(
  a: InstanceAssessment,
  cost: HourlyCost,
  ctx: RuleContext,
): RuleOutcome {
  const c = ctx.config.officeHours;
  if (!c.enabled) return undefined;
  if (!isNonProduction(a.resource, ctx.config)) return undefined;
  if (a.runningPercent < c.minimumRunningPercent) return undefined;
  const env = environmentOf(a.resource, ctx.config)!;
  const scheduled = decimalFraction(c.scheduledHoursPerWeek);
  const offShare = complement(divide(scheduled, exact(HOURS_PER_WEEK)));
  const saving = monthly(multiply(cost.hourly, offShare));
  const type = cost.type ?? a.resource.type;
  return {
    recommendation: {
      ...recommendationBase(a.resource, 'office-hours-schedule', ctx.currency),
      action: `Run it on a schedule, ${c.scheduledHoursPerWeek} hours a week (e.g. 10 hours on weekdays), instead of around the clock`,
      reason: `Tagged ${env.key}=${
        env.value
      } (not production) and running ${pct(a.runningPercent)} of the last ${
        ctx.config.lookbackDays
      } days; CPU averaged ${pct(a.cpu.average)}.${
        cost.type && cost.type !== a.resource.type
          ? ` Saving counted on ${cost.type}, after the suggested resize.`
          : ''
      }`,
      evidence: instanceEvidence(a, ctx.config),
      ...(type ? { currentType: type } : {}),
      currentMonthlyCost: toMoney(monthly(cost.hourly)),
      monthlySaving: toMoney(saving),
      confidence: lowerConfidence('high', 1),
      priceSource: cost.source,
    },
  };
}
