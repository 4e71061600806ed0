import { AthenaClient } from '@aws-sdk/client-athena';
import { S3Client } from '@aws-sdk/client-s3';
import { ConfiguredRetryStrategy } from '@smithy/util-retry';
import { AthenaCostConfig } from '../athena/athenaConfig';
import { AthenaCostSource } from '../athena/AthenaCostSource';

/** An Athena cost source over the fake AWS at `url`, signing as `credentials`, retrying fast. */
export function athenaSourceForFake(
  config: AthenaCostConfig,
  fake: {
    url: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
  },
  now: () => Date,
): AthenaCostSource {
  const common = {
    region: config.region,
    endpoint: fake.url,
    credentials: fake.credentials,
    retryStrategy: new ConfiguredRetryStrategy(4, () => 5),
  };
  return new AthenaCostSource(
    config,
    {
      athena: new AthenaClient(common),
      s3: new S3Client({ ...common, forcePathStyle: true }),
    },
    now,
  );
}
