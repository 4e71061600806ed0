import { randomUUID } from 'node:crypto';
import { CostBasis, DateRange } from '@costscope/backstage-plugin-common';
import { Knex } from 'knex';
import { GzippedJson } from '../lib/gzippedJson';
import { ROLLUP_VERSION_KEY } from './RollupReadCache';
import { takeWriteLock } from './writeLock';

const TABLE = 'costscope_kept_reports';

/** The `costscope_state` key whose value changes with every inventory snapshot. */
export const INVENTORY_VERSION_KEY = 'inventory_version';

/** The organisation reports kept: each names what it reads besides the rollups' facts. */
export const KEPT_REPORTS = {
  /** The organisation's tag compliance: facts, allocation and the inventory's tags. */
  compliance: { readsInventory: true },
  /** The chargeback by team: facts and allocation. */
  'chargeback-group': { readsInventory: false },
} as const;

export type KeptReportName = keyof typeof KEPT_REPORTS;

/** What a kept report answers: the range, basis and configuration it was computed for. */
export interface KeptReportKey {
  report: KeptReportName;
  range: DateRange;
  costBasis: CostBasis;
  /** The configuration's hash (tag policy, chargeback rules): a changed config misses. */
  inputsKey: string;
}

/** The versions of the data a report was computed from. */
export interface DataVersions {
  rollup?: string;
  inventory?: string;
}

/**
 * Organisation reports computed after a rebuild (the `costscope_kept_reports` table), one row
 * per report. They are never older than their data: the rollup rebuild deletes them all in
 * its own transaction ({@link deleteKeptReports}), a new inventory snapshot deletes those that
 * read it ({@link markInventoryChanged}), and a report is stored only if neither happened
 * while it was computed (checked under the write lock both take).
 */
export class KeptReportStore {
  constructor(private readonly knex: Knex) {}

  /** The kept report for exactly this range, basis and configuration. */
  async read(key: KeptReportKey): Promise<GzippedJson | undefined> {
    const row = await this.knex(TABLE)
      .where({
        report: key.report,
        cost_basis: key.costBasis,
        range_from: key.range.from,
        range_to: key.range.to,
        inputs_key: key.inputsKey,
      })
      .first('body_gzip');
    return row ? new GzippedJson(row.body_gzip) : undefined;
  }

  /** What the report kept now answers and was read from, when one is kept. */
  async kept(
    report: KeptReportName,
  ): Promise<(KeptReportKey & { versions: DataVersions }) | undefined> {
    const row = await this.knex(TABLE)
      .where({ report })
      .first(
        'cost_basis',
        'range_from',
        'range_to',
        'inputs_key',
        'rollup_version',
        'inventory_version',
      );
    return row
      ? {
          report,
          range: { from: row.range_from, to: row.range_to },
          costBasis: row.cost_basis,
          inputsKey: row.inputs_key,
          versions: {
            rollup: row.rollup_version,
            inventory: row.inventory_version ?? undefined,
          },
        }
      : undefined;
  }

  /** The versions of the rollups and of the inventory now. */
  async versions(): Promise<DataVersions> {
    return readVersions(this.knex);
  }

  /**
   * Keeps the report, computed from data at `versions`, in place of the one kept; does
   * nothing and answers false when that data changed since, so that a report of replaced
   * data is never kept.
   */
  async replace(
    key: KeptReportKey,
    versions: DataVersions,
    body: GzippedJson,
  ): Promise<boolean> {
    const { readsInventory } = KEPT_REPORTS[key.report];
    return this.knex.transaction(async tx => {
      // The rebuild and the inventory take the same lock: neither commits in between.
      await takeWriteLock(tx);
      const now = await readVersions(tx);
      if (
        !versions.rollup ||
        now.rollup !== versions.rollup ||
        (readsInventory && now.inventory !== versions.inventory)
      ) {
        return false;
      }
      await tx(TABLE).where({ report: key.report }).delete();
      await tx(TABLE).insert({
        report: key.report,
        cost_basis: key.costBasis,
        range_from: key.range.from,
        range_to: key.range.to,
        inputs_key: key.inputsKey,
        rollup_version: versions.rollup,
        inventory_version: readsInventory ? versions.inventory ?? null : null,
        body_gzip: body.gzip,
      });
      return true;
    });
  }
}

async function readVersions(
  db: Knex | Knex.Transaction,
): Promise<DataVersions> {
  const rows: Array<{ key: string; value: string }> = await db(
    'costscope_state',
  )
    .whereIn('key', [ROLLUP_VERSION_KEY, INVENTORY_VERSION_KEY])
    .select('key', 'value');
  const value = (key: string) => rows.find(row => row.key === key)?.value;
  return {
    rollup: value(ROLLUP_VERSION_KEY),
    inventory: value(INVENTORY_VERSION_KEY),
  };
}

/** What the rollup rebuild calls in its transaction: reports of the old allocation go. */
export async function deleteKeptReports(tx: Knex.Transaction): Promise<void> {
  await tx(TABLE).delete();
}

/**
 * What a new inventory snapshot calls in its transaction (after taking the write lock): a
 * new inventory version, and the reports that read the inventory go.
 */
export async function markInventoryChanged(
  tx: Knex.Transaction,
): Promise<void> {
  await tx('costscope_state')
    .insert({ key: INVENTORY_VERSION_KEY, value: randomUUID() })
    .onConflict('key')
    .merge();
  const reading = Object.entries(KEPT_REPORTS)
    .filter(([, report]) => report.readsInventory)
    .map(([name]) => name);
  await tx(TABLE).whereIn('report', reading).delete();
}
