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
    /**
     * Budgets declared as code. They win over budgets set in the UI, and over budgets in
     * `costscope.io/budget-*` annotations.
     */
    budgets?: Array<{
      /** The entity, e.g. `group:default/checkout-squad`. */
      entityRef: string;
      /** Amount per period in the billing currency, e.g. `1200` or `"1200.50"`. */
      amount: number | string;
      /** Calendar period (UTC). */
      period: 'monthly' | 'quarterly' | 'annual';
      /** Must equal the billing currency when given. */
      currency?: string;
      /** Alert thresholds; default 50, 80, 100 % of actual and 100 % of forecast. */
      thresholds?: Array<{
        /** `actual`: spend so far; `forecast`: the forecast at period end. */
        kind: 'actual' | 'forecast';
        /** Percent of the budget, more than 0 and at most 1000. */
        percent: number;
      }>;
      /** Entity refs told of alerts; default: the owning group. */
      recipients?: string[];
    }>;
    /** Budget and anomaly alerts. */
    alerts?: {
      /** Spend anomalies: a day far above the entity's same-weekday baseline. */
      anomalies?: {
        /** Default true. */
        enabled?: boolean;
        /** Entity kinds watched. Default [component]. */
        kinds?: Array<'component' | 'resource' | 'system' | 'domain' | 'group'>;
        /**
         * Robust standard deviations (median absolute deviation based) a day must depart
         * from its baseline. Lower finds more. Default 4.
         */
        sensitivity?: number;
        /** Days of history needed before a day is judged. Default 14. */
        minHistoryDays?: number;
        /** Smallest departure worth an alert, in the billing currency. Default 10. */
        minAbsoluteChange?: number | string;
        /** Only days this close to the latest data alert. Default 14. */
        lookbackDays?: number;
      };
      /** A webhook that receives every alert as Slack-compatible JSON (`text` and `blocks`). */
      webhook?: {
        /** E.g. a Slack incoming-webhook URL. */
        url: string;
        /**
         * Extra request headers, e.g. an authorization token.
         * @visibility secret
         */
        headers?: { [name: string]: string };
        /** Request timeout in milliseconds. Default 10000. */
        timeoutMs?: number;
      };
    };
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
