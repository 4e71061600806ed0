/**
 * How many input rows a cost line or a rejection stands for, when a source read its rows
 * pre-aggregated (FOCUS Parquet: DuckDB sums rows that differ only in their amounts). Kept
 * beside the public `CostLine` and `CostLineRejection` rather than in them: only this
 * backend's own sources pre-aggregate, and the engine and aggregator read it.
 */
const ROWS = Symbol('costscope.rows');

type Counted = { [ROWS]?: number };

/** Marks `item` as standing for `rows` input rows (not enumerable: copies and JSON skip it). */
export function setRowCount<T extends object>(item: T, rows: number): T {
  if (rows !== 1) Object.defineProperty(item, ROWS, { value: rows });
  return item;
}

/** The input rows `item` stands for: 1 unless marked. */
export function rowCountOf(item: object): number {
  return (item as Counted)[ROWS] ?? 1;
}
