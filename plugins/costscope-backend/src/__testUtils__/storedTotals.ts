import { Knex } from 'knex';

/** A source's stored billed cost per billing period, in nano-units as text. */
export async function storedTotalsByPeriod(
  knex: Knex,
  sourceId: string,
): Promise<Record<string, string>> {
  const rows = await knex('costscope_cost_facts')
    .where({ source_id: sourceId })
    .select('billing_period')
    .select(knex.raw('CAST(SUM(billed_nanos) AS TEXT) AS total'))
    .groupBy('billing_period')
    .orderBy('billing_period');
  return Object.fromEntries(
    rows.map((row: any) => [row.billing_period, row.total]),
  );
}
