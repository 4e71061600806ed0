import { Knex } from 'knex';

/** The `costscope_state` keys of the first and last day whose facts changed since the rollups. */
const FIRST_KEY = 'facts_changed_first_day';
const LAST_KEY = 'facts_changed_last_day';

/** Days, both ends included, as `YYYY-MM-DD`. */
export interface DayRange {
  first: string;
  last: string;
}

/** The first and last usage day of the facts `where` selects; undefined when it selects none. */
export async function factDays(
  tx: Knex.Transaction,
  where: (query: Knex.QueryBuilder) => Knex.QueryBuilder,
): Promise<DayRange | undefined> {
  const row = await where(tx('costscope_cost_facts'))
    .min('usage_date as first')
    .max('usage_date as last')
    .first();
  return row?.first ? { first: row.first, last: row.last } : undefined;
}

/**
 * Widens the recorded days whose facts changed to these, in the transaction that changes them.
 * The facts a replaced billing period held may lie outside its month (a late credit), and so
 * may the new ones: the days the rollups must rebuild are read from the facts, not guessed from
 * the period. Each bound is one upsert, so concurrent ingests widen it without losing a day.
 */
export async function markDaysChanged(
  tx: Knex.Transaction,
  ...ranges: Array<DayRange | undefined>
): Promise<void> {
  const known = ranges.filter((r): r is DayRange => r !== undefined);
  if (known.length === 0) return;
  const first = known.map(r => r.first).sort()[0];
  const last = known
    .map(r => r.last)
    .sort()
    .reverse()[0];
  for (const [key, value, keep] of [
    [FIRST_KEY, first, '<'],
    [LAST_KEY, last, '>'],
  ]) {
    await tx('costscope_state')
      .insert({ key, value })
      .onConflict('key')
      .merge({
        value: tx.raw(
          `CASE WHEN excluded.value ${keep} costscope_state.value
                THEN excluded.value ELSE costscope_state.value END`,
        ),
      });
  }
}

/** The recorded days whose facts changed; undefined when none are recorded or only one bound is. */
export async function readChangedDays(
  tx: Knex.Transaction,
): Promise<DayRange | undefined> {
  const rows: Array<{ key: string; value: string }> = await tx(
    'costscope_state',
  )
    .whereIn('key', [FIRST_KEY, LAST_KEY])
    .select('key', 'value');
  const first = rows.find(r => r.key === FIRST_KEY)?.value;
  const last = rows.find(r => r.key === LAST_KEY)?.value;
  return first && last ? { first, last } : undefined;
}

/**
 * Forgets the changed days once the rollups are rebuilt. A bound an ingest widened meanwhile
 * stays: alone it reads as unknown, and unknown changes rebuild everything.
 */
export async function clearChangedDays(
  tx: Knex.Transaction,
  read: DayRange | undefined,
): Promise<void> {
  if (!read) {
    await tx('costscope_state').whereIn('key', [FIRST_KEY, LAST_KEY]).delete();
    return;
  }
  await tx('costscope_state')
    .where({ key: FIRST_KEY, value: read.first })
    .delete();
  await tx('costscope_state')
    .where({ key: LAST_KEY, value: read.last })
    .delete();
}
