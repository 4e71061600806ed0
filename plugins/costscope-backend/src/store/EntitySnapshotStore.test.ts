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
      const refs = [
        ...ROWS.filter(row => row.kind === 'component').map(r => r.entity_ref),
        'component:default/not-in-the-snapshot',
      ];
      const expected = {
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
      };
      const counted = async <T>(read: () => Promise<T>) => {
        const reads: string[] = [];
        const count = (query: { sql: string }) => {
          if (query.sql.includes('costscope_entities')) reads.push(query.sql);
        };
        knex.on('query', count);
        try {
          return { ...(await read()), reads };
        } finally {
          knex.off('query', count);
        }
      };
      const load = () =>
        counted(async () => ({
          resources: await loadEntityResources(store.batchedGetter(), refs),
        }));

      // Without rollup rows to follow, the chains are read level by level: the 701
      // components (250 per read), then the system, owner groups and domain.
      const levels = await load();
      expect(levels.resources[700]).toBeUndefined();
      expect(levels.resources[0]).toEqual(expected);
      expect(levels.resources.filter(Boolean)).toHaveLength(700);
      expect(levels.reads.length).toBeGreaterThanOrEqual(4);
      expect(levels.reads.length).toBeLessThanOrEqual(8);

      // As allocation stores them, every entity with what its cost rolls up into: the
      // first reads bring the whole chains, one read per 250 refs and nothing more.
      const rollsInto: Record<string, string[]> = {
        component: [
          'system:default/cart',
          'domain:default/shop',
          'group:default/web',
          'group:default/eng',
        ],
        system: [
          'domain:default/shop',
          'group:default/web',
          'group:default/eng',
        ],
        domain: ['group:default/eng'],
        group: [],
      };
      const ancestors = ROWS.flatMap(row =>
        [row.entity_ref, ...rollsInto[row.kind]].map(ancestor => ({
          entity_ref: row.entity_ref,
          ancestor_ref: ancestor,
        })),
      );
      ancestors.push({
        entity_ref: 'group:default/web',
        ancestor_ref: 'group:default/eng',
      });
      for (let i = 0; i < ancestors.length; i += 100) {
        await knex('costscope_entity_ancestors').insert(
          ancestors.slice(i, i + 100),
        );
      }
      const chains = await load();
      expect(chains.resources).toEqual(levels.resources);
      expect(chains.reads).toHaveLength(3);

      // Keyed on a team: what rolls up into it, with every chain its checks walk (the
      // system's domain and the domain's owner), in one statement.
      const team = await counted(async () => {
        const { below, entities } = await store.belowWithAncestors(
          'Group:default/Web',
        );
        const resources = await loadEntityResources(
          store.batchedGetter(entities),
          below,
        );
        return { below, resources };
      });
      expect([...team.below].sort()).toEqual(
        [
          ...refs.slice(0, 700),
          'group:default/web',
          'system:default/cart',
        ].sort(),
      );
      expect(team.reads).toHaveLength(1);
      expect(team.resources[team.below.indexOf(refs[0])]).toEqual(expected);
      expect(team.resources[team.below.indexOf('system:default/cart')]).toEqual(
        {
          entity: expect.objectContaining({ ref: 'system:default/cart' }),
          ancestors: [expect.objectContaining({ ref: 'domain:default/shop' })],
          owner: 'group:default/web',
          owners: ['group:default/web', 'group:default/eng'],
        },
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'fails every waiting check when the read fails on %p',
    async id => {
      // A database without the migrations: every read fails, naming the missing table.
      const knex = await databases.init(id);
      const getEntity = new EntitySnapshotStore(knex).batchedGetter();
      // Checked by message: under Jest's workers better-sqlite3's error is not an `Error` of
      // the test's realm, which `rejects.toThrow` would take for "did not throw".
      const settled = await Promise.allSettled([
        getEntity('component:default/a'),
        getEntity('component:default/b'),
      ]);
      expect(settled.map(result => result.status)).toEqual([
        'rejected',
        'rejected',
      ]);
      for (const result of settled) {
        expect(
          String((result as PromiseRejectedResult).reason?.message),
        ).toMatch(/costscope_entities/);
      }
    },
  );
});
