import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CostLine } from '@costscope/backstage-plugin-node';
import { focusVersionOf, mapFocusHeader } from './focusColumns';
import { readFocusFile } from './focusFileReader';

const BASE = ['BilledCost', 'BillingCurrency', 'ChargePeriodStart'];

describe('focusVersionOf', () => {
  it.each([
    [['ProviderName', 'PublisherName'], '1.0'],
    [['CapacityReservationId', 'SkuPriceDetails'], '1.1'],
    [['servicesubcategory'], '1.1'],
    [['CommitmentDiscountQuantity', 'InvoiceId', 'PricingCurrency'], '1.2'],
    [['BillingAccountType', 'SubAccountType'], '1.2'],
    [['ServiceProviderName', 'HostProviderName', 'InvoiceId'], '1.3'],
    [['ProviderName', 'AllocatedMethodId'], '1.3'],
  ])('%j is FOCUS %s', (extra, version) => {
    expect(focusVersionOf([...BASE, ...extra])).toBe(version);
    expect(mapFocusHeader([...extra, ...BASE], 'f.csv', 'CSV').version).toBe(
      version,
    );
  });
});

describe('mapFocusHeader', () => {
  it('reads ServiceProviderName into ProviderName and then ignores ProviderName', () => {
    expect(
      mapFocusHeader(
        ['ProviderName', ...BASE, 'ServiceProviderName', 'x_Provider'],
        'f.csv',
        'CSV',
      ).columns,
    ).toEqual([
      undefined,
      'BilledCost',
      'BillingCurrency',
      'ChargePeriodStart',
      'ProviderName',
      undefined,
    ]);
    expect(
      mapFocusHeader(['providername', ...BASE], 'f', 'CSV').columns[0],
    ).toBe('ProviderName');
  });

  it('names the missing columns of a 1.3 header', () => {
    expect(() =>
      mapFocusHeader(
        [
          'BillingCurrency',
          'ChargePeriodStart',
          'ServiceProviderName',
          'HostProviderName',
        ],
        'new.csv',
        'CSV',
      ),
    ).toThrow(
      'FOCUS file new.csv lacks the column(s) BilledCost: it is not a FOCUS CSV export',
    );
  });
});

describe('FOCUS 1.1 to 1.3 CSV files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'costscope-focus-'));
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  async function read(name: string, text: string) {
    const file = path.join(dir, name);
    await fs.writeFile(file, text);
    const lines: CostLine[] = [];
    for await (const batch of readFocusFile(file, name, 'USD', () => {})) {
      lines.push(...batch);
    }
    return lines;
  }

  it('reads the provider of a 1.3 file from ServiceProviderName, wherever it stands', async () => {
    const lines = await read(
      'v13.csv',
      'ServiceProviderName,BilledCost,ProviderName,BillingCurrency,ChargePeriodStart,HostProviderName,AllocatedMethodId\n' +
        'Snowflake,1.5,Legacy,USD,2026-01-02T00:00:00Z,AWS,m1\n',
    );
    expect(lines).toMatchObject([{ provider: 'Snowflake', billedCost: '1.5' }]);
  });

  it.each([
    [
      '1.1',
      'BilledCost,BillingCurrency,ChargePeriodStart,ProviderName,ServiceSubcategory,SkuPriceDetails\n2,USD,2026-01-02,AWS,Virtual Machines,"{""x"":1}"\n',
    ],
    [
      '1.2',
      'BilledCost,BillingCurrency,ChargePeriodStart,ProviderName,InvoiceId,PricingCurrency,BillingAccountType\n2,USD,2026-01-02,AWS,inv-1,EUR,Billing Profile\n',
    ],
  ])('reads a FOCUS %s file', async (_version, text) => {
    expect(await read('v.csv', text)).toMatchObject([
      { provider: 'AWS', billedCost: '2', chargeDate: '2026-01-02' },
    ]);
  });

  it('fails on a 1.3 file without BilledCost, naming it', async () => {
    await expect(
      read(
        'nobilled.csv',
        'ServiceProviderName,EffectiveCost,BillingCurrency,ChargePeriodStart\nAWS,1,USD,2026-01-02\n',
      ),
    ).rejects.toThrow(
      /^FOCUS file nobilled\.csv lacks the column\(s\) BilledCost:/,
    );
  });
});
