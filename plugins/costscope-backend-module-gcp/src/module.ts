import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { costscopeCostSourcesExtensionPoint } from '@costscope/backstage-plugin-node';
import { BigQueryCostSource } from './bigquery/BigQueryCostSource';
import { readBigQueryConfig } from './bigquery/bigQueryConfig';
import { createBigQueryClient } from './bigquery/client';

/**
 * Costscope module for Google Cloud: when `costscope.gcp.bigquery` is set, a cost source that
 * pushes the daily aggregation of Google's FOCUS view (or a table with its columns) into
 * BigQuery.
 * @public
 */
export const costscopeModuleGcp = createBackendModule({
  pluginId: 'costscope',
  moduleId: 'gcp',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        costSources: costscopeCostSourcesExtensionPoint,
      },
      async init({ config, logger, costSources }) {
        const bigquery = readBigQueryConfig(config);
        if (!bigquery) {
          logger.info(
            'Costscope Google Cloud module is installed but costscope.gcp.bigquery is not configured; it reads nothing',
          );
          return;
        }
        costSources.addCostSource(
          new BigQueryCostSource(bigquery, createBigQueryClient(bigquery)),
        );
        logger.info(
          `Costscope Google Cloud module reads ${bigquery.table} through BigQuery (project ${bigquery.projectId})`,
        );
      },
    });
  },
});
