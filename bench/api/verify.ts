/**
 * What `--verify` checks.
 *
 * verifyLoad: the bulk loader against the backend itself: loads the organisation into an
 * in-memory SQLite database directly, then rebuilds the allocation and its rollups with the
 * backend's AllocationStore from the same facts and keys, and compares the tables row by row.
 * Also runs the rollup invariants the allocation tests use. Meant for small organisations
 * (`--verify --components 100 --days 60`).
 *
 * checkAnswers: the running backend's summary and series of entities against the same
 * amounts computed from the organisation without SQL (bench/api/expected.ts), on each
 * database at the benchmark's scale.
 */
import knexFactory, { Knex } from 'knex';
import { checkRollupInvariants } from '../../plugins/costscope-backend/src/__testUtils__/rollupInvariants';
import { AllocationStore } from '../../plugins/costscope-backend/src/store/AllocationStore';
import { applyMigrations } from '../../plugins/costscope-backend/src/store/migrations';
import { Costs, DAY_TOTAL, expectedAnswers, ExpectedSummary } from './expected';
import { loadOrg } from './load';
import { BenchOrg } from './org';

const TABLES: Array<[string, string]> = [
  ['costscope_rollup_daily', 'rowid'],
  ['costscope_entities', 'entity_ref'],
  ['costscope_entity_ancestors', 'entity_ref, ancestor_ref'],
  ['costscope_alloc_rules', 'id'],
  ['costscope_alloc_keys', 'alloc_key'],
];

async function snapshot(knex: Knex): Promise<Map<string, string[]>> {
  const tables = new Map<string, string[]>();
  for (const [table, order] of TABLES) {
    const rows = await knex.raw(`SELECT * FROM ${table} ORDER BY ${order}`);
    tables.set(
      table,
      rows.map((row: object) => JSON.stringify(row)),
    );
  }
  return tables;
}

export async function verifyLoad(
  org: BenchOrg,
  log: (message: string) => void,
): Promise<boolean> {
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
  });
  try {
    await applyMigrations(knex);
    await loadOrg(knex, org, 'verify', () => {});
    const loaded = await snapshot(knex);
    const { mismatches } = await checkRollupInvariants(knex);

    await new AllocationStore(knex).writeAllocation(
      {
        entities: [...org.snapshots].sort((a, b) => a.ref.localeCompare(b.ref)),
        ancestors: org.ancestors,
        rules: org.rules,
        keys: org.allocations,
      },
      'verify',
    );
    const rebuilt = await snapshot(knex);

    let ok = mismatches.length === 0;
    for (const m of mismatches.slice(0, 10)) log(`invariant: ${m}`);
    for (const [table] of TABLES) {
      const a = loaded.get(table)!;
      const b = rebuilt.get(table)!;
      const sameOrder =
        a.length === b.length && a.every((row, i) => row === b[i]);
      const sameRows =
        sameOrder ||
        JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
      let verdict = 'DIFFERENT';
      if (sameOrder) verdict = 'identical, same order';
      else if (sameRows) verdict = 'same rows, other order';
      log(
        `${table}: ${a.length} rows loaded, ${b.length} by AllocationStore: ${verdict}`,
      );
      if (!sameRows) ok = false;
    }
    return ok;
  } finally {
    await knex.destroy();
  }
}

interface Breakdown {
  key: string;
  cost: string;
}

const costsOf = (items: Breakdown[]): Costs =>
  Object.fromEntries(items.map(item => [item.key, item.cost]));

/** The summary as the API answered it, in the shape of ExpectedSummary. */
function summaryAnswer(body: any): ExpectedSummary {
  return {
    total: body.total,
    previousTotal: body.previous.total,
    byService: costsOf(body.byService),
    byAccount: costsOf(body.byAccount),
    byRegion: costsOf(body.byRegion),
    byProvider: costsOf(body.byProvider),
    byEntity: costsOf(body.byEntity),
    mappingRules: Object.fromEntries(
      body.mappingRules.map((rule: any) => [
        `${rule.entityRef}|${rule.origin}|${rule.rule}`,
        rule.cost,
      ]),
    ),
    overlaps: Object.fromEntries(
      body.overlaps.map((overlap: any) => [
        `${overlap.winner}|${overlap.tags}|${overlap.others.join(',')}`,
        overlap.cost,
      ]),
    ),
  };
}

/** The series as the API answered it: days with cost only, as expectedAnswers has them. */
function seriesAnswer(body: any): Record<string, Costs> {
  return Object.fromEntries(
    body.points
      .filter((point: any) => Object.keys(point.values).length > 0)
      .map((point: any) => [
        point.date,
        { ...point.values, [DAY_TOTAL]: point.total },
      ]),
  );
}

/** Keys sorted at every level, so that equal answers compare equal as text. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

/**
 * Asks the running backend for the summary and the series by service of these entities and
 * compares every amount with expectedAnswers. Returns the number of answers that differ.
 */
export async function checkAnswers(
  baseUrl: string,
  org: BenchOrg,
  entityRefs: string[],
  range: { from: string; to: string },
  authorization: string,
  log: (message: string) => void,
): Promise<number> {
  const expected = expectedAnswers(org, entityRefs, range);
  let wrong = 0;
  for (const ref of entityRefs) {
    const [kind, rest] = ref.split(':');
    const [namespace, name] = rest.split('/');
    const base = `${baseUrl}/api/costscope/v1/entities/${kind}/${namespace}/${name}`;
    const get = async (path: string) => {
      const response = await fetch(`${base}${path}`, {
        headers: { Authorization: authorization },
      });
      if (response.status !== 200) {
        throw new Error(
          `${ref}${path}: ${response.status} ${await response.text()}`,
        );
      }
      return response.json();
    };
    const query = `from=${range.from}&to=${range.to}`;
    const answers = {
      summary: summaryAnswer(await get(`/summary?${query}`)),
      series: seriesAnswer(await get(`/series?${query}&groupBy=service`)),
    };
    const want = expected.get(ref)!;
    for (const part of ['summary', 'series'] as const) {
      if (canonical(answers[part]) !== canonical(want[part])) {
        wrong += 1;
        if (wrong <= 5) {
          log(
            `${ref} ${part} differs:\n  api      ${canonical(
              answers[part],
            ).slice(0, 600)}\n` +
              `  expected ${canonical(want[part]).slice(0, 600)}`,
          );
        }
      }
    }
  }
  return wrong;
}
