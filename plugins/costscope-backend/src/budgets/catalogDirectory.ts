import { AuthService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  BUDGET_ANNUAL_ANNOTATION,
  BUDGET_MONTHLY_ANNOTATION,
  BUDGET_QUARTERLY_ANNOTATION,
} from '@costscope/backstage-plugin-common';
import { toSnapshot } from '../allocation/catalogSnapshot';
import { EntityDirectory } from './BudgetService';

/** Budgets' view of the catalog, read with the plugin's own credentials. */
export function catalogDirectory(
  catalog: CatalogService,
  auth: AuthService,
): EntityDirectory {
  const credentials = () => auth.getOwnServiceCredentials();
  return {
    async getEntity(entityRef) {
      const entity = await catalog.getEntityByRef(entityRef, {
        credentials: await credentials(),
      });
      return entity && toSnapshot(entity);
    },
    async listEntitiesWithBudgetAnnotations() {
      const { items } = await catalog.getEntities(
        {
          // A list of filters is an OR: any of the period annotations.
          filter: [
            BUDGET_MONTHLY_ANNOTATION,
            BUDGET_QUARTERLY_ANNOTATION,
            BUDGET_ANNUAL_ANNOTATION,
          ].map(key => ({
            [`metadata.annotations.${key}`]: CATALOG_FILTER_EXISTS,
          })),
        },
        { credentials: await credentials() },
      );
      return items.map(toSnapshot);
    },
  };
}
