import { createRouteRef } from '@backstage/core-plugin-api';

/** The organisation overview page, mounted by the app (usually at `/costscope`). */
export const rootRouteRef = createRouteRef({
  id: 'costscope',
});

/** The Cost tab on entity pages. A separate ref, since it is mounted once per entity layout. */
export const entityContentRouteRef = createRouteRef({
  id: 'costscope:entity-content',
});

/**
 * The Cost tab's path below the entity page: `/alpha` mounts it there, the legacy install
 * guide tells apps to, and the cost card links to it.
 */
export const COST_TAB_PATH = 'cost';
