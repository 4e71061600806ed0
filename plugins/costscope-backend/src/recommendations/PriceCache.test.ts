import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import {
  PriceReadContext,
  PriceSource,
} from '@costscope/backstage-plugin-node';
import { createTestDatabases } from '../__testUtils__/databases';
import { applyMigrations } from '../store/migrations';
import { PriceStore } from '../store/PriceStore';
import {
  PRICE_REFRESH_SCHEDULE,
  PriceCache,
  PriceFileSource,
  readPriceStatus,
} from './PriceCache';

jest.setTimeout(60_000);

/** A source whose answers the test sets, recording what it was asked. */
function scriptedSource(id: string) {
  const calls: PriceReadContext[] = [];
  let next: () => Promise<unknown> = async () => {
    throw new Error('not set');
  };
  const source: PriceSource & {
    calls: PriceReadContext[];
    answer(fn: () => Promise<unknown>): void;
  } = {
    id,
    provider: 'AWS',
    calls,
    answer: fn => {
      next = fn;
    },
    read: async context => {
      calls.push(context);
      context.apiCall('GetProducts');
      return (await next()) as any;
    },
  };
  return source;
}

const m5 = (price: string, region = 'us-east-1') => ({
  region,
  kind: 'instance',
  key: 'm5.large',
  price,
  vcpu: 2,
  memoryGiB: 8,
});

describe('PriceCache', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'stores what a source reads, keeps it when a later read fails, and serves it as a table on %p',
    async id => {
      const knex = await databases.init(id);
      await applyMigrations(knex);
      const store = new PriceStore(knex);
      const live = scriptedSource('aws-pricing');
      const logger = mockServices.logger.mock();
      const afterChange = jest.fn(async () => {});
      const cache = new PriceCache({
        store,
        sources: [live],
        inventoryRegions: async () =>
          new Map([['aws', ['us-east-1', 'eu-west-1']]]),
        afterChange,
        logger,
      });

      // before any read: no prices, and the gap says what to configure
      const empty = await cache.table('USD');
      expect(empty.findInstanceHourly('us-east-1', 'm5.large')).toBeUndefined();
      expect(empty.source).toBe('');
      expect(empty.remedy).toMatch('costscope.recommendations.prices.file');

      live.answer(async () => ({
        provider: 'AWS',
        currency: 'USD',
        prices: [m5('0.0960000000'), m5('0.107', 'eu-west-1')],
      }));
      const ok = await cache.refresh(
        'aws-pricing',
        new Date('2026-12-01T00:00:00Z'),
      );
      expect(ok).toEqual({
        sourceId: 'aws-pricing',
        status: 'succeeded',
        prices: 2,
      });
      // the source is asked for the inventory's regions of its provider
      expect(live.calls[0].regions).toEqual(['eu-west-1', 'us-east-1']);
      const table = await cache.table('USD');
      expect(table.getInstanceHourly('us-east-1', 'm5.large')).toBe(
        96_000_000n,
      );
      expect(table.getInstanceHourly('eu-west-1', 'm5.large')).toBe(
        107_000_000n,
      );
      expect(table.date).toBe('2026-12-01');
      expect(table.source).toBe('prices from aws-pricing');
      expect(
        await readPriceStatus(store, ['aws-pricing', 'never-tried']),
      ).toEqual([
        {
          source: 'aws-pricing',
          refreshedAt: '2026-12-01T00:00:00.000Z',
          attemptedAt: '2026-12-01T00:00:00.000Z',
        },
      ]);

      // a failing read keeps the prices and names the problem in the log and the store
      live.answer(async () => {
        const error = new Error(
          'User is not authorized to perform: pricing:GetProducts',
        );
        error.name = 'AccessDeniedException';
        throw error;
      });
      const failed = await cache.refresh(
        'aws-pricing',
        new Date('2026-12-02T00:00:00Z'),
      );
      expect(failed.status).toBe('failed');
      expect(failed.error).toBe(
        'AccessDeniedException: User is not authorized to perform: pricing:GetProducts',
      );
      expect(logger.error).toHaveBeenCalledWith(
        expect.stringContaining(
          'price source aws-pricing failed, its previous prices stay: AccessDeniedException',
        ),
      );
      expect((await store.sources())[0]).toMatchObject({
        refreshedAt: '2026-12-01T00:00:00.000Z',
        lastError: failed.error,
      });
      // what the recommendation lists say: the prices of the 1st are used, and why
      expect(await readPriceStatus(store, ['aws-pricing'])).toEqual([
        {
          source: 'aws-pricing',
          refreshedAt: '2026-12-01T00:00:00.000Z',
          attemptedAt: '2026-12-02T00:00:00.000Z',
          error:
            'AccessDeniedException: User is not authorized to perform: pricing:GetProducts',
        },
      ]);
      expect(
        (await cache.table('USD')).findInstanceHourly('us-east-1', 'm5.large'),
      ).toBe(96_000_000n);

      // so does a read that returns a bad price: nothing of it is stored
      live.answer(async () => ({
        provider: 'AWS',
        currency: 'USD',
        prices: [m5('0.05'), m5('0.1.2', 'eu-west-1')],
      }));
      expect((await cache.refresh('aws-pricing')).error).toMatch(
        "price source aws-pricing: prices[1].price '0.1.2' is not a decimal string",
      );
      expect(
        (await cache.table('USD')).findInstanceHourly('us-east-1', 'm5.large'),
      ).toBe(96_000_000n);

      // prices in another currency do not price a bill in this one, and the gap says so
      expect((await cache.table('EUR')).currency).toBe('USD');
      expect(
        (await cache.table('EUR')).findInstanceHourly('us-east-1', 'm5.large'),
      ).toBeUndefined();

      // the schedule: daily, and a success computes the recommendations again
      const scheduler = mockServices.scheduler.mock();
      await cache.start(scheduler);
      expect(scheduler.scheduleTask).toHaveBeenCalledWith(
        expect.objectContaining({
          id: 'costscope-prices-aws-pricing',
          frequency: PRICE_REFRESH_SCHEDULE.frequency,
        }),
      );
      live.answer(async () => ({
        provider: 'AWS',
        currency: 'USD',
        prices: [m5('0.1')],
      }));
      await scheduler.scheduleTask.mock.calls[0][0].fn(
        new AbortController().signal,
      );
      expect(afterChange).toHaveBeenCalledTimes(1);
      live.answer(async () => {
        throw new Error('down');
      });
      await scheduler.scheduleTask.mock.calls[0][0].fn(
        new AbortController().signal,
      );
      expect(afterChange).toHaveBeenCalledTimes(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'loads a prices file, and a later source wins where both price a key, on %p',
    async id => {
      const knex = await databases.init(id);
      await applyMigrations(knex);
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'costscope-prices-'));
      const file = path.join(dir, 'prices.json');
      await fs.writeFile(
        file,
        JSON.stringify({
          provider: 'AWS',
          currency: 'USD',
          prices: [
            m5('0.096'),
            { region: 'us-east-1', kind: 'volume', key: 'gp3', price: '0.08' },
          ],
        }),
      );
      const live = scriptedSource('aws-pricing');
      live.answer(async () => ({
        provider: 'AWS',
        currency: 'USD',
        prices: [m5('0.095')],
      }));
      const cache = new PriceCache({
        store: new PriceStore(knex),
        sources: [new PriceFileSource(file), live],
        inventoryRegions: async () => new Map(),
        logger: mockServices.logger.mock(),
      });
      expect((await cache.refreshAll()).map(o => o.status)).toEqual([
        'succeeded',
        'succeeded',
      ]);
      const table = await cache.table('USD');
      expect(table.getInstanceHourly('us-east-1', 'm5.large')).toBe(
        95_000_000n,
      );
      expect(table.getVolumeGiBMonth('us-east-1', 'gp3')).toBe(80_000_000n);
      expect(table.source).toBe('prices from prices-file, aws-pricing');

      await fs.writeFile(file, '{ not json');
      expect((await cache.refresh('prices-file')).error).toMatch(
        `costscope.recommendations.prices.file: ${file} is not JSON`,
      );
      await fs.rm(dir, { recursive: true, force: true });
      expect((await cache.refresh('prices-file')).error).toMatch(
        `costscope.recommendations.prices.file: cannot read ${file}`,
      );
      expect(
        (await cache.table('USD')).getVolumeGiBMonth('us-east-1', 'gp3'),
      ).toBe(80_000_000n);
    },
  );

  it('refuses two sources with one id', () => {
    expect(
      () =>
        new PriceCache({
          store: {} as PriceStore,
          sources: [scriptedSource('a'), scriptedSource('a')],
          inventoryRegions: async () => new Map(),
          logger: mockServices.logger.mock(),
        }),
    ).toThrow("Costscope price source id 'a' is used twice");
  });
});
