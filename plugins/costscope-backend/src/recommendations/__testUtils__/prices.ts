import { PriceSnapshot } from '@costscope/backstage-plugin-node';
import {
  createPriceTable,
  PRICE_REMEDY,
  PriceTable,
  pricesFromSnapshot,
} from '../priceTable';

/**
 * The prices the fake AWS Price List serves (test/fake-aws/pricingData.js): us-east-1,
 * us-west-2 and eu-west-1, read as the price cache reads a source.
 */
export function fakeAwsPriceSnapshot(): PriceSnapshot & {
  date: string;
  source: string;
} {
  // eslint-disable-next-line @backstage/no-relative-monorepo-imports
  return require('../../../../../test/fake-aws/pricingData.js').priceSnapshot();
}

/** A price table over the fake AWS prices, as the cache would build it after one refresh. */
export function testPriceTable(): PriceTable {
  const snapshot = fakeAwsPriceSnapshot();
  return createPriceTable({
    provider: snapshot.provider,
    currency: snapshot.currency,
    date: snapshot.date,
    source: 'prices from test',
    remedy: PRICE_REMEDY,
    prices: pricesFromSnapshot(snapshot, 'test prices'),
  });
}
