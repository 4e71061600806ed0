import { BigQuery, BigQueryOptions } from '@google-cloud/bigquery';
import { BigQueryCostConfig } from './bigQueryConfig';

/**
 * The BigQuery client for the config: application default credentials, a key file, or, for
 * an emulator at `apiEndpoint`, a fixed bearer token. The library retries 429 and 5xx.
 */
export function createBigQueryClient(
  config: BigQueryCostConfig,
  retry?: BigQueryOptions['retryOptions'],
): BigQuery {
  const options: BigQueryOptions = {
    projectId: config.projectId,
    location: config.location,
    ...(config.apiEndpoint ? { apiEndpoint: config.apiEndpoint } : {}),
    retryOptions: { maxRetries: 4, ...retry },
  };
  if (config.credentials.type === 'keyFile')
    options.keyFilename = config.credentials.keyFile;
  if (config.credentials.type === 'none') {
    // The library's auth calls only getRequestHeaders on a client it is handed.
    const emulatorAuth = {
      getRequestHeaders: async () =>
        new Headers({ authorization: 'Bearer emulator' }),
    };
    options.authClient =
      emulatorAuth as unknown as BigQueryOptions['authClient'];
  }
  return new BigQuery(options);
}
