import { Config } from '@backstage/config';
import { CostSource } from '@costscope/backstage-plugin-node';
import { ObjectStoreCostSourceConfig } from '../../config';
import { awsDataExportsLayout } from './awsDataExportsLayout';
import {
  AzureBlobObjectStore,
  azureContainerClientFrom,
} from './AzureBlobObjectStore';
import { azureCostExportsLayout } from './azureCostExportsLayout';
import { ObjectStoreFocusSource } from './ObjectStoreFocusSource';
import { S3ObjectStore } from './S3ObjectStore';
import { createS3Client } from './s3Client';

/** The cost source of an `s3` or `azure-blob` entry of `costscope.sources`. */
export function createObjectStoreSource(
  source: ObjectStoreCostSourceConfig,
  rootConfig: Config,
): CostSource {
  if (source.type === 's3') {
    return new ObjectStoreFocusSource({
      id: source.id,
      store: new S3ObjectStore(
        createS3Client(source, rootConfig),
        source.bucket,
      ),
      layout: awsDataExportsLayout,
      prefix: source.prefix,
      currency: source.currency,
    });
  }
  const { accountName, accountUrl, container, connectionString } = source;
  const { sasToken, accountKey } = source;
  let client;
  try {
    client = azureContainerClientFrom({
      accountName,
      accountUrl,
      container,
      connectionString,
      sasToken,
      accountKey,
      useDefaultCredential: !connectionString && !sasToken && !accountKey,
    });
  } catch (error) {
    // Names the source: the message alone would not say which entry of costscope.sources.
    throw new Error(
      `costscope source '${source.id}': ${(error as Error).message}`,
    );
  }
  return new ObjectStoreFocusSource({
    id: source.id,
    store: new AzureBlobObjectStore(client),
    layout: azureCostExportsLayout,
    prefix: source.prefix,
    currency: source.currency,
  });
}
