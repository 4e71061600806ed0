import {
  AWS_PRICE_TABLE,
  createPriceTable,
  PriceTableData,
} from './priceTable';

// eslint-disable-next-line @backstage/no-relative-monorepo-imports
const { demoInventory } = require('../../../../examples/billing/inventory.js');

describe('price table', () => {
  const table = createPriceTable();

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

  it('knows sizes and families', () => {
    expect(table.findInstanceType('m6i.24xlarge')).toMatchObject({
      vcpu: 96,
      memoryGiB: 384,
      family: 'm6i',
      size: '24xlarge',
    });
    expect(table.findInstanceType('t3.large')).toMatchObject({
      vcpu: 2,
      memoryGiB: 8,
      baselinePercent: 30,
    });
    expect(table.findInstanceType('g5.xlarge')?.familySpec.accelerated).toBe(
      true,
    );
  });

  it('says clearly what it does not know', () => {
    expect(table.findInstanceType('x2idn.metal')).toBeUndefined();
    expect(
      table.findInstanceHourly('us-east-1', 'x2idn.metal'),
    ).toBeUndefined();
    expect(table.findInstanceHourly('ap-south-2', 'm6i.large')).toBeUndefined();
    expect(table.findVolumeGiBMonth('us-east-1', 'floppy')).toBeUndefined();
    expect(() => table.getInstanceHourly('us-east-1', 'x2idn.metal')).toThrow(
      "No price for instance type 'x2idn.metal' in region 'us-east-1' in the AWS price table of 2026-07-20",
    );
    expect(() => table.getVolumeGiBMonth('ap-south-2', 'gp3')).toThrow(
      "No price for volume type 'gp3' in region 'ap-south-2'",
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

  it('has the smaller sizes of every demo family in every demo region', () => {
    for (const region of ['us-east-1', 'eu-west-1']) {
      for (const family of ['t3', 'm5', 'm6i', 'c6i', 'r6i']) {
        const sizes = table
          .instanceTypesIn(region)
          .filter(t => t.family === family);
        expect(sizes.length).toBeGreaterThanOrEqual(5);
      }
    }
  });

  it('scales with the size in the m, c and r families (one size down halves the price)', () => {
    for (const region of ['us-east-1', 'eu-west-1']) {
      for (const family of ['m5', 'm6i', 'c6i', 'r6i']) {
        const large = table.getInstanceHourly(region, `${family}.large`);
        for (const t of table
          .instanceTypesIn(region)
          .filter(x => x.family === family)) {
          const price = table.getInstanceHourly(region, t.type);
          // price / vcpu is constant within the family
          expect(price * 2n).toBe(large * BigInt(t.vcpu));
        }
      }
    }
  });

  it('checks a table whole when building it', () => {
    const broken = (change: (d: PriceTableData) => void) => {
      const data: PriceTableData = JSON.parse(JSON.stringify(AWS_PRICE_TABLE));
      change(data);
      return () => createPriceTable(data);
    };
    expect(
      broken(d => {
        d.regions['us-east-1'].instances['m6i.large'] = '0.1.2';
      }),
    ).toThrow(
      "Price table: us-east-1 m6i.large '0.1.2' is not a decimal price",
    );
    expect(
      broken(d => {
        d.regions['us-east-1'].volumesPerGiBMonth.gp3 = '0';
      }),
    ).toThrow("us-east-1 volume gp3 '0' must be more than 0");
    expect(
      broken(d => {
        d.regions['us-east-1'].instances['z9.large'] = '1';
      }),
    ).toThrow("prices instance type 'z9.large', which has no size");
    expect(
      broken(d => {
        d.families.m6i.alternatives.push('q1');
      }),
    ).toThrow("family 'm6i' names unknown alternative 'q1'");
    expect(
      broken(d => {
        d.instanceTypes['q1.large'] = { vcpu: 2, memoryGiB: 4 };
      }),
    ).toThrow("instance type 'q1.large' has no family description");
    expect(
      broken(d => {
        d.currency = 'usd';
      }),
    ).toThrow("currency 'usd' is not an ISO 4217 code");
  });
});
