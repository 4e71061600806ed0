import {
  CostAlert,
  CostDriver,
  nanosToMoney,
} from '@costscope/backstage-plugin-common';

/** What a key cost now and before: a service, or a resource with its service. */
export interface DriverCandidate {
  key: string;
  service: string;
  resourceId?: string;
  current: bigint;
  previous: bigint;
}

/**
 * The keys whose cost grew most, largest increase first; keys that did not grow are no
 * drivers of an increase.
 */
export function topDrivers(
  candidates: DriverCandidate[],
  limit: number,
): CostDriver[] {
  return candidates
    .filter(candidate => candidate.current > candidate.previous)
    .sort((a, b) => {
      const growthA = a.current - a.previous;
      const growthB = b.current - b.previous;
      if (growthA !== growthB) return growthB > growthA ? 1 : -1;
      return a.key.localeCompare(b.key);
    })
    .slice(0, limit)
    .map(candidate => ({
      serviceName: candidate.service,
      ...(candidate.resourceId ? { resourceId: candidate.resourceId } : {}),
      amount: nanosToMoney(candidate.current),
      change: nanosToMoney(candidate.current - candidate.previous),
    }));
}

/** Candidates from two per-service maps. */
export function serviceCandidates(
  current: Map<string, bigint>,
  previous: Map<string, bigint>,
): DriverCandidate[] {
  const keys = new Set([...current.keys(), ...previous.keys()]);
  return [...keys].map(key => ({
    key,
    service: key || '(none)',
    current: current.get(key) ?? 0n,
    previous: previous.get(key) ?? 0n,
  }));
}

/** Candidates from two per-resource maps. */
export function resourceCandidates(
  current: Map<string, { service: string; cost: bigint }>,
  previous: Map<string, { service: string; cost: bigint }>,
): DriverCandidate[] {
  const keys = new Set([...current.keys(), ...previous.keys()]);
  return [...keys].map(key => ({
    key,
    service: current.get(key)?.service ?? previous.get(key)?.service ?? '',
    resourceId: key,
    current: current.get(key)?.cost ?? 0n,
    previous: previous.get(key)?.cost ?? 0n,
  }));
}

/**
 * An alert on a rollup with hidden parts, without what drove it: its drivers may be the hidden
 * parts' services and resources, in the list and in the description's last sentence.
 */
export function withoutDrivers(alert: CostAlert): CostAlert {
  return {
    ...alert,
    drivers: [],
    description: alert.description.replace(
      / (Top drivers|Drivers) against [^:]*: .*$/s,
      '',
    ),
  };
}
