import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { AthenaCostConfig, readAthenaConfig } from './athena/athenaConfig';

/** Cost Explorer metrics by the names app-config uses. */
export const COST_METRICS = {
  unblended: { billed: 'UnblendedCost', effective: 'AmortizedCost' },
  amortized: { billed: 'AmortizedCost', effective: 'AmortizedCost' },
  net: { billed: 'NetUnblendedCost', effective: 'NetAmortizedCost' },
} as const;

export type CostMetric = keyof typeof COST_METRICS;
export type CostDimension = 'SERVICE' | 'LINKED_ACCOUNT';

export interface AwsAccountConfig {
  accountId: string;
  name?: string;
  /** Role to assume; without it the default credential chain is used. */
  roleArn?: string;
  externalId?: string;
  regions: string[];
}

export interface AwsModuleConfig {
  accounts: AwsAccountConfig[];
  costMetric: CostMetric;
  tagKeys: string[];
  dimension: CostDimension;
  backfillDays: number;
  settleDays: number;
  maxCostExplorerRequestsPerRun: number;
  costSchedule: SchedulerServiceTaskScheduleDefinition;
  inventory: {
    enabled: boolean;
    lookbackDays: number;
    schedule: SchedulerServiceTaskScheduleDefinition;
  };
  /** On-demand prices from the AWS Price List Query API, for recommendations. */
  prices: {
    enabled: boolean;
    /** The Price List endpoint's region: us-east-1, eu-central-1 or ap-south-1. */
    region: string;
    schedule: SchedulerServiceTaskScheduleDefinition;
  };
  /** Cost Explorer's own Savings Plans and reservation coverage and utilization. */
  commitments: {
    enabled: boolean;
    schedule: SchedulerServiceTaskScheduleDefinition;
  };
  /** Daily cost of a FOCUS table, aggregated in Athena; absent when not configured. */
  athena?: AthenaCostConfig;
  /** One endpoint for every AWS service: a VPC endpoint proxy, or a local fake in tests. */
  endpoint?: string;
  retry: { maxAttempts: number; baseDelayMs: number };
  requestTimeoutMs: number;
}

const ACCOUNT_ID = /^\d{12}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/.+$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

const DEFAULT_COST_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { hours: 12 },
  timeout: { minutes: 30 },
  initialDelay: { seconds: 30 },
};
/** The regions whose endpoints serve the Price List Query API. */
export const PRICE_LIST_REGIONS = ['us-east-1', 'eu-central-1', 'ap-south-1'];
const DEFAULT_PRICES_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { hours: 24 },
  timeout: { minutes: 30 },
  initialDelay: { minutes: 1 },
};
const DEFAULT_COMMITMENTS_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { hours: 24 },
  timeout: { minutes: 10 },
  initialDelay: { minutes: 2 },
};
const DEFAULT_INVENTORY_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { hours: 6 },
  timeout: { minutes: 30 },
  initialDelay: { seconds: 45 },
};

function fail(path: string, problem: string): never {
  throw new Error(`Invalid Costscope AWS config at '${path}': ${problem}`);
}

function positiveInt(
  config: Config,
  key: string,
  fallback: number,
  max: number,
): number {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    fail(
      `costscope.aws.${key}`,
      `must be a whole number from 1 to ${max}, got ${value}`,
    );
  }
  return value;
}

function regionsOf(config: Config, key: string, path: string) {
  const regions = config.getOptionalStringArray(key);
  for (const region of regions ?? []) {
    if (!REGION.test(region))
      fail(path, `'${region}' is not an AWS region name`);
  }
  return regions;
}

/** Reads `costscope.aws`; undefined when the section is absent. Errors name the bad entry. */
export function readAwsModuleConfig(root: Config): AwsModuleConfig | undefined {
  const config = root.getOptionalConfig('costscope.aws');
  if (!config) return undefined;

  const defaultRegions = regionsOf(
    config,
    'regions',
    'costscope.aws.regions',
  ) ?? ['us-east-1'];
  const accounts = config.getConfigArray('accounts').map((account, index) => {
    const path = `costscope.aws.accounts[${index}]`;
    const accountId = account.getString('accountId');
    if (!ACCOUNT_ID.test(accountId)) {
      fail(`${path}.accountId`, `'${accountId}' is not a 12-digit account id`);
    }
    const roleArn = account.getOptionalString('roleArn');
    if (roleArn !== undefined) {
      const match = ROLE_ARN.exec(roleArn);
      if (!match)
        fail(`${path}.roleArn`, `'${roleArn}' is not an IAM role ARN`);
      if (match[1] !== accountId) {
        fail(
          `${path}.roleArn`,
          `the role is in account ${match[1]}, not ${accountId}`,
        );
      }
    }
    return {
      accountId,
      name: account.getOptionalString('name'),
      roleArn,
      externalId: account.getOptionalString('externalId'),
      regions:
        regionsOf(account, 'regions', `${path}.regions`) ?? defaultRegions,
    };
  });
  if (accounts.length === 0) fail('costscope.aws.accounts', 'lists no account');
  const seen = new Set<string>();
  for (const { accountId } of accounts) {
    if (seen.has(accountId)) {
      fail('costscope.aws.accounts', `account ${accountId} is listed twice`);
    }
    seen.add(accountId);
  }

  const costMetric = (config.getOptionalString('costMetric') ??
    'unblended') as CostMetric;
  if (!(costMetric in COST_METRICS)) {
    fail(
      'costscope.aws.costMetric',
      `must be one of ${Object.keys(COST_METRICS).join(
        ', ',
      )}, got '${costMetric}'`,
    );
  }
  const tagKeys = config.getOptionalStringArray('groupBy.tagKeys') ?? [
    'service',
    'team',
  ];
  for (const key of tagKeys) {
    if (key.trim() === '' || key.length > 128) {
      fail('costscope.aws.groupBy.tagKeys', `'${key}' is not a tag key`);
    }
  }
  if (new Set(tagKeys).size !== tagKeys.length) {
    fail('costscope.aws.groupBy.tagKeys', 'lists a key twice');
  }
  const dimension = (config.getOptionalString('groupBy.dimension') ??
    'SERVICE') as CostDimension;
  if (dimension !== 'SERVICE' && dimension !== 'LINKED_ACCOUNT') {
    fail(
      'costscope.aws.groupBy.dimension',
      `must be SERVICE or LINKED_ACCOUNT, got '${dimension}'`,
    );
  }

  const maxCostExplorerRequestsPerRun = positiveInt(
    config,
    'maxCostExplorerRequestsPerRun',
    50,
    10_000,
  );
  if (maxCostExplorerRequestsPerRun < Math.max(tagKeys.length, 1)) {
    fail(
      'costscope.aws.maxCostExplorerRequestsPerRun',
      `a run needs at least one request per tag key (${tagKeys.length})`,
    );
  }

  const schedule = (
    key: string,
    fallback: SchedulerServiceTaskScheduleDefinition,
  ) =>
    config.has(key)
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          config.getConfig(key),
        )
      : fallback;

  const pricesRegion =
    config.getOptionalString('prices.region') ?? PRICE_LIST_REGIONS[0];
  if (!PRICE_LIST_REGIONS.includes(pricesRegion)) {
    fail(
      'costscope.aws.prices.region',
      `the Price List API has endpoints in ${PRICE_LIST_REGIONS.join(
        ', ',
      )} only, got '${pricesRegion}'`,
    );
  }

  return {
    accounts,
    costMetric,
    tagKeys,
    dimension,
    // Cost Explorer keeps 13 months of daily data by default.
    backfillDays: positiveInt(config, 'backfillDays', 90, 425),
    settleDays: positiveInt(config, 'settleDays', 3, 30),
    maxCostExplorerRequestsPerRun,
    costSchedule: schedule('schedule', DEFAULT_COST_SCHEDULE),
    inventory: {
      enabled: config.getOptionalBoolean('inventory.enabled') ?? true,
      lookbackDays: positiveInt(config, 'inventory.lookbackDays', 14, 63),
      schedule: schedule('inventory.schedule', DEFAULT_INVENTORY_SCHEDULE),
    },
    prices: {
      enabled: config.getOptionalBoolean('prices.enabled') ?? true,
      region: pricesRegion,
      schedule: schedule('prices.schedule', DEFAULT_PRICES_SCHEDULE),
    },
    commitments: {
      enabled: config.getOptionalBoolean('commitments.enabled') ?? true,
      schedule: schedule('commitments.schedule', DEFAULT_COMMITMENTS_SCHEDULE),
    },
    athena: readAthenaConfig(config, defaultRegions[0]),
    endpoint: config.getOptionalString('endpoint'),
    retry: {
      maxAttempts: positiveInt(config, 'retry.maxAttempts', 5, 20),
      baseDelayMs: config.getOptionalNumber('retry.baseDelayMs') ?? 500,
    },
    requestTimeoutMs: positiveInt(config, 'requestTimeoutMs', 30_000, 600_000),
  };
}
