import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** Costscope: cloud cost per catalog entity. */
  costscope?: {
    /**
     * ISO 4217 code of the billing currency. Cost lines in another currency are rejected.
     * @visibility frontend
     */
    currency?: string;
    /**
     * Share of rejected rows (0..1) above which an ingest run fails and keeps the previous
     * data. Default 0.05.
     */
    maxRejectedShare?: number;
    /** Cost sources read on a schedule. */
    sources?: Array<{
      /** Unique, stable id; it keys the stored data. */
      id: string;
      /** `focus`: FOCUS CSV or .csv.gz files. */
      type: 'focus';
      /**
       * Files or directories (every .csv and .csv.gz inside), relative to the backend's
       * working directory.
       */
      paths: string[];
      /** Billing currency of the files; defaults to `costscope.currency`. */
      currency?: string;
      /** When to read the source. Default: every hour, first run 5 seconds after start. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    }>;
    /** How cost lines are mapped to catalog entities. */
    allocation?: {
      /** Compare tag keys ignoring case, so `Service` matches `service`. Default true. */
      caseInsensitiveTagKeys?: boolean;
      /** Zero-config mapping, used where an entity has no costscope.io/cost-tags annotation. */
      conventions?: {
        /** Tag keys whose value is a component's metadata.name. Default [service]. */
        componentTagKeys?: string[];
        /** Tag keys whose value is a group's metadata.name. Default [team]. */
        groupTagKeys?: string[];
      };
      /**
       * How often to check the catalog for changes and re-allocate. Default: every 2
       * minutes, first run 10 seconds after start.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
  };
}
