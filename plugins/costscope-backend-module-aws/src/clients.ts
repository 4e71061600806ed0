import { AthenaClient } from '@aws-sdk/client-athena';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { EC2Client } from '@aws-sdk/client-ec2';
import { PricingClient } from '@aws-sdk/client-pricing';
import { S3Client } from '@aws-sdk/client-s3';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { ConfiguredRetryStrategy } from '@smithy/util-retry';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { AthenaCostConfig } from './athena/athenaConfig';
import { AwsAccountConfig, AwsModuleConfig } from './config';

/** Cost Explorer has one endpoint, in us-east-1. */
const COST_EXPLORER_REGION = 'us-east-1';
const MAX_BACKOFF_MS = 20_000;

/** The SDK clients of one account; regional clients are made once per region. */
export interface AccountClients {
  costExplorer: CostExplorerClient;
  ec2(region: string): EC2Client;
  cloudWatch(region: string): CloudWatchClient;
}

/**
 * Shared client settings: the SDK's own retry strategy (it retries throttling such as
 * LimitExceededException, RequestLimitExceeded and Throttling, 5xx and timeouts) with
 * exponential backoff, and a request timeout that fails instead of only warning.
 */
function commonClientConfig(config: AwsModuleConfig) {
  const { maxAttempts, baseDelayMs } = config.retry;
  return {
    endpoint: config.endpoint,
    retryStrategy: new ConfiguredRetryStrategy(maxAttempts, attempt =>
      Math.min(baseDelayMs * 2 ** Math.max(attempt - 1, 0), MAX_BACKOFF_MS),
    ),
    requestHandler: new NodeHttpHandler({
      requestTimeout: config.requestTimeoutMs,
      connectionTimeout: Math.min(config.requestTimeoutMs, 10_000),
      throwOnRequestTimeout: true,
    }),
  };
}

function credentialsOf(
  account: AwsAccountConfig,
  config: AwsModuleConfig,
): AwsCredentialIdentityProvider | undefined {
  if (!account.roleArn) return undefined; // the default credential chain
  return fromTemporaryCredentials({
    params: {
      RoleArn: account.roleArn,
      RoleSessionName: 'costscope',
      ExternalId: account.externalId,
      DurationSeconds: 3600,
    },
    clientConfig: {
      region: COST_EXPLORER_REGION,
      ...commonClientConfig(config),
    },
  });
}

export function createAccountClients(
  account: AwsAccountConfig,
  config: AwsModuleConfig,
): AccountClients {
  const common = commonClientConfig(config);
  const credentials = credentialsOf(account, config);
  const ec2 = new Map<string, EC2Client>();
  const cloudWatch = new Map<string, CloudWatchClient>();
  return {
    costExplorer: new CostExplorerClient({
      ...common,
      credentials,
      region: COST_EXPLORER_REGION,
    }),
    ec2(region) {
      if (!ec2.has(region)) {
        ec2.set(region, new EC2Client({ ...common, credentials, region }));
      }
      return ec2.get(region)!;
    },
    cloudWatch(region) {
      if (!cloudWatch.has(region)) {
        cloudWatch.set(
          region,
          new CloudWatchClient({ ...common, credentials, region }),
        );
      }
      return cloudWatch.get(region)!;
    },
  };
}

/**
 * The Price List Query API client: prices are the same for every account, so it signs with
 * the first configured account's credentials (its role, or the default chain), in the
 * configured Price List region.
 */
export function createPricingClient(config: AwsModuleConfig): PricingClient {
  return new PricingClient({
    ...commonClientConfig(config),
    credentials: credentialsOf(config.accounts[0], config),
    region: config.prices.region,
  });
}

/**
 * The Athena source's clients, in its region, with its role (or the default chain): Athena,
 * and S3 to list the table's partitions when a data location is configured.
 */
export function createAthenaClients(
  athena: AthenaCostConfig,
  config: AwsModuleConfig,
): { athena: AthenaClient; s3?: S3Client } {
  const common = commonClientConfig(config);
  const credentials = athena.roleArn
    ? fromTemporaryCredentials({
        params: {
          RoleArn: athena.roleArn,
          RoleSessionName: 'costscope',
          ExternalId: athena.externalId,
          DurationSeconds: 3600,
        },
        clientConfig: { region: athena.region, ...common },
      })
    : undefined;
  return {
    athena: new AthenaClient({
      ...common,
      credentials,
      region: athena.region,
    }),
    s3: athena.dataLocation
      ? new S3Client({
          ...common,
          credentials,
          region: athena.region,
          // path-style only through a custom endpoint (a proxy, or the fake in tests)
          forcePathStyle: config.endpoint !== undefined,
        })
      : undefined,
  };
}
