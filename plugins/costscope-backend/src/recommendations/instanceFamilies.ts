/**
 * What Costscope knows of EC2 instance families beyond their prices: which cheaper families a
 * workload may move to, which are burstable (and the CPU baseline their credits sustain) and
 * which carry GPUs. Prices, vCPUs and memory come from the price cache (the Price List); a
 * family not listed here is described from its types' attributes there (see `familySpecOf`),
 * so it can still be downsized within itself.
 *
 * Sources: the EC2 instance type documentation (sizes, burst baselines) and the rightsizing
 * practice in the recommendations README (alternatives).
 */

/** Size of one instance type. */
export interface InstanceTypeSpec {
  vcpu: number;
  memoryGiB: number;
  /** Burstable types: the CPU share per vCPU that credits sustain, in percent. */
  baselinePercent?: number;
  /** Accelerated types: number of GPUs. */
  gpus?: number;
}

/** What a family is and which cheaper families can stand in for it. */
export interface InstanceFamilySpec {
  architecture: 'x86_64' | 'arm64';
  /** Burstable (t3, t3a): sustained CPU above the baseline costs credits. */
  burstable?: boolean;
  /** Accelerated (GPU): CPU utilisation alone says nothing about fit; never resized. */
  accelerated?: boolean;
  /** Families a workload of this family may move to (the rule also checks the fit and price). */
  alternatives: string[];
}

const X86 = 'x86_64' as const;
const ARM = 'arm64' as const;

/** The families whose alternatives are known. */
export const INSTANCE_FAMILIES: Record<string, InstanceFamilySpec> = {
  t3: { architecture: X86, burstable: true, alternatives: ['t3a'] },
  t3a: { architecture: X86, burstable: true, alternatives: ['t3'] },
  m5: {
    architecture: X86,
    alternatives: ['m6i', 'c5', 'c6i', 't3', 'm6g', 'm7g'],
  },
  m6i: { architecture: X86, alternatives: ['c6i', 't3', 'm6g', 'm7g'] },
  m6g: { architecture: ARM, alternatives: ['c6g', 'm7g'] },
  m7g: { architecture: ARM, alternatives: ['m6g', 'c7g'] },
  c5: { architecture: X86, alternatives: ['c6i', 'c6g', 'c7g'] },
  c6i: { architecture: X86, alternatives: ['c6g', 'c7g'] },
  c6g: { architecture: ARM, alternatives: ['c7g'] },
  c7g: { architecture: ARM, alternatives: ['c6g'] },
  r5: { architecture: X86, alternatives: ['r6i', 'm6i', 'r6g'] },
  r6i: { architecture: X86, alternatives: ['m6i', 'r6g'] },
  r6g: { architecture: ARM, alternatives: ['m6g'] },
  g5: { architecture: X86, accelerated: true, alternatives: [] },
};

/** Baseline CPU per vCPU of the burstable sizes, in percent (EC2 documentation). */
const BURST_BASELINES: Record<string, number> = {
  nano: 5,
  micro: 10,
  small: 20,
  medium: 20,
  large: 30,
  xlarge: 40,
  '2xlarge': 40,
};
const BURST_FAMILIES: Record<string, Record<string, number>> = {
  t3: BURST_BASELINES,
  t3a: BURST_BASELINES,
};

/** The burst baseline of a size of a burstable family, undefined for other types. */
export function baselinePercentOf(
  family: string,
  size: string,
): number | undefined {
  return BURST_FAMILIES[family]?.[size];
}

/**
 * A family's description: the known one, else one read from a type's attributes (its
 * architecture, GPUs) with no alternatives. A burstable family Costscope does not know the
 * baselines of (t4g, t2) is treated as not burstable-safe: it gets no alternatives and its
 * sizes no baseline, so the rule never moves a workload onto credits it cannot check.
 */
export function familySpecOf(
  family: string,
  attributes: { architecture?: 'x86_64' | 'arm64'; gpus?: number },
): InstanceFamilySpec {
  const known = INSTANCE_FAMILIES[family];
  if (known) return known;
  return {
    architecture: attributes.architecture ?? X86,
    ...(/^t\d/.test(family) ? { burstable: true } : {}),
    ...(attributes.gpus ? { accelerated: true } : {}),
    alternatives: [],
  };
}
