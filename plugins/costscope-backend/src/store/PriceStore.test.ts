import { createTestDatabases } from '../__testUtils__/databases';
import { applyMigrations, rollbackMigrations } from './migrations';
import { PriceStore } from './PriceStore';
import { PriceRow } from './types';

jest.setTimeout(60_000);

const AWS = { sourceId: 'aws-pricing', provider: 'AWS', currency: 'USD' };
const M5: PriceRow = {
  region: 'us-east-1',
  kind: 'instance',
  key: 'm5.large',
  priceNanos: 96_000_000n,
  vcpu: 2,
  memoryMiB: 8192,
  architecture: 'x86_64',
};
const GP3: PriceRow = {
  region: 'us-east-1',
  kind: 'volume',
  key: 'gp3',
  priceNanos: 80_000_000n,
};

describe('PriceStore', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'replaces a source whole, keeps other sources, and keeps prices after a failure on %p',
    async id => {
      const knex = await databases.init(id);
      await applyMigrations(knex);
      const store = new PriceStore(knex);

      // Beyond 2^53: the column must keep every digit.
      const huge = { ...GP3, key: 'io2', priceNanos: 9_007_199_254_740_993n };
      await store.replace(
        AWS,
        [M5, GP3, huge],
        new Date('2026-12-01T00:00:00Z'),
      );
      await store.replace(
        { sourceId: 'file', provider: 'AWS', currency: 'USD' },
        [{ ...M5, priceNanos: 1n }],
      );
      expect(await store.prices('aws-pricing')).toEqual([M5, GP3, huge]);

      await store.replace(AWS, [GP3], new Date('2026-12-02T00:00:00Z'));
      expect(await store.prices('aws-pricing')).toEqual([GP3]);
      expect(await store.prices('file')).toEqual([{ ...M5, priceNanos: 1n }]);

      await store.recordFailure(
        AWS,
        'AccessDeniedException: not authorized to perform pricing:GetProducts',
        new Date('2026-12-03T00:00:00Z'),
      );
      expect(await store.prices('aws-pricing')).toEqual([GP3]);
      const [aws] = await store.sources();
      expect(aws).toEqual({
        sourceId: 'aws-pricing',
        provider: 'AWS',
        currency: 'USD',
        refreshedAt: '2026-12-02T00:00:00.000Z',
        priceCount: 1,
        lastAttemptAt: '2026-12-03T00:00:00.000Z',
        lastError:
          'AccessDeniedException: not authorized to perform pricing:GetProducts',
      });

      // A source that never succeeded is known by its failure alone.
      await store.recordFailure({ sourceId: 'never', provider: 'AWS' }, 'boom');
      const never = (await store.sources()).find(s => s.sourceId === 'never');
      expect(never?.refreshedAt).toBeUndefined();
      expect(await store.prices('never')).toEqual([]);

      await expect(
        store.replace(AWS, [{ ...GP3, priceNanos: 0n }]),
      ).rejects.toThrow("volume 'gp3' in us-east-1");
      expect(await store.prices('aws-pricing')).toEqual([GP3]);

      await rollbackMigrations(knex);
      expect(await knex.schema.hasTable('costscope_prices')).toBe(false);
      expect(await knex.schema.hasTable('costscope_price_sources')).toBe(false);
      await applyMigrations(knex);
      expect(await knex.schema.hasTable('costscope_prices')).toBe(true);
    },
  );
});
