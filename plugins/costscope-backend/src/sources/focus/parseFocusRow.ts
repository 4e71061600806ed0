import { CostLine } from '@costscope/backstage-plugin-node';
import { detach } from '../../ingest/detach';
import { AmountReader, MAX_STORED_WORK } from '../../ingest/exactSum';
import { parseAllocatedMethodDetails } from './allocatedMethodDetails';

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
  'ListCost',
  'CommitmentDiscountId',
  'CommitmentDiscountStatus',
  'ChargeSubcategory',
  'PricingCurrency',
  'PricingCurrencyEffectiveCost',
  'AllocatedMethodId',
  'AllocatedResourceId',
  'AllocatedResourceName',
  'AllocatedTags',
  'AllocatedMethodDetails',
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

/** The categories as FOCUS spells them, looked up before any case folding. */
const CHARGE_CATEGORY_NAMES = new Map(
  [...CHARGE_CATEGORIES.values()].map(c => [c, c]),
);

/** Real exports write missing values as empty cells or as literal NULL strings. */
function clean(value: string | undefined): string | undefined {
  if (value === undefined || value.length === 0) return undefined;
  // Plain ASCII at both ends: nothing to trim (trim() would allocate a copy otherwise).
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  const trimmed =
    first > 32 && first < 127 && last > 32 && last < 127 ? value : value.trim();
  if (trimmed === '') return undefined;
  if (trimmed.length <= 4 && /^(null|none|n\/a)$/i.test(trimmed)) {
    return undefined;
  }
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

/** Text columns stored as VARCHAR(255); longer values are rejected, not truncated. */
const SHORT_TEXT_LIMIT = 255;
/** Resource ids and names (an AWS ARN has at most 2048 characters). */
const LONG_TEXT_LIMIT = 2048;

const EMPTY_TAGS: Readonly<Record<string, string>> = Object.freeze({});

/** Caches of one read: exports repeat the same few timestamps and tag sets on every row. */
const CACHE_LIMIT = 10_000;

/** Positions in FOCUS_COLUMNS, for records held as arrays in that order. */
const enum Col {
  BilledCost,
  EffectiveCost,
  BillingCurrency,
  BillingAccountId,
  BillingPeriodStart,
  ChargePeriodStart,
  ChargeCategory,
  ProviderName,
  SubAccountId,
  ServiceName,
  ServiceCategory,
  RegionId,
  ResourceId,
  ResourceName,
  ResourceType,
  Tags,
  ListCost,
  CommitmentDiscountId,
  CommitmentDiscountStatus,
  ChargeSubcategory,
  PricingCurrency,
  PricingCurrencyEffectiveCost,
  AllocatedMethodId,
  AllocatedResourceId,
  AllocatedResourceName,
  AllocatedTags,
  AllocatedMethodDetails,
}

/** A FOCUS record as an array in the order of FOCUS_COLUMNS. */
export type FocusValues = Array<string | undefined>;

/**
 * Parses the records of one read. Same result as `parseFocusRow`, faster: timestamps and
 * Tags texts seen before are not parsed again, equal tag sets share one (frozen) object,
 * and records come as arrays in the order of FOCUS_COLUMNS.
 */
export class FocusRowParser {
  private readonly days = new Map<string, string | undefined>();
  private readonly tags = new Map<
    string,
    Readonly<Record<string, string>> | string
  >();
  private lastTagsText: string | undefined;
  private lastTags: Readonly<Record<string, string>> | string = EMPTY_TAGS;
  private lastDayText: string | undefined;
  private lastDay: string | undefined;
  readonly amount = new AmountReader();

  constructor(readonly expectedCurrency: string | undefined) {}

  /** A cost line, or why the record is rejected. */
  parse(values: FocusValues): CostLine | string {
    return parseValues(values, this.expectedCurrency, this);
  }

  day(text: string): string | undefined {
    if (text === this.lastDayText) return this.lastDay;
    let day = this.days.get(text);
    if (day === undefined && !this.days.has(text)) {
      day = parseUtcDay(text);
      if (this.days.size >= CACHE_LIMIT) this.days.clear();
      this.days.set(detach(text), day);
    }
    this.lastDayText = text;
    this.lastDay = day;
    return day;
  }

  tagsOf(text: string | undefined): Readonly<Record<string, string>> | string {
    if (text === undefined || text === '') return EMPTY_TAGS;
    if (text === this.lastTagsText) return this.lastTags;
    let tags = this.tags.get(text);
    if (tags === undefined) {
      tags = parseTags(text);
      if (typeof tags !== 'string') Object.freeze(tags);
      if (this.tags.size >= CACHE_LIMIT) this.tags.clear();
      this.tags.set(detach(text), tags);
    }
    this.lastTagsText = text;
    this.lastTags = tags;
    return tags;
  }
}

const sharedAmount = new AmountReader();

/**
 * No real amount is longer (a long one: `-1234567.123456789012345678E-10`). Longer texts are
 * rejected before any BigInt arithmetic: parsing a megabyte of digits takes a blocking
 * fraction of a second.
 */
const MAX_AMOUNT_CHARS = 64;
const NUMBER_SYNTAX = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Whether `text` is a number that a BIGINT of nano-units can hold. */
function isStorableAmount(text: string, reader: AmountReader): boolean {
  if (text.length > MAX_AMOUNT_CHARS || !reader.read(text)) return false;
  return (
    reader.work === undefined ||
    (reader.work <= MAX_STORED_WORK && reader.work >= -MAX_STORED_WORK)
  );
}

function amountReason(column: string, text: string): string {
  const isNumber =
    text.length > MAX_AMOUNT_CHARS
      ? NUMBER_SYNTAX.test(text)
      : sharedAmount.read(text);
  return isNumber
    ? `${column} '${text.slice(0, 40)}' is out of range`
    : `${column} '${text.slice(0, 40)}' is not a number`;
}

/** Why a text value cannot be stored, if it cannot. */
function textProblem(
  column: string,
  value: string | undefined,
  limit: number,
): string | undefined {
  if (value === undefined) return undefined;
  if (value.length > limit) {
    return `${column} is longer than ${limit} characters`;
  }
  if (value.includes('\u0000')) return `${column} contains a NUL character`;
  return undefined;
}

/** FOCUS 1.0's ChargeSubcategory values that 1.1's CommitmentDiscountStatus replaced. */
const SUBCATEGORY_STATUS: ReadonlyMap<string, 'Used' | 'Unused'> = new Map([
  ['used commitment', 'Used'],
  ['unused commitment', 'Unused'],
]);

/**
 * Whether a line's usage ran under a commitment (`Used`) or is the commitment's unused part
 * (`Unused`): `CommitmentDiscountStatus` (FOCUS 1.1 on), else 1.0's `ChargeSubcategory`,
 * else `Used` for usage that names a commitment. A status Costscope does not know is an
 * error, as a reason.
 */
function commitmentStatusOf(
  statusText: string | undefined,
  subcategoryText: string | undefined,
  namesCommitment: boolean,
): { status?: 'Used' | 'Unused' } | string {
  if (statusText !== undefined) {
    const lower = statusText.toLowerCase();
    if (lower === 'used') return { status: 'Used' };
    if (lower === 'unused') return { status: 'Unused' };
    return `CommitmentDiscountStatus '${statusText.slice(
      0,
      40,
    )}' is not Used or Unused`;
  }
  const fromSubcategory =
    subcategoryText === undefined
      ? undefined
      : SUBCATEGORY_STATUS.get(subcategoryText.toLowerCase());
  if (fromSubcategory) return { status: fromSubcategory };
  return namesCommitment ? { status: 'Used' } : {};
}

/** Parses one FOCUS record into a cost line, or returns why it was rejected. */
export function parseFocusRow(
  record: FocusRecord,
  expectedCurrency: string | undefined,
): { line: CostLine } | { reason: string } {
  const result = parseValues(
    FOCUS_COLUMNS.map(column => record[column]),
    expectedCurrency,
    undefined,
  );
  return typeof result === 'string' ? { reason: result } : { line: result };
}

function parseValues(
  values: FocusValues,
  expectedCurrency: string | undefined,
  parser: FocusRowParser | undefined,
): CostLine | string {
  const reader = parser ? parser.amount : sharedAmount;
  const billedText = clean(values[Col.BilledCost]);
  if (billedText === undefined) return 'BilledCost is empty';
  if (!isStorableAmount(billedText, reader)) {
    return amountReason('BilledCost', billedText);
  }
  const effectiveText = clean(values[Col.EffectiveCost]) ?? billedText;
  if (
    effectiveText !== billedText &&
    !isStorableAmount(effectiveText, reader)
  ) {
    return amountReason('EffectiveCost', effectiveText);
  }
  // FOCUS 1.0 requires ListCost; older or partial exports without it count at billed cost.
  const listText = clean(values[Col.ListCost]) ?? billedText;
  if (listText !== billedText && !isStorableAmount(listText, reader)) {
    return amountReason('ListCost', listText);
  }

  const chargeText = clean(values[Col.ChargePeriodStart]);
  if (chargeText === undefined) return 'ChargePeriodStart is empty';
  const chargeDate = parser ? parser.day(chargeText) : parseUtcDay(chargeText);
  if (!chargeDate) {
    return `ChargePeriodStart '${chargeText.slice(0, 40)}' is not a date`;
  }
  const billingText = clean(values[Col.BillingPeriodStart]);
  let billingPeriod: string | undefined;
  if (billingText === undefined) {
    billingPeriod = `${chargeDate.slice(0, 8)}01`;
  } else {
    billingPeriod = parser ? parser.day(billingText) : parseUtcDay(billingText);
    if (!billingPeriod) {
      return `BillingPeriodStart '${billingText.slice(0, 40)}' is not a date`;
    }
  }

  const currencyText = clean(values[Col.BillingCurrency]);
  const currency =
    currencyText?.length === 3 ? currencyText.toUpperCase() : undefined;
  if (!currency || !/^[A-Z]{3}$/.test(currency)) {
    return `BillingCurrency '${(values[Col.BillingCurrency] ?? '').slice(
      0,
      40,
    )}' is not an ISO 4217 code`;
  }
  if (expectedCurrency && currency !== expectedCurrency) {
    return `BillingCurrency ${currency} differs from the source currency ${expectedCurrency}`;
  }

  const pricing = pricingOf(values, currency, reader);
  if (typeof pricing === 'string') return pricing;
  const allocated = allocatedOf(values, parser);
  if (typeof allocated === 'string') return allocated;

  const categoryText = clean(values[Col.ChargeCategory]) ?? 'Usage';
  const chargeCategory =
    CHARGE_CATEGORY_NAMES.get(categoryText) ??
    CHARGE_CATEGORIES.get(categoryText.toLowerCase());
  if (!chargeCategory) {
    return `ChargeCategory '${categoryText.slice(
      0,
      40,
    )}' is not a FOCUS charge category`;
  }

  const tags = parser
    ? parser.tagsOf(values[Col.Tags])
    : parseTags(values[Col.Tags]);
  if (typeof tags === 'string') return tags;

  const commitmentDiscountId = clean(values[Col.CommitmentDiscountId]);
  const commitmentDiscountStatus = commitmentStatusOf(
    clean(values[Col.CommitmentDiscountStatus]),
    clean(values[Col.ChargeSubcategory]),
    commitmentDiscountId !== undefined && chargeCategory === 'Usage',
  );
  if (typeof commitmentDiscountStatus === 'string') {
    return commitmentDiscountStatus;
  }

  const provider = clean(values[Col.ProviderName]);
  const billingAccountId = clean(values[Col.BillingAccountId]);
  const subAccountId = clean(values[Col.SubAccountId]);
  const serviceName = clean(values[Col.ServiceName]);
  const serviceCategory = clean(values[Col.ServiceCategory]);
  const regionId = clean(values[Col.RegionId]);
  const resourceId = clean(values[Col.ResourceId]);
  const resourceName = clean(values[Col.ResourceName]);
  const resourceType = clean(values[Col.ResourceType]);
  const problem =
    textProblem('ProviderName', provider, SHORT_TEXT_LIMIT) ??
    textProblem('BillingAccountId', billingAccountId, SHORT_TEXT_LIMIT) ??
    textProblem('SubAccountId', subAccountId, SHORT_TEXT_LIMIT) ??
    textProblem('ServiceName', serviceName, SHORT_TEXT_LIMIT) ??
    textProblem('ServiceCategory', serviceCategory, SHORT_TEXT_LIMIT) ??
    textProblem('RegionId', regionId, SHORT_TEXT_LIMIT) ??
    textProblem('ResourceType', resourceType, SHORT_TEXT_LIMIT) ??
    textProblem('ResourceId', resourceId, LONG_TEXT_LIMIT) ??
    textProblem('ResourceName', resourceName, LONG_TEXT_LIMIT) ??
    textProblem('CommitmentDiscountId', commitmentDiscountId, LONG_TEXT_LIMIT);
  if (problem) return problem;

  return {
    chargeDate,
    billingPeriod,
    provider: provider ?? 'unknown',
    billingAccountId: billingAccountId ?? '',
    subAccountId: subAccountId ?? billingAccountId ?? '',
    // Tax and credit lines often have no service: name them by their category instead.
    serviceName:
      serviceName ??
      (chargeCategory === 'Usage' ? 'Unknown service' : chargeCategory),
    serviceCategory,
    regionId,
    resourceId,
    resourceName,
    resourceType,
    chargeCategory,
    currency,
    billedCost: billedText,
    effectiveCost: effectiveText,
    listCost: listText,
    ...(commitmentDiscountId !== undefined ? { commitmentDiscountId } : {}),
    ...(commitmentDiscountStatus.status
      ? { commitmentDiscountStatus: commitmentDiscountStatus.status }
      : {}),
    tags: tags as Record<string, string>,
    ...(pricing ? { pricing } : {}),
    ...(allocated ? { allocated } : {}),
  };
}

/**
 * FOCUS 1.3's split cost allocation of a line the provider split (AllocatedMethodId set);
 * undefined for other lines (allocated columns without a method are no split), a reason when
 * a value cannot be stored.
 */
function allocatedOf(
  values: FocusValues,
  parser: FocusRowParser | undefined,
): CostLine['allocated'] | string {
  const methodId = clean(values[Col.AllocatedMethodId]);
  if (methodId === undefined) return undefined;
  const resourceId = clean(values[Col.AllocatedResourceId]);
  const resourceName = clean(values[Col.AllocatedResourceName]);
  const problem =
    textProblem('AllocatedMethodId', methodId, SHORT_TEXT_LIMIT) ??
    textProblem('AllocatedResourceId', resourceId, LONG_TEXT_LIMIT) ??
    textProblem('AllocatedResourceName', resourceName, LONG_TEXT_LIMIT);
  if (problem) return problem;
  const tags = parser
    ? parser.tagsOf(values[Col.AllocatedTags])
    : parseTags(values[Col.AllocatedTags]);
  if (typeof tags === 'string') return tags.replace(/^Tags/, 'AllocatedTags');
  const detailsText = clean(values[Col.AllocatedMethodDetails]);
  const methodDetails =
    detailsText === undefined
      ? undefined
      : parseAllocatedMethodDetails(detailsText);
  if (typeof methodDetails === 'string') return methodDetails;
  return {
    methodId,
    ...(resourceId !== undefined ? { resourceId } : {}),
    ...(resourceName !== undefined ? { resourceName } : {}),
    tags: tags as Record<string, string>,
    ...(methodDetails !== undefined ? { methodDetails } : {}),
  };
}

/**
 * FOCUS 1.2's pricing currency and the effective cost in it, when the line was priced in
 * another currency than billed and says what that cost was; undefined when it was not, a
 * reason when either value is malformed.
 */
function pricingOf(
  values: FocusValues,
  billingCurrency: string,
  reader: AmountReader,
): CostLine['pricing'] | string {
  const currencyText = clean(values[Col.PricingCurrency]);
  if (currencyText === undefined) return undefined;
  const currency = currencyText.toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) {
    return `PricingCurrency '${currencyText.slice(
      0,
      40,
    )}' is not an ISO 4217 code`;
  }
  const costText = clean(values[Col.PricingCurrencyEffectiveCost]);
  if (currency === billingCurrency || costText === undefined) return undefined;
  if (!isStorableAmount(costText, reader)) {
    return amountReason('PricingCurrencyEffectiveCost', costText);
  }
  return { currency, effectiveCost: costText };
}
