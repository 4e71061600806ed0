import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  costscope?: {
    /** Google Cloud. */
    gcp?: {
      /**
       * Daily cost of Google's FOCUS view in BigQuery (source `gcp-bigquery-<table>`): per
       * billing period one GROUP BY job that BigQuery runs, so only the daily facts come back.
       * BigQuery bills the bytes each job processes; see the README for the roles and what a
       * run costs.
       */
      bigquery?: {
        /** The project the jobs run and are billed in (default: the table's project). */
        projectId?: string;
        /**
         * `project.dataset.table`: Google's FOCUS view over the billing export, or a table with
         * its columns (PascalCase FOCUS names, Tags as ARRAY<STRUCT<key, value>>).
         */
        table: string;
        /**
         * `project.dataset.table` whose INFORMATION_SCHEMA.PARTITIONS tells whether a billing
         * period changed (default: `table`). Partition ids YYYYMM or YYYYMMDD of the billing
         * period; an unpartitioned table's one partition stands for every period; a view has
         * none, and then every period is queried each run.
         */
        partitionsOf?: string;
        /** Query a closed period again only when its partitions changed (default true). */
        incremental?: boolean;
        /** The table's layout: `focus` (the only one read). */
        format?: 'focus';
        /** The location of the dataset and the jobs: US, EU, europe-west1, ... */
        location?: string;
        /**
         * `applicationDefault` (default: GOOGLE_APPLICATION_CREDENTIALS, gcloud, the metadata
         * server), `{ keyFile: PATH }` a service account key file, or `none` for an emulator at
         * apiEndpoint.
         */
        credentials?: 'applicationDefault' | 'none' | { keyFile: string };
        /** The REST endpoint, http(s)://host:port, instead of Google's (emulators, tests). */
        apiEndpoint?: string;
        /** Billing periods read: the current one and the ones before it (default 3, at most 36). */
        months?: number;
        /**
         * Most bytes one query may process. A period whose dry run reports more is refused
         * (the run fails, the earlier data is kept); the job is sent with it as
         * maximumBytesBilled, which BigQuery enforces itself. Default: no limit.
         */
        maxBytesBilled?: number;
        /** BigQuery's on-demand price per TiB in USD, for the run record (default 6.25). */
        pricePerTibUsd?: number | string;
        /** Rows per result page (default 10000). */
        pageRows?: number;
        poll?: {
          /** First wait before asking for the job's state, ms (default 500), doubled up to maxMs. */
          initialMs?: number;
          /** Longest wait between two polls, ms (default 5000). */
          maxMs?: number;
        };
        /** A job still running after this many ms is cancelled (default 15 minutes). */
        queryTimeoutMs?: number;
        /** Attempts of a call answered 403 rateLimitExceeded (default 5, from 1000 ms doubling). */
        rateLimitRetry?: { maxAttempts?: number; baseDelayMs?: number };
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
  };
}
