import { createTestDatabases } from '../__testUtils__/databases';
import { loadEntityResources } from '../permissions/entityResource';
import { EntitySnapshotStore } from './EntitySnapshotStore';
import { applyMigrations } from './migrations';

jest.setTimeout(60_000);

const ROWS = [
  {
    entity_ref: 'domain:default/shop',
    kind: 'domain',
    owner_ref: 'group:default/eng',
    parent_ref: null,
  },
  {
    entity_ref: 'system:default/cart',
    kind: 'system',
    owner_ref: 'group:default/web',
    parent_ref: 'domain:default/shop',
  },
  {
    entity_ref: 'group:default/eng',
    kind: 'group',
    owner_ref: null,
    parent_ref: null,
  },
  {
    entity_ref: 'group:default/web',
    kind: 'group',
    owner_ref: null,
    parent_ref: 'group:default/eng',
  },
  ...Array.from({ length: 700 }, (_, i) => ({
    entity_ref: `component:default/c-${i}`,
    kind: 'component',
    owner_ref: 'group:default/web',
    parent_ref: 'system:default/cart',
  })),
].map(row => ({ title: null, ...row }));

describe('EntitySnapshotStore', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'reads the entities a check walks one chain level at a time on %p',
    async id => {
      const knex = await databases.init(id);
      await applyMigrations(knex);
      for (let i = 0; i < ROWS.length; i += 100) {
        await knex('costscope_entities').insert(ROWS.slice(i, i + 100));
      }
      const store = new EntitySnapshotStore(knex);
      const reads: string[] = [];
      const count = (query: { sql: string }) => {
        if (query.sql.includes('costscope_entities')) reads.push(query.sql);
      };
      knex.on('query', count);

      const refs = [
        ...ROWS.filter(row => row.kind === 'component').map(r => r.entity_ref),
        'component:default/not-in-the-snapshot',
      ];
      const resources = await loadEntityResources(store.batchedGetter(), refs);
      knex.off('query', count);

      expect(resources[700]).toBeUndefined();
      expect(resources[0]).toEqual({
        entity: expect.objectContaining({
          ref: 'component:default/c-0',
          name: 'c-0',
          parentRef: 'system:default/cart',
        }),
        ancestors: [
          expect.objectContaining({ ref: 'system:default/cart' }),
          expect.objectContaining({ ref: 'domain:default/shop' }),
        ],
        owner: 'group:default/web',
        owners: ['group:default/web', 'group:default/eng'],
      });
      expect(resources.filter(Boolean)).toHaveLength(700);
      // 701 components in two chunks of IN (...), then the system, the owner groups and the
      // domain level by level: a handful of reads, not one per entity nor the whole table.
      expect(reads.length).toBeGreaterThanOrEqual(3);
      expect(reads.length).toBeLessThanOrEqual(7);
      expect(reads.every(sql => /\bin\s*\(/i.test(sql))).toBe(true);
    },
  );

  it.each(databases.eachSupportedId())(
    'fails every waiting check when the read fails on %p',
    async id => {
      const knex = await databases.init(id);
      await applyMigrations(knex);
      const getEntity = new EntitySnapshotStore(knex).batchedGetter();
      await knex.schema.renameTable('costscope_entities', 'moved_away');
      await expect(
        Promise.all([
          getEntity('component:default/a'),
          getEntity('component:default/b'),
        ]),
      ).rejects.toThrow(/costscope_entities/);
      await knex.schema.renameTable('moved_away', 'costscope_entities');
    },
  );
});
