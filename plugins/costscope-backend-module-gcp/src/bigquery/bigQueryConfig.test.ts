import { ConfigReader } from '@backstage/config';
import { JsonValue } from '@backstage/types';
import { readBigQueryConfig } from './bigQueryConfig';

const read = (bigquery: JsonValue) =>
  readBigQueryConfig(new ConfigReader({ costscope: { gcp: { bigquery } } }));

describe('readBigQueryConfig', () => {
  it('is undefined without costscope.gcp.bigquery', () => {
    expect(readBigQueryConfig(new ConfigReader({}))).toBeUndefined();
  });

  it('defaults: the table project runs the jobs, ADC, USD 6.25 per TiB, no cap', () => {
    expect(read({ table: 'acme-billing.billing_export.focus' })).toMatchObject({
      projectId: 'acme-billing',
      table: 'acme-billing.billing_export.focus',
      partitionsOf: 'acme-billing.billing_export.focus',
      incremental: true,
      credentials: { type: 'applicationDefault' },
      months: 3,
      maxBytesBilled: undefined,
      pricePerTibUsd: '6.25',
    });
  });

  it('reads a key file, a cap and a price', () => {
    expect(
      read({
        table: 'acme-billing.b.focus',
        projectId: 'acme-jobs',
        credentials: { keyFile: '/secrets/key.json' },
        maxBytesBilled: 60_000_000_000,
        pricePerTibUsd: '5.5',
      }),
    ).toMatchObject({
      projectId: 'acme-jobs',
      credentials: { type: 'keyFile', keyFile: '/secrets/key.json' },
      maxBytesBilled: 60_000_000_000,
      pricePerTibUsd: '5.5',
    });
  });

  it('rejects what it cannot use, naming the key', () => {
    expect(() => read({ table: 'focus' })).toThrow(
      "costscope.gcp.bigquery.table': 'focus' is not a project.dataset.table name",
    );
    expect(() =>
      read({ table: 'acme-billing.b.focus', credentials: 'none' }),
    ).toThrow("'none' is for an apiEndpoint (an emulator) only");
    expect(() =>
      read({ table: 'acme-billing.b.focus', maxBytesBilled: -1 }),
    ).toThrow('maxBytesBilled');
    expect(() =>
      read({ table: 'acme-billing.b.focus', format: 'cur' }),
    ).toThrow("only 'focus' is read");
  });
});
