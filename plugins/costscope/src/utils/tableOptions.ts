import { TableOptions } from '@backstage/core-components';

/**
 * Options shared by Costscope's tables: dense rows, and paging only once there is more than
 * a page, so short tables do not show an empty pager.
 */
export function denseTableOptions(
  rowCount: number,
  pageSize = 10,
  extra: Partial<TableOptions> = {},
): TableOptions {
  return {
    padding: 'dense',
    search: false,
    paging: rowCount > pageSize,
    pageSize,
    emptyRowsWhenPaging: false,
    ...extra,
  };
}
