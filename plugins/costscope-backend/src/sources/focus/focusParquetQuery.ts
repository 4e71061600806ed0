import { FOCUS_COLUMNS } from './parseFocusRow';

/**
 * The SQL that reads a FOCUS Parquet file's values for the row parser. Where it can, DuckDB
 * pre-aggregates: rows that differ only in their amounts become one record, the amounts
 * summed exactly, with the number of rows and the first row's number. Parsing a group is
 * parsing any of its rows with the summed amounts (every other value is the same, and the
 * parser reads amounts only as numbers), so groups go through the same `FocusRowParser`.
 */

/** A column of the file, as DESCRIBE gives it. */
export interface ParquetColumn {
  name: string;
  type: string;
}

/** Type names of DESCRIBE, as DuckDB spells them. */
const FLOATING = /^(DOUBLE|FLOAT|REAL)$/;
const TIMESTAMP = /^TIMESTAMP/;
const INTEGER =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/;
const DECIMAL = /^DECIMAL\((\d+),(\d+)\)$/;
const TIMESTAMP_TEXT = `'%Y-%m-%dT%H:%M:%S.%fZ'`;

/** The amounts the aggregator sums: every other value the parser reads groups the rows. */
const AMOUNTS: ReadonlySet<string> = new Set([
  'BilledCost',
  'EffectiveCost',
  'ListCost',
  'PricingCurrencyEffectiveCost',
]);

/**
 * Amounts summed in SQL lie within ±1e9 (the stored BIGINT of nano-units reaches 9.2e9); a
 * row with a larger one is read alone, so that it is rejected as out of range as it would be.
 */
const SUMMABLE_LIMIT = '999999999';

export function quoted(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A JSON value (in SQL) that the row parser reads as the column's FOCUS text. */
export function valueExpression(column: string, type: string): string {
  if (type === 'VARCHAR') return column;
  // Numbers as JSON numbers: JSON.parse gives the same double, and JS prints it shortest.
  if (FLOATING.test(type)) {
    return `CASE WHEN isfinite(${column}) THEN to_json(${column}) ELSE to_json(CAST(${column} AS VARCHAR)) END`;
  }
  // With the session in UTC, plain and zoned timestamps (INT96 too) print as UTC instants.
  if (TIMESTAMP.test(type)) return `strftime(${column}, ${TIMESTAMP_TEXT})`;
  // Maps and structs (Tags): their JSON object text, which the Tags parser reads.
  if (/^(MAP|STRUCT)\(/.test(type)) {
    return `CAST(to_json(${column}) AS VARCHAR)`;
  }
  // DECIMAL prints its exact digits; dates, integers and JSON print as they should.
  return `CAST(${column} AS VARCHAR)`;
}

/** Whether a value is a floating-point number (the reader prints those itself). */
export function isFloating(type: string): boolean {
  return FLOATING.test(type);
}

/**
 * How an amount column is summed exactly: `exact` for integers and decimals of at most 18
 * places (what the aggregator reads exactly), `double` for doubles (summed as the shortest
 * decimal that reads back as the same double, which is what JS prints and the per-row path
 * reads); undefined for any other type (text, 32-bit floats, finer decimals): then the file
 * is read row by row.
 */
function amountKind(type: string): 'exact' | 'double' | undefined {
  if (INTEGER.test(type)) return 'exact';
  const decimal = DECIMAL.exec(type);
  if (decimal) return Number(decimal[2]) <= 18 ? 'exact' : undefined;
  return type === 'DOUBLE' ? 'double' : undefined;
}

/**
 * Places after the point of the decimal DuckDB prints for a double (`t`, a column of text):
 * `0.25`, `100.0`, `1e-07`, `1.5e-07`. Within ±1e9 DuckDB writes no positive exponent.
 */
export function placesOf(t: string): string {
  return (
    `CASE WHEN contains(${t}, 'e') ` +
    `THEN length(regexp_extract(${t}, '[.]([0-9]*)e', 1)) - CAST(regexp_extract(${t}, 'e([-+]?[0-9]+)', 1) AS INTEGER) ` +
    `ELSE length(${t}) - strpos(${t}, '.') END`
  );
}

/**
 * The charge period's start as it groups rows: a timestamp's UTC day (the parser reads only
 * the day), as that day's midnight; a year the parser rejects is kept whole, so that the
 * rejection quotes it as it is.
 */
function chargeDayExpression(column: string, type: string): string {
  if (!TIMESTAMP.test(type)) return column;
  return `CASE WHEN year(${column}) BETWEEN 100 AND 9999 THEN date_trunc('day', ${column}) ELSE ${column} END`;
}

/**
 * A query whose single column is one JSON array text per row of `source`: the values of
 * FOCUS_COLUMNS in order. `columns[i]` is the file's column for FOCUS_COLUMNS[i], if any.
 */
export function perRowQuery(
  source: string,
  columns: ReadonlyArray<ParquetColumn | undefined>,
): string {
  const values = columns.map(column =>
    column ? valueExpression(quoted(column.name), column.type) : 'NULL',
  );
  return `SELECT CAST(json_array(${values.join(
    ', ',
  )}) AS VARCHAR) FROM ${source}`;
}

/**
 * A query whose single column is one JSON array text per group of rows: the values of
 * FOCUS_COLUMNS in order (amounts summed), then the group's row count and its first row's
 * number (from 1), in the order of those first rows. It groups the rows from `$from` to
 * before `$to` (numbered from 0). Undefined when an amount column has a type that cannot be
 * summed exactly in SQL.
 *
 * A row is summed with others only when each of its amounts is null or a number that sums
 * exactly; any other row (a double that is not finite, has more than 18 places or is out of
 * range) is a group of its own, with its values as the per-row query gives them, so that
 * the parser accepts or rejects it as it would. Rows also group by which amounts are null,
 * since the parser defaults a missing amount to another one.
 */
export function groupedQuery(
  source: string,
  columns: ReadonlyArray<ParquetColumn | undefined>,
): string | undefined {
  const kinds = new Map<number, 'exact' | 'double'>();
  for (let i = 0; i < columns.length; i += 1) {
    const column = columns[i];
    if (!column || !AMOUNTS.has(FOCUS_COLUMNS[i])) continue;
    const kind = amountKind(column.type);
    if (!kind) return undefined;
    kinds.set(i, kind);
  }
  // Level 1: the grouping values (as stored: texts are made of the groups' values, not the
  // rows'), the row number, the raw amounts (and doubles' texts).
  const read: string[] = ['file_row_number AS __row'];
  columns.forEach((column, i) => {
    if (!column) return;
    const name = quoted(column.name);
    const kind = kinds.get(i);
    if (kind) {
      read.push(`${name} AS a${i}`);
      if (kind === 'double') read.push(`CAST(${name} AS VARCHAR) AS t${i}`);
    } else {
      const value =
        FOCUS_COLUMNS[i] === 'ChargePeriodStart'
          ? chargeDayExpression(name, column.type)
          : name;
      read.push(`${value} AS d${i}`);
    }
  });
  const dimensions = columns.flatMap((column, i) =>
    column && !kinds.has(i) ? [`d${i}`] : [],
  );
  // Level 2: whether each amount sums exactly.
  const checks = [...kinds].map(([i, kind]) => {
    const inRange = `a${i} BETWEEN -${SUMMABLE_LIMIT} AND ${SUMMABLE_LIMIT}`;
    const exact =
      kind === 'exact'
        ? inRange
        : `isfinite(a${i}) AND ${inRange} AND ${placesOf(`t${i}`)} <= 18`;
    return `(a${i} IS NULL OR (${exact})) AS k${i}`;
  });
  // Level 3: the row's group of its own (its number) unless it sums, the amounts to sum,
  // and the per-row values of a row that does not.
  const allSum = [...kinds.keys()].map(i => `k${i}`).join(' AND ') || 'true';
  const prepared = [
    ...dimensions,
    '__row',
    `CASE WHEN ${allSum} THEN NULL ELSE __row END AS __single`,
    ...[...kinds].flatMap(([i, kind]) => [
      `a${i} IS NULL AS n${i}`,
      `CASE WHEN k${i} THEN CAST(${
        kind === 'double' ? `t${i}` : `a${i}`
      } AS DECIMAL(38,18)) END AS s${i}`,
      `CASE WHEN NOT (${allSum}) THEN ${valueExpression(
        `a${i}`,
        columns[i]!.type,
      )} END AS p${i}`,
    ]),
  ];
  // Level 4: the groups.
  const sums = [...kinds].map(([i, kind]) => {
    // Scale 18 always prints a point: trailing zeros go, as a JS number would print them.
    const sum = `rtrim(rtrim(CAST(sum(s${i}) AS VARCHAR), '0'), '.')`;
    return `CASE WHEN __single IS NULL THEN ${
      kind === 'double' ? `to_json(${sum})` : sum
    } ELSE any_value(p${i}) END AS v${i}`;
  });
  const keys = [
    ...dimensions,
    '__single',
    ...[...kinds.keys()].map(i => `n${i}`),
  ];
  const values = columns.map((column, i) => {
    if (!column) return 'NULL';
    return kinds.has(i) ? `v${i}` : valueExpression(`d${i}`, column.type);
  });
  return `
    SELECT CAST(json_array(${values.join(
      ', ',
    )}, __rows, __first + 1) AS VARCHAR)
    FROM (
      SELECT ${[...dimensions, ...sums].join(', ')},
        count(*) AS __rows, min(__row) AS __first
      FROM (
        SELECT ${prepared.join(', ')}
        FROM (
          SELECT *, ${checks.join(', ') || 'true AS __none'}
          FROM (
            SELECT ${read.join(', ')} FROM ${source}
            WHERE file_row_number >= $from AND file_row_number < $to
          )
        )
      )
      GROUP BY ${keys.join(', ')}
    )
    ORDER BY __first`;
}
