/**
 * Thresholds of the rightsizing rules (`costscope.recommendations` in app-config). Percentages
 * are 0..100, like the utilisation they are compared with. Defaults follow the practice of
 * Cost Explorer, Compute Optimizer and common third-party rules (see README.md).
 */
export interface RecommendationsConfig {
  /** Days of utilisation judged, ending now. Default 14 (Cost Explorer's window). */
  lookbackDays: number;
  /** Hours of CPU data an instance needs before any instance rule judges it. Default 30. */
  minimumHours: number;
  /**
   * Recommendations that save less a month than this (billing currency, decimal string) are
   * dropped. Default "0".
   */
  minimumMonthlySaving: string;
  idle: {
    enabled: boolean;
    /** Idle when the mean of hourly CPU averages is under this. Default 5. */
    cpuAveragePercent: number;
    /** ... and the largest hourly CPU maximum is under this. Default 15. */
    cpuMaximumPercent: number;
  };
  overprovisioned: {
    enabled: boolean;
    /** A smaller type fits when the projected p95 of hourly CPU maxima stays at or under this. Default 70. */
    cpuP95Percent: number;
    /** ... and the projected largest CPU maximum stays at or under this. Default 90. */
    cpuMaximumPercent: number;
    /** Where memory is reported: the projected p95 of hourly memory maxima stays at or under this. Default 80. */
    memoryP95Percent: number;
    /** ... and the projected largest memory maximum stays at or under this. Default 90. */
    memoryMaximumPercent: number;
    /** Consider the cheaper families instanceFamilies.ts lists as alternatives (m6i -> c6i, t3 -> t3a). Default true. */
    otherFamilies: boolean;
    /** Allow a move between x86_64 and arm64 (Graviton), which needs arm64 builds. Default false. */
    architectureChange: boolean;
  };
  officeHours: {
    enabled: boolean;
    /** Tag keys that name the environment, compared without case. Default [env, environment, stage]. */
    environmentTagKeys: string[];
    /** Environment values that mean production, compared without case. Default [prod, production, prd, live]. */
    productionValues: string[];
    /** Runs "around the clock" when it ran at least this share of the window. Default 90. */
    minimumRunningPercent: number;
    /** Hours a week the schedule keeps it running. Default 50 (10 hours x 5 weekdays). */
    scheduledHoursPerWeek: number;
  };
  unattachedVolume: { enabled: boolean };
  unassociatedAddress: { enabled: boolean };
  oldSnapshot: {
    enabled: boolean;
    /** Snapshots older than this many days. Default 90. */
    olderThanDays: number;
  };
  /** Requests of Kubernetes workloads far above their use (rules/kubernetesRequests.ts). */
  kubernetesRequests: {
    enabled: boolean;
    /** Tip when cpu usage / request (over the lookback) is under this. Default 50. */
    cpuUsagePercent: number;
    /** ... and ram usage / request is under this. Default 50. */
    ramUsagePercent: number;
    /** Days of OpenCost requests (cpu and ram each) a workload needs in the lookback. Default 7. */
    minimumDays: number;
  };
  /** The Compute Savings Plan purchase (savingsPlanPurchase.ts). */
  commitment: {
    enabled: boolean;
    /** `payer`: one plan per payer (BillingAccountId); `account`: one per linked account. Default payer. */
    scope: 'payer' | 'account';
    /** Days of eligible usage the plan is sized on, 7, 30 or 60 (as AWS offers). Default 30. */
    lookbackDays: 7 | 30 | 60;
    /** Discount of the plan against on-demand. Default 28 (1-year no-upfront Compute Savings Plan, typical). */
    discountPercent: number;
    /** Term in months, 12 or 36. Default 12. */
    termMonths: 12 | 36;
    /** Share paid upfront: 0 no upfront, 50 partial, 100 all upfront. Default 0. */
    upfrontPercent: number;
  };
}

/** The defaults, as documented in README.md and config.d.ts. */
export const DEFAULT_RECOMMENDATIONS_CONFIG: RecommendationsConfig = {
  lookbackDays: 14,
  minimumHours: 30,
  minimumMonthlySaving: '0',
  idle: { enabled: true, cpuAveragePercent: 5, cpuMaximumPercent: 15 },
  overprovisioned: {
    enabled: true,
    cpuP95Percent: 70,
    cpuMaximumPercent: 90,
    memoryP95Percent: 80,
    memoryMaximumPercent: 90,
    otherFamilies: true,
    architectureChange: false,
  },
  officeHours: {
    enabled: true,
    environmentTagKeys: ['env', 'environment', 'stage'],
    productionValues: ['prod', 'production', 'prd', 'live'],
    minimumRunningPercent: 90,
    scheduledHoursPerWeek: 50,
  },
  unattachedVolume: { enabled: true },
  unassociatedAddress: { enabled: true },
  oldSnapshot: { enabled: true, olderThanDays: 90 },
  kubernetesRequests: {
    enabled: true,
    cpuUsagePercent: 50,
    ramUsagePercent: 50,
    minimumDays: 7,
  },
  commitment: {
    enabled: true,
    scope: 'payer',
    lookbackDays: 30,
    discountPercent: 28,
    termMonths: 12,
    upfrontPercent: 0,
  },
};

/** A partial config, section by section, e.g. for tests: `{ idle: { cpuAveragePercent: 2 } }`. */
export type RecommendationsConfigOverrides = {
  [K in keyof RecommendationsConfig]?: RecommendationsConfig[K] extends object
    ? RecommendationsConfig[K] extends unknown[]
      ? RecommendationsConfig[K]
      : Partial<RecommendationsConfig[K]>
    : RecommendationsConfig[K];
};

/** The defaults with some values replaced. */
export function recommendationsConfig(
  overrides: RecommendationsConfigOverrides = {},
): RecommendationsConfig {
  const d = DEFAULT_RECOMMENDATIONS_CONFIG;
  return {
    lookbackDays: overrides.lookbackDays ?? d.lookbackDays,
    minimumHours: overrides.minimumHours ?? d.minimumHours,
    minimumMonthlySaving:
      overrides.minimumMonthlySaving ?? d.minimumMonthlySaving,
    idle: { ...d.idle, ...overrides.idle },
    overprovisioned: { ...d.overprovisioned, ...overrides.overprovisioned },
    officeHours: { ...d.officeHours, ...overrides.officeHours },
    unattachedVolume: { ...d.unattachedVolume, ...overrides.unattachedVolume },
    unassociatedAddress: {
      ...d.unassociatedAddress,
      ...overrides.unassociatedAddress,
    },
    oldSnapshot: { ...d.oldSnapshot, ...overrides.oldSnapshot },
    kubernetesRequests: {
      ...d.kubernetesRequests,
      ...overrides.kubernetesRequests,
    },
    commitment: { ...d.commitment, ...overrides.commitment },
  };
}
