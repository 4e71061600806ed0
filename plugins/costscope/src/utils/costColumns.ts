import { TableColumn } from '@backstage/core-components';
import { compareMoney, formatMoney, formatShare } from './format';

/** The Cost and Share columns every cost table ends with; sorted exactly, largest first. */
export function costColumns<T extends { cost: string; share: number | null }>(
  currency: string,
): TableColumn<T>[] {
  return [
    {
      title: 'Cost',
      field: 'cost',
      type: 'numeric',
      defaultSort: 'desc',
      customSort: (a, b) => compareMoney(a.cost, b.cost),
      render: row => formatMoney(row.cost, currency),
    },
    {
      title: 'Share',
      field: 'share',
      type: 'numeric',
      customSort: (a, b) => (a.share ?? -1) - (b.share ?? -1),
      render: row => formatShare(row.share),
    },
  ];
}
