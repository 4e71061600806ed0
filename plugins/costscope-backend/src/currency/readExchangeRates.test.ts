import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import {
  loadExchangeRates,
  parseExchangeRatesCsv,
  readExchangeRatesConfig,
} from './readExchangeRates';

const configOf = (exchangeRates: object) =>
  new ConfigReader({ costscope: { exchangeRates } });

describe('readExchangeRatesConfig', () => {
  it('reads rates per currency and month', () => {
    const config = readExchangeRatesConfig(
      configOf({
        rates: [
          { currency: 'eur', month: '2026-10', rate: '1.0842' },
          { currency: 'EUR', month: '2026-11', rate: 1.0791 },
        ],
        file: 'rates.csv',
      }),
      'USD',
    );
    expect(config.file).toBe('rates.csv');
    expect(config.rates.get('EUR')?.get('2026-10')?.text).toBe('1.0842');
    expect(config.rates.get('EUR')?.get('2026-11')?.text).toBe('1.0791');
  });

  it('has no rates when nothing is configured', () => {
    expect(readExchangeRatesConfig(new ConfigReader({}), 'USD')).toEqual({
      rates: new Map(),
      file: undefined,
    });
  });

  it.each([
    [
      { currency: 'EURO', month: '2026-10', rate: '1' },
      /rates\[0\]\.currency: 'EURO' is not an ISO 4217/,
    ],
    [
      { currency: 'USD', month: '2026-10', rate: '1' },
      /USD is the reporting currency/,
    ],
    [
      { currency: 'EUR', month: '2026-13', rate: '1' },
      /rates\[0\]\.month: '2026-13' is not a month/,
    ],
    [
      { currency: 'EUR', month: '2026-10', rate: '-1' },
      /rates\[0\]\.rate: '-1' is not a positive decimal rate/,
    ],
    [{ currency: 'EUR', month: '2026-10', rate: '0' }, /'0' is not a positive/],
  ])('names a bad entry %p', (entry, message) => {
    expect(() =>
      readExchangeRatesConfig(configOf({ rates: [entry] }), 'USD'),
    ).toThrow(message);
  });

  it('refuses two rates for the same month', () => {
    expect(() =>
      readExchangeRatesConfig(
        configOf({
          rates: [
            { currency: 'EUR', month: '2026-10', rate: '1' },
            { currency: 'EUR', month: '2026-10', rate: '2' },
          ],
        }),
        'USD',
      ),
    ).toThrow('rates[1]: a second rate for EUR in 2026-10');
  });
});

describe('parseExchangeRatesCsv', () => {
  const fromConfig = readExchangeRatesConfig(
    configOf({ rates: [{ currency: 'EUR', month: '2026-10', rate: '1.08' }] }),
    'USD',
  ).rates;

  it('merges the file with the rates of config', () => {
    const rates = parseExchangeRatesCsv(
      '\uFEFFCurrency,Month,Rate\r\nEUR,2026-11,1.0791\r\ngbp,2026-11,1.27\r\n\r\n',
      'rates.csv',
      'USD',
      fromConfig,
    );
    expect(rates.get('EUR')?.get('2026-10')?.text).toBe('1.08');
    expect(rates.get('EUR')?.get('2026-11')?.text).toBe('1.0791');
    expect(rates.get('GBP')?.get('2026-11')?.text).toBe('1.27');
  });

  it.each([
    [
      'currency,rate\nEUR,1',
      /first line must be the header 'currency,month,rate'/,
    ],
    [
      'currency,month,rate\nEUR,2026-11',
      /rates.csv line 2: expected 3 values, found 2/,
    ],
    [
      'currency,month,rate\nEUR,2026-11,1\nEUR,11/2026,1',
      /rates.csv line 3: '11\/2026' is not a month/,
    ],
    [
      'currency,month,rate\nEUR,2026-11,abc',
      /line 2: 'abc' is not a positive decimal rate/,
    ],
    [
      'currency,month,rate\nEUR,2026-10,1.09',
      /line 2: a second rate for EUR in 2026-10/,
    ],
  ])('names the line of a bad file %#', (text, message) => {
    expect(() =>
      parseExchangeRatesCsv(text, 'rates.csv', 'USD', fromConfig),
    ).toThrow(message);
  });
});

describe('loadExchangeRates', () => {
  it('reads the file anew each time, so a new month applies without a restart', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'costscope-rates-'));
    const file = path.join(dir, 'rates.csv');
    const config = { rates: new Map(), file };
    await fs.writeFile(file, 'currency,month,rate\nEUR,2026-10,1.08\n');
    expect(
      (await loadExchangeRates(config, 'USD')).rateOf('EUR', '2026-11'),
    ).toBeUndefined();
    await fs.writeFile(
      file,
      'currency,month,rate\nEUR,2026-10,1.08\nEUR,2026-11,1.07\n',
    );
    expect(
      (await loadExchangeRates(config, 'USD')).rateOf('EUR', '2026-11')?.text,
    ).toBe('1.07');
  });

  it('names a missing file', async () => {
    await expect(
      loadExchangeRates(
        { rates: new Map(), file: '/nonexistent/rates.csv' },
        'USD',
      ),
    ).rejects.toThrow(
      /costscope.exchangeRates.file \/nonexistent\/rates.csv cannot be read/,
    );
  });
});
