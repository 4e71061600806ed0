import { createTestDatabases } from '../__testUtils__/databases';
import { applyMigrations } from './migrations';
import { DigestKey, DigestStore } from './DigestStore';

jest.setTimeout(60_000);

const key: DigestKey = {
  entityRef: 'group:default/team-a',
  period: 'week',
  range: { from: '2026-11-30', to: '2026-12-06' },
};
const dueAt = new Date('2026-12-07T08:00:00Z');
const at = (iso: string) => new Date(iso);
const LEASE = 15 * 60_000;

describe('DigestStore', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'lets one of many concurrent claims win on %p',
    async id => {
      const knex = await databases.init(id);
      await applyMigrations(knex);
      const stores = [1, 2, 3, 4, 5].map(() => new DigestStore(knex));
      const now = at('2026-12-07T08:05:00Z');
      const wins = await Promise.all(
        stores.map(store =>
          store.claim(key, { dueAt, late: false, now, leaseMs: LEASE }),
        ),
      );
      expect(wins.filter(Boolean)).toHaveLength(1);
      // Another period of the same team is its own claim.
      expect(
        await stores[0].claim(
          { ...key, range: { from: '2026-12-07', to: '2026-12-13' } },
          { dueAt, late: false, now, leaseMs: LEASE },
        ),
      ).toBe(true);
    },
  );

  it.each(databases.eachSupportedId())(
    'hands an unsent claim over after the lease, never a sent one, on %p',
    async id => {
      const knex = await databases.init(id);
      await applyMigrations(knex);
      const store = new DigestStore(knex);
      const claim = (now: string, late = false) =>
        store.claim(key, { dueAt, late, now: at(now), leaseMs: LEASE });

      expect(await claim('2026-12-07T08:00:00Z')).toBe(true);
      expect(await claim('2026-12-07T08:14:59Z')).toBe(false);
      // The first claimer stopped: after the lease the claim is taken over, once.
      expect(await claim('2026-12-07T08:15:01Z', true)).toBe(true);
      expect(await claim('2026-12-07T08:15:02Z', true)).toBe(false);

      await store.markSent(key, {
        at: at('2026-12-07T08:16:00Z'),
        deliveredTo: ['notifications', 'webhook'],
        totalNanos: 9_007_199_254_740_993_123n,
        currency: 'USD',
      });
      expect(await claim('2026-12-08T12:00:00Z')).toBe(false);
      expect(await store.list('week', key.range)).toEqual([
        {
          ...key,
          dueAt: dueAt.toISOString(),
          claimedAt: '2026-12-07T08:15:01.000Z',
          sentAt: '2026-12-07T08:16:00.000Z',
          late: true,
          deliveredTo: ['notifications', 'webhook'],
          totalNanos: 9_007_199_254_740_993_123n,
          currency: 'USD',
        },
      ]);
    },
  );
});
