import { CostLine } from '@costscope/backstage-plugin-node';
import { parseDecimal } from '../../lib/decimal';

/** FOCUS columns Costscope reads; any others (including `x_` columns) are ignored. */
export const FOCUS_COLUMNS = [
  'BilledCost',
  'EffectiveCost',
  'BillingCurrency',
  'BillingAccountId',
  'BillingPeriodStart',
  'ChargePeriodStart',
  'ChargeCategory',
  'ProviderName',
  'SubAccountId',
  'ServiceName',
  'ServiceCategory',
  'RegionId',
  'ResourceId',
  'ResourceName',
  'ResourceType',
  'Tags',
] as const;

/** Columns without which a file cannot be read at all. */
export const REQUIRED_FOCUS_COLUMNS = [
  'BilledCost',
  'BillingCurrency',
  'ChargePeriodStart',
] as const;

type FocusColumn = (typeof FOCUS_COLUMNS)[number];
export type FocusRecord = Partial<Record<FocusColumn, string>>;

const CHARGE_CATEGORIES = new Map(
  ['Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment'].map(c => [
    c.toLowerCase(),
    c,
  ]),
);

/** Real exports write missing values as empty cells or as literal NULL strings. */
function clean(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '' || /^(null|none|n\/a)$/i.test(trimmed)) return undefined;
  return trimmed;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP =
  /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i;

/**
 * Turns a FOCUS timestamp into the UTC day it falls on. Accepts `2026-01-05`,
 * `2026-01-05T00:00:00Z`, `2026-01-05 00:00:00` (taken as UTC) and explicit offsets.
 */
export function parseUtcDay(text: string): string | undefined {
  if (DAY.test(text)) return isRealDay(text) ? text : undefined;
  const match = TIMESTAMP.exec(text);
  if (!match) return undefined;
  const [, day, time, zone] = match;
  if (!isRealDay(day)) return undefined;
  if (!zone || /^(z|utc)$/i.test(zone)) return day;
  const offset =
    zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  const date = new Date(
    `${day}T${time.length === 5 ? `${time}:00` : time}${offset}`,
  );
  return Number.isNaN(date.getTime())
    ? undefined
    : date.toISOString().slice(0, 10);
}

function isRealDay(day: string): boolean {
  const match = DAY.exec(day);
  if (!match) return false;
  const date = new Date(Date.UTC(+match[1], +match[2] - 1, +match[3]));
  return date.toISOString().slice(0, 10) === day;
}

/**
 * Parses FOCUS `Tags`: a JSON object with scalar values. Numbers and booleans become strings,
 * null values are dropped (the tag is absent). Anything else is an error.
 */
export function parseTags(
  text: string | undefined,
): Record<string, string> | string {
  const value = clean(text);
  if (value === undefined || value === '{}') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return 'Tags is not valid JSON';
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return 'Tags is not a JSON object';
  }
  const tags: Record<string, string> = {};
  for (const [key, tagValue] of Object.entries(parsed)) {
    if (tagValue === null) continue;
    if (typeof tagValue === 'object') {
      return `Tags value of '${key}' is not a scalar`;
    }
    tags[key] = String(tagValue);
  }
  return tags;
}

/** Parses one FOCUS record into a cost line, or returns why it was rejected. */
export function parseFocusRow(
  record: FocusRecord,
  expectedCurrency: string | undefined,
): { line: CostLine } | { reason: string } {
  const billedText = clean(record.BilledCost);
  if (billedText === undefined) return { reason: 'BilledCost is empty' };
  if (parseDecimal(billedText) === undefined) {
    return {
      reason: `BilledCost '${billedText.slice(0, 40)}' is not a number`,
    };
  }
  const effectiveText = clean(record.EffectiveCost) ?? billedText;
  if (parseDecimal(effectiveText) === undefined) {
    return {
      reason: `EffectiveCost '${effectiveText.slice(0, 40)}' is not a number`,
    };
  }

  const chargeText = clean(record.ChargePeriodStart);
  if (chargeText === undefined) return { reason: 'ChargePeriodStart is empty' };
  const chargeDate = parseUtcDay(chargeText);
  if (!chargeDate) {
    return {
      reason: `ChargePeriodStart '${chargeText.slice(0, 40)}' is not a date`,
    };
  }
  const billingText = clean(record.BillingPeriodStart);
  const billingPeriod = billingText
    ? parseUtcDay(billingText)
    : `${chargeDate.slice(0, 8)}01`;
  if (!billingPeriod) {
    return {
      reason: `BillingPeriodStart '${billingText!.slice(0, 40)}' is not a date`,
    };
  }

  const currency = clean(record.BillingCurrency)?.toUpperCase();
  if (!currency || !/^[A-Z]{3}$/.test(currency)) {
    return {
      reason: `BillingCurrency '${
        record.BillingCurrency ?? ''
      }' is not an ISO 4217 code`,
    };
  }
  if (expectedCurrency && currency !== expectedCurrency) {
    return {
      reason: `BillingCurrency ${currency} differs from the source currency ${expectedCurrency}`,
    };
  }

  const categoryText = clean(record.ChargeCategory) ?? 'Usage';
  const chargeCategory = CHARGE_CATEGORIES.get(categoryText.toLowerCase());
  if (!chargeCategory) {
    return {
      reason: `ChargeCategory '${categoryText.slice(
        0,
        40,
      )}' is not a FOCUS charge category`,
    };
  }

  const tags = parseTags(record.Tags);
  if (typeof tags === 'string') return { reason: tags };

  return {
    line: {
      chargeDate,
      billingPeriod,
      provider: clean(record.ProviderName) ?? 'unknown',
      billingAccountId: clean(record.BillingAccountId) ?? '',
      subAccountId:
        clean(record.SubAccountId) ?? clean(record.BillingAccountId) ?? '',
      // Tax and credit lines often have no service: name them by their category instead.
      serviceName:
        clean(record.ServiceName) ??
        (chargeCategory === 'Usage' ? 'Unknown service' : chargeCategory),
      serviceCategory: clean(record.ServiceCategory),
      regionId: clean(record.RegionId),
      resourceId: clean(record.ResourceId),
      resourceName: clean(record.ResourceName),
      resourceType: clean(record.ResourceType),
      chargeCategory,
      currency,
      billedCost: billedText,
      effectiveCost: effectiveText,
      tags,
    },
  };
}
