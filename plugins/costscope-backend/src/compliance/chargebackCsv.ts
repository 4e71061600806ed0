import { CostBasis, nanosToMoney } from '@costscope/backstage-plugin-common';
import { CsvOptions, csvLines, CsvValue } from './csv';

/** One line of a chargeback report: what one owner pays for one service in one month. */
export interface ChargebackLine {
  /** `YYYY-MM`. */
  month: string;
  /**
   * Who pays: a group ref (`group:default/payments`) or a cost center (`CC-4711`);
   * empty for unallocated cost shown as its own line.
   */
  owner: string;
  /** Display name of the owner (group title), when known. */
  ownerName?: string;
  service: string;
  /**
   * `allocated`: cost allocated to the owner; `shared`: the owner's part of a split shared
   * cost; `unallocated`: cost no owner was found for; `not-visible`: owners hidden from the
   * caller, one line per month.
   */
  kind: 'allocated' | 'shared' | 'unallocated' | 'not-visible';
  /** Nano-units of the billing currency. */
  costNanos: bigint;
}

/** Columns of the chargeback CSV, in order. */
export const CHARGEBACK_COLUMNS = [
  'month',
  'owner',
  'owner_name',
  'service',
  'kind',
  'cost',
  'currency',
  'cost_basis',
];

export interface ChargebackCsvOptions extends CsvOptions {
  currency: string;
  /** The basis the amounts are counted on, named on every row. */
  costBasis: CostBasis;
  /**
   * The bill's total for the range, nano-units. When given, the stream fails (instead of
   * ending normally) if the lines do not add up to it exactly: a chargeback that does not
   * equal the bill must not be delivered as if it did.
   */
  billTotalNanos?: bigint;
}

/**
 * Streams a chargeback report as CSV: a header, one row per line as the lines arrive, and a
 * last row of kind `total` holding the exact sum (BigInt over nano-units). Amounts keep all 9
 * stored fractional digits: rounding each line to cents would make the lines not add up to
 * the total. Only the running sum is held in memory.
 */
export async function* chargebackCsvLines(
  lines: AsyncIterable<ChargebackLine> | Iterable<ChargebackLine>,
  options: ChargebackCsvOptions,
): AsyncGenerator<string, void, undefined> {
  let total = 0n;
  async function* rows(): AsyncGenerator<CsvValue[]> {
    for await (const line of lines) {
      total += line.costNanos;
      yield [
        line.month,
        line.owner,
        line.ownerName ?? '',
        line.service,
        line.kind,
        nanosToMoney(line.costNanos),
        options.currency,
        options.costBasis,
      ];
    }
    if (
      options.billTotalNanos !== undefined &&
      total !== options.billTotalNanos
    ) {
      throw new Error(
        `chargeback lines add up to ${nanosToMoney(
          total,
        )}, the bill is ${nanosToMoney(options.billTotalNanos)}`,
      );
    }
    yield [
      '',
      '',
      '',
      '',
      'total',
      nanosToMoney(total),
      options.currency,
      options.costBasis,
    ];
  }
  yield* csvLines(CHARGEBACK_COLUMNS, rows(), options);
}
