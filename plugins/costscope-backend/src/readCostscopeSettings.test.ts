import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { readCostscopeSettings } from './readCostscopeSettings';

const rootWith = (costscope: object) =>
  new ConfigReader({ costscope: { currency: 'USD', ...costscope } });

describe('readCostscopeSettings', () => {
  it('reads the defaults when little is configured', async () => {
    const settings = await readCostscopeSettings(rootWith({}));
    expect(settings.config.currency).toBe('USD');
    expect(settings.budgets.size).toBe(0);
    expect(settings.appBaseUrl).toBe('');
  });

  it('stops the start when the exchange rates file is missing, naming it', async () => {
    const file = path.join(os.tmpdir(), 'costscope-no-such-rates.csv');
    await expect(
      readCostscopeSettings(rootWith({ exchangeRates: { file } })),
    ).rejects.toThrow(`costscope.exchangeRates.file ${file} cannot be read`);
  });

  it('stops the start on a malformed line of the rates file', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'costscope-rates-'));
    const file = path.join(dir, 'rates.csv');
    await fs.writeFile(file, 'currency,month,rate\nEUR,2026-13,1.08\n');
    await expect(
      readCostscopeSettings(rootWith({ exchangeRates: { file } })),
    ).rejects.toThrow(/line 2/);
    await fs.rm(dir, { recursive: true });
  });
});
