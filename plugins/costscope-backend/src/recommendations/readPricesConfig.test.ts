import { ConfigReader } from '@backstage/config';
import { PRICE_REFRESH_SCHEDULE } from './PriceCache';
import { readPricesConfig } from './readPricesConfig';

import { JsonObject } from '@backstage/types';

const config = (prices: JsonObject) =>
  new ConfigReader({ costscope: { recommendations: { prices } } });

describe('readPricesConfig', () => {
  it('defaults to no file and a daily refresh', () => {
    expect(readPricesConfig(new ConfigReader({}))).toEqual({
      schedule: PRICE_REFRESH_SCHEDULE,
    });
  });

  it('reads a file that exists and a schedule', () => {
    expect(
      readPricesConfig(
        config({
          file: __filename,
          schedule: { frequency: { hours: 6 }, timeout: { minutes: 5 } },
        }),
      ),
    ).toEqual({
      file: __filename,
      schedule: { frequency: { hours: 6 }, timeout: { minutes: 5 } },
    });
  });

  it('names the key of a missing or empty file', () => {
    expect(() =>
      readPricesConfig(config({ file: '/no/such/prices.json' })),
    ).toThrow(
      'costscope.recommendations.prices.file: no file at /no/such/prices.json',
    );
    expect(() => readPricesConfig(config({ file: ' ' }))).toThrow(
      'costscope.recommendations.prices.file must name a file',
    );
  });
});
