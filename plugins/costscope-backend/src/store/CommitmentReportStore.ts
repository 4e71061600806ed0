import { Knex } from 'knex';
import { MAX_BIGINT } from './factColumns';
import { CommitmentReportRow } from './types';

/** Rows per INSERT: 13 bound values each, well within every SQLite build's variable limit. */
const INSERT_CHUNK = 50;
const TABLE = 'costscope_commitment_reports';

const AMOUNTS = [
  ['coveredNanos', 'covered_nanos'],
  ['eligibleNanos', 'eligible_nanos'],
  ['usedNanos', 'used_nanos'],
  ['purchasedNanos', 'purchased_nanos'],
  ['unusedNanos', 'unused_nanos'],
  ['netSavingsNanos', 'net_savings_nanos'],
] as const;

const storable = (v: bigint | null) =>
  v === null || (v <= MAX_BIGINT && v >= -MAX_BIGINT);

/** Commitment reports as their sources (provider reports) gave them, per month. */
export class CommitmentReportStore {
  constructor(private readonly knex: Knex) {}

  /**
   * Replaces the source's rows of `months` with `rows`, in one transaction: readers see the
   * old months or the new ones. Months outside `months` stay.
   */
  async replace(
    sourceId: string,
    months: string[],
    rows: CommitmentReportRow[],
    now: Date = new Date(),
  ): Promise<void> {
    for (const row of rows) {
      if (row.sourceId !== sourceId || !months.includes(row.month)) {
        throw new Error(
          `commitment report row ${row.sourceId} ${row.month} is not of source ${sourceId}'s months`,
        );
      }
      const bad = AMOUNTS.find(([key]) => !storable(row[key]));
      if (bad) {
        throw new Error(
          `${row.commitmentType} ${row.month}: ${bad[0]} is not a storable amount`,
        );
      }
    }
    const at = now.toISOString();
    await this.knex.transaction(async tx => {
      await tx(TABLE)
        .where('source_id', sourceId)
        .whereIn('month', months)
        .delete();
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        await tx(TABLE).insert(
          rows.slice(i, i + INSERT_CHUNK).map(row => ({
            source_id: row.sourceId,
            provider: row.provider,
            commitment_type: row.commitmentType,
            month: row.month,
            currency: row.currency,
            // Strings, not BigInts: both drivers store them exactly in BIGINT columns.
            ...Object.fromEntries(
              AMOUNTS.map(([key, column]) => [
                column,
                row[key] === null ? null : row[key]!.toString(),
              ]),
            ),
            refreshed_at: at,
          })),
        );
      }
    });
  }

  /** Every source's rows of the months from `fromMonth` to `toMonth` (YYYY-MM, inclusive). */
  async list(
    fromMonth: string,
    toMonth: string,
  ): Promise<CommitmentReportRow[]> {
    const rows = await this.knex(TABLE)
      .whereBetween('month', [fromMonth, toMonth])
      .select(
        'source_id',
        'provider',
        'commitment_type',
        'month',
        'currency',
        ...AMOUNTS.map(([, column]) =>
          this.knex.raw(`CAST(${column} AS TEXT) AS ${column}`),
        ),
      )
      .orderBy(['source_id', 'commitment_type', 'month']);
    return rows.map(row => ({
      sourceId: row.source_id,
      provider: row.provider,
      commitmentType: row.commitment_type,
      month: row.month,
      currency: row.currency,
      ...(Object.fromEntries(
        AMOUNTS.map(([key, column]) => [
          key,
          row[column] === null ? null : BigInt(row[column]),
        ]),
      ) as Pick<CommitmentReportRow, (typeof AMOUNTS)[number][0]>),
    }));
  }
}
