import type {
  KubernetesWorkloadCost,
  ResourceCost,
} from '@costscope/backstage-plugin-common';

/** A cell of a CSV file. */
export type CsvValue = string | number | null | undefined;

const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * Escapes one CSV field (RFC 4180): fields containing a comma, a double quote, CR or LF are
 * quoted, with quotes doubled. Text that a spreadsheet would run as a formula (starting with
 * `=`, `+`, `-`, `@`, tab or CR) gets a leading `'`; numbers, negative ones included, are kept.
 */
export function escapeCsvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text) && !NUMBER.test(text)) {
    text = `'${text}`;
  }
  if (/[",\r\n]/.test(text)) {
    return `"${text.replace(/"/g, '""')}"`;
  }
  return text;
}

/** Builds a CSV document (CRLF line ends, as RFC 4180 has it). */
export function toCsv(header: string[], rows: CsvValue[][]): string {
  return [header, ...rows]
    .map(row => row.map(escapeCsvField).join(','))
    .join('\r\n')
    .concat('\r\n');
}

/** The CSV of a resource list: exact decimal costs, shares as fractions. */
export function resourcesToCsv(resources: ResourceCost[]): string {
  return toCsv(
    [
      'resource_id',
      'resource_name',
      'resource_type',
      'provider',
      'account',
      'region',
      'service',
      'entity_ref',
      'cost',
      'share',
      'original_currency',
      'original_cost',
    ],
    resources.map(r => [
      r.resourceId,
      r.resourceName,
      r.resourceType,
      r.provider,
      r.account,
      r.region,
      r.service,
      r.entityRef,
      r.cost,
      r.share,
      r.originalCost?.currency,
      r.originalCost?.cost,
    ]),
  );
}

/** Makes the browser save a CSV document. */
export function downloadCsv(filename: string, csv: string): void {
  const blob = new Blob([csv], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Give the browser a moment to start the download before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A file name safe on every OS. */
export function csvFileName(...parts: string[]): string {
  return `${parts
    .join('-')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/_+/g, '_')}.csv`;
}

/** The CSV of a Kubernetes split: exact decimal costs, shares and efficiency as fractions. */
export function kubernetesToCsv(lines: KubernetesWorkloadCost[]): string {
  return toCsv(
    [
      'cluster',
      'workload',
      'kind',
      'entity_ref',
      'split_by',
      'cost',
      'share',
      'cpu_share',
      'ram_share',
      'gpu_share',
      'storage_share',
      'cpu_efficiency',
      'ram_efficiency',
    ],
    lines.map(l => [
      l.cluster,
      l.workload,
      l.kind,
      l.entityRef,
      l.splitBy,
      l.cost,
      l.share,
      l.resources?.cpu,
      l.resources?.ram,
      l.resources?.gpu,
      l.resources?.storage,
      l.efficiency.cpu,
      l.efficiency.ram,
    ]),
  );
}
