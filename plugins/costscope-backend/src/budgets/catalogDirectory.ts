import { AuthService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  BUDGET_ANNUAL_ANNOTATION,
  BUDGET_MONTHLY_ANNOTATION,
  BUDGET_QUARTERLY_ANNOTATION,
} from '@costscope/backstage-plugin-common';
import { SnapshotEntity, toSnapshot } from '../allocation/catalogSnapshot';
import { EntityDirectory } from './BudgetService';

/**
 * How long the list of entities with budget annotations is kept: every digest, budget list
 * and alert evaluation asks for it, and the catalog itself takes minutes to process an edit.
 */
export const ANNOTATED_ENTITIES_TTL_MS = 30_000;

/** Budgets' view of the catalog, read with the plugin's own credentials. */
export function catalogDirectory(
  catalog: CatalogService,
  auth: AuthService,
  now: () => number = Date.now,
): EntityDirectory {
  const credentials = () => auth.getOwnServiceCredentials();
  const readAnnotated = async () => {
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
  };
  let annotated:
    | { at: number; entities: Promise<SnapshotEntity[]> }
    | undefined;
  return {
    async getEntity(entityRef) {
      const entity = await catalog.getEntityByRef(entityRef, {
        credentials: await credentials(),
      });
      return entity && toSnapshot(entity);
    },
    listEntitiesWithBudgetAnnotations() {
      const at = now();
      if (!annotated || at - annotated.at >= ANNOTATED_ENTITIES_TTL_MS) {
        const entities = readAnnotated();
        const kept = { at, entities };
        annotated = kept;
        // A failed read is not kept: the next call asks the catalog again.
        entities.catch(() => {
          if (annotated === kept) annotated = undefined;
        });
      }
      return annotated.entities;
    },
  };
}
