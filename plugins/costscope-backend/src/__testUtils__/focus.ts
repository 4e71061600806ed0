import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export const FOCUS_HEADER = [
  'BilledCost',
  'EffectiveCost',
  'BillingCurrency',
  'BillingAccountId',
  'BillingPeriodStart',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'ChargeCategory',
  'ProviderName',
  'SubAccountId',
  'ServiceName',
  'RegionId',
  'ResourceId',
  'ResourceType',
  'Tags',
];

export interface FocusRow {
  cost: string;
  effective?: string;
  /** ListCost; the billed cost when left out. */
  list?: string;
  /** ServiceCategory (Compute, Storage ...). */
  serviceCategory?: string;
  /** CommitmentDiscountId, and its CommitmentDiscountStatus (Used, Unused). */
  commitment?: { id: string; status?: string };
  /** ChargeSubcategory (FOCUS 1.0: Used Commitment, Unused Commitment, On-Demand ...). */
  subcategory?: string;
  day: string;
  /** BillingPeriodStart as a day; the 1st of `day`'s month when left out. */
  billingPeriod?: string;
  account?: string;
  provider?: string;
  service?: string;
  region?: string;
  resource?: string;
  category?: string;
  tags?: Record<string, unknown>;
  currency?: string;
  /**
   * FOCUS 1.3 AllocatedMethodId, AllocatedResourceId/Name, AllocatedTags and
   * AllocatedMethodDetails (text as written).
   */
  allocated?: {
    method: string;
    resource?: string;
    name?: string;
    tags?: Record<string, unknown>;
    details?: string;
  };
}

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Renders rows as a FOCUS CSV file body. */
export function focusCsv(rows: FocusRow[]): string {
  // Only files with a split get the FOCUS 1.3 columns: they make the file version 1.3.
  const split = rows.some(row => row.allocated);
  const lines = rows.map(row => {
    const next = new Date(
      Date.parse(`${row.day}T00:00:00Z`) + 86_400_000,
    ).toISOString();
    return [
      row.cost,
      row.effective ?? row.cost,
      row.currency ?? 'USD',
      '999988887777',
      `${row.billingPeriod ?? `${row.day.slice(0, 8)}01`}T00:00:00Z`,
      `${row.day}T00:00:00Z`,
      next,
      row.category ?? 'Usage',
      row.provider ?? 'AWS',
      row.account ?? '111122223333',
      row.service ?? 'Amazon Elastic Compute Cloud',
      row.region ?? 'us-east-1',
      row.resource ?? '',
      row.resource ? 'Instance' : '',
      row.tags ? JSON.stringify(row.tags) : '',
      row.list ?? row.cost,
      row.serviceCategory ?? '',
      row.commitment?.id ?? '',
      row.commitment?.status ?? '',
      row.subcategory ?? '',
      ...(split
        ? [
            row.allocated?.method ?? '',
            row.allocated?.resource ?? '',
            row.allocated?.name ?? '',
            row.allocated?.tags ? JSON.stringify(row.allocated.tags) : '',
            row.allocated?.details ?? '',
          ]
        : []),
    ]
      .map(csvCell)
      .join(',');
  });
  // After the columns hand-written rows in tests give.
  const header = [
    ...FOCUS_HEADER,
    'ListCost',
    'ServiceCategory',
    'CommitmentDiscountId',
    'CommitmentDiscountStatus',
    'ChargeSubcategory',
    ...(split
      ? [
          'AllocatedMethodId',
          'AllocatedResourceId',
          'AllocatedResourceName',
          'AllocatedTags',
          'AllocatedMethodDetails',
        ]
      : []),
  ];
  return `${[header.join(','), ...lines].join('\n')}\n`;
}

/** Writes FOCUS files into a fresh temporary directory and returns its path. */
export async function writeFocusDir(
  files: Record<string, string | Buffer>,
): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'costscope-focus-'));
  for (const [name, body] of Object.entries(files)) {
    await fs.writeFile(
      path.join(dir, name),
      name.endsWith('.gz') ? gzipSync(body) : body,
    );
  }
  return dir;
}
