import { moneyToNanos } from '@costscope/backstage-plugin-common';

/** The parts of a Price List item (`aws_v1`) Costscope reads. */
export interface PriceItem {
  productFamily: string;
  attributes: Record<string, string>;
  /** The on-demand USD price per unit, as an exact decimal string. */
  usd: string;
  unit: string;
}

/**
 * A Price List price ("0.0960000000", ten decimals) as a decimal string nano-units hold
 * exactly ("0.096000000"), or undefined when it is not a positive decimal of at most nine
 * significant decimals: read through moneyToNanos, never a float.
 */
export function normalisePrice(text: string): string | undefined {
  const trimmed = text.trim().replace(/^(\d+\.\d{9})0+$/, '$1');
  try {
    return moneyToNanos(trimmed) > 0n ? trimmed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One entry of `GetProducts`' PriceList (a JSON string; the SDK hands it out as a
 * LazyJsonString): its product family, attributes and on-demand USD price. Undefined for an
 * item without exactly one on-demand USD rate starting at 0 (tiered or free products).
 */
export function parsePriceItem(text: unknown): PriceItem | undefined {
  const item = JSON.parse(String(text));
  const product = item?.product;
  const offers = Object.values(item?.terms?.OnDemand ?? {}) as Array<{
    priceDimensions?: Record<
      string,
      { beginRange?: string; unit?: string; pricePerUnit?: { USD?: string } }
    >;
  }>;
  if (!product?.attributes || offers.length !== 1) return undefined;
  const rates = Object.values(offers[0].priceDimensions ?? {}).filter(
    rate => (rate.beginRange ?? '0') === '0' && rate.pricePerUnit?.USD,
  );
  if (rates.length !== 1) return undefined;
  const usd = normalisePrice(rates[0].pricePerUnit!.USD!);
  if (usd === undefined) return undefined;
  return {
    productFamily: String(product.productFamily ?? ''),
    attributes: product.attributes,
    usd,
    unit: rates[0].unit ?? '',
  };
}

/** "8 GiB", "0.5 GiB", "1,024 GiB" -> GiB; undefined for anything else ("NA"). */
export function memoryGiB(text: string | undefined): number | undefined {
  const match = /^([\d,]+(?:\.\d+)?) GiB$/.exec((text ?? '').trim());
  if (!match) return undefined;
  const value = Number(match[1].replace(/,/g, ''));
  return value > 0 ? value : undefined;
}

/** Graviton processors are arm64; the Price List's processorArchitecture says 64-bit for both. */
export function architectureOf(
  attributes: Record<string, string>,
): 'x86_64' | 'arm64' {
  const processor = `${attributes.physicalProcessor ?? ''} ${
    attributes.processorArchitecture ?? ''
  }`;
  return /graviton|arm/i.test(processor) ? 'arm64' : 'x86_64';
}
