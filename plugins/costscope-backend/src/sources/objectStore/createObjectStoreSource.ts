import { Config } from '@backstage/config';
import { CostSource } from '@costscope/backstage-plugin-node';
import { ObjectStoreCostSourceConfig } from '../../config';
import { awsDataExportsLayout } from './awsDataExportsLayout';
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
  throw new Error(
    `Source '${source.id}': azure-blob sources are not available yet`,
  );
}
