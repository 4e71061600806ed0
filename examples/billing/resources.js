'use strict';

// The demo organisation's cloud resources, as the billing generator sees them.
// Pure data plus small helpers: no randomness here, ids are derived from stable keys
// (sha256), so the same key always yields the same resource id.

const crypto = require('crypto');

const AWS = {
  provider: 'AWS',
  publisher: 'AWS',
  billingAccountId: '999988887777',
  billingAccountName: 'Acme Corp (AWS payer)',
};
const GCP = {
  provider: 'Google Cloud',
  publisher: 'Google Cloud',
  billingAccountId: '01A2B3-C4D5E6-F7A8B9',
  billingAccountName: 'Acme Corp (GCP billing)',
};

const ACCOUNTS = {
  prod: { id: '111122223333', name: 'acme-prod' },
  staging: { id: '222233334444', name: 'acme-staging' },
  ci: { id: '444455556666', name: 'acme-ci' },
  analytics: { id: 'acme-analytics-prod', name: 'Acme Analytics Prod' },
  shared: { id: 'acme-shared', name: 'Acme Shared' },
};

function hex(key, n) {
  return crypto.createHash('sha256').update(key).digest('hex').slice(0, n);
}
function upperAlnum(key, n) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const bytes = crypto.createHash('sha256').update(key).digest();
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[bytes[i] % alphabet.length];
  return s;
}

// Services: name, FOCUS ServiceCategory, default resource type and pricing unit.
const SVC = {
  ec2: { name: 'Amazon Elastic Compute Cloud', category: 'Compute' },
  rds: { name: 'Amazon Relational Database Service', category: 'Databases' },
  s3: { name: 'Amazon Simple Storage Service', category: 'Storage' },
  cloudfront: { name: 'Amazon CloudFront', category: 'Networking' },
  lambda: { name: 'AWS Lambda', category: 'Compute' },
  elasticache: { name: 'Amazon ElastiCache', category: 'Databases' },
  ecs: { name: 'Amazon Elastic Container Service', category: 'Compute' },
  cloudwatch: {
    name: 'Amazon CloudWatch',
    category: 'Management and Governance',
  },
  dynamodb: { name: 'Amazon DynamoDB', category: 'Databases' },
  bigquery: { name: 'BigQuery', category: 'Analytics' },
  gcs: { name: 'Cloud Storage', category: 'Storage' },
  gce: { name: 'Compute Engine', category: 'Compute' },
  pubsub: { name: 'Cloud Pub/Sub', category: 'Integration' },
  dataflow: { name: 'Dataflow', category: 'Analytics' },
};

const EC2_PRICES = {
  // USD per hour, Linux on-demand, us-east-1 (eu-west-1 about 7 % more)
  't3.medium': '0.0416',
  't3.large': '0.0832',
  'c6i.xlarge': '0.17',
  'c6i.2xlarge': '0.34',
  'c6i.4xlarge': '0.68',
  'c6i.8xlarge': '1.36',
  'c7g.4xlarge': '0.58',
  'm5.4xlarge': '0.768',
  'm6i.8xlarge': '1.536',
  'm6i.16xlarge': '3.072',
  'm6i.24xlarge': '4.608',
  'r6i.4xlarge': '1.008',
  'g5.xlarge': '1.006',
  'g5.8xlarge': '2.448',
  'g5.12xlarge': '5.672',
};
const GCE_PRICES = {
  // USD per hour, europe-west1 on-demand
  'e2-small': '0.0184',
  'n2-standard-4': '0.2137',
  'n2-standard-8': '0.4274',
  'n2-highmem-16': '1.1533',
};
function regional(price, region) {
  if (region !== 'eu-west-1') return price;
  // +7 %, kept as a decimal string (the generator parses it exactly)
  const [i, f = ''] = price.split('.');
  const micro = BigInt(i + f.padEnd(6, '0').slice(0, 6));
  const v = (micro * 107n) / 100n;
  return `${v / 1000000n}.${(v % 1000000n).toString().padStart(6, '0')}`;
}

const R = []; // every resource, in output order
function add(r) {
  R.push({
    region: r.provider === GCP ? 'europe-west1' : 'us-east-1',
    profile: 'web',
    growth: 20, // percent per year (usage-priced resources only)
    nodes: 1,
    tags: null,
    ...r,
  });
}

// Two kinds of resources:
//  - capacity (EC2/GCE instances, RDS instances, ElastiCache clusters): priced per node-hour;
//    a day costs hours x nodes x unitPrice, 24 hours when always on ('steady'), fewer when the
//    profile says the thing is stopped at night or at weekends ('office', 'batch', 'ci');
//  - usage-priced (everything else): `base` USD a day at the start of the window, times a
//    weekly rhythm, slow growth and a little noise; PricingQuantity = cost / unitPrice.

// --- AWS resource builders -------------------------------------------------
function ec2(key, o) {
  const region = o.region || 'us-east-1';
  const price = regional(EC2_PRICES[o.instanceType], region);
  add({
    key,
    provider: AWS,
    account: ACCOUNTS.prod,
    svc: SVC.ec2,
    resourceId: `i-0${hex(key, 16)}`,
    resourceName: key,
    resourceType: 'Instance',
    capacity: true,
    profile: 'steady',
    unit: 'Hours',
    unitPrice: price,
    description: `USD ${price} per On Demand Linux ${o.instanceType} Instance Hour`,
    ...o,
  });
}
function rds(key, o) {
  const acct = o.account || ACCOUNTS.prod;
  const region = o.region || 'us-east-1';
  add({
    key,
    provider: AWS,
    account: acct,
    region,
    svc: SVC.rds,
    resourceId: `arn:aws:rds:${region}:${acct.id}:db:${key}`,
    resourceName: key,
    resourceType: 'DB Instance',
    capacity: true,
    profile: 'steady',
    unit: 'Hours',
    description: `USD ${o.unitPrice} per ${o.instanceClass} Multi-AZ instance hour (${o.engine})`,
    ...o,
  });
}
function elasticache(cluster, o) {
  const acct = o.account || ACCOUNTS.prod;
  const region = o.region || 'us-east-1';
  add({
    key: cluster,
    provider: AWS,
    account: acct,
    region,
    svc: SVC.elasticache,
    resourceId: `arn:aws:elasticache:${region}:${acct.id}:replicationgroup:${cluster}`,
    resourceName: cluster,
    resourceType: 'Cache Cluster',
    capacity: true,
    profile: 'steady',
    unit: 'Hours',
    unitPrice: '0.411',
    description: 'USD 0.411 per cache.r6g.xlarge node-hour',
    ...o,
  });
}
function s3(bucket, o) {
  add({
    key: bucket,
    provider: AWS,
    account: ACCOUNTS.prod,
    svc: SVC.s3,
    resourceId: bucket,
    resourceName: bucket,
    resourceType: 'Bucket',
    unit: 'GB-Month',
    unitPrice: '0.023',
    description: 'USD 0.023 per GB-Month of S3 Standard storage, first 50 TB',
    profile: 'flat',
    growth: 45,
    ...o,
  });
}
function lambda(fn, o) {
  const acct = o.account || ACCOUNTS.prod;
  const region = o.region || 'us-east-1';
  add({
    key: fn,
    provider: AWS,
    account: acct,
    region,
    svc: SVC.lambda,
    resourceId: `arn:aws:lambda:${region}:${acct.id}:function:${fn}`,
    resourceName: fn,
    resourceType: 'Function',
    unit: 'GB-Seconds',
    unitPrice: '0.0000166667',
    description: 'AWS Lambda - Total Compute (GB-Seconds), x86',
    ...o,
  });
}
function dynamodb(table, o) {
  const acct = o.account || ACCOUNTS.prod;
  const region = o.region || 'us-east-1';
  add({
    key: table,
    provider: AWS,
    account: acct,
    region,
    svc: SVC.dynamodb,
    resourceId: `arn:aws:dynamodb:${region}:${acct.id}:table/${table}`,
    resourceName: table,
    resourceType: 'Table',
    unit: 'Requests',
    unitPrice: '0.00000125',
    description: 'USD 1.25 per million write request units (on-demand)',
    ...o,
  });
}
function ecs(service, o) {
  const acct = o.account || ACCOUNTS.prod;
  const region = o.region || 'us-east-1';
  const cluster = acct === ACCOUNTS.prod ? 'prod' : 'staging';
  add({
    key: service,
    provider: AWS,
    account: acct,
    region,
    svc: SVC.ecs,
    resourceId: `arn:aws:ecs:${region}:${acct.id}:service/${cluster}/${service}`,
    resourceName: service,
    resourceType: 'Service',
    unit: 'vCPU-Hours',
    unitPrice: '0.04048',
    description: 'AWS Fargate - vCPU-Hours, Linux/x86',
    ...o,
  });
}
function cloudwatch(logGroup, o) {
  const acct = o.account || ACCOUNTS.prod;
  const region = o.region || 'us-east-1';
  add({
    key: `cw:${logGroup}`,
    provider: AWS,
    account: acct,
    region,
    svc: SVC.cloudwatch,
    resourceId: `arn:aws:logs:${region}:${acct.id}:log-group:${logGroup}`,
    resourceName: logGroup,
    resourceType: 'Log Group',
    unit: 'GB',
    unitPrice: '0.50',
    description: 'USD 0.50 per GB of log data ingested',
    ...o,
  });
}
function cloudfront(key, o) {
  const acct = o.account || ACCOUNTS.prod;
  add({
    key,
    provider: AWS,
    account: acct,
    region: 'global',
    svc: SVC.cloudfront,
    resourceId: `arn:aws:cloudfront::${acct.id}:distribution/E${upperAlnum(
      key,
      13,
    )}`,
    resourceName: key,
    resourceType: 'Distribution',
    unit: 'GB',
    unitPrice: '0.085',
    description: 'USD 0.085 per GB data transfer out, United States',
    ...o,
  });
}

// --- GCP resource builders -------------------------------------------------
function gce(name, o) {
  const acct = o.account || ACCOUNTS.analytics;
  add({
    key: `gce:${name}`,
    provider: GCP,
    account: acct,
    svc: SVC.gce,
    resourceId: `//compute.googleapis.com/projects/${acct.id}/zones/europe-west1-b/instances/${name}`,
    resourceName: name,
    resourceType: 'Instance',
    capacity: true,
    profile: 'steady',
    unit: 'Hours',
    unitPrice: GCE_PRICES[o.machineType],
    description: `${o.machineType} instance running in Belgium`,
    ...o,
  });
}
function gcs(bucket, o) {
  add({
    key: `gcs:${bucket}`,
    provider: GCP,
    account: ACCOUNTS.analytics,
    svc: SVC.gcs,
    resourceId: `//storage.googleapis.com/projects/_/buckets/${bucket}`,
    resourceName: bucket,
    resourceType: 'Bucket',
    unit: 'GiB-Month',
    unitPrice: '0.020',
    description: 'Standard Storage Belgium',
    profile: 'flat',
    growth: 45,
    ...o,
  });
}
function bigquery(dataset, o) {
  const acct = o.account || ACCOUNTS.analytics;
  add({
    key: `bq:${dataset}`,
    provider: GCP,
    account: acct,
    svc: SVC.bigquery,
    resourceId: `//bigquery.googleapis.com/projects/${acct.id}/datasets/${dataset}`,
    resourceName: dataset,
    resourceType: 'Dataset',
    unit: 'TiB',
    unitPrice: '6.25',
    description: 'Analysis (on-demand), europe-west1',
    profile: 'batch',
    ...o,
  });
}
function pubsub(topic, o) {
  const acct = o.account || ACCOUNTS.analytics;
  add({
    key: `ps:${topic}`,
    provider: GCP,
    account: acct,
    svc: SVC.pubsub,
    resourceId: `//pubsub.googleapis.com/projects/${acct.id}/topics/${topic}`,
    resourceName: topic,
    resourceType: 'Topic',
    unit: 'TiB',
    unitPrice: '40',
    description: 'Message Delivery Basic',
    ...o,
  });
}
function dataflow(job, o) {
  const acct = o.account || ACCOUNTS.analytics;
  add({
    key: `df:${job}`,
    provider: GCP,
    account: acct,
    svc: SVC.dataflow,
    resourceId: `//dataflow.googleapis.com/projects/${acct.id}/locations/europe-west1/jobs/${job}`,
    resourceName: job,
    resourceType: 'Job',
    unit: 'vCPU-Hours',
    unitPrice: '0.069',
    description: 'Dataflow Streaming vCPU Time, europe-west1',
    profile: 'steady',
    ...o,
  });
}

// ===========================================================================
// The resources. `mess` names the README case a resource illustrates.
// Spike/burst and create/delete windows are relative to the end date:
// activeFromDaysBeforeEnd / activeUntilDaysBeforeEnd (both inclusive).
// ===========================================================================

const SP_ARN = `arn:aws:savingsplans::${ACCOUNTS.prod.id}:savingsplan/${hex(
  'sp:uuid',
  8,
)}-${hex('sp:uuid2', 4)}-4${hex('sp:uuid3', 3)}-a${hex('sp:uuid4', 3)}-${hex(
  'sp:uuid5',
  12,
)}`;

// the fraud-detector GPU spike: 3 days, the last one 10 days before the end date
const SPIKE = { fromDaysBeforeEnd: 12, untilDaysBeforeEnd: 10 };

// --- commerce / checkout ---------------------------------------------------
const tCheckoutApi = {
  service: 'checkout-api',
  env: 'prod',
  team: 'checkout-squad',
};
ec2('checkout-api-node-a', {
  instanceType: 'm6i.8xlarge',
  tags: tCheckoutApi,
  covered: true,
  mess: 'commitment',
});
ec2('checkout-api-node-b', {
  instanceType: 'm6i.8xlarge',
  tags: tCheckoutApi,
  covered: true,
  mess: 'commitment',
});
ec2('checkout-api-node-eu', {
  instanceType: 'm6i.8xlarge',
  region: 'eu-west-1',
  tags: tCheckoutApi,
});
rds('checkout-api-prod', {
  engine: 'PostgreSQL',
  instanceClass: 'db.r6g.2xlarge',
  unitPrice: '1.798',
  tags: tCheckoutApi,
});
elasticache('checkout-api-sessions', { nodes: 3, tags: tCheckoutApi });
cloudwatch('/ecs/checkout-api', { base: '39', tags: tCheckoutApi });
ecs('checkout-api', { base: '190', tags: tCheckoutApi });
ec2('checkout-api-staging', {
  instanceType: 'c6i.xlarge',
  account: ACCOUNTS.staging,
  profile: 'office',
  tags: { service: 'checkout-api', env: 'staging', team: 'checkout-squad' },
});

const tCheckoutWeb = { app: 'checkout-frontend', env: 'prod' };
cloudfront('checkout-web-cdn', { base: '299', tags: tCheckoutWeb });
s3('acme-checkout-web-assets', { base: '21', tags: tCheckoutWeb });
lambda('checkout-web-ssr', { base: '121', tags: tCheckoutWeb });
cloudwatch('/aws/lambda/checkout-web-ssr', { base: '16', tags: tCheckoutWeb });
lambda('checkout-bff', {
  base: '67',
  tags: { service: 'checkout-api', app: 'checkout-frontend' },
  mess: 'overlap',
});

ecs('cart-service', {
  base: '150',
  tags: { Service: 'cart-service', env: 'prod' },
  mess: 'tag-case',
});
dynamodb('cart-items', {
  base: '126',
  tags: { SERVICE: 'cart-service', env: 'prod' },
  mess: 'tag-case',
});
elasticache('cart-cache', {
  nodes: 2,
  tags: { service: 'cart-service', env: 'prod', team: 'checkout-squad' },
});
cloudwatch('/ecs/cart-service', {
  base: '14',
  tags: { service: 'cart-service' },
});
ecs('cart-service-staging', {
  account: ACCOUNTS.staging,
  base: '18',
  profile: 'batch',
  tags: { Service: 'cart-service', Env: 'staging' },
  mess: 'tag-case',
});

// --- commerce / payments ---------------------------------------------------
const tPay = {
  service: 'payment-gateway',
  env: 'prod',
  team: 'payments-squad',
};
ecs('payment-gateway', { base: '195', tags: tPay });
ec2('payment-gateway-proxy-1', { instanceType: 'c6i.2xlarge', tags: tPay });
ec2('payment-gateway-proxy-eu', {
  instanceType: 'c6i.2xlarge',
  region: 'eu-west-1',
  tags: tPay,
});
rds('payment-gateway-db', {
  engine: 'PostgreSQL',
  instanceClass: 'db.r6g.2xlarge',
  unitPrice: '1.798',
  tags: tPay,
});
dynamodb('payment-idempotency', { base: '63', tags: tPay });
cloudwatch('/ecs/payment-gateway', { base: '28', tags: tPay });
ec2('payment-gateway-staging', {
  instanceType: 'c6i.xlarge',
  account: ACCOUNTS.staging,
  profile: 'office',
  tags: { service: 'payment-gateway', env: 'staging', team: 'payments-squad' },
});

const tFraud = {
  service: 'fraud-detector',
  env: 'prod',
  team: 'payments-squad',
};
ec2('fraud-gpu-1', { instanceType: 'g5.8xlarge', tags: tFraud });
ec2('fraud-gpu-2', { instanceType: 'g5.8xlarge', tags: tFraud });
// a runaway training job: extra GPU instances for three days (~6x the usual GPU cost)
for (const [n, type] of [
  [1, 'g5.12xlarge'],
  [2, 'g5.12xlarge'],
  [3, 'g5.12xlarge'],
  [4, 'g5.12xlarge'],
  [5, 'g5.8xlarge'],
]) {
  ec2(`fraud-gpu-burst-${n}`, {
    instanceType: type,
    tags: tFraud,
    activeFromDaysBeforeEnd: SPIKE.fromDaysBeforeEnd,
    activeUntilDaysBeforeEnd: SPIKE.untilDaysBeforeEnd,
    mess: 'spike',
  });
}
s3('fraud-ml-training-data', {
  base: '52',
  tags: { project: 'fraud-ml', env: 'prod' },
});
lambda('fraud-feature-extract', {
  base: '44',
  tags: { project: 'fraud-ml', env: 'prod' },
});
dynamodb('fraud-scores', {
  base: '48',
  tags: { service: 'fraud-detector', env: 'prod' },
});
ec2('fraud-ml-notebook', {
  instanceType: 'g5.xlarge',
  account: ACCOUNTS.staging,
  profile: 'office',
  tags: { project: 'fraud-ml', env: 'staging' },
});

const tLedger = {
  service: 'ledger-service',
  env: 'prod',
  team: 'payments-squad',
};
rds('ledger-primary', {
  engine: 'Aurora PostgreSQL',
  instanceClass: 'db.r6g.4xlarge',
  unitPrice: '2.076',
  tags: tLedger,
});
rds('ledger-replica', {
  engine: 'Aurora PostgreSQL',
  instanceClass: 'db.r6g.2xlarge',
  unitPrice: '1.038',
  tags: tLedger,
});
ec2('ledger-worker-1', {
  instanceType: 'c6i.2xlarge',
  profile: 'batch',
  tags: tLedger,
});
s3('acme-ledger-archive', { base: '46', growth: 60, tags: tLedger });
lambda('ledger-reconcile', { base: '25', profile: 'batch', tags: tLedger });
// created four months before the end of the window
ec2('ledger-worker-eu', {
  instanceType: 'c6i.4xlarge',
  region: 'eu-west-1',
  tags: tLedger,
  activeFromDaysBeforeEnd: 120,
});

// --- data / analytics ------------------------------------------------------
const tFs = { app: 'feature-store', env: 'prod' };
dynamodb('feature-store-online', { base: '172', tags: tFs });
elasticache('feature-store-cache', { nodes: 4, tags: tFs });
s3('acme-feature-store-offline', { base: '63', tags: tFs });
ec2('feature-store-materializer', {
  instanceType: 'c6i.4xlarge',
  profile: 'batch',
  tags: tFs,
});
dynamodb('feature-store-online-dev', {
  account: ACCOUNTS.staging,
  base: '25',
  profile: 'batch',
  tags: { app: 'feature-store', env: 'dev' },
  mess: 'and-rule-miss',
});

const tEvents = { service: 'event-pipeline', env: 'prod', team: 'data-team' };
pubsub('events-ingest', { base: '138', tags: tEvents });
dataflow('events-streaming', { base: '460', tags: tEvents });
gcs('acme-events-raw', { base: '98', growth: 60, tags: tEvents });
gce('event-collector-1', { machineType: 'n2-standard-8', tags: tEvents });
gce('event-collector-2', { machineType: 'n2-standard-8', tags: tEvents });

const tReport = {
  service: 'reporting-dashboard',
  env: 'prod',
  team: 'data-team',
};
bigquery('reporting', { base: '322', tags: tReport });
gce('reporting-web-1', { machineType: 'n2-standard-4', tags: tReport });
gcs('acme-reporting-exports', { base: '14', tags: tReport });

// no labels, in acme-analytics-prod: system analytics via its project annotation
bigquery('adhoc_analysis', { base: '241', mess: 'project-only' });
gce('analytics-bastion', { machineType: 'e2-small', mess: 'project-only' });
gcs('acme-analytics-scratch', { base: '32', mess: 'project-only' });
dataflow('nightly-backfill', {
  base: '121',
  profile: 'batch',
  description: 'Dataflow Batch vCPU Time, europe-west1',
  mess: 'project-only',
});

// acme-shared: team-only labels and unlabelled resources
gcs('acme-shared-datalake', {
  account: ACCOUNTS.shared,
  base: '115',
  tags: { team: 'data-team' },
  mess: 'team-only',
});
bigquery('shared_marts', {
  account: ACCOUNTS.shared,
  base: '161',
  tags: { team: 'data-team' },
  mess: 'team-only',
});
gce('shared-jupyter-1', {
  account: ACCOUNTS.shared,
  machineType: 'n2-highmem-16',
  profile: 'office',
  mess: 'untagged-gcp',
});
gcs('acme-shared-tmp', {
  account: ACCOUNTS.shared,
  base: '9',
  mess: 'untagged-gcp',
});

// --- infrastructure / platform ---------------------------------------------
const tK8s = { service: 'k8s-platform', env: 'prod', team: 'platform-team' };
for (const s of ['a', 'b', 'c', 'd']) {
  ec2(`k8s-node-${s}`, {
    instanceType: 'm6i.24xlarge',
    tags: tK8s,
    covered: s !== 'd',
    ...(s !== 'd' ? { mess: 'commitment' } : {}),
  });
}
ec2('k8s-node-eu-a', {
  instanceType: 'm6i.24xlarge',
  region: 'eu-west-1',
  tags: tK8s,
});
ec2('k8s-node-eu-b', {
  instanceType: 'm6i.24xlarge',
  region: 'eu-west-1',
  tags: tK8s,
});
cloudwatch('/eks/prod/cluster', { base: '34', tags: tK8s });
s3('acme-k8s-backups', { base: '17', tags: tK8s });

// ci account: mostly untagged, the account annotation maps them to ci-runners
for (const n of [1, 2, 3, 4]) {
  ec2(`ci-runner-${n}`, {
    instanceType: 'c6i.8xlarge',
    account: ACCOUNTS.ci,
    profile: 'ci',
    mess: 'account-only',
  });
}
s3('acme-ci-build-cache', {
  account: ACCOUNTS.ci,
  base: '39',
  mess: 'account-only',
});
ec2('ci-runner-arm-1', {
  instanceType: 'c7g.4xlarge',
  account: ACCOUNTS.ci,
  profile: 'ci',
  tags: { service: 'ci-runners' },
});
cloudwatch('/ci/runners', {
  account: ACCOUNTS.ci,
  base: '10',
  profile: 'ci',
  mess: 'account-only',
});

const tObs = { service: 'observability', env: 'prod', team: 'platform-team' };
ec2('prometheus-1', { instanceType: 'r6i.4xlarge', tags: tObs });
ec2('prometheus-2', { instanceType: 'r6i.4xlarge', tags: tObs });
s3('acme-observability-logs', { base: '80', growth: 70, tags: tObs });
cloudwatch('/observability/metrics', { base: '138', tags: tObs });
ec2('grafana-1', { instanceType: 't3.large', tags: tObs });

// team-only tags: belong to the group directly
add({
  key: 'nat-prod-use1',
  provider: AWS,
  account: ACCOUNTS.prod,
  svc: { name: SVC.ec2.name, category: 'Networking' },
  resourceId: `nat-0${hex('nat-prod-use1', 16)}`,
  resourceName: 'nat-prod-use1',
  resourceType: 'NAT Gateway',
  unit: 'GB',
  unitPrice: '0.045',
  description: 'USD 0.045 per GB Data Processed by NAT Gateways',
  base: '167',
  tags: { team: 'platform-team' },
  mess: 'team-only',
});
s3('acme-terraform-state', {
  base: '3',
  tags: { team: 'platform-team' },
  mess: 'team-only',
});
s3('acme-data-lake-landing', {
  base: '69',
  tags: { team: 'data-team' },
  mess: 'team-only',
});

// untagged resources in the prod account: unallocated
ec2('legacy-jumphost', { instanceType: 't3.medium', mess: 'untagged-prod' });
add({
  key: 'orphan-volume',
  provider: AWS,
  account: ACCOUNTS.prod,
  svc: { name: SVC.ec2.name, category: 'Storage' },
  resourceId: `vol-0${hex('orphan-volume', 16)}`,
  resourceName: '',
  resourceType: 'Volume',
  unit: 'GB-Month',
  unitPrice: '0.08',
  description:
    'USD 0.08 per GB-month of General Purpose (gp3) provisioned storage',
  base: '7',
  profile: 'flat',
  growth: 0,
  mess: 'untagged-prod',
});
s3('acme-misc-exports', { base: '25', mess: 'untagged-prod' });
ec2('unknown-batch-box', {
  instanceType: 'm5.4xlarge',
  profile: 'batch',
  resourceName: '',
  mess: 'untagged-prod',
});
// decommissioned 60 days before the end of the window
rds('old-reporting-db', {
  engine: 'MySQL',
  instanceClass: 'db.m5.xlarge',
  unitPrice: '0.684',
  mess: 'untagged-prod',
  activeUntilDaysBeforeEnd: 60,
});

module.exports = { AWS, GCP, ACCOUNTS, SVC, SP_ARN, SPIKE, RESOURCES: R, hex };
