import { Config } from '@backstage/config';

/** A FOCUS export in an S3 bucket, as AWS Data Exports writes it. */
export interface S3SourceConfig {
  id: string;
  type: 's3';
  bucket: string;
  /** The export's root: `<prefix>/<export-name>`. */
  prefix: string;
  region: string;
  /** An S3-compatible endpoint (path-style addressing), e.g. the fake AWS in tests. */
  endpoint?: string;
  /** Credentials: Backstage's `aws.accounts` entry of this account, ... */
  accountId?: string;
  /** ... or a role to assume, ... */
  roleArn?: string;
  externalId?: string;
  /** ... or static keys; without any of these, the SDK's default credential chain. */
  accessKeyId?: string;
  secretAccessKey?: string;
}

/** A FOCUS export in an Azure Blob Storage container, as Cost Management writes it. */
export interface AzureBlobSourceConfig {
  id: string;
  type: 'azure-blob';
  /** The storage account's name, or its full blob endpoint as `accountUrl`. */
  accountName?: string;
  accountUrl?: string;
  container: string;
  /** The export's root: `<prefix>/<export-name>`. */
  prefix: string;
  /** One credential kind; without any, `DefaultAzureCredential` (managed identity and others). */
  connectionString?: string;
  sasToken?: string;
  accountKey?: string;
}

export type ObjectStoreSourceConfig = S3SourceConfig | AzureBlobSourceConfig;

const AWS_ACCOUNT_ID = /^\d{12}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/;
const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const AZURE_CONTAINER = /^[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]$/;

/**
 * Reads an `s3` or `azure-blob` entry of `costscope.sources`. Throws an error naming the bad
 * key, so that a broken entry stops the backend at start.
 */
export function readObjectStoreSourceConfig(
  source: Config,
  id: string,
  where: string,
): ObjectStoreSourceConfig {
  const type = source.getString('type');
  const prefix = source.getOptionalString('prefix') ?? '';
  if (type === 's3') {
    const bucket = source.getString('bucket');
    if (!S3_BUCKET.test(bucket)) {
      throw new Error(`${where}.bucket '${bucket}' is not an S3 bucket name`);
    }
    const accountId = source.getOptionalString('accountId');
    if (accountId !== undefined && !AWS_ACCOUNT_ID.test(accountId)) {
      throw new Error(
        `${where}.accountId '${accountId}' is not a 12-digit AWS account id`,
      );
    }
    const roleArn = source.getOptionalString('roleArn');
    if (roleArn !== undefined && !ROLE_ARN.test(roleArn)) {
      throw new Error(`${where}.roleArn '${roleArn}' is not an IAM role ARN`);
    }
    const accessKeyId = source.getOptionalString('accessKeyId');
    const secretAccessKey = source.getOptionalString('secretAccessKey');
    if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
      throw new Error(
        `${where}: accessKeyId and secretAccessKey go together; set both or neither`,
      );
    }
    const kinds = [accountId, roleArn, accessKeyId].filter(
      value => value !== undefined,
    );
    if (kinds.length > 1) {
      throw new Error(
        `${where}: set one of accountId, roleArn or accessKeyId/secretAccessKey, not several`,
      );
    }
    return {
      id,
      type,
      bucket,
      prefix,
      region: source.getOptionalString('region') ?? 'us-east-1',
      endpoint: source.getOptionalString('endpoint'),
      accountId,
      roleArn,
      externalId: source.getOptionalString('externalId'),
      accessKeyId,
      secretAccessKey,
    };
  }
  const container = source.getString('container');
  if (!AZURE_CONTAINER.test(container)) {
    throw new Error(
      `${where}.container '${container}' is not an Azure container name`,
    );
  }
  const accountName = source.getOptionalString('accountName');
  const accountUrl = source.getOptionalString('accountUrl');
  const connectionString = source.getOptionalString('connectionString');
  if (!accountName && !accountUrl && !connectionString) {
    throw new Error(
      `${where} needs accountName, accountUrl or connectionString to find the storage account`,
    );
  }
  const sasToken = source.getOptionalString('sasToken');
  const accountKey = source.getOptionalString('accountKey');
  const credentials = [connectionString, sasToken, accountKey].filter(
    value => value !== undefined,
  );
  if (credentials.length > 1) {
    throw new Error(
      `${where}: set one of connectionString, sasToken or accountKey, not several`,
    );
  }
  return {
    id,
    type: 'azure-blob',
    accountName,
    accountUrl,
    container,
    prefix,
    connectionString,
    sasToken,
    accountKey,
  };
}
