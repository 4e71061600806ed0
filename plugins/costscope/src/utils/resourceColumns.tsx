import { SubvalueCell, TableColumn } from '@backstage/core-components';
import { compareMoney, formatMoney } from './format';

/** What a row of a table of resources with a cost holds. */
export interface ResourceCostRow {
  resourceId: string;
  resourceName?: string;
  /** The name when there is one, else the id: what the table sorts and filters on. */
  name: string;
  service?: string;
  account: string;
  cost: string;
}

/** Resource (name over id), Service, Account and Cost: the columns resource tables start with. */
export function resourceColumns<T extends ResourceCostRow>(
  currency: string,
): TableColumn<T>[] {
  return [
    {
      title: 'Resource',
      field: 'name',
      highlight: true,
      render: row =>
        row.resourceName && row.resourceName !== row.resourceId ? (
          <SubvalueCell value={row.resourceName} subvalue={row.resourceId} />
        ) : (
          row.resourceId
        ),
    },
    { title: 'Service', field: 'service', emptyValue: '–' },
    { title: 'Account', field: 'account', emptyValue: '–' },
    {
      title: 'Cost',
      field: 'cost',
      type: 'numeric',
      defaultSort: 'desc',
      customSort: (a, b) => compareMoney(a.cost, b.cost),
      render: row => formatMoney(row.cost, currency),
    },
  ];
}
