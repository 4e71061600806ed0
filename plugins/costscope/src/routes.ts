import { createRouteRef } from '@backstage/core-plugin-api';

/** The organisation overview page, mounted by the app (usually at `/costscope`). */
export const rootRouteRef = createRouteRef({
  id: 'costscope',
});

/** The Cost tab on entity pages. A separate ref, since it is mounted once per entity layout. */
export const entityContentRouteRef = createRouteRef({
  id: 'costscope:entity-content',
});
