import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** Costscope: cloud cost per catalog entity. */
  costscope?: {
    /**
     * ISO 4217 code of the reporting currency (default USD): every amount is stored and shown
     * in it. Lines billed in another currency are converted at `exchangeRates`; a line whose
     * billing month has no rate is rejected with a reason naming the currency and month.
     * @visibility frontend
     */
    currency?: string;
    /**
     * Monthly exchange rates into `costscope.currency`, for sources billed in other
     * currencies. A rate is reporting-currency units per unit of the other currency, for the
     * month of the line's billing period. Each fact (a resource's cost of one day) is summed
     * exactly in its own currency and multiplied by the rate once, rounded half to even to
     * 1e-9; the original amount, currency and rate are kept on the fact.
     */
    exchangeRates?: {
      /**
       * One rate per currency and month, e.g. `{ currency: EUR, month: '2026-11', rate:
       * '1.0791' }`. Quote rates: an unquoted YAML number is read back as its shortest
       * decimal form. At most 12 fractional digits.
       */
      rates?: Array<{
        /** ISO 4217 code of the currency converted from. */
        currency: string;
        /** The billing month, `YYYY-MM`. */
        month: string;
        /** Reporting-currency units per unit of `currency`. */
        rate: string | number;
      }>;
      /**
       * A CSV file with the header `currency,month,rate` (month as YYYY-MM), relative to the
       * backend's working directory, read at start and again at each ingest run so that new
       * months apply without a restart. A month given both here and in `rates` is an error.
       */
      file?: string;
    };
    /**
     * The cost basis pages and routes use when a request names none: `effective` (amortized,
     * FOCUS `EffectiveCost`: commitment purchases spread over the usage they cover; the
     * FinOps practice for showback), `billed` (cash as invoiced, FOCUS `BilledCost`) or `list`
     * (at public on-demand prices, FOCUS `ListCost`: what discounts saved is list minus
     * effective). Default `effective`. Every route also takes `costBasis` to choose per request.
     * @visibility frontend
     */
    costBasis?: 'effective' | 'billed' | 'list';
    /** Commitments (Savings Plans, reservations). */
    commitments?: {
      /**
       * The entity that takes unused commitment (FOCUS lines with
       * `CommitmentDiscountStatus` Unused) before any tag or account rule, e.g.
       * `group:default/finops`; a bare name is a group. Make it one of
       * `costscope.chargeback.sharedEntities` with `sharedCost: proportional` to share it
       * over the teams in chargeback. Default: unused commitment goes where its tags say
       * (usually unallocated). An entity not in the catalog is reported and ignored.
       */
      unusedOwner?: string;
    };
    /**
     * Share of rejected rows (0..1) above which an ingest run fails and keeps the previous
     * data. Default 0.05.
     */
    maxRejectedShare?: number;
    /** Cost and inventory sources read on a schedule. */
    sources?: Array<
      | {
          /** Unique, stable id; it keys the stored data. */
          id: string;
          /** `focus`: FOCUS CSV, .csv.gz or Parquet files on the backend's disk. */
          type: 'focus';
          /**
           * Files or directories (every .csv, .csv.gz and .parquet inside), relative to the backend's
           * working directory.
           */
          paths: string[];
          /**
           * Billing currency the files must have: lines in another are rejected. Default:
           * any currency that is `costscope.currency` or has exchange rates.
           */
          currency?: string;
          /** When to read the source. Default: every hour, first run 5 seconds after start. */
          schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        }
      | {
          /** Unique, stable id; it keys the stored data. */
          id: string;
          /**
           * `s3`: a FOCUS export that AWS Data Exports writes to S3 (CSV, CSV.gz or Parquet).
           * Each billing period's newest manifest names its current files; a period whose
           * delivery did not change since the last successful run is not read again. Needs
           * `s3:ListBucket` on the bucket (for the prefix) and `s3:GetObject` on the prefix.
           */
          type: 's3';
          bucket: string;
          /**
           * The export's root, `<prefix>/<export-name>`, under which AWS writes `data/` and
           * `metadata/`. Default: the bucket's root.
           */
          prefix?: string;
          /** The bucket's region. Default: us-east-1. */
          region?: string;
          /** An S3-compatible endpoint, with path-style addressing (tests, MinIO). */
          endpoint?: string;
          /**
           * Credentials from Backstage's `aws.accounts` for this account. Set at most one of
           * accountId, roleArn and accessKeyId; without any, the SDK's default chain.
           */
          accountId?: string;
          /** A role to assume for reading the bucket. */
          roleArn?: string;
          externalId?: string;
          accessKeyId?: string;
          /** @visibility secret */
          secretAccessKey?: string;
          /**
           * Billing currency the export must have: lines in another are rejected. Default:
           * any currency that is `costscope.currency` or has exchange rates.
           */
          currency?: string;
          /** When to read the source. Default: every hour, first run 5 seconds after start. */
          schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        }
      | {
          /** Unique, stable id; it keys the stored data. */
          id: string;
          /**
           * `azure-blob`: a FOCUS export that Cost Management writes to Blob Storage (CSV,
           * CSV.gz or Parquet). Each month's newest run (by its manifest) supersedes the
           * earlier runs. Needs the Storage Blob Data Reader role on the container.
           */
          type: 'azure-blob';
          /** The storage account; or its blob endpoint as accountUrl. */
          accountName?: string;
          accountUrl?: string;
          container: string;
          /** The export's root, `<directory>/<export-name>`. Default: the container's root. */
          prefix?: string;
          /**
           * Set at most one of connectionString, sasToken and accountKey; without any,
           * DefaultAzureCredential (managed identity, workload identity, Azure CLI).
           * @visibility secret
           */
          connectionString?: string;
          /** @visibility secret */
          sasToken?: string;
          /** @visibility secret */
          accountKey?: string;
          /**
           * Billing currency the export must have: lines in another are rejected. Default:
           * any currency that is `costscope.currency` or has exchange rates.
           */
          currency?: string;
          /** When to read the source. Default: every hour, first run 5 seconds after start. */
          schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        }
      | {
          /** Unique, stable id; it keys the stored snapshot. */
          id: string;
          /**
           * `inventory-file`: resources (current tags, types, hourly utilisation) from a JSON
           * file `{ "resources": [...] }` shaped like costscope-node's InventoryResource. The
           * demo portal serves its generated inventory this way.
           */
          type: 'inventory-file';
          /** The JSON file, relative to the backend's working directory. */
          path: string;
          /** When to read it. Default: every hour, first run 5 seconds after start. */
          schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        }
    >;
    /**
     * Required tags. Resources that break it are listed on each entity's tag compliance card
     * and on the Costscope page. A broken policy stops the backend at start, naming the entry.
     */
    tagPolicy?: {
      /** Whether `Team` counts as `team`. Default: `allocation.caseInsensitiveTagKeys` (true). */
      keyCaseInsensitive?: boolean;
      /** Whether `Prod` counts as `prod`. Default false. */
      valueCaseInsensitive?: boolean;
      /** Which resources the policy applies to; omit to apply it to all. */
      scope?: {
        /** FOCUS ProviderName values, e.g. AWS. */
        providers?: string[];
        /** FOCUS ServiceName values, e.g. Amazon Elastic Compute Cloud. */
        services?: string[];
        /** FOCUS ResourceType values or inventory kinds, e.g. instance, volume. */
        resourceTypes?: string[];
      };
      /** The tags every resource in scope must carry. */
      requiredTags: Array<{
        /** The key, e.g. `team`. */
        key: string;
        /** Other spellings that count as this key, e.g. [env, stage] for environment. */
        aliases?: string[];
        /** Accepted values; give this or `pattern`, or neither to accept any non-empty value. */
        allowedValues?: Array<string | number | boolean>;
        /** A JavaScript regular expression the whole value must match, e.g. `CC-[0-9]{4}`. */
        pattern?: string;
        /** Overrides the policy's `valueCaseInsensitive` for this key. */
        valueCaseInsensitive?: boolean;
        /** Narrows the policy's scope for this key only. */
        scope?: {
          providers?: string[];
          services?: string[];
          resourceTypes?: string[];
        };
      }>;
    };
    /** The chargeback report (`/v1/chargeback.csv`). */
    chargeback?: {
      /**
       * How cost no team owns appears: `own-line` (default) as lines of kind `unallocated`
       * and `shared`; `proportional` split over the teams by their allocated cost that month.
       */
      sharedCost?: 'own-line' | 'proportional';
      /** Entities whose cost is shared by all teams, e.g. `system:default/platform`. */
      sharedEntities?: string[];
    };
    /** Rightsizing and savings tips; thresholds of each rule (defaults in the README). */
    recommendations?: {
      /**
       * On-demand list prices, which price a tip when billing data has no run rate for the
       * resource. Modules add price sources (the AWS module reads the AWS Price List); all are
       * cached in the database and read again on `schedule`. A resource without a price is
       * listed under "Why no tip" with what to configure.
       */
      prices?: {
        /**
         * A prices file loaded into the same cache (source `prices-file`): JSON
         * `{ provider: "AWS", currency: "USD", prices: [{ region, kind, key, price, vcpu,
         * memoryGiB, architecture, gpus }] }` with `kind` one of instance (per hour), volume
         * (per GiB-month, key = volume type), snapshot (per GiB-month), public-ipv4 (per
         * hour), prices as decimal strings. The demo ships examples/prices/aws-prices.json.
         * Relative to the backend's working directory; a missing file stops the backend.
         */
        file?: string;
        /** When the price sources (and the file) are read. Default: daily. */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
      /** Days of utilisation judged. Default 14. */
      lookbackDays?: number;
      /** Hours of CPU data an instance needs before it is judged. Default 30. */
      minimumHours?: number;
      /** Tips saving less a month than this are dropped. Default 0. */
      minimumMonthlySaving?: number | string;
      /** Idle instances: stop or terminate. */
      idle?: {
        enabled?: boolean;
        /** Mean CPU under this percent. Default 5. */
        cpuAveragePercent?: number;
        /** Largest hourly CPU maximum under this percent. Default 15. */
        cpuMaximumPercent?: number;
      };
      /** Over-provisioned instances: a smaller or cheaper type. */
      overprovisioned?: {
        enabled?: boolean;
        /** Projected p95 CPU at or under this percent. Default 70. */
        cpuP95Percent?: number;
        /** Projected largest CPU at or under this percent. Default 90. */
        cpuMaximumPercent?: number;
        /** Projected p95 memory at or under this percent, where reported. Default 80. */
        memoryP95Percent?: number;
        /** Projected largest memory at or under this percent. Default 90. */
        memoryMaximumPercent?: number;
        /** Consider cheaper families (m6i to c6i). Default true. */
        otherFamilies?: boolean;
        /** Allow moving between x86_64 and arm64. Default false. */
        architectureChange?: boolean;
      };
      /** Non-production instances running around the clock: an office-hours schedule. */
      officeHours?: {
        enabled?: boolean;
        /** Tag keys naming the environment. Default [env, environment, stage]. */
        environmentTagKeys?: string[];
        /** Values meaning production. Default [prod, production, prd, live]. */
        productionValues?: string[];
        /** Ran at least this percent of the window. Default 90. */
        minimumRunningPercent?: number;
        /** Hours a week the schedule keeps it running. Default 50. */
        scheduledHoursPerWeek?: number;
      };
      /** Volumes attached to nothing. */
      unattachedVolume?: { enabled?: boolean };
      /** Elastic IPs associated with nothing. */
      unassociatedAddress?: { enabled?: boolean };
      /** Snapshots older than an age. */
      oldSnapshot?: {
        enabled?: boolean;
        /** Default 90. */
        olderThanDays?: number;
      };
      /** Kubernetes workloads whose cpu and ram requests are far above their use (OpenCost). */
      kubernetesRequests?: {
        enabled?: boolean;
        /** Tip when cpu usage / request over the lookback is under this percent. Default 50. */
        cpuUsagePercent?: number;
        /** ... and ram usage / request is under this percent. Default 50. */
        ramUsagePercent?: number;
        /** Days with requests (cpu and ram each) a workload needs in the lookback. Default 7. */
        minimumDays?: number;
      };
      /** The Compute Savings Plan to buy, sized on the floor of the eligible on-demand usage. */
      commitment?: {
        enabled?: boolean;
        /** One plan per payer (`payer`) or per linked account (`account`). Default payer. */
        scope?: 'payer' | 'account';
        /** Days of usage the plan is sized on: 7, 30 or 60. Default 30. */
        lookbackDays?: number;
        /** Discount against on-demand. Default 28. */
        discountPercent?: number;
        /** 12 or 36. Default 12. */
        termMonths?: number;
        /** 0, 50 or 100. Default 0. */
        upfrontPercent?: number;
      };
    };
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
      /**
       * The basis spend is counted on: `effective` (amortized), `billed` or `list`; default
       * `costscope.costBasis`.
       */
      costBasis?: 'effective' | 'billed' | 'list';
    }>;
    /**
     * Scheduled cost digests: each team (and optionally each system) is sent a review of the
     * last week and/or month through Backstage notifications (the team's members) and the
     * alerts webhook. Absent, none is sent; the digest can still be read on the Cost tab.
     * A group or system with the annotation `costscope.io/digests: off` gets none.
     */
    digests?: {
      /** IANA time zone the send day and time are in, e.g. Europe/Berlin. Default UTC. */
      timeZone?: string;
      /** Entity kinds that get digests: group, system. Default [group]. */
      kinds?: Array<'group' | 'system'>;
      /**
       * Whether digests also go to `costscope.alerts.webhook` when one is set (one message per
       * team and period). Default true.
       */
      webhook?: boolean;
      /**
       * When the backend was down while digests were due: how many missed periods of each
       * schedule are still sent (late, once each, oldest first) besides the latest. Periods
       * before the first digest Costscope sent are never sent. 0 to 52, default 4.
       */
      missedPeriods?: number;
      /** The weekly digest of the last ISO week (Monday to Sunday). */
      weekly?: {
        /** Default true when the key is present. */
        enabled?: boolean;
        /** The weekday it is sent on, monday ... sunday. Default monday. */
        day?: string;
        /** Local time it is sent at, HH:MM. Default 09:00. */
        time?: string;
      };
      /** The monthly digest of the last calendar month. */
      monthly?: {
        /** Default true when the key is present. */
        enabled?: boolean;
        /** The day of the month it is sent on, 1 to 28. Default 1. */
        day?: number;
        /** Local time it is sent at, HH:MM. Default 09:00. */
        time?: string;
      };
    };
    /**
     * Unit cost: business metrics per entity (orders, streams, active users) that cost is
     * divided by. Values arrive through `POST /v1/metrics` or the file below.
     */
    unitCost?: {
      /**
       * The metrics entities may report; a value of any other name is refused. The first
       * metric an entity has values of is the one its Cost tab shows.
       */
      metrics?: Array<{
        /**
         * The name pushed and queried, e.g. `orders`: a lower-case letter, then a-z, 0-9,
         * `_`, `.` or `-` (at most 63).
         */
        name: string;
        /**
         * One unit, singular, as the UI labels it: `order` (cost per order).
         */
        unit: string;
        /** What is counted, for the metric's readers. */
        description?: string;
      }>;
      /** Most day-values one `POST /v1/metrics` may carry (1 to 5000). Default 400. */
      maxDaysPerRequest?: number;
      /**
       * A CSV file of metric values (`date,entity_ref,metric,value` with that header), read
       * at start and on `fileSchedule`; each row is stored like a pushed value. A bad row
       * (named by file and line) stores nothing of the file.
       */
      file?: string;
      /** How often the file is re-read. Default every hour. */
      fileSchedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * A Prometheus-compatible query API (Prometheus, Thanos, Mimir, VictoriaMetrics). Each
       * entity's `costscope.io/unit-metric` annotation holds a PromQL query whose value at the
       * end of a UTC day is that day's count, e.g. `orders=sum(increase(orders_total[1d]))`;
       * the last 35 days are re-read on every run.
       */
      prometheus?: {
        /** Base URL, e.g. `http://prometheus:9090` (the API is under `/api/v1`). */
        url: string;
        /**
         * Extra request headers, e.g. an authorization token or a tenant id.
         * @visibility secret
         */
        headers?: { [name: string]: string };
        /** Request timeout in milliseconds. Default 30000. */
        timeoutMs?: number;
        /** When it is read. Default every 6 hours. */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
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
    /**
     * Shared Kubernetes clusters: the bill's cost of each cluster's nodes is split over its
     * workloads in the proportions OpenCost reports, exactly, on every allocation.
     */
    kubernetes?: {
      clusters?: Array<{
        /** The cluster's name, e.g. `k8s-platform-prod`; shown in breakdowns and run records. */
        name: string;
        /**
         * The cluster's OpenCost, read with `/allocation/compute` per day. May be left out
         * when the bill splits the cluster's nodes itself (FOCUS 1.3 split cost allocation,
         * AWS split cost allocation data): node cost the bill did not split then stays where
         * the bill's tags put it.
         */
        opencost?: {
          /** OpenCost's API, e.g. `http://opencost.opencost:9003`. */
          url: string;
          /**
           * Sent as `Authorization: Bearer <token>`, for an OpenCost behind an authenticating
           * proxy (OpenCost itself has no auth).
           * @visibility secret
           */
          token?: string;
        };
        /**
         * How the cluster's node lines are found in the bill. A line matches when it carries
         * all the tags of `tags`, or its resource id starts with one of `resourceIdPrefixes`.
         */
        nodes: {
          /** Tags such as `eks:cluster-name`, `kubernetes.io/cluster/<name>`, `goog-k8s-cluster-name`. */
          tags?: Array<{ key: string; value: string }>;
          /** Resource id prefixes, e.g. an AKS node resource group's id. */
          resourceIdPrefixes?: string[];
        };
        /**
         * How the cluster's volume lines (persistent volumes: EBS volumes, persistent disks)
         * are found in the bill, the same way as `nodes`. When set, their cost is split over the
         * workloads by OpenCost's pv cost alone (a workload gets what its volumes weigh); a line
         * both match is a volume. Absent, volume lines stay where their tags put them.
         */
        volumes?: {
          /**
           * Tags such as `kubernetes.io/cluster/<name>` = `owned` or
           * `ebs.csi.aws.com/cluster` = `true` (the EBS CSI driver's).
           */
          tags?: Array<{ key: string; value: string }>;
          /** Resource id prefixes. */
          resourceIdPrefixes?: string[];
        };
        /**
         * Idle capacity (OpenCost's `__idle__`, and what a bill that splits its nodes itself
         * left unsplit of a node it split): `owner` (default) keeps it with the cluster's
         * owner, `spread` spreads it over the workloads by their cost.
         */
        idle?: 'spread' | 'owner';
        /** Namespaces that run the cluster itself. Default kube-system, kube-public, kube-node-lease. */
        systemNamespaces?: string[];
        /**
         * The system namespaces' cost, OpenCost's and the bill's own split's: `owner`
         * (default) or `spread` over the workloads by their cost.
         */
        systemTo?: 'spread' | 'owner';
        /**
         * The entity that gets idle and system cost and the days OpenCost cannot split, e.g.
         * `component:default/k8s-platform` (kind defaults to component).
         */
        owner: string;
      }>;
    };
  };
}
