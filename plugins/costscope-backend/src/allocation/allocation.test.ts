import { FocusFileSource } from '../sources/focus/FocusFileSource';
import { createTestDatabases } from '../__testUtils__/databases';
import { entity } from '../__testUtils__/entities';
import { focusCsv, writeFocusDir } from '../__testUtils__/focus';
import { createPipeline } from '../__testUtils__/pipeline';
import { checkRollupInvariants } from '../__testUtils__/rollupInvariants';

/** These tests compare with the bill's `BilledCost`. */
const BILLED_USD = { currency: 'USD', costBasis: 'billed' } as const;

jest.setTimeout(60_000);

const catalog = [
  entity('Group', 'org', { type: 'department', children: [] }),
  entity('Group', 'team-a', { type: 'team', parent: 'org', children: [] }),
  entity('Group', 'squad-a1', { type: 'team', parent: 'team-a', children: [] }),
  entity('Group', 'team-b', { type: 'team', parent: 'org', children: [] }),
  entity('Domain', 'shop', { owner: 'team-a' }),
  entity(
    'System',
    'store',
    { owner: 'team-a', domain: 'shop' },
    {
      'costscope.io/gcp-project-ids': 'shop-prod',
    },
  ),
  entity('Component', 'api', {
    owner: 'squad-a1',
    system: 'store',
    type: 'service',
  }),
  entity(
    'Component',
    'web',
    { owner: 'team-a', system: 'store', type: 'website' },
    {
      'costscope.io/cost-tags': 'app=web-frontend',
    },
  ),
  entity(
    'Component',
    'ml',
    { owner: 'team-b', type: 'service' },
    {
      'costscope.io/cost-tags': 'app=ml,env=prod; project=ml-research',
    },
  ),
  entity(
    'Component',
    'ci',
    { owner: 'team-b', type: 'service' },
    {
      'costscope.io/aws-account-ids': '444455556666',
    },
  ),
  entity(
    'Component',
    'broken',
    { owner: 'team-b', type: 'service' },
    {
      'costscope.io/cost-tags': 'not-a-rule',
    },
  ),
];

// Amounts with 12 fractional digits: rounding each line would drift, exact sums do not.
const rows = [
  {
    day: '2026-03-01',
    cost: '10.000000000401',
    tags: { service: 'api' },
    resource: 'i-api-1',
  },
  {
    day: '2026-03-01',
    cost: '0.000000000401',
    tags: { service: 'api' },
    resource: 'i-api-1',
  },
  {
    day: '2026-03-01',
    cost: '5.123456789012',
    tags: { Service: 'api' },
    resource: 'i-api-2',
  },
  {
    day: '2026-03-02',
    cost: '7.5',
    tags: { app: 'web-frontend', service: 'api' },
    resource: 'i-shared',
  },
  {
    day: '2026-03-02',
    cost: '3.25',
    tags: { app: 'ml', env: 'prod' },
    resource: 'gpu-1',
  },
  {
    day: '2026-03-02',
    cost: '2',
    tags: { app: 'ml', env: 'dev' },
    resource: 'gpu-dev',
  },
  {
    day: '2026-03-02',
    cost: '1.111111111111',
    tags: { project: 'ml-research' },
    resource: 'nb-1',
  },
  {
    day: '2026-03-03',
    cost: '4.4',
    account: '444455556666',
    resource: 'runner-1',
  },
  {
    day: '2026-03-03',
    cost: '1.5',
    account: '444455556666',
    tags: { service: 'api' },
    resource: 'runner-2',
  },
  {
    day: '2026-03-03',
    cost: '6',
    provider: 'Google Cloud',
    account: 'shop-prod',
    service: 'BigQuery',
  },
  {
    day: '2026-03-03',
    cost: '2.2',
    tags: { team: 'team-b' },
    resource: 'bucket-b',
  },
  { day: '2026-03-03', cost: '9.999999999999', resource: 'i-untagged' },
  { day: '2026-03-31', cost: '-3.000000000001', category: 'Credit' },
  { day: '2026-03-31', cost: '1.7', category: 'Tax' },
  {
    day: '2026-03-04',
    cost: '0.5',
    tags: { service: 'not-in-catalog' },
    resource: 'i-orphan',
  },
];

describe('allocation on hand-made edge cases', () => {
  const databases = createTestDatabases();

  it('attributes a resource without billing lines by the same rules', async () => {
    const pipeline = await createPipeline(
      await databases.init('SQLITE_3'),
      catalog,
    );
    // Before the first run there are no rules.
    expect(pipeline.allocation.entityForTags('1', { service: 'api' })).toBe(
      undefined,
    );
    await pipeline.allocation.run({ force: true });
    const entityFor = (account: string, tags: Record<string, string>) =>
      pipeline.allocation.entityForTags(account, tags);
    expect(entityFor('1', { Service: 'api' })).toBe('component:default/api');
    expect(entityFor('1', { app: 'ml', env: 'prod' })).toBe(
      'component:default/ml',
    );
    expect(entityFor('444455556666', {})).toBe('component:default/ci');
    expect(entityFor('1', { team: 'team-b' })).toBe('group:default/team-b');
    expect(entityFor('1', { app: 'ml' })).toBe(undefined);
  });

  it.each(databases.eachSupportedId())(
    'partitions every line and rolls up exactly on %p',
    async id => {
      const knex = await databases.init(id);
      const pipeline = await createPipeline(knex, catalog);
      const dir = await writeFocusDir({ 'march.csv': focusCsv(rows) });
      const run = await pipeline.ingest.run(
        new FocusFileSource({ id: 'test', paths: [dir], currency: 'USD' }),
        'manual',
      );
      expect(run).toMatchObject({
        status: 'succeeded',
        rowsRead: rows.length,
        rowsRejected: 0,
      });

      const { mismatches, factsTotal, direct, unallocated, rollup } =
        await checkRollupInvariants(knex);
      expect(mismatches).toEqual([]);
      // Stored total = sum of the facts, each rounded once to nanos (checked by hand in Python's
      // Decimal); the source's own exact sum is 52.284567900923, within 1e-6 of it.
      expect(factsTotal).toBe(52_284_567_901n);
      const sourceSumPico = 52_284_567_900_923n;
      const differencePico = factsTotal * 1000n - sourceSumPico;
      expect(
        differencePico < 0n ? -differencePico : differencePico,
      ).toBeLessThanOrEqual(1_000_000n);

      const d = (ref: string) => direct.get(ref) ?? 0n;
      // api: 10.000000000401 + 0.000000000401 summed before rounding (10.000000001), plus
      // `Service` (any key case) 5.123456789, plus a tagged line in the ci account (a tag rule
      // beats the account rule) 1.5.
      expect(d('component:default/api')).toBe(16_623_456_790n);
      // The shared resource matched web's annotation and api's convention: the annotation wins.
      expect(d('component:default/web')).toBe(7_500_000_000n);
      // AND rule: env=dev must not match; the OR alternative project=ml-research does.
      expect(d('component:default/ml')).toBe(4_361_111_111n);
      expect(d('component:default/ci')).toBe(4_400_000_000n);
      expect(d('system:default/store')).toBe(6_000_000_000n);
      expect(d('group:default/team-b')).toBe(2_200_000_000n);
      expect(d('component:default/broken')).toBe(0n);
      // Untagged (10), gpu-dev (2), credit (-3), tax (1.7) and the unknown service (0.5).
      expect(unallocated).toBe(11_200_000_000n);

      // Rollups: store = api + web + its own GCP project; team-a owns web and store, squad-a1 owns api.
      expect(rollup.get('system:default/store')).toBe(30_123_456_790n);
      expect(rollup.get('domain:default/shop')).toBe(30_123_456_790n);
      expect(rollup.get('group:default/squad-a1')).toBe(16_623_456_790n);
      expect(rollup.get('group:default/team-a')).toBe(30_123_456_790n);
      expect(rollup.get('group:default/org')).toBe(
        30_123_456_790n + 10_961_111_111n,
      );
      expect(pipeline.logger.warn).toHaveBeenCalledWith(
        expect.stringContaining(
          "component:default/broken: annotation costscope.io/cost-tags is invalid: 'not-a-rule'",
        ),
      );

      const summary = await pipeline.queries.summary(
        'component:default/web',
        { from: '2026-03-01', to: '2026-03-31' },
        BILLED_USD,
      );
      expect(summary.overlaps).toEqual([
        {
          winner: 'component:default/web',
          others: ['component:default/api'],
          tags: 'app=web-frontend, service=api',
          cost: '7.500000000',
        },
      ]);
      expect(summary.mappingRules).toEqual([
        {
          entityRef: 'component:default/web',
          origin: 'annotation',
          rule: 'app=web-frontend',
          cost: '7.500000000',
        },
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    're-allocates when the catalog changes on %p',
    async id => {
      const knex = await databases.init(id);
      const pipeline = await createPipeline(knex, catalog);
      const dir = await writeFocusDir({ 'march.csv': focusCsv(rows) });
      await pipeline.ingest.run(
        new FocusFileSource({ id: 'test', paths: [dir] }),
        'manual',
      );
      expect((await pipeline.allocation.run()).recomputed).toBe(false);

      pipeline.catalog.entities = [
        ...catalog,
        entity('Component', 'not-in-catalog', {
          owner: 'team-b',
          type: 'service',
        }),
      ];
      const outcome = await pipeline.allocation.run();
      expect(outcome.recomputed).toBe(true);
      const { mismatches, direct } = await checkRollupInvariants(knex);
      expect(mismatches).toEqual([]);
      expect(direct.get('component:default/not-in-catalog')).toBe(500_000_000n);
    },
  );
});
