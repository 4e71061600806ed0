/**
 * The on-demand price table that ships with Costscope: what a resource would cost when billing
 * data does not say what it costs. Prices are USD, Linux, shared tenancy, no pre-installed
 * software, on-demand; amounts are decimal strings so they are read exactly.
 *
 * Sources (see README.md, "Price table"):
 * - EC2 us-east-1: the AWS Price List (AmazonEC2 offer file, on-demand, Linux, shared tenancy) as
 *   extracted into `pkg/providers/pricing/zz_generated.pricing_aws.go` of aws/karpenter-provider-aws,
 *   "generated at 2026-07-20T13:44:30Z for us-east-1" (commit 6fc13b52).
 * - EC2 eu-west-1: transcribed from the public "Amazon EC2 On-Demand Pricing" page
 *   (https://aws.amazon.com/ec2/pricing/on-demand/, Europe (Ireland), Linux); sixth-generation
 *   Intel types (m6i, c6i, r6i) are listed at the price of their fifth-generation siblings.
 *   Not cross-checked against the offer file: check before relying on them (README).
 * - EBS per GiB-month, snapshots per GiB-month: https://aws.amazon.com/ebs/pricing/.
 * - Public IPv4 per hour (every public IPv4 address, in use or not, since 2024-02-01):
 *   https://aws.amazon.com/vpc/pricing/.
 * Table date: 2026-07-20.
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

/** Prices of one region, decimal strings in the table's currency. */
export interface RegionPriceData {
  /** Instance type -> price per hour. */
  instances: Record<string, string>;
  /** EBS volume type -> price per GiB-month of provisioned storage. */
  volumesPerGiBMonth: Record<string, string>;
  /** EBS snapshot storage (standard tier) per GiB-month. */
  snapshotPerGiBMonth: string;
  /** One public IPv4 address per hour. */
  publicIpv4PerHour: string;
}

/** A price table: provider, currency, date, sizes and per-region prices. */
export interface PriceTableData {
  provider: string;
  currency: string;
  /** The day the prices were read, YYYY-MM-DD. */
  date: string;
  source: string;
  families: Record<string, InstanceFamilySpec>;
  instanceTypes: Record<string, InstanceTypeSpec>;
  regions: Record<string, RegionPriceData>;
}

const X86 = 'x86_64' as const;
const ARM = 'arm64' as const;

/** The table that ships with Costscope. */
export const AWS_PRICE_TABLE: PriceTableData = {
  provider: 'AWS',
  currency: 'USD',
  date: '2026-07-20',
  source:
    'AWS Price List (EC2 on-demand Linux, us-east-1, via aws/karpenter-provider-aws ' +
    'zz_generated.pricing_aws.go of 2026-07-20); eu-west-1 EC2, EBS, snapshot and public IPv4 ' +
    'prices from the AWS pricing pages',
  families: {
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
  },
  instanceTypes: {
    'c5.large': { vcpu: 2, memoryGiB: 4 },
    'c5.xlarge': { vcpu: 4, memoryGiB: 8 },
    'c5.2xlarge': { vcpu: 8, memoryGiB: 16 },
    'c5.4xlarge': { vcpu: 16, memoryGiB: 32 },
    'c5.9xlarge': { vcpu: 36, memoryGiB: 72 },
    'c5.12xlarge': { vcpu: 48, memoryGiB: 96 },
    'c5.18xlarge': { vcpu: 72, memoryGiB: 144 },
    'c5.24xlarge': { vcpu: 96, memoryGiB: 192 },
    'c6g.medium': { vcpu: 1, memoryGiB: 2 },
    'c6g.large': { vcpu: 2, memoryGiB: 4 },
    'c6g.xlarge': { vcpu: 4, memoryGiB: 8 },
    'c6g.2xlarge': { vcpu: 8, memoryGiB: 16 },
    'c6g.4xlarge': { vcpu: 16, memoryGiB: 32 },
    'c6g.8xlarge': { vcpu: 32, memoryGiB: 64 },
    'c6g.12xlarge': { vcpu: 48, memoryGiB: 96 },
    'c6g.16xlarge': { vcpu: 64, memoryGiB: 128 },
    'c6i.large': { vcpu: 2, memoryGiB: 4 },
    'c6i.xlarge': { vcpu: 4, memoryGiB: 8 },
    'c6i.2xlarge': { vcpu: 8, memoryGiB: 16 },
    'c6i.4xlarge': { vcpu: 16, memoryGiB: 32 },
    'c6i.8xlarge': { vcpu: 32, memoryGiB: 64 },
    'c6i.12xlarge': { vcpu: 48, memoryGiB: 96 },
    'c6i.16xlarge': { vcpu: 64, memoryGiB: 128 },
    'c6i.24xlarge': { vcpu: 96, memoryGiB: 192 },
    'c6i.32xlarge': { vcpu: 128, memoryGiB: 256 },
    'c7g.medium': { vcpu: 1, memoryGiB: 2 },
    'c7g.large': { vcpu: 2, memoryGiB: 4 },
    'c7g.xlarge': { vcpu: 4, memoryGiB: 8 },
    'c7g.2xlarge': { vcpu: 8, memoryGiB: 16 },
    'c7g.4xlarge': { vcpu: 16, memoryGiB: 32 },
    'c7g.8xlarge': { vcpu: 32, memoryGiB: 64 },
    'c7g.12xlarge': { vcpu: 48, memoryGiB: 96 },
    'c7g.16xlarge': { vcpu: 64, memoryGiB: 128 },
    'g5.xlarge': { vcpu: 4, memoryGiB: 16, gpus: 1 },
    'g5.2xlarge': { vcpu: 8, memoryGiB: 32, gpus: 1 },
    'g5.4xlarge': { vcpu: 16, memoryGiB: 64, gpus: 1 },
    'g5.8xlarge': { vcpu: 32, memoryGiB: 128, gpus: 1 },
    'g5.12xlarge': { vcpu: 48, memoryGiB: 192, gpus: 4 },
    'g5.16xlarge': { vcpu: 64, memoryGiB: 256, gpus: 1 },
    'g5.24xlarge': { vcpu: 96, memoryGiB: 384, gpus: 4 },
    'g5.48xlarge': { vcpu: 192, memoryGiB: 768, gpus: 8 },
    'm5.large': { vcpu: 2, memoryGiB: 8 },
    'm5.xlarge': { vcpu: 4, memoryGiB: 16 },
    'm5.2xlarge': { vcpu: 8, memoryGiB: 32 },
    'm5.4xlarge': { vcpu: 16, memoryGiB: 64 },
    'm5.8xlarge': { vcpu: 32, memoryGiB: 128 },
    'm5.12xlarge': { vcpu: 48, memoryGiB: 192 },
    'm5.16xlarge': { vcpu: 64, memoryGiB: 256 },
    'm5.24xlarge': { vcpu: 96, memoryGiB: 384 },
    'm6g.medium': { vcpu: 1, memoryGiB: 4 },
    'm6g.large': { vcpu: 2, memoryGiB: 8 },
    'm6g.xlarge': { vcpu: 4, memoryGiB: 16 },
    'm6g.2xlarge': { vcpu: 8, memoryGiB: 32 },
    'm6g.4xlarge': { vcpu: 16, memoryGiB: 64 },
    'm6g.8xlarge': { vcpu: 32, memoryGiB: 128 },
    'm6g.12xlarge': { vcpu: 48, memoryGiB: 192 },
    'm6g.16xlarge': { vcpu: 64, memoryGiB: 256 },
    'm6i.large': { vcpu: 2, memoryGiB: 8 },
    'm6i.xlarge': { vcpu: 4, memoryGiB: 16 },
    'm6i.2xlarge': { vcpu: 8, memoryGiB: 32 },
    'm6i.4xlarge': { vcpu: 16, memoryGiB: 64 },
    'm6i.8xlarge': { vcpu: 32, memoryGiB: 128 },
    'm6i.12xlarge': { vcpu: 48, memoryGiB: 192 },
    'm6i.16xlarge': { vcpu: 64, memoryGiB: 256 },
    'm6i.24xlarge': { vcpu: 96, memoryGiB: 384 },
    'm6i.32xlarge': { vcpu: 128, memoryGiB: 512 },
    'm7g.medium': { vcpu: 1, memoryGiB: 4 },
    'm7g.large': { vcpu: 2, memoryGiB: 8 },
    'm7g.xlarge': { vcpu: 4, memoryGiB: 16 },
    'm7g.2xlarge': { vcpu: 8, memoryGiB: 32 },
    'm7g.4xlarge': { vcpu: 16, memoryGiB: 64 },
    'm7g.8xlarge': { vcpu: 32, memoryGiB: 128 },
    'm7g.12xlarge': { vcpu: 48, memoryGiB: 192 },
    'm7g.16xlarge': { vcpu: 64, memoryGiB: 256 },
    'r5.large': { vcpu: 2, memoryGiB: 16 },
    'r5.xlarge': { vcpu: 4, memoryGiB: 32 },
    'r5.2xlarge': { vcpu: 8, memoryGiB: 64 },
    'r5.4xlarge': { vcpu: 16, memoryGiB: 128 },
    'r5.8xlarge': { vcpu: 32, memoryGiB: 256 },
    'r5.12xlarge': { vcpu: 48, memoryGiB: 384 },
    'r5.16xlarge': { vcpu: 64, memoryGiB: 512 },
    'r5.24xlarge': { vcpu: 96, memoryGiB: 768 },
    'r6g.medium': { vcpu: 1, memoryGiB: 8 },
    'r6g.large': { vcpu: 2, memoryGiB: 16 },
    'r6g.xlarge': { vcpu: 4, memoryGiB: 32 },
    'r6g.2xlarge': { vcpu: 8, memoryGiB: 64 },
    'r6g.4xlarge': { vcpu: 16, memoryGiB: 128 },
    'r6g.8xlarge': { vcpu: 32, memoryGiB: 256 },
    'r6g.12xlarge': { vcpu: 48, memoryGiB: 384 },
    'r6g.16xlarge': { vcpu: 64, memoryGiB: 512 },
    'r6i.large': { vcpu: 2, memoryGiB: 16 },
    'r6i.xlarge': { vcpu: 4, memoryGiB: 32 },
    'r6i.2xlarge': { vcpu: 8, memoryGiB: 64 },
    'r6i.4xlarge': { vcpu: 16, memoryGiB: 128 },
    'r6i.8xlarge': { vcpu: 32, memoryGiB: 256 },
    'r6i.12xlarge': { vcpu: 48, memoryGiB: 384 },
    'r6i.16xlarge': { vcpu: 64, memoryGiB: 512 },
    'r6i.24xlarge': { vcpu: 96, memoryGiB: 768 },
    'r6i.32xlarge': { vcpu: 128, memoryGiB: 1024 },
    't3.nano': { vcpu: 2, memoryGiB: 0.5, baselinePercent: 5 },
    't3.micro': { vcpu: 2, memoryGiB: 1, baselinePercent: 10 },
    't3.small': { vcpu: 2, memoryGiB: 2, baselinePercent: 20 },
    't3.medium': { vcpu: 2, memoryGiB: 4, baselinePercent: 20 },
    't3.large': { vcpu: 2, memoryGiB: 8, baselinePercent: 30 },
    't3.xlarge': { vcpu: 4, memoryGiB: 16, baselinePercent: 40 },
    't3.2xlarge': { vcpu: 8, memoryGiB: 32, baselinePercent: 40 },
    't3a.nano': { vcpu: 2, memoryGiB: 0.5, baselinePercent: 5 },
    't3a.micro': { vcpu: 2, memoryGiB: 1, baselinePercent: 10 },
    't3a.small': { vcpu: 2, memoryGiB: 2, baselinePercent: 20 },
    't3a.medium': { vcpu: 2, memoryGiB: 4, baselinePercent: 20 },
    't3a.large': { vcpu: 2, memoryGiB: 8, baselinePercent: 30 },
    't3a.xlarge': { vcpu: 4, memoryGiB: 16, baselinePercent: 40 },
    't3a.2xlarge': { vcpu: 8, memoryGiB: 32, baselinePercent: 40 },
  },
  regions: {
    'us-east-1': {
      instances: {
        'c5.large': '0.085',
        'c5.xlarge': '0.17',
        'c5.2xlarge': '0.34',
        'c5.4xlarge': '0.68',
        'c5.9xlarge': '1.53',
        'c5.12xlarge': '2.04',
        'c5.18xlarge': '3.06',
        'c5.24xlarge': '4.08',
        'c6g.medium': '0.034',
        'c6g.large': '0.068',
        'c6g.xlarge': '0.136',
        'c6g.2xlarge': '0.272',
        'c6g.4xlarge': '0.544',
        'c6g.8xlarge': '1.088',
        'c6g.12xlarge': '1.632',
        'c6g.16xlarge': '2.176',
        'c6i.large': '0.085',
        'c6i.xlarge': '0.17',
        'c6i.2xlarge': '0.34',
        'c6i.4xlarge': '0.68',
        'c6i.8xlarge': '1.36',
        'c6i.12xlarge': '2.04',
        'c6i.16xlarge': '2.72',
        'c6i.24xlarge': '4.08',
        'c6i.32xlarge': '5.44',
        'c7g.medium': '0.0363',
        'c7g.large': '0.0725',
        'c7g.xlarge': '0.145',
        'c7g.2xlarge': '0.29',
        'c7g.4xlarge': '0.58',
        'c7g.8xlarge': '1.16',
        'c7g.12xlarge': '1.74',
        'c7g.16xlarge': '2.32',
        'g5.xlarge': '1.006',
        'g5.2xlarge': '1.212',
        'g5.4xlarge': '1.624',
        'g5.8xlarge': '2.448',
        'g5.12xlarge': '5.672',
        'g5.16xlarge': '4.096',
        'g5.24xlarge': '8.144',
        'g5.48xlarge': '16.288',
        'm5.large': '0.096',
        'm5.xlarge': '0.192',
        'm5.2xlarge': '0.384',
        'm5.4xlarge': '0.768',
        'm5.8xlarge': '1.536',
        'm5.12xlarge': '2.304',
        'm5.16xlarge': '3.072',
        'm5.24xlarge': '4.608',
        'm6g.medium': '0.0385',
        'm6g.large': '0.077',
        'm6g.xlarge': '0.154',
        'm6g.2xlarge': '0.308',
        'm6g.4xlarge': '0.616',
        'm6g.8xlarge': '1.232',
        'm6g.12xlarge': '1.848',
        'm6g.16xlarge': '2.464',
        'm6i.large': '0.096',
        'm6i.xlarge': '0.192',
        'm6i.2xlarge': '0.384',
        'm6i.4xlarge': '0.768',
        'm6i.8xlarge': '1.536',
        'm6i.12xlarge': '2.304',
        'm6i.16xlarge': '3.072',
        'm6i.24xlarge': '4.608',
        'm6i.32xlarge': '6.144',
        'm7g.medium': '0.0408',
        'm7g.large': '0.0816',
        'm7g.xlarge': '0.1632',
        'm7g.2xlarge': '0.3264',
        'm7g.4xlarge': '0.6528',
        'm7g.8xlarge': '1.3056',
        'm7g.12xlarge': '1.9584',
        'm7g.16xlarge': '2.6112',
        'r5.large': '0.126',
        'r5.xlarge': '0.252',
        'r5.2xlarge': '0.504',
        'r5.4xlarge': '1.008',
        'r5.8xlarge': '2.016',
        'r5.12xlarge': '3.024',
        'r5.16xlarge': '4.032',
        'r5.24xlarge': '6.048',
        'r6g.medium': '0.0504',
        'r6g.large': '0.1008',
        'r6g.xlarge': '0.2016',
        'r6g.2xlarge': '0.4032',
        'r6g.4xlarge': '0.8064',
        'r6g.8xlarge': '1.6128',
        'r6g.12xlarge': '2.4192',
        'r6g.16xlarge': '3.2256',
        'r6i.large': '0.126',
        'r6i.xlarge': '0.252',
        'r6i.2xlarge': '0.504',
        'r6i.4xlarge': '1.008',
        'r6i.8xlarge': '2.016',
        'r6i.12xlarge': '3.024',
        'r6i.16xlarge': '4.032',
        'r6i.24xlarge': '6.048',
        'r6i.32xlarge': '8.064',
        't3.nano': '0.0052',
        't3.micro': '0.0104',
        't3.small': '0.0208',
        't3.medium': '0.0416',
        't3.large': '0.0832',
        't3.xlarge': '0.1664',
        't3.2xlarge': '0.3328',
        't3a.nano': '0.0047',
        't3a.micro': '0.0094',
        't3a.small': '0.0188',
        't3a.medium': '0.0376',
        't3a.large': '0.0752',
        't3a.xlarge': '0.1504',
        't3a.2xlarge': '0.3008',
      },
      volumesPerGiBMonth: {
        gp3: '0.08',
        gp2: '0.10',
        io1: '0.125',
        io2: '0.125',
        st1: '0.045',
        sc1: '0.015',
        standard: '0.05',
      },
      snapshotPerGiBMonth: '0.05',
      publicIpv4PerHour: '0.005',
    },
    'eu-west-1': {
      instances: {
        'c5.large': '0.096',
        'c5.xlarge': '0.192',
        'c5.2xlarge': '0.384',
        'c5.4xlarge': '0.768',
        'c5.9xlarge': '1.728',
        'c5.12xlarge': '2.304',
        'c5.18xlarge': '3.456',
        'c5.24xlarge': '4.608',
        'c6i.large': '0.096',
        'c6i.xlarge': '0.192',
        'c6i.2xlarge': '0.384',
        'c6i.4xlarge': '0.768',
        'c6i.8xlarge': '1.536',
        'c6i.12xlarge': '2.304',
        'c6i.16xlarge': '3.072',
        'c6i.24xlarge': '4.608',
        'c6i.32xlarge': '6.144',
        'm5.large': '0.107',
        'm5.xlarge': '0.214',
        'm5.2xlarge': '0.428',
        'm5.4xlarge': '0.856',
        'm5.8xlarge': '1.712',
        'm5.12xlarge': '2.568',
        'm5.16xlarge': '3.424',
        'm5.24xlarge': '5.136',
        'm6i.large': '0.107',
        'm6i.xlarge': '0.214',
        'm6i.2xlarge': '0.428',
        'm6i.4xlarge': '0.856',
        'm6i.8xlarge': '1.712',
        'm6i.12xlarge': '2.568',
        'm6i.16xlarge': '3.424',
        'm6i.24xlarge': '5.136',
        'm6i.32xlarge': '6.848',
        'r5.large': '0.141',
        'r5.xlarge': '0.282',
        'r5.2xlarge': '0.564',
        'r5.4xlarge': '1.128',
        'r5.8xlarge': '2.256',
        'r5.12xlarge': '3.384',
        'r5.16xlarge': '4.512',
        'r5.24xlarge': '6.768',
        'r6i.large': '0.141',
        'r6i.xlarge': '0.282',
        'r6i.2xlarge': '0.564',
        'r6i.4xlarge': '1.128',
        'r6i.8xlarge': '2.256',
        'r6i.12xlarge': '3.384',
        'r6i.16xlarge': '4.512',
        'r6i.24xlarge': '6.768',
        'r6i.32xlarge': '9.024',
        't3.nano': '0.0057',
        't3.micro': '0.0114',
        't3.small': '0.0228',
        't3.medium': '0.0456',
        't3.large': '0.0912',
        't3.xlarge': '0.1824',
        't3.2xlarge': '0.3648',
      },
      volumesPerGiBMonth: {
        gp3: '0.088',
        gp2: '0.11',
        io1: '0.138',
        io2: '0.138',
        st1: '0.05',
        sc1: '0.0168',
        standard: '0.055',
      },
      snapshotPerGiBMonth: '0.05',
      publicIpv4PerHour: '0.005',
    },
  },
};
