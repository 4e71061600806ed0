import { MethodDetailsSum } from './methodDetailsSum';

describe('MethodDetailsSum', () => {
  it('sums each unit over lines, a group counting as its lines', () => {
    const sum = new MethodDetailsSum();
    sum.add({ elements: [{ usageUnit: 'CPU', usageQuantity: '1.5' }] });
    sum.add(
      {
        elements: [
          { usageUnit: 'CPU', usageQuantity: '0.25' },
          { usageUnit: 'Mem', usageQuantity: '2' },
        ],
      },
      3,
    );
    expect(sum.text()).toBe(
      '{"Elements":[{"UsageUnit":"CPU","UsageQuantity":2.25},{"UsageUnit":"Mem","UsageQuantity":6}]}',
    );
  });

  it('leaves a unit without its sum when a quantity is unreadable, and keeps the other units', () => {
    const sum = new MethodDetailsSum();
    // Lines of a source that does not check its details, as FOCUS files do.
    sum.add(
      {
        elements: [
          { usageUnit: 'CPU', usageQuantity: 'lots' },
          { usageUnit: 'Mem', usageQuantity: '2' },
        ],
      },
      4,
    );
    sum.add({ elements: [{ usageUnit: 'CPU', usageQuantity: '1' }] });
    expect(sum.text()).toBe(
      '{"Elements":[{"UsageUnit":"CPU"},{"UsageUnit":"Mem","UsageQuantity":8}]}',
    );
  });
});
