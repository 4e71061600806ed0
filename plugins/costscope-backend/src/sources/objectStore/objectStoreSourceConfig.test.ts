import { ConfigReader } from '@backstage/config';
import { readCostscopeConfig } from '../../config';

function sourcesOf(source: Record<string, unknown>) {
  return readCostscopeConfig(
    new ConfigReader({ costscope: { sources: [{ id: 'export', ...source }] } }),
  ).sources;
}

describe('s3 and azure-blob sources in costscope.sources', () => {
  it('reads an s3 source with its defaults', () => {
    expect(
      sourcesOf({ type: 's3', bucket: 'billing-exports', prefix: 'focus/x' }),
    ).toEqual([
      expect.objectContaining({
        id: 'export',
        type: 's3',
        bucket: 'billing-exports',
        prefix: 'focus/x',
        region: 'us-east-1',
        // Any currency the rates can convert.
        currency: undefined,
      }),
    ]);
  });

  it('reads an azure-blob source', () => {
    expect(
      sourcesOf({
        type: 'azure-blob',
        accountName: 'billing',
        container: 'exports',
        prefix: 'focus',
        currency: 'eur',
      }),
    ).toEqual([
      expect.objectContaining({
        type: 'azure-blob',
        accountName: 'billing',
        container: 'exports',
        prefix: 'focus',
        currency: 'EUR',
      }),
    ]);
  });

  it.each([
    [
      { type: 's3', bucket: 'Bad_Bucket' },
      /bucket 'Bad_Bucket' is not an S3 bucket name/,
    ],
    [
      { type: 's3', bucket: 'b-1', accountId: '123' },
      /accountId '123' is not a 12-digit/,
    ],
    [
      { type: 's3', bucket: 'b-1', roleArn: 'reader' },
      /roleArn 'reader' is not an IAM role ARN/,
    ],
    [
      { type: 's3', bucket: 'b-1', accessKeyId: 'AKID' },
      /accessKeyId and secretAccessKey go together/,
    ],
    [
      {
        type: 's3',
        bucket: 'b-1',
        accountId: '123456789012',
        roleArn: 'arn:aws:iam::123456789012:role/r',
      },
      /set one of accountId, roleArn or accessKeyId/,
    ],
    [
      { type: 'azure-blob', container: 'exports' },
      /needs accountName, accountUrl or connectionString/,
    ],
    [
      { type: 'azure-blob', accountName: 'a', container: 'Ex--ports' },
      /container 'Ex--ports' is not an Azure container name/,
    ],
    [
      {
        type: 'azure-blob',
        accountName: 'a',
        container: 'exports',
        sasToken: 's',
        accountKey: 'k',
      },
      /set one of connectionString, sasToken or accountKey/,
    ],
    [
      { type: 'gcs', bucket: 'b' },
      /type 'gcs' is not supported \(supported: focus, s3, azure-blob, inventory-file\)/,
    ],
  ])('rejects %j naming the key', (source, message) => {
    expect(() => sourcesOf(source)).toThrow(message);
  });
});
