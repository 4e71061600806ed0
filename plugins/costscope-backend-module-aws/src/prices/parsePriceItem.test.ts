import {
  architectureOf,
  memoryGiB,
  normalisePrice,
  parsePriceItem,
} from './parsePriceItem';

const item = (onDemand: unknown) =>
  JSON.stringify({
    product: {
      productFamily: 'Compute Instance',
      attributes: { instanceType: 'm5.large' },
    },
    terms: { OnDemand: onDemand },
  });
const offer = (dimensions: Record<string, unknown>) => ({
  'SKU.JRTCKXETXF': { priceDimensions: dimensions },
});

describe('Price List items', () => {
  it('reads the single on-demand USD rate, exactly', () => {
    expect(
      parsePriceItem(
        item(
          offer({
            a: {
              beginRange: '0',
              unit: 'Hrs',
              pricePerUnit: { USD: '0.0960000000' },
            },
          }),
        ),
      ),
    ).toEqual({
      productFamily: 'Compute Instance',
      attributes: { instanceType: 'm5.large' },
      usd: '0.096000000',
      unit: 'Hrs',
    });
  });

  it('leaves out free, tiered and unpriced products', () => {
    const rate = (USD: string, beginRange = '0') => ({
      beginRange,
      unit: 'Hrs',
      pricePerUnit: { USD },
    });
    expect(
      parsePriceItem(item(offer({ a: rate('0.0000000000') }))),
    ).toBeUndefined();
    expect(
      parsePriceItem(item(offer({ a: rate('0.1'), b: rate('0.2') }))),
    ).toBeUndefined();
    expect(
      parsePriceItem(item(offer({ a: rate('0.1'), b: rate('0.05', '100') })))
        ?.usd,
    ).toBe('0.1');
    expect(parsePriceItem(item({}))).toBeUndefined();
  });

  it('never reads a price through a float', () => {
    expect(normalisePrice('0.0104000000')).toBe('0.010400000');
    expect(normalisePrice('1.0000000001')).toBeUndefined();
    expect(normalisePrice('1e-3')).toBeUndefined();
    expect(normalisePrice('-0.1')).toBeUndefined();
  });

  it('reads memory and architecture as the Price List writes them', () => {
    expect(memoryGiB('8 GiB')).toBe(8);
    expect(memoryGiB('0.5 GiB')).toBe(0.5);
    expect(memoryGiB('1,024 GiB')).toBe(1024);
    expect(memoryGiB('NA')).toBeUndefined();
    expect(
      architectureOf({
        physicalProcessor: 'AWS Graviton2 Processor',
        processorArchitecture: '64-bit',
      }),
    ).toBe('arm64');
    expect(
      architectureOf({
        physicalProcessor: 'Intel Xeon Platinum 8175',
        processorArchitecture: '64-bit',
      }),
    ).toBe('x86_64');
  });
});
