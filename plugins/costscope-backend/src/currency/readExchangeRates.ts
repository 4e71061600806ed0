import fs from 'node:fs/promises';
import { Config } from '@backstage/config';
import { ExchangeRate, ExchangeRates, parseRate } from './ExchangeRates';

/** Where `costscope.exchangeRates` takes its rates from. */
export interface ExchangeRatesConfig {
  /** Rates written in app-config, per currency and month. */
  rates: Map<string, Map<string, ExchangeRate>>;
  /** A CSV file of `currency,month,rate`, read again at each run so that new months apply. */
  file?: string;
}

const CURRENCY = /^[A-Z]{3}$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * Reads and checks `costscope.exchangeRates`. Throws an error naming the bad key, which stops
 * the backend at start.
 */
export function readExchangeRatesConfig(
  root: Config,
  reportingCurrency: string,
): ExchangeRatesConfig {
  const config = root.getOptionalConfig('costscope.exchangeRates');
  const rates = new Map<string, Map<string, ExchangeRate>>();
  (config?.getOptionalConfigArray('rates') ?? []).forEach((entry, index) => {
    const where = `costscope.exchangeRates.rates[${index}]`;
    const currency = entry.getString('currency').toUpperCase();
    checkCurrency(currency, reportingCurrency, `${where}.currency`);
    const month = entry.getString('month');
    if (!MONTH.test(month)) {
      throw new Error(`${where}.month: '${month}' is not a month (YYYY-MM)`);
    }
    // A number in YAML is read as the shortest decimal that gives it back; quoting the rate
    // keeps exactly what was written.
    const value = entry.get('rate');
    const rate =
      typeof value === 'string' || typeof value === 'number'
        ? parseRate(String(value))
        : undefined;
    if (!rate) {
      throw new Error(
        `${where}.rate: '${String(value)}' is not a positive decimal rate`,
      );
    }
    addRate(rates, currency, month, rate, where);
  });
  return { rates, file: config?.getOptionalString('file') };
}

function checkCurrency(currency: string, reporting: string, where: string) {
  if (!CURRENCY.test(currency)) {
    throw new Error(`${where}: '${currency}' is not an ISO 4217 currency code`);
  }
  if (currency === reporting) {
    throw new Error(
      `${where}: ${currency} is the reporting currency (costscope.currency) and takes no rate`,
    );
  }
}

function addRate(
  rates: Map<string, Map<string, ExchangeRate>>,
  currency: string,
  month: string,
  rate: ExchangeRate,
  where: string,
) {
  let months = rates.get(currency);
  if (!months) {
    months = new Map();
    rates.set(currency, months);
  }
  if (months.has(month)) {
    throw new Error(`${where}: a second rate for ${currency} in ${month}`);
  }
  months.set(month, rate);
}

/**
 * The rates of a CSV file (`currency,month,rate` header, one row per currency and month)
 * merged with those from config; a month both give is an error, as is any malformed row,
 * named by its line.
 */
export function parseExchangeRatesCsv(
  text: string,
  file: string,
  reportingCurrency: string,
  fromConfig: ReadonlyMap<string, ReadonlyMap<string, ExchangeRate>>,
): Map<string, Map<string, ExchangeRate>> {
  const rates = new Map<string, Map<string, ExchangeRate>>();
  for (const [currency, months] of fromConfig) {
    rates.set(currency, new Map(months));
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = lines[0]
    ?.split(',')
    .map(h => h.trim().toLowerCase())
    .join(',');
  if (header !== 'currency,month,rate') {
    throw new Error(
      `${file}: the first line must be the header 'currency,month,rate'`,
    );
  }
  lines.slice(1).forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `${file} line ${index + 2}`;
    const cells = line.split(',').map(cell => cell.trim());
    if (cells.length !== 3) {
      throw new Error(`${where}: expected 3 values, found ${cells.length}`);
    }
    const [currencyText, month, rateText] = cells;
    const currency = currencyText.toUpperCase();
    checkCurrency(currency, reportingCurrency, where);
    if (!MONTH.test(month)) {
      throw new Error(`${where}: '${month}' is not a month (YYYY-MM)`);
    }
    const rate = parseRate(rateText);
    if (!rate) {
      throw new Error(`${where}: '${rateText}' is not a positive decimal rate`);
    }
    addRate(rates, currency, month, rate, where);
  });
  return rates;
}

/** The rates a run converts with: config's, plus the file's as it is now. */
export async function loadExchangeRates(
  config: ExchangeRatesConfig,
  reportingCurrency: string,
): Promise<ExchangeRates> {
  if (!config.file) return new ExchangeRates(reportingCurrency, config.rates);
  let text: string;
  try {
    text = await fs.readFile(config.file, 'utf8');
  } catch (error) {
    throw new Error(
      `costscope.exchangeRates.file ${config.file} cannot be read: ${
        (error as Error).message
      }`,
    );
  }
  return new ExchangeRates(
    reportingCurrency,
    parseExchangeRatesCsv(text, config.file, reportingCurrency, config.rates),
  );
}
