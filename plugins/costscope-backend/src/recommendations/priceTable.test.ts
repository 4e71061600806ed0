import { PriceEntry } from '@costscope/backstage-plugin-node';
import { INSTANCE_FAMILIES } from './instanceFamilies';
import {
  createPriceTable,
  PRICE_REMEDY,
  pricesFromSnapshot,
} from './priceTable';
import { fakeAwsPriceSnapshot, testPriceTable } from './__testUtils__/prices';

// eslint-disable-next-line @backstage/no-relative-monorepo-imports
const { demoInventory } = require('../../../../examples/billing/inventory.js');

describe('price table over cached prices', () => {
  const table = testPriceTable();

  it('reads prices exactly, in nano-units', () => {
    expect(table.currency).toBe('USD');
    expect(table.date).toBe('2026-07-20');
    expect(table.getInstanceHourly('us-east-1', 'c6i.large')).toBe(85_000_000n);
    expect(table.getInstanceHourly('us-east-1', 'c7g.medium')).toBe(
      36_300_000n,
    );
    expect(table.findVolumeGiBMonth('eu-west-1', 'gp3')).toBe(88_000_000n);
    expect(table.findSnapshotGiBMonth('us-east-1')).toBe(50_000_000n);
    expect(table.findPublicIpv4Hourly('eu-west-1')).toBe(5_000_000n);
  });

  it('knows sizes from the prices and families from Costscope', () => {
    expect(table.findInstanceType('m6i.24xlarge')).toMatchObject({
      vcpu: 96,
      memoryGiB: 384,
      family: 'm6i',
      size: '24xlarge',
      familySpec: INSTANCE_FAMILIES.m6i,
    });
    expect(table.findInstanceType('t3.nano')).toMatchObject({
      memoryGiB: 0.5,
      baselinePercent: 5,
    });
    expect(table.findInstanceType('t3.large')?.baselinePercent).toBe(30);
    expect(table.findInstanceType('g5.12xlarge')).toMatchObject({ gpus: 4 });
    expect(table.findInstanceType('g5.xlarge')?.familySpec.accelerated).toBe(
      true,
    );
  });

  it('describes a family Costscope does not know from its attributes, without alternatives', () => {
    const other = createPriceTable({
      provider: 'AWS',
      currency: 'USD',
      date: '2026-12-01',
      source: 'prices from test',
      remedy: PRICE_REMEDY,
      prices: pricesFromSnapshot(
        {
          provider: 'AWS',
          currency: 'USD',
          prices: [
            {
              region: 'ap-southeast-2',
              kind: 'instance',
              key: 'm8g.large',
              price: '0.1154',
              vcpu: 2,
              memoryGiB: 8,
              architecture: 'arm64',
            },
            {
              region: 'ap-southeast-2',
              kind: 'instance',
              key: 'p5.48xlarge',
              price: '98.32',
              vcpu: 192,
              memoryGiB: 2048,
              gpus: 8,
            },
            {
              region: 'ap-southeast-2',
              kind: 'instance',
              key: 't4g.small',
              price: '0.0212',
              vcpu: 2,
              memoryGiB: 2,
              architecture: 'arm64',
            },
          ],
        },
        'test',
      ),
    });
    expect(other.findInstanceType('m8g.large')?.familySpec).toEqual({
      architecture: 'arm64',
      alternatives: [],
    });
    expect(other.findInstanceType('p5.48xlarge')?.familySpec).toMatchObject({
      accelerated: true,
    });
    // burstable, but without known baselines: never a candidate (the rule needs one)
    expect(other.findInstanceType('t4g.small')).toMatchObject({
      familySpec: { burstable: true, alternatives: [] },
    });
    expect(
      other.findInstanceType('t4g.small')?.baselinePercent,
    ).toBeUndefined();
    expect(other.instanceTypesIn('ap-southeast-2').map(t => t.type)).toEqual([
      'm8g.large',
      'p5.48xlarge',
      't4g.small',
    ]);
  });

  it('later rows win over earlier ones of the same key', () => {
    const gp3 = (price: string) =>
      pricesFromSnapshot(
        {
          provider: 'AWS',
          currency: 'USD',
          prices: [{ region: 'us-east-1', kind: 'volume', key: 'gp3', price }],
        },
        'test',
      );
    const t = createPriceTable({
      ...table,
      prices: [...gp3('0.08'), ...gp3('0.079')],
    });
    expect(t.findVolumeGiBMonth('us-east-1', 'gp3')).toBe(79_000_000n);
  });

  it('says clearly what it does not know', () => {
    expect(table.findInstanceType('x2idn.metal')).toBeUndefined();
    expect(
      table.findInstanceHourly('us-east-1', 'x2idn.metal'),
    ).toBeUndefined();
    expect(table.findInstanceHourly('ap-south-2', 'm6i.large')).toBeUndefined();
    expect(table.findVolumeGiBMonth('us-east-1', 'floppy')).toBeUndefined();
    expect(() => table.getInstanceHourly('us-east-1', 'x2idn.metal')).toThrow(
      "No AWS on-demand price for instance type 'x2idn.metal' in region 'us-east-1' (prices from test)",
    );
    expect(() => table.getVolumeGiBMonth('ap-south-2', 'gp3')).toThrow(
      "No AWS on-demand price for volume type 'gp3' in region 'ap-south-2'",
    );
    expect(table.instanceTypesIn('ap-south-2')).toEqual([]);
  });

  it('prices every type, volume type and region of the demo inventory', () => {
    const resources = demoInventory({ endDate: '2026-11-22' });
    const missing: string[] = [];
    for (const r of resources) {
      if (r.kind === 'instance' && !table.findInstanceHourly(r.region, r.type))
        missing.push(`${r.region} ${r.type}`);
      if (r.kind === 'volume' && !table.findVolumeGiBMonth(r.region, r.type))
        missing.push(`${r.region} volume ${r.type}`);
      if (r.kind === 'snapshot' && !table.findSnapshotGiBMonth(r.region))
        missing.push(`${r.region} snapshot`);
      if (r.kind === 'address' && !table.findPublicIpv4Hourly(r.region))
        missing.push(`${r.region} address`);
    }
    expect(missing).toEqual([]);
  });

  it('scales with the size in the m, c and r families (one size down halves the price)', () => {
    for (const region of ['us-east-1', 'eu-west-1']) {
      for (const family of ['m5', 'm6i', 'c6i', 'r6i']) {
        const large = table.getInstanceHourly(region, `${family}.large`);
        const sizes = table
          .instanceTypesIn(region)
          .filter(x => x.family === family);
        expect(sizes.length).toBeGreaterThanOrEqual(5);
        for (const t of sizes) {
          const price = table.getInstanceHourly(region, t.type);
          // price / vcpu is constant within the family
          expect(price * 2n).toBe(large * BigInt(t.vcpu));
        }
      }
    }
  });
});

describe('pricesFromSnapshot', () => {
  const entry: PriceEntry = {
    region: 'us-east-1',
    kind: 'instance',
    key: 'm6i.large',
    price: '0.096',
    vcpu: 2,
    memoryGiB: 8,
  };
  const read =
    (prices: unknown[], currency = 'USD') =>
    () =>
      pricesFromSnapshot(
        { provider: 'AWS', currency, prices: prices as PriceEntry[] },
        'price source x',
      );

  it('reads decimal strings exactly, never through a float', () => {
    // the Price List's ten decimals
    expect(read([{ ...entry, price: '0.0960000000' }])()[0].priceNanos).toBe(
      96_000_000n,
    );
    expect(read([{ ...entry, price: '0.123456789' }])()[0].priceNanos).toBe(
      123_456_789n,
    );
    // a digit nano-units cannot hold is an error, not a rounding
    expect(read([{ ...entry, price: '0.30000000000000004' }])).toThrow(
      "prices[0].price '0.30000000000000004' is not a decimal string",
    );
    expect(read([entry])()[0]).toEqual({
      region: 'us-east-1',
      kind: 'instance',
      key: 'm6i.large',
      priceNanos: 96_000_000n,
      vcpu: 2,
      memoryMiB: 8192,
    });
  });

  it('reads the fake Price List data whole', () => {
    const snapshot = fakeAwsPriceSnapshot();
    expect(pricesFromSnapshot(snapshot, 'fake')).toHaveLength(
      snapshot.prices.length,
    );
  });

  it('names the bad entry', () => {
    expect(
      read([entry, { ...entry, key: 'm6i.xlarge', price: 0.096 }]),
    ).toThrow(
      "price source x: prices[1].price '0.096' is not a decimal string",
    );
    expect(read([{ ...entry, price: '0' }])).toThrow(
      "prices[0].price '0' must be more than 0",
    );
    expect(read([{ ...entry, price: '1e-3' }])).toThrow(
      'is not a decimal string',
    );
    expect(read([{ ...entry, kind: 'gpu' }])).toThrow(
      "prices[0].kind 'gpu' is not one of instance, volume, snapshot, public-ipv4",
    );
    expect(read([{ ...entry, vcpu: undefined }])).toThrow(
      'prices[0] (m6i.large) needs a positive whole vcpu and a positive memoryGiB',
    );
    expect(read([{ ...entry, key: 'large' }])).toThrow(
      "prices[0].key 'large' is not an instance type",
    );
    expect(
      read([{ region: 'us-east-1', kind: 'volume', price: '0.08' }]),
    ).toThrow('volume price without a volume type');
    expect(read([entry, { ...entry, price: '0.1' }])).toThrow(
      "price source x: prices[1] prices instance 'm6i.large' in us-east-1 a second time",
    );
    expect(read([entry], 'usd')).toThrow(
      "currency 'usd' is not an ISO 4217 code",
    );
  });
});
