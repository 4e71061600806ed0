import type {
  Recommendation,
  RecommendationConfidence,
  RecommendationEvidence,
  RecommendationKind,
  RecommendationPriceSource,
  RecommendationPriceStatus,
  SavingsPlanPurchase,
  RecommendationSkip,
  UtilisationEvidence,
} from '@costscope/backstage-plugin-common';
import { formatMoney } from './format';
import { formatPercent } from './budgets';

/** Short names of the kinds of recommendation, for chips and table cells. */
export const RECOMMENDATION_KIND_LABELS: Record<RecommendationKind, string> = {
  'idle-instance': 'Idle instance',
  'overprovisioned-instance': 'Over-provisioned instance',
  'office-hours-schedule': 'Office-hours schedule',
  'unattached-volume': 'Unattached volume',
  'unassociated-address': 'Unused IP address',
  'old-snapshot': 'Old snapshot',
  'kubernetes-requests': 'Kubernetes requests',
  'savings-plan-purchase': 'Savings Plan purchase',
};

/** Text of each confidence: the chip shows it, so confidence never rests on colour alone. */
export const CONFIDENCE_LABELS: Record<RecommendationConfidence, string> = {
  high: 'High confidence',
  medium: 'Medium confidence',
  low: 'Low confidence',
};

/** Order of the confidences, for sorting: high is the surest. */
export const CONFIDENCE_RANK: Record<RecommendationConfidence, number> = {
  low: 0,
  medium: 1,
  high: 2,
};

/** Where a saving's price comes from, as a reader would put it. */
export const PRICE_SOURCE_LABELS: Record<RecommendationPriceSource, string> = {
  billing: 'Priced from your bill',
  'price-table': 'Priced at the on-demand list price',
};

/** The label of a kind; the kind itself when it is new to this frontend. */
export function kindLabel(kind: string | undefined): string {
  if (!kind) return '–';
  return RECOMMENDATION_KIND_LABELS[kind as RecommendationKind] ?? kind;
}

/** The name a reader knows a resource by: its `Name` tag, else its id. */
export function resourceLabel(
  item: Pick<
    Recommendation | RecommendationSkip,
    'resourceName' | 'resourceId'
  >,
): string {
  return item.resourceName || item.resourceId;
}

const rateFormatters = new Map<string, Intl.NumberFormat>();

/**
 * An hourly amount, with up to 4 decimals: a commitment of 0.1382 an hour is not "$0.14".
 * The string is turned into a number for display only.
 */
export function formatHourlyMoney(amount: string, currency: string): string {
  let format = rateFormatters.get(currency);
  if (!format) {
    try {
      format = new Intl.NumberFormat(undefined, {
        style: 'currency',
        currency,
        minimumFractionDigits: 2,
        maximumFractionDigits: 4,
      });
    } catch {
      // Unknown currency code: the plain formatter adds the code.
      return formatMoney(amount, currency);
    }
    rateFormatters.set(currency, format);
  }
  return format.format(Number(amount));
}

/** "avg 12.4%, p95 31.2%, max 44.8%". */
export function formatUtilisation(u: UtilisationEvidence): string {
  return `avg ${formatPercent(u.average)}, p95 ${formatPercent(
    u.p95,
  )}, max ${formatPercent(u.maximum)}`;
}

/** One line of evidence: what was measured, and the numbers. */
export interface EvidenceFact {
  label: string;
  value: string;
}

/** The evidence of a recommendation as labelled facts, in reading order; only what is present. */
export function evidenceFacts(
  evidence: RecommendationEvidence,
): EvidenceFact[] {
  const facts: EvidenceFact[] = [];
  if (evidence.cpu) {
    facts.push({ label: 'CPU', value: formatUtilisation(evidence.cpu) });
  }
  if (evidence.memory) {
    facts.push({ label: 'Memory', value: formatUtilisation(evidence.memory) });
  }
  if (evidence.hours !== undefined) {
    facts.push({
      label: 'Data',
      value: `${evidence.hours} hours${
        evidence.lookbackDays !== undefined
          ? ` in the last ${evidence.lookbackDays} days`
          : ''
      }`,
    });
  }
  if (evidence.runningPercent !== undefined) {
    facts.push({
      label: 'Running',
      value: `${formatPercent(evidence.runningPercent)} of the time`,
    });
  }
  if (evidence.sizeGiB !== undefined) {
    facts.push({ label: 'Size', value: `${evidence.sizeGiB} GiB` });
  }
  if (evidence.ageDays !== undefined) {
    facts.push({ label: 'Age', value: `${evidence.ageDays} days` });
  }
  if (evidence.resourceState) {
    facts.push({ label: 'State', value: evidence.resourceState });
  }
  const k8s = evidence.kubernetes;
  if (k8s) {
    facts.push({
      label: 'Used of request',
      value: `CPU ${formatPercent(k8s.cpuUsagePercent)}, RAM ${formatPercent(
        k8s.ramUsagePercent,
      )} over ${k8s.days} days`,
    });
    facts.push({
      label: 'Share of its cost',
      value: `CPU ${formatPercent(k8s.cpuSharePercent)}, RAM ${formatPercent(
        k8s.ramSharePercent,
      )}`,
    });
  }
  return facts;
}

/** "12 months, no upfront" / "36 months, 50% upfront". */
export function formatCommitmentTerm(
  c: Pick<SavingsPlanPurchase, 'termMonths' | 'upfrontPercent'>,
): string {
  let payment = `${formatPercent(c.upfrontPercent)} upfront`;
  if (c.upfrontPercent === 0) payment = 'no upfront';
  if (c.upfrontPercent >= 100) payment = 'all upfront';
  return `${c.termMonths} months, ${payment}`;
}

/** Today in UTC, `YYYY-MM-DD`: the server compares snooze dates in UTC. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** The day after a `YYYY-MM-DD` day. */
export function nextDay(day: string): string {
  const time = Date.parse(`${day}T00:00:00Z`);
  return new Date(time + 24 * 3600 * 1000).toISOString().slice(0, 10);
}

/** The backend's limit on a dismissal reason. */
export const MAX_REASON_LENGTH = 500;

/**
 * Why a tip's saving is smaller than it would be alone: it is priced after another tip on the
 * same resource (a schedule or Savings Plan after a resize), so the two add up.
 */
export function countedAfterText(base: Recommendation): string {
  return `Priced after “${base.action}”, so the two savings add up; without that step this one would save more.`;
}

/** The tip of a list that a tip's saving is priced after, if the list holds it. */
export function countedAfterOf(
  recommendation: Recommendation,
  items: readonly Recommendation[],
): Recommendation | undefined {
  const id = recommendation.countedAfter;
  return id ? items.find(item => item.id === id) : undefined;
}

/** "Sized after 3 rightsizing tips" / "Not sized after any rightsizing tip". */
export function sizedAfterText(plan: Pick<SavingsPlanPurchase, 'sizedAfter'>) {
  const n = plan.sizedAfter.length;
  if (n === 0) return 'No rightsizing tip to act on first';
  return `Sized after ${n} rightsizing ${n === 1 ? 'tip' : 'tips'}`;
}

/** "30 days (2024-04-15 to 2024-05-14)"; the days read when fewer than asked for. */
export function lookbackText(
  plan: Pick<SavingsPlanPurchase, 'lookbackDays' | 'window'>,
): string {
  const days =
    Math.round(
      (Date.parse(`${plan.window.to}T00:00:00Z`) -
        Date.parse(`${plan.window.from}T00:00:00Z`)) /
        86_400_000,
    ) + 1;
  const range = `${plan.window.from} to ${plan.window.to}`;
  return days < plan.lookbackDays
    ? `${days} of ${plan.lookbackDays} days (${range})`
    : `${plan.lookbackDays} days (${range})`;
}

/**
 * What to tell a reader about the prices tips are priced with: one sentence per price source
 * whose last refresh failed, e.g. "Prices could not be refreshed (aws-pricing): AccessDenied;
 * using prices from 2024-05-14." Empty when every refresh went well.
 */
export function pricesProblems(
  prices: readonly RecommendationPriceStatus[] | undefined,
): string[] {
  return (prices ?? [])
    .filter(p => p.error)
    .map(
      p =>
        `Prices could not be refreshed (${p.source}): ${p.error}; ${
          p.refreshedAt
            ? `using prices from ${p.refreshedAt.slice(0, 10)}.`
            : 'no prices from this source yet.'
        }`,
    );
}
