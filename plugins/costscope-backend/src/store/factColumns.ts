import { CostFact } from './types';

/**
 * The amount columns of facts, Kubernetes parts and rollups: one per cost basis
 * (`<basis>_nanos`), each summed on its own.
 */
export const AMOUNT_COLUMNS = [
  'billed_nanos',
  'effective_nanos',
  'list_nanos',
] as const;

/**
 * A converted fact's amounts in the currency it was billed in (null on facts billed in the
 * reporting currency), in the order of AMOUNT_COLUMNS.
 */
export const ORIGINAL_AMOUNT_COLUMNS = [
  'original_billed_nanos',
  'original_effective_nanos',
  'original_list_nanos',
] as const;

/** The columns of `costscope_cost_facts` a fact is written to, besides its id. */
export const FACT_COLUMNS = [
  'source_id',
  'billing_period',
  'usage_date',
  'provider',
  'billing_account_id',
  'sub_account_id',
  'region',
  'service_name',
  'service_category',
  'resource_id',
  'resource_name',
  'resource_type',
  'charge_category',
  'currency',
  'alloc_key',
  'commitment_id',
  'commitment_status',
  'allocated_method_id',
  'allocated_resource_id',
  'allocated_resource_name',
  'allocated_tags',
  'allocated_method_details',
  ...AMOUNT_COLUMNS,
  'line_count',
  'original_currency',
  'exchange_rate',
  ...ORIGINAL_AMOUNT_COLUMNS,
] as const;

/** The largest value a BIGINT column holds, on both databases. */
export const MAX_BIGINT = 9_223_372_036_854_775_807n;

/** A fact that does not fit BIGINT fails the run: storing it would wrap or lose precision. */
export function checkStorable(fact: CostFact): void {
  const { original } = fact;
  if (
    !isStorable(fact.billedNanos) ||
    !isStorable(fact.effectiveNanos) ||
    !isStorable(fact.listNanos) ||
    (original &&
      (!isStorable(original.billedNanos) ||
        !isStorable(original.effectiveNanos) ||
        !isStorable(original.listNanos)))
  ) {
    throw new Error(
      `the daily cost of ${fact.resourceId || fact.serviceName} on ${
        fact.usageDate
      } is beyond the storable range`,
    );
  }
}

function isStorable(nanos: bigint): boolean {
  return nanos <= MAX_BIGINT && nanos >= -MAX_BIGINT;
}

/** A fact as the row values of FACT_COLUMNS (amounts as exact decimal texts). */
export function factValues(sourceId: string, fact: CostFact) {
  checkStorable(fact);
  return [
    sourceId,
    fact.billingPeriod,
    fact.usageDate,
    fact.provider,
    fact.billingAccountId,
    fact.subAccountId,
    fact.region,
    fact.serviceName,
    fact.serviceCategory ?? null,
    fact.resourceId,
    fact.resourceName ?? null,
    fact.resourceType ?? null,
    fact.chargeCategory,
    fact.currency,
    fact.allocKey,
    fact.commitmentId ?? null,
    fact.commitmentStatus ?? null,
    fact.allocatedMethodId ?? null,
    fact.allocatedResourceId ?? null,
    fact.allocatedResourceName ?? null,
    fact.allocatedTags ?? null,
    fact.allocatedMethodDetails ?? null,
    // Strings, not BigInt: both drivers store them exactly in a BIGINT column.
    fact.billedNanos.toString(),
    fact.effectiveNanos.toString(),
    fact.listNanos.toString(),
    fact.lineCount,
    fact.original?.currency ?? null,
    fact.original?.exchangeRate ?? null,
    fact.original?.billedNanos.toString() ?? null,
    fact.original?.effectiveNanos.toString() ?? null,
    fact.original?.listNanos.toString() ?? null,
  ];
}
