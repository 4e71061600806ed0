import {
  FOCUS_COLUMNS,
  FocusRecord,
  REQUIRED_FOCUS_COLUMNS,
} from './parseFocusRow';

/** A file that cannot be read as FOCUS at all: the run fails. */
export class FocusFileError extends Error {}

/** The FOCUS versions a header is recognised as. */
export type FocusVersion = '1.0' | '1.1' | '1.2' | '1.3';

/**
 * Columns each version added, newest first: a header with any of them is at least that
 * version (FOCUS_Spec `specification/columns/`, see DOMAIN.md).
 */
const COLUMNS_ADDED: ReadonlyArray<[FocusVersion, readonly string[]]> = [
  [
    '1.3',
    [
      'ServiceProviderName',
      'HostProviderName',
      'AllocatedMethodId',
      'AllocatedMethodDetails',
      'AllocatedResourceId',
      'AllocatedResourceName',
      'AllocatedTags',
    ],
  ],
  [
    '1.2',
    [
      'BillingAccountType',
      'SubAccountType',
      'InvoiceId',
      'PricingCurrency',
      'PricingCurrencyContractedUnitPrice',
      'PricingCurrencyEffectiveCost',
      'PricingCurrencyListUnitPrice',
    ],
  ],
  [
    '1.1',
    [
      'CapacityReservationId',
      'CapacityReservationStatus',
      'CommitmentDiscountQuantity',
      'CommitmentDiscountUnit',
      'ServiceSubcategory',
      'SkuMeter',
      'SkuPriceDetails',
    ],
  ],
];

const VERSION_OF_COLUMN = new Map<string, FocusVersion>(
  COLUMNS_ADDED.flatMap(([version, columns]) =>
    columns.map(column => [column.toLowerCase(), version] as const),
  ),
);

/** FOCUS 1.3 renamed ProviderName; where both are present, the new name wins. */
const SERVICE_PROVIDER = 'serviceprovidername';
const KNOWN = new Map<string, keyof FocusRecord>([
  ...FOCUS_COLUMNS.map(column => [column.toLowerCase(), column] as const),
  [SERVICE_PROVIDER, 'ProviderName'],
]);

/** The FOCUS version a header looks like, by the newest version-specific column in it. */
export function focusVersionOf(header: readonly string[]): FocusVersion {
  let found: FocusVersion = '1.0';
  for (const cell of header) {
    const version = VERSION_OF_COLUMN.get(cell.trim().toLowerCase());
    if (version !== undefined && version > found) found = version;
  }
  return found;
}

/** A header mapped to the FOCUS columns Costscope reads. */
export interface FocusHeader {
  /** Per header cell, the FOCUS column its values are read as, if any. */
  columns: Array<keyof FocusRecord | undefined>;
  version: FocusVersion;
}

/**
 * Maps header cells (CSV header or Parquet column names) to FOCUS columns, case-insensitively;
 * `x_` and unknown columns map to nothing. Throws, naming the columns, when a required one is
 * missing: such a file is not FOCUS. Called once per file, never per row.
 */
export function mapFocusHeader(
  header: readonly string[],
  label: string,
  format: 'CSV' | 'Parquet',
): FocusHeader {
  const names = header.map(cell => cell.trim().toLowerCase());
  const renamed = names.includes(SERVICE_PROVIDER);
  const columns = names.map(name =>
    renamed && name === 'providername' ? undefined : KNOWN.get(name),
  );
  const missing = REQUIRED_FOCUS_COLUMNS.filter(
    column => !columns.includes(column),
  );
  if (missing.length > 0) {
    throw new FocusFileError(
      `FOCUS file ${label} lacks the column(s) ${missing.join(
        ', ',
      )}: it is not a FOCUS ${format} export`,
    );
  }
  return { columns, version: focusVersionOf(header) };
}
