import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { MONEY_SCALE, parseDecimal } from '@costscope/backstage-plugin-common';
import { isCalendarDay } from '../lib/dates';
import { parseEntityRefParams } from '../service/parseRequest';
import { MAX_BIGINT } from '../store/factColumns';
import { UnitMetricRow } from '../store/types';

/**
 * A metric value as text: digits, at most 9 fractional digits. No sign, exponent, bare point
 * or spaces, so that what a script sends is what is stored, to the digit.
 */
const VALUE_TEXT = /^\d+(?:\.\d{1,9})?$/;

/** The largest value a BIGINT column holds in nano-units, as the error message writes it. */
const MAX_VALUE_TEXT = '9223372036.854775807';

/** What a metric value check needs: the configured names and the last day allowed (today). */
export interface UnitMetricRules {
  metrics: ReadonlySet<string>;
  /** UTC day, `YYYY-MM-DD`: later days are refused. */
  today: string;
}

/**
 * A metric value in nano-units: a decimal string ({@link VALUE_TEXT}) or a JSON number that
 * is a non-negative safe integer (counts; a fractional JSON number has been through a float
 * already, so it must come as a string). `where` names the value in the error.
 */
export function parseMetricValue(value: unknown, where: string): bigint {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new InputError(
        `${where} ${value} must be a non-negative whole number; send fractional values as decimal strings, e.g. "12.5"`,
      );
    }
    text = String(value);
  } else if (typeof value === 'string') {
    text = value;
  } else {
    throw new InputError(
      `${where} must be a decimal string or a whole number, not ${describe(
        value,
      )}`,
    );
  }
  if (!VALUE_TEXT.test(text)) {
    throw new InputError(
      `${where} '${text.slice(
        0,
        40,
      )}' must be a non-negative decimal with at most ${MONEY_SCALE} fractional digits, without sign, exponent or spaces`,
    );
  }
  const nanos = parseDecimal(text, MONEY_SCALE)!;
  if (nanos > MAX_BIGINT) {
    throw new InputError(`${where} '${text}' is above ${MAX_VALUE_TEXT}`);
  }
  return nanos;
}

/** A day of a metric value: a calendar day, not after `today`. */
export function parseMetricDay(
  value: unknown,
  where: string,
  today: string,
): string {
  if (typeof value !== 'string' || !isCalendarDay(value)) {
    throw new InputError(
      `${where} must be a calendar day written YYYY-MM-DD, not ${describe(
        value,
      )}`,
    );
  }
  if (value > today) {
    throw new InputError(
      `${where} ${value} is in the future (today is ${today} UTC)`,
    );
  }
  return value;
}

/** A full entity ref (namespace `default` when left out), lower-case as Costscope keeps it. */
export function parseMetricEntityRef(value: unknown, where: string): string {
  if (typeof value !== 'string') {
    throw new InputError(
      `${where} must be an entity ref, not ${describe(value)}`,
    );
  }
  try {
    // Each part as strict as in a path: `<kind>:<namespace>/<name>` of entity names.
    return parseEntityRefParams(parseEntityRef(value));
  } catch (error) {
    throw new InputError(
      `${where} '${value.slice(0, 100)}' is not an entity ref: ${
        (error as Error).message
      }`,
    );
  }
}

/** A configured metric name. */
export function parseMetricName(
  value: unknown,
  where: string,
  metrics: ReadonlySet<string>,
): string {
  if (typeof value !== 'string' || !metrics.has(value)) {
    const shown =
      typeof value === 'string' ? `'${value.slice(0, 63)}'` : describe(value);
    throw new InputError(
      `${where} ${shown} is not a configured metric (costscope.unitCost.metrics: ${
        [...metrics].join(', ') || 'none'
      })`,
    );
  }
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `'${value.slice(0, 40)}'`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${value}`;
}

function objectWith(
  value: unknown,
  where: string,
  keys: string[],
): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(`${where} must be an object, not ${describe(value)}`);
  }
  const extra = Object.keys(value).filter(key => !keys.includes(key));
  if (extra.length > 0) {
    throw new InputError(
      `${where} has unknown field ${extra[0].slice(0, 40)}; fields: ${keys.join(
        ', ',
      )}`,
    );
  }
  for (const key of keys) {
    if (!(key in value)) throw new InputError(`${where}.${key} is required`);
  }
  return value as Record<string, unknown>;
}

function nonEmptyArray(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) {
    throw new InputError(`${where} must be an array, not ${describe(value)}`);
  }
  if (value.length === 0) throw new InputError(`${where} is empty`);
  return value;
}

/**
 * Reads the body of `POST /v1/metrics` into rows, checking everything that needs no database:
 * shapes, entity refs, configured metric names, values, days (none in the future), no day
 * twice for one entity and metric, at most `maxValues` values in all. Throws InputError
 * naming the first problem by its place in the body (`metrics[0].values[3].value`).
 */
export function parseUnitMetricsInput(
  body: unknown,
  rules: UnitMetricRules & { maxValues: number },
): UnitMetricRow[] {
  const input = objectWith(body, 'the body', ['metrics']);
  const series = nonEmptyArray(input.metrics, 'metrics');
  const count = series.reduce<number>(
    (sum, item) =>
      sum +
      (item && typeof item === 'object' && Array.isArray((item as any).values)
        ? (item as any).values.length
        : 0),
    0,
  );
  // Counted first: an oversized body is refused without reading every value.
  if (count > rules.maxValues) {
    throw new InputError(
      `the request holds ${count} values; at most ${rules.maxValues} are allowed per request (costscope.unitCost.maxDaysPerRequest)`,
    );
  }
  const rows: UnitMetricRow[] = [];
  const seen = new Set<string>();
  series.forEach((item, i) => {
    const at = `metrics[${i}]`;
    const fields = objectWith(item, at, ['entityRef', 'metric', 'values']);
    const entityRef = parseMetricEntityRef(fields.entityRef, `${at}.entityRef`);
    const metric = parseMetricName(
      fields.metric,
      `${at}.metric`,
      rules.metrics,
    );
    nonEmptyArray(fields.values, `${at}.values`).forEach((entry, j) => {
      const where = `${at}.values[${j}]`;
      const value = objectWith(entry, where, ['date', 'value']);
      const day = parseMetricDay(value.date, `${where}.date`, rules.today);
      const key = JSON.stringify([entityRef, metric, day]);
      if (seen.has(key)) {
        throw new InputError(
          `${where}.date ${day} is sent twice for ${entityRef} and ${metric}; send each day once`,
        );
      }
      seen.add(key);
      rows.push({
        entityRef,
        metric,
        day,
        valueNanos: parseMetricValue(value.value, `${where}.value`),
      });
    });
  });
  return rows;
}
