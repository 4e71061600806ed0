import { Config } from '@backstage/config';
import { isMoneyText } from '@costscope/backstage-plugin-common';
import {
  DEFAULT_RECOMMENDATIONS_CONFIG,
  RecommendationsConfig,
} from './recommendationsConfig';

const ROOT = 'costscope.recommendations';

type Check = (value: number) => string | undefined;

const percent: Check = v =>
  v > 0 && v <= 100 ? undefined : 'must be more than 0 and at most 100';
const percentOrZero: Check = v =>
  v >= 0 && v <= 100 ? undefined : 'must be between 0 and 100';
const positiveInteger: Check = v =>
  Number.isInteger(v) && v > 0 ? undefined : 'must be a whole number above 0';

function readNumber(
  section: Config | undefined,
  path: string,
  key: string,
  fallback: number,
  ...checks: Check[]
): number {
  const value = section?.getOptionalNumber(key) ?? fallback;
  for (const check of checks) {
    const problem = Number.isFinite(value) ? check(value) : 'must be a number';
    if (problem) throw new Error(`${path}.${key} ${problem}, got ${value}`);
  }
  return value;
}

function readStrings(
  section: Config | undefined,
  path: string,
  key: string,
  fallback: string[],
): string[] {
  const values = section?.getOptionalStringArray(key) ?? fallback;
  const trimmed = values.map(v => v.trim());
  if (trimmed.length === 0 || trimmed.some(v => v === '')) {
    throw new Error(
      `${path}.${key} must list at least one value, none of them empty`,
    );
  }
  return trimmed;
}

/**
 * Reads `costscope.recommendations` with defaults for every missing key. Throws an Error naming
 * the bad key, which stops the backend at start rather than failing later.
 */
export function readRecommendationsConfig(root: Config): RecommendationsConfig {
  const d = DEFAULT_RECOMMENDATIONS_CONFIG;
  const config = root.getOptionalConfig(ROOT);
  const section = (key: string) => ({
    c: config?.getOptionalConfig(key),
    path: `${ROOT}.${key}`,
  });
  const enabled = (c: Config | undefined) =>
    c?.getOptionalBoolean('enabled') ?? true;

  const lookbackDays = readNumber(
    config,
    ROOT,
    'lookbackDays',
    d.lookbackDays,
    positiveInteger,
    v => (v <= 93 ? undefined : 'must be at most 93 (CloudWatch hourly data)'),
  );
  const minimumHours = readNumber(
    config,
    ROOT,
    'minimumHours',
    d.minimumHours,
    positiveInteger,
    v =>
      v <= lookbackDays * 24
        ? undefined
        : `must fit in the lookback window (${lookbackDays * 24} hours)`,
  );

  const minimumRaw = config?.getOptional('minimumMonthlySaving');
  let minimumMonthlySaving = d.minimumMonthlySaving;
  if (minimumRaw !== undefined) {
    const text =
      typeof minimumRaw === 'number' || typeof minimumRaw === 'string'
        ? String(minimumRaw).trim()
        : '';
    // an amount as the API writes it, and not negative (not even "-0")
    if (!isMoneyText(text) || text.startsWith('-')) {
      throw new Error(
        `${ROOT}.minimumMonthlySaving must be a decimal amount of at least 0 with at most 9 decimals, got ${JSON.stringify(
          minimumRaw,
        )}`,
      );
    }
    minimumMonthlySaving = text;
  }

  const idle = section('idle');
  const over = section('overprovisioned');
  const office = section('officeHours');
  const snapshots = section('oldSnapshot');
  const commitment = section('commitment');
  const requests = section('kubernetesRequests');

  const idleAverage = readNumber(
    idle.c,
    idle.path,
    'cpuAveragePercent',
    d.idle.cpuAveragePercent,
    percent,
  );
  const idleMaximum = readNumber(
    idle.c,
    idle.path,
    'cpuMaximumPercent',
    d.idle.cpuMaximumPercent,
    percent,
    v =>
      v >= idleAverage
        ? undefined
        : `must not be below cpuAveragePercent (${idleAverage})`,
  );

  const termMonths = readNumber(
    commitment.c,
    commitment.path,
    'termMonths',
    d.commitment.termMonths,
    v => (v === 12 || v === 36 ? undefined : 'must be 12 or 36'),
  ) as 12 | 36;
  const commitmentLookback = readNumber(
    commitment.c,
    commitment.path,
    'lookbackDays',
    d.commitment.lookbackDays,
    v => (v === 7 || v === 30 || v === 60 ? undefined : 'must be 7, 30 or 60'),
  ) as 7 | 30 | 60;
  const scope = commitment.c?.getOptionalString('scope') ?? d.commitment.scope;
  if (scope !== 'payer' && scope !== 'account') {
    throw new Error(
      `${commitment.path}.scope must be payer or account, got ${JSON.stringify(
        scope,
      )}`,
    );
  }

  return {
    lookbackDays,
    minimumHours,
    minimumMonthlySaving,
    idle: {
      enabled: enabled(idle.c),
      cpuAveragePercent: idleAverage,
      cpuMaximumPercent: idleMaximum,
    },
    overprovisioned: {
      enabled: enabled(over.c),
      cpuP95Percent: readNumber(
        over.c,
        over.path,
        'cpuP95Percent',
        d.overprovisioned.cpuP95Percent,
        percent,
      ),
      cpuMaximumPercent: readNumber(
        over.c,
        over.path,
        'cpuMaximumPercent',
        d.overprovisioned.cpuMaximumPercent,
        percent,
      ),
      memoryP95Percent: readNumber(
        over.c,
        over.path,
        'memoryP95Percent',
        d.overprovisioned.memoryP95Percent,
        percent,
      ),
      memoryMaximumPercent: readNumber(
        over.c,
        over.path,
        'memoryMaximumPercent',
        d.overprovisioned.memoryMaximumPercent,
        percent,
      ),
      otherFamilies:
        over.c?.getOptionalBoolean('otherFamilies') ??
        d.overprovisioned.otherFamilies,
      architectureChange:
        over.c?.getOptionalBoolean('architectureChange') ??
        d.overprovisioned.architectureChange,
    },
    officeHours: {
      enabled: enabled(office.c),
      environmentTagKeys: readStrings(
        office.c,
        office.path,
        'environmentTagKeys',
        d.officeHours.environmentTagKeys,
      ),
      productionValues: readStrings(
        office.c,
        office.path,
        'productionValues',
        d.officeHours.productionValues,
      ),
      minimumRunningPercent: readNumber(
        office.c,
        office.path,
        'minimumRunningPercent',
        d.officeHours.minimumRunningPercent,
        percent,
      ),
      scheduledHoursPerWeek: readNumber(
        office.c,
        office.path,
        'scheduledHoursPerWeek',
        d.officeHours.scheduledHoursPerWeek,
        v =>
          v > 0 && v < 168
            ? undefined
            : 'must be more than 0 and less than 168',
      ),
    },
    unattachedVolume: {
      enabled: enabled(config?.getOptionalConfig('unattachedVolume')),
    },
    unassociatedAddress: {
      enabled: enabled(config?.getOptionalConfig('unassociatedAddress')),
    },
    oldSnapshot: {
      enabled: enabled(snapshots.c),
      olderThanDays: readNumber(
        snapshots.c,
        snapshots.path,
        'olderThanDays',
        d.oldSnapshot.olderThanDays,
        positiveInteger,
      ),
    },
    kubernetesRequests: {
      enabled: enabled(requests.c),
      cpuUsagePercent: readNumber(
        requests.c,
        requests.path,
        'cpuUsagePercent',
        d.kubernetesRequests.cpuUsagePercent,
        percent,
      ),
      ramUsagePercent: readNumber(
        requests.c,
        requests.path,
        'ramUsagePercent',
        d.kubernetesRequests.ramUsagePercent,
        percent,
      ),
      minimumDays: readNumber(
        requests.c,
        requests.path,
        'minimumDays',
        d.kubernetesRequests.minimumDays,
        positiveInteger,
      ),
    },
    commitment: {
      enabled: enabled(commitment.c),
      scope,
      lookbackDays: commitmentLookback,
      discountPercent: readNumber(
        commitment.c,
        commitment.path,
        'discountPercent',
        d.commitment.discountPercent,
        v =>
          v > 0 && v < 100
            ? undefined
            : 'must be more than 0 and less than 100',
      ),
      termMonths,
      upfrontPercent: readNumber(
        commitment.c,
        commitment.path,
        'upfrontPercent',
        d.commitment.upfrontPercent,
        percentOrZero,
      ),
    },
  };
}
