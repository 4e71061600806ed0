import { Knex } from 'knex';
import { FocusFileSource } from '../sources/focus/FocusFileSource';
import { createTestDatabases } from '../__testUtils__/databases';
import { entity } from '../__testUtils__/entities';
import { FocusRow, focusCsv, writeFocusDir } from '../__testUtils__/focus';
import { createPipeline } from '../__testUtils__/pipeline';
import { checkRollupInvariants } from '../__testUtils__/rollupInvariants';
import { AllocationStore } from '../store/AllocationStore';
import { AMOUNT_COLUMNS } from '../store/factColumns';
import { ALLOCATION_FINGERPRINT_KEY } from '../store/EntitySnapshotStore';
import { AllocationOutcome } from './AllocationEngine';

jest.setTimeout(60_000);

const catalog = [
  entity('Group', 'org', { type: 'department', children: [] }),
  entity('Group', 'team-a', { type: 'team', parent: 'org', children: [] }),
  entity('Group', 'team-b', { type: 'team', parent: 'org', children: [] }),
  entity('System', 'store', { owner: 'team-a' }),
  entity('Component', 'api', { owner: 'team-a', system: 'store' }),
  entity('Component', 'web', { owner: 'team-a', system: 'store' }),
  entity('Component', 'ml', { owner: 'team-b' }),
];

/** March, and April with a late credit of March 31 billed in April. */
const march: FocusRow[] = [
  { day: '2026-03-01', cost: '10.000000001', tags: { service: 'api' } },
  { day: '2026-03-02', cost: '4.5', tags: { service: 'web' } },
  // Unallocated until a component named batch joins the catalog.
  { day: '2026-03-05', cost: '0.75', tags: { service: 'batch' } },
  { day: '2026-03-30', cost: '3', tags: { service: 'ml' } },
  { day: '2026-03-31', cost: '2.25', tags: { service: 'api' } },
  { day: '2026-03-31', cost: '1.7', category: 'Tax' },
];
const april: FocusRow[] = [
  {
    day: '2026-03-31',
    billingPeriod: '2026-04-01',
    cost: '-1.5',
    category: 'Credit',
    tags: { service: 'api' },
  },
  { day: '2026-04-01', cost: '6.000000007', tags: { service: 'api' } },
  {
    day: '2026-04-02',
    cost: '8',
    tags: { service: 'web' },
    region: 'eu-west-1',
  },
  { day: '2026-04-15', cost: '0.333333333', tags: { service: 'ml' } },
  { day: '2026-04-30', cost: '5' },
];
/** April again, other amounts and days, the late credit gone: the same tag sets only. */
const aprilAgain: FocusRow[] = [
  { day: '2026-04-01', cost: '7.000000009', tags: { service: 'api' } },
  {
    day: '2026-04-03',
    cost: '8',
    tags: { service: 'web' },
    region: 'eu-west-1',
  },
  { day: '2026-04-15', cost: '1.25', tags: { service: 'ml' } },
  { day: '2026-04-29', cost: '5.5' },
];

/** Every rollup row, every column, sorted. */
async function rollupTable(
  knex: Knex,
): Promise<Array<Record<string, unknown>>> {
  const columns = [
    'entity_ref',
    'rule_id',
    'usage_date',
    'provider',
    'sub_account_id',
    'region',
    'service_name',
    'charge_category',
    'currency',
    'k8s_cluster',
    'k8s_namespace',
    'k8s_workload',
  ];
  const rows = await knex('costscope_rollup_daily')
    .select(columns)
    .select(AMOUNT_COLUMNS.map(c => knex.raw(`CAST(${c} AS TEXT) as ${c}`)));
  // Sorted here: the databases order NULLs and text differently.
  const key = (row: Record<string, unknown>) => JSON.stringify(row);
  return rows.sort((a, b) => (key(a) < key(b) ? -1 : 1));
}

describe('rollups rebuilt by day after an ingest', () => {
  const databases = createTestDatabases();

  async function setUp(id: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(id);
    const pipeline = await createPipeline(knex, catalog);
    const run = jest.spyOn(pipeline.allocation, 'run');
    /** Ingests the files as source `bill` and answers the allocation that followed. */
    const ingest = async (files: Record<string, FocusRow[]>) => {
      run.mockClear();
      const dir = await writeFocusDir(
        Object.fromEntries(
          Object.entries(files).map(([name, rows]) => [name, focusCsv(rows)]),
        ),
      );
      const ingested = await pipeline.ingest.run(
        new FocusFileSource({ id: 'bill', paths: [dir] }),
        'manual',
      );
      expect(ingested.status).toBe('succeeded');
      expect(run).toHaveBeenCalledTimes(1);
      return (await run.mock.results[0].value) as AllocationOutcome;
    };
    /** The rollup table as a full rebuild of the same data writes it. */
    const fullRebuild = async () => {
      await knex('costscope_state')
        .where({ key: ALLOCATION_FINGERPRINT_KEY })
        .delete();
      const outcome = await pipeline.allocation.run();
      expect(outcome.rollups).toEqual({ rebuilt: 'full' });
      return await rollupTable(knex);
    };
    const first = await ingest({ 'march.csv': march, 'april.csv': april });
    expect(first.rollups).toEqual({ rebuilt: 'full' });
    return { knex, pipeline, ingest, fullRebuild };
  }

  it.each(databases.eachSupportedId())(
    'rebuilds only the replaced period, days outside its month included, exactly as in full on %p',
    async id => {
      const { knex, ingest, fullRebuild } = await setUp(id);
      const version = async () =>
        (await knex('costscope_state').where({ key: 'rollup_version' }).first())
          .value;
      const before = await rollupTable(knex);
      const versionBefore = await version();

      const outcome = await ingest({ 'april.csv': aprilAgain });
      // The days of April's old facts (from the late credit of March 31) and of its new ones.
      expect(outcome.rollups).toEqual({
        rebuilt: 'days',
        days: { first: '2026-03-31', last: '2026-04-30' },
      });
      expect(await version()).not.toBe(versionBefore);
      const incremental = await rollupTable(knex);
      expect(incremental).not.toEqual(before);
      expect((await checkRollupInvariants(knex)).mismatches).toEqual([]);

      expect(incremental).toEqual(await fullRebuild());
      // March's own days kept their rows; March 31 lost the credit.
      const onDay = (rows: Array<Record<string, unknown>>, day: string) =>
        rows.filter(row => row.usage_date === day);
      expect(onDay(incremental, '2026-03-01')).toEqual(
        onDay(before, '2026-03-01'),
      );
      expect(onDay(incremental, '2026-03-31')).not.toEqual(
        onDay(before, '2026-03-31'),
      );
      expect(onDay(incremental, '2026-04-02')).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'rebuilds everything when the replaced period brings a new tag set on %p',
    async id => {
      const { knex, ingest, fullRebuild } = await setUp(id);
      const outcome = await ingest({
        'april.csv': [
          ...aprilAgain,
          { day: '2026-04-20', cost: '2', tags: { service: 'web', env: 'x' } },
        ],
      });
      expect(outcome.rollups).toEqual({ rebuilt: 'full' });
      const rows = await rollupTable(knex);
      expect(rows).toEqual(await fullRebuild());
    },
  );

  it.each(databases.eachSupportedId())(
    'rebuilds everything when the catalog changed with the facts on %p',
    async id => {
      const { knex, pipeline, ingest, fullRebuild } = await setUp(id);
      // ml moves to team-a: March's rollups of both teams change too.
      pipeline.catalog.entities = catalog.map(e =>
        e.metadata.name === 'ml'
          ? entity('Component', 'ml', { owner: 'team-a' })
          : e,
      );
      const outcome = await ingest({ 'april.csv': aprilAgain });
      expect(outcome.rollups).toEqual({ rebuilt: 'full' });
      const rows = await rollupTable(knex);
      expect(
        rows.filter(
          row =>
            row.entity_ref === 'group:default/team-b' &&
            row.usage_date === '2026-03-30',
        ),
      ).toEqual([]);
      expect(rows).toEqual(await fullRebuild());
    },
  );

  it.each(databases.eachSupportedId())(
    'rebuilds everything when no changed days are recorded on %p',
    async id => {
      const { knex, pipeline, fullRebuild } = await setUp(id);
      // Facts changed behind the record's back (as by an older instance): nothing to trust.
      await knex('costscope_cost_facts')
        .where({ usage_date: '2026-03-01' })
        .update({ billed_nanos: 1 });
      const outcome = await pipeline.allocation.run({ force: true });
      expect(outcome.rollups).toEqual({ rebuilt: 'full' });
      const rows = await rollupTable(knex);
      expect(rows).toEqual(await fullRebuild());
    },
  );
});

describe('rollups rebuilt by rule after a catalog change', () => {
  const databases = createTestDatabases();
  const ml = entity('Component', 'ml', { owner: 'team-b' });
  const batch = entity('Component', 'batch', { owner: 'team-b' });

  /** Allocates the new catalog on the schedule; the rollup table after, and a full rebuild's. */
  async function change(
    id: Parameters<typeof databases.init>[0],
    entities: typeof catalog,
  ) {
    const knex = await databases.init(id);
    const pipeline = await createPipeline(knex, catalog);
    const dir = await writeFocusDir({
      'march.csv': focusCsv(march),
      'april.csv': focusCsv(april),
    });
    await pipeline.ingest.run(
      new FocusFileSource({ id: 'bill', paths: [dir] }),
      'manual',
    );
    const before = await rollupTable(knex);
    pipeline.catalog.entities = entities;
    const outcome = await pipeline.allocation.run();
    expect(outcome.recomputed).toBe(true);
    const after = await rollupTable(knex);
    expect((await checkRollupInvariants(knex)).mismatches).toEqual([]);
    await knex('costscope_state')
      .where({ key: ALLOCATION_FINGERPRINT_KEY })
      .delete();
    expect((await pipeline.allocation.run()).rollups).toEqual({
      rebuilt: 'full',
    });
    return { outcome, before, after, full: await rollupTable(knex) };
  }

  const rowsOf = (rows: Array<Record<string, unknown>>, ref: string) =>
    rows.filter(row => row.entity_ref === ref);

  it.each(databases.eachSupportedId())(
    'moves a component to another owner as a full rebuild does on %p',
    async id => {
      const { outcome, before, after, full } = await change(
        id,
        catalog.map(e =>
          e.metadata.name === 'ml'
            ? entity('Component', 'ml', { owner: 'team-a' })
            : e,
        ),
      );
      expect(outcome.rollups).toEqual({ rebuilt: 'rules', rules: 1 });
      expect(rowsOf(after, 'group:default/team-b')).toEqual([]);
      expect(rowsOf(before, 'group:default/team-b')).not.toEqual([]);
      expect(after).toEqual(full);
    },
  );

  it.each(databases.eachSupportedId())(
    'moves a team under another group as a full rebuild does on %p',
    async id => {
      const { outcome, after, full } = await change(
        id,
        catalog.map(e =>
          e.metadata.name === 'team-b'
            ? entity('Group', 'team-b', {
                type: 'team',
                parent: 'team-a',
                children: [],
              })
            : e,
        ),
      );
      // team-b's own rule (team=team-b) and ml's: their chains now pass through team-a.
      expect(outcome.rollups).toEqual({ rebuilt: 'rules', rules: 2 });
      expect(after).toEqual(full);
    },
  );

  it.each(databases.eachSupportedId())(
    'adds a component at the end of the catalog, taking unallocated cost, as a full rebuild does on %p',
    async id => {
      const { outcome, before, after, full } = await change(id, [
        ...catalog,
        batch,
      ]);
      expect(outcome.rollups).toEqual({ rebuilt: 'rules', rules: 1 });
      expect(rowsOf(before, 'component:default/batch')).toEqual([]);
      expect(rowsOf(after, 'component:default/batch')).not.toEqual([]);
      expect(after).toEqual(full);
    },
  );

  it.each(databases.eachSupportedId())(
    'removes the last component of the catalog as a full rebuild does on %p',
    async id => {
      const { outcome, after, full } = await change(
        id,
        catalog.filter(e => e.metadata.name !== 'ml'),
      );
      expect(outcome.rollups).toEqual({ rebuilt: 'rules', rules: 1 });
      expect(rowsOf(after, 'component:default/ml')).toEqual([]);
      expect(after).toEqual(full);
    },
  );

  it.each(databases.eachSupportedId())(
    'adds a component first in the catalog, renumbering no rule, as a full rebuild does on %p',
    async id => {
      const { outcome, before, after, full } = await change(id, [
        batch,
        ...catalog.filter(e => e !== ml),
        ml,
      ]);
      // Only batch's new rule: every other rule kept its id, so its rows stand.
      expect(outcome.rollups).toEqual({ rebuilt: 'rules', rules: 1 });
      const ids = (rows: Array<Record<string, unknown>>, ref: string) => [
        ...new Set(rowsOf(rows, ref).map(row => row.rule_id)),
      ];
      for (const ref of ['component:default/api', 'component:default/ml']) {
        expect(ids(after, ref)).toEqual(ids(before, ref));
      }
      expect(rowsOf(after, 'component:default/batch')).not.toEqual([]);
      expect(after).toEqual(full);
    },
  );

  it.each(databases.eachSupportedId())(
    'rebuilds everything when a stored rule id means another rule on %p',
    async id => {
      const knex = await databases.init(id);
      const pipeline = await createPipeline(knex, catalog);
      const dir = await writeFocusDir({ 'march.csv': focusCsv(march) });
      await pipeline.ingest.run(
        new FocusFileSource({ id: 'bill', paths: [dir] }),
        'manual',
      );
      // Rules read before another instance wrote its allocation: api's and web's ids swapped.
      const read = AllocationStore.prototype.listRules;
      jest
        .spyOn(AllocationStore.prototype, 'listRules')
        .mockImplementationOnce(async function staleRead(
          this: AllocationStore,
        ) {
          const rules = await read.call(this);
          const api = rules.find(r => r.entityRef === 'component:default/api')!;
          const web = rules.find(r => r.entityRef === 'component:default/web')!;
          [api.id, web.id] = [web.id, api.id];
          return rules;
        });
      pipeline.catalog.entities = [...catalog, batch];
      const outcome = await pipeline.allocation.run();
      expect(outcome.rollups).toEqual({ rebuilt: 'full' });
      expect((await checkRollupInvariants(knex)).mismatches).toEqual([]);
      jest.restoreAllMocks();
    },
  );
});
