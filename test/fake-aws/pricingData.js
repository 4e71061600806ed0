'use strict';

// The AWS price data the fake's Price List (pricing.js) answers from, and the demo prices file
// (examples/prices/aws-prices.json, written by scripts/generate-demo-prices.js) is generated
// from: on-demand, Linux, shared tenancy, no pre-installed software, USD.
//
// Sources, as read on 2026-07-20:
// - us-east-1 instances: the AWS Price List (AmazonEC2 offer file) as extracted into
//   pkg/providers/pricing/zz_generated.pricing_aws.go of aws/karpenter-provider-aws
//   ("generated at 2026-07-20T13:44:30Z for us-east-1", commit 6fc13b52).
// - eu-west-1 instances: the public "Amazon EC2 On-Demand Pricing" page, Europe (Ireland);
//   m6i, c6i, r6i at the price of m5, c5, r5. Not cross-checked against the offer file.
// - us-west-2: N. Virginia's prices, which Oregon matches for these families on the pricing
//   page; not cross-checked either. Test and demo data, not a price list to rely on.
// - EBS and snapshots per GiB-month: https://aws.amazon.com/ebs/pricing/; public IPv4 per
//   hour: https://aws.amazon.com/vpc/pricing/.
// Sizes (vCPU, memory, GPUs) from the EC2 instance type documentation.

// instance type: [vCPUs, memory GiB, GPUs]
const INSTANCE_TYPES = {
  'c5.large': [2, 4, 0],
  'c5.xlarge': [4, 8, 0],
  'c5.2xlarge': [8, 16, 0],
  'c5.4xlarge': [16, 32, 0],
  'c5.9xlarge': [36, 72, 0],
  'c5.12xlarge': [48, 96, 0],
  'c5.18xlarge': [72, 144, 0],
  'c5.24xlarge': [96, 192, 0],
  'c6g.medium': [1, 2, 0],
  'c6g.large': [2, 4, 0],
  'c6g.xlarge': [4, 8, 0],
  'c6g.2xlarge': [8, 16, 0],
  'c6g.4xlarge': [16, 32, 0],
  'c6g.8xlarge': [32, 64, 0],
  'c6g.12xlarge': [48, 96, 0],
  'c6g.16xlarge': [64, 128, 0],
  'c6i.large': [2, 4, 0],
  'c6i.xlarge': [4, 8, 0],
  'c6i.2xlarge': [8, 16, 0],
  'c6i.4xlarge': [16, 32, 0],
  'c6i.8xlarge': [32, 64, 0],
  'c6i.12xlarge': [48, 96, 0],
  'c6i.16xlarge': [64, 128, 0],
  'c6i.24xlarge': [96, 192, 0],
  'c6i.32xlarge': [128, 256, 0],
  'c7g.medium': [1, 2, 0],
  'c7g.large': [2, 4, 0],
  'c7g.xlarge': [4, 8, 0],
  'c7g.2xlarge': [8, 16, 0],
  'c7g.4xlarge': [16, 32, 0],
  'c7g.8xlarge': [32, 64, 0],
  'c7g.12xlarge': [48, 96, 0],
  'c7g.16xlarge': [64, 128, 0],
  'g5.xlarge': [4, 16, 1],
  'g5.2xlarge': [8, 32, 1],
  'g5.4xlarge': [16, 64, 1],
  'g5.8xlarge': [32, 128, 1],
  'g5.12xlarge': [48, 192, 4],
  'g5.16xlarge': [64, 256, 1],
  'g5.24xlarge': [96, 384, 4],
  'g5.48xlarge': [192, 768, 8],
  'm5.large': [2, 8, 0],
  'm5.xlarge': [4, 16, 0],
  'm5.2xlarge': [8, 32, 0],
  'm5.4xlarge': [16, 64, 0],
  'm5.8xlarge': [32, 128, 0],
  'm5.12xlarge': [48, 192, 0],
  'm5.16xlarge': [64, 256, 0],
  'm5.24xlarge': [96, 384, 0],
  'm6g.medium': [1, 4, 0],
  'm6g.large': [2, 8, 0],
  'm6g.xlarge': [4, 16, 0],
  'm6g.2xlarge': [8, 32, 0],
  'm6g.4xlarge': [16, 64, 0],
  'm6g.8xlarge': [32, 128, 0],
  'm6g.12xlarge': [48, 192, 0],
  'm6g.16xlarge': [64, 256, 0],
  'm6i.large': [2, 8, 0],
  'm6i.xlarge': [4, 16, 0],
  'm6i.2xlarge': [8, 32, 0],
  'm6i.4xlarge': [16, 64, 0],
  'm6i.8xlarge': [32, 128, 0],
  'm6i.12xlarge': [48, 192, 0],
  'm6i.16xlarge': [64, 256, 0],
  'm6i.24xlarge': [96, 384, 0],
  'm6i.32xlarge': [128, 512, 0],
  'm7g.medium': [1, 4, 0],
  'm7g.large': [2, 8, 0],
  'm7g.xlarge': [4, 16, 0],
  'm7g.2xlarge': [8, 32, 0],
  'm7g.4xlarge': [16, 64, 0],
  'm7g.8xlarge': [32, 128, 0],
  'm7g.12xlarge': [48, 192, 0],
  'm7g.16xlarge': [64, 256, 0],
  'r5.large': [2, 16, 0],
  'r5.xlarge': [4, 32, 0],
  'r5.2xlarge': [8, 64, 0],
  'r5.4xlarge': [16, 128, 0],
  'r5.8xlarge': [32, 256, 0],
  'r5.12xlarge': [48, 384, 0],
  'r5.16xlarge': [64, 512, 0],
  'r5.24xlarge': [96, 768, 0],
  'r6g.medium': [1, 8, 0],
  'r6g.large': [2, 16, 0],
  'r6g.xlarge': [4, 32, 0],
  'r6g.2xlarge': [8, 64, 0],
  'r6g.4xlarge': [16, 128, 0],
  'r6g.8xlarge': [32, 256, 0],
  'r6g.12xlarge': [48, 384, 0],
  'r6g.16xlarge': [64, 512, 0],
  'r6i.large': [2, 16, 0],
  'r6i.xlarge': [4, 32, 0],
  'r6i.2xlarge': [8, 64, 0],
  'r6i.4xlarge': [16, 128, 0],
  'r6i.8xlarge': [32, 256, 0],
  'r6i.12xlarge': [48, 384, 0],
  'r6i.16xlarge': [64, 512, 0],
  'r6i.24xlarge': [96, 768, 0],
  'r6i.32xlarge': [128, 1024, 0],
  't3.nano': [2, 0.5, 0],
  't3.micro': [2, 1, 0],
  't3.small': [2, 2, 0],
  't3.medium': [2, 4, 0],
  't3.large': [2, 8, 0],
  't3.xlarge': [4, 16, 0],
  't3.2xlarge': [8, 32, 0],
  't3a.nano': [2, 0.5, 0],
  't3a.micro': [2, 1, 0],
  't3a.small': [2, 2, 0],
  't3a.medium': [2, 4, 0],
  't3a.large': [2, 8, 0],
  't3a.xlarge': [4, 16, 0],
  't3a.2xlarge': [8, 32, 0],
};

// us-east-1
const US_EAST_1 = {
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
  volumes: {
    gp3: '0.08',
    gp2: '0.10',
    io1: '0.125',
    io2: '0.125',
    st1: '0.045',
    sc1: '0.015',
    standard: '0.05',
  },
  snapshot: '0.05',
  publicIpv4: '0.005',
};

// eu-west-1
const EU_WEST_1 = {
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
  volumes: {
    gp3: '0.088',
    gp2: '0.11',
    io1: '0.138',
    io2: '0.138',
    st1: '0.05',
    sc1: '0.0168',
    standard: '0.055',
  },
  snapshot: '0.05',
  publicIpv4: '0.005',
};

const PRICE_DATE = '2026-07-20';

/** Region code -> the Price List's `location`, and its prices. */
const REGIONS = {
  'us-east-1': { location: 'US East (N. Virginia)', prices: US_EAST_1 },
  'us-west-2': { location: 'US West (Oregon)', prices: US_EAST_1 },
  'eu-west-1': { location: 'EU (Ireland)', prices: EU_WEST_1 },
};

/** The processor the Price List names for a family: Graviton types are arm64. */
function processorOf(family) {
  if (/^(m7g|c7g)$/.test(family)) return 'AWS Graviton3 Processor';
  if (/^[a-z]\dg$/.test(family)) return 'AWS Graviton2 Processor';
  if (family === 't3a') return 'AMD EPYC 7571';
  if (family === 'g5') return 'AMD EPYC 7R32';
  return 'Intel Xeon Platinum 8175';
}

/** Memory as the Price List writes it: "8 GiB", "0.5 GiB", "1,024 GiB". */
function memoryText(gib) {
  return `${gib.toLocaleString('en-US')} GiB`;
}

/**
 * Every price as a plain list, the shape of a Costscope prices file (`PriceSnapshot` of
 * @costscope/backstage-plugin-node): what the fake's Price List says, read back.
 */
function priceSnapshot() {
  const prices = [];
  for (const [region, { prices: p }] of Object.entries(REGIONS)) {
    for (const [type, price] of Object.entries(p.instances)) {
      const [vcpu, memoryGiB, gpus] = INSTANCE_TYPES[type];
      const family = type.split('.')[0];
      prices.push({
        region,
        kind: 'instance',
        key: type,
        price,
        vcpu,
        memoryGiB,
        architecture: processorOf(family).includes('Graviton')
          ? 'arm64'
          : 'x86_64',
        ...(gpus ? { gpus } : {}),
      });
    }
    for (const [volumeType, price] of Object.entries(p.volumes)) {
      prices.push({ region, kind: 'volume', key: volumeType, price });
    }
    prices.push({ region, kind: 'snapshot', key: '', price: p.snapshot });
    prices.push({ region, kind: 'public-ipv4', key: '', price: p.publicIpv4 });
  }
  return {
    provider: 'AWS',
    currency: 'USD',
    date: PRICE_DATE,
    source:
      'AWS Price List (fake AWS product data, test/fake-aws/pricingData.js)',
    prices,
  };
}

module.exports = {
  INSTANCE_TYPES,
  REGIONS,
  PRICE_DATE,
  processorOf,
  memoryText,
  priceSnapshot,
};
