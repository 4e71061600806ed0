import { CacheService } from '@backstage/backend-plugin-api';
import { createTestDatabases } from '../__testUtils__/databases';
import { applyMigrations } from './migrations';
import { ROLLUP_VERSION_KEY, RollupReadCache } from './RollupReadCache';

jest.setTimeout(60_000);

/** Backstage's cache contract over a Map. */
function mapCache(): CacheService {
  const entries = new Map<string, any>();
  const cache: CacheService = {
    get: async key => entries.get(key),
    set: async (key, value) => {
      entries.set(key, value);
    },
    delete: async key => {
      entries.delete(key);
    },
    withOptions: () => cache,
  };
  return cache;
}

describe('RollupReadCache', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'computes once per rollup version and key on %p',
    async id => {
      const knex = await databases.init(id);
      await applyMigrations(knex);
      const shared = mapCache();
      const readCache = new RollupReadCache(knex, shared);
      let computed = 0;
      const compute = async () => {
        computed += 1;
        return { n: computed };
      };

      const read = async (key: string, how = compute) =>
        JSON.parse(await readCache.json([key], how));

      // No rollups built yet: nothing to key on, nothing kept.
      await read('a');
      await read('a');
      expect(computed).toBe(2);

      const setVersion = (value: string) =>
        knex('costscope_state')
          .insert({ key: ROLLUP_VERSION_KEY, value })
          .onConflict('key')
          .merge();
      await setVersion('v1');
      const concurrent = await Promise.all(
        Array.from({ length: 5 }, () => read('a')),
      );
      expect(computed).toBe(3);
      expect(concurrent).toEqual(Array(5).fill({ n: 3 }));
      expect(await read('b')).toEqual({ n: 4 });
      expect(await read('a')).toEqual({ n: 3 });

      // Another instance finds the answer in the shared cache.
      const other = new RollupReadCache(knex, shared);
      expect(JSON.parse(await other.json(['a'], compute))).toEqual({ n: 3 });

      await setVersion('v2');
      expect(await read('a')).toEqual({ n: 5 });

      // A failed read is not kept.
      await expect(
        read('c', async () => {
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await read('c')).toEqual({ n: 6 });
      expect(computed).toBe(6);
    },
  );
});
