import { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { Config } from '@backstage/config';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { S3SourceConfig } from './objectStoreSourceConfig';

/** SlowDown and 5xx answers are retried with the SDK's exponential backoff, this many times. */
const MAX_ATTEMPTS = 5;

function credentialsOf(
  source: S3SourceConfig,
  rootConfig: Config,
): S3ClientConfig['credentials'] {
  if (source.accessKeyId && source.secretAccessKey) {
    const { accessKeyId, secretAccessKey } = source;
    return async () => ({ accessKeyId, secretAccessKey });
  }
  if (source.roleArn) {
    return fromTemporaryCredentials({
      params: {
        RoleArn: source.roleArn,
        RoleSessionName: 'costscope',
        ExternalId: source.externalId,
      },
      clientConfig: { region: source.region, endpoint: source.endpoint },
    });
  }
  if (source.accountId) {
    // Backstage's own `aws.accounts`, as the catalog's and TechDocs' AWS integrations use them.
    const manager = DefaultAwsCredentialsManager.fromConfig(rootConfig);
    const accountId = source.accountId;
    return async () => {
      const { sdkCredentialProvider } = await manager.getCredentialProvider({
        accountId,
      });
      return sdkCredentialProvider();
    };
  }
  return undefined; // the SDK's default credential chain
}

/** The S3 client of one `s3` source. */
export function createS3Client(
  source: S3SourceConfig,
  rootConfig: Config,
): S3Client {
  return new S3Client({
    region: source.region,
    endpoint: source.endpoint,
    // Custom endpoints (S3-compatible stores, the fake AWS) rarely serve virtual-host buckets.
    forcePathStyle: Boolean(source.endpoint),
    credentials: credentialsOf(source, rootConfig),
    maxAttempts: MAX_ATTEMPTS,
  });
}
