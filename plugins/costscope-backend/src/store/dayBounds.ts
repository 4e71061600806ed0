import { Knex } from 'knex';

/**
 * The first and last `usage_date` of the rows a query selects, both undefined when it
 * selects none. Two ordered reads of one row each instead of `MIN` and `MAX` together,
 * which SQLite answers by scanning every row (it takes a single MIN or MAX from the index
 * only when it is the query's one aggregate): over the organisation's rollup rows that is
 * a second on SQLite against under a millisecond.
 */
export async function dayBounds(
  rows: () => Knex.QueryBuilder,
): Promise<{ first?: string; last?: string }> {
  const [first, last] = await Promise.all(
    (['asc', 'desc'] as const).map(order =>
      rows()
        .orderBy('usage_date', order)
        .first<{ usage_date: string } | undefined>('usage_date'),
    ),
  );
  return {
    ...(first?.usage_date ? { first: first.usage_date } : {}),
    ...(last?.usage_date ? { last: last.usage_date } : {}),
  };
}
