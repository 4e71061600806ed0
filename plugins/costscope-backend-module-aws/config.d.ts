import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  costscope?: {
    /** Live AWS: Cost Explorer costs, EC2 inventory and CloudWatch utilisation. */
    aws?: {
      /**
       * The accounts to read. Each one becomes a cost source `aws-ce-<accountId>` and an
       * inventory source `aws-ec2-<accountId>`; a failing account fails alone.
       */
      accounts: Array<{
        /** The 12-digit account id; Cost Explorer is filtered to it (LINKED_ACCOUNT). */
        accountId: string;
        /** A display name for logs and run records. */
        name?: string;
        /**
         * IAM role to assume in the account (see the README for its least-privilege policy).
         * Without it the default credential chain of the backend is used.
         */
        roleArn?: string;
        /** External id the role's trust policy requires, if any. */
        externalId?: string;
        /** Regions of the inventory for this account; defaults to costscope.aws.regions. */
        regions?: string[];
      }>;
      /** Regions of the inventory. Default: us-east-1. */
      regions?: string[];
      /**
       * The cost shown: unblended (cash basis, the default), amortized (commitments spread
       * over the usage they cover) or net (after discounts and credits).
       */
      costMetric?: 'unblended' | 'amortized' | 'net';
      groupBy?: {
        /**
         * Tag keys to read cost by, in priority order (default: service, team). Cost
         * Explorer groups by one tag at a time, so each key costs one query per run; cost
         * carrying an earlier key is read with that key only.
         */
        tagKeys?: string[];
        /** The second grouping: SERVICE (default) or LINKED_ACCOUNT. */
        dimension?: 'SERVICE' | 'LINKED_ACCOUNT';
      };
      /** Days of history the first run reads (default 90, at most 425). */
      backfillDays?: number;
      /**
       * Days at the end that every refresh re-reads because AWS still revises them
       * (default 3); days Cost Explorer marks Estimated are re-read too.
       */
      settleDays?: number;
      /**
       * The most Cost Explorer requests (pages included; USD 0.01 each) one run of one
       * account may make; a run that would need more fails and keeps the previous data.
       * Default 50.
       */
      maxCostExplorerRequestsPerRun?: number;
      /** When to refresh costs. Default: every 12 hours. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      inventory?: {
        /** Read EC2 resources and CloudWatch utilisation. Default: true. */
        enabled?: boolean;
        /** Days of hourly utilisation to read (default 14, at most 63). */
        lookbackDays?: number;
        /** When to refresh the inventory. Default: every 6 hours. */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
      /**
       * On-demand prices from the AWS Price List Query API (source `aws-pricing`, IAM
       * permission `pricing:GetProducts`), for the regions of the inventory and of the
       * accounts: EC2 Linux instances, EBS volumes, snapshots, public IPv4. Cached in the
       * database; recommendations use them when billing data has no run rate.
       */
      prices?: {
        /** Read the Price List. Default: true. */
        enabled?: boolean;
        /**
         * The region of the Price List endpoint: us-east-1 (default), eu-central-1 or
         * ap-south-1. It serves the prices of every region.
         */
        region?: string;
        /** When to read the prices again. Default: daily. */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
      /**
       * Cost Explorer's own Savings Plans and reserved-instance coverage and utilization per
       * month (source `aws-ce-commitments-<accountId>`; IAM permissions
       * `ce:GetSavingsPlansCoverage`, `ce:GetSavingsPlansUtilization`,
       * `ce:GetReservationCoverage`, `ce:GetReservationUtilization`), shown beside the figures
       * Costscope derives from the bill. Each refresh makes at least four requests per
       * account, USD 0.01 each.
       */
      commitments?: {
        /** Read the reports. Default: true. */
        enabled?: boolean;
        /** When to read them again. Default: daily. */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
      /**
       * Daily cost of a FOCUS or CUR 2.0 table in Athena (source `aws-athena-<database>-<table>`): per
       * billing period one GROUP BY query that Athena runs, so only the daily facts come
       * back. Athena bills the data each query scans; see the README for the IAM policy and
       * what a run costs.
       */
      athena?: {
        /** The Glue database of the table. */
        database: string;
        /**
         * The FOCUS 1.0+ or CUR 2.0 table, as AWS Data Exports delivers it (columns lower-cased
         * by Glue).
         */
        table: string;
        /** The Athena workgroup (default: primary). */
        workgroup?: string;
        /** Where Athena writes query results, `s3://bucket/prefix/`. */
        outputLocation: string;
        /** The region of Athena and the table (default: the first of costscope.aws.regions). */
        region?: string;
        /** IAM role to assume for Athena and S3; without it the default credential chain. */
        roleArn?: string;
        /** External id the role's trust policy requires, if any. */
        externalId?: string;
        /**
         * The table's export (default `focus`): `focus` for FOCUS 1.0 to 1.3, `cur2` for a CUR 2.0
         * export (AWS Data Exports, Parquet, with resource ids; with split cost allocation data,
         * EKS and ECS nodes are split to their pods and tasks by the bill itself).
         */
        format?: 'focus' | 'cur2';
        /** The partition column holding the billing period YYYY-MM (default: billing_period). */
        partitionColumn?: string;
        /**
         * The table's data, `s3://bucket/prefix/`, with a `BILLING_PERIOD=YYYY-MM/` folder per
         * period. When set, a closed period is queried again only when its files (keys and
         * ETags) changed; without it every period is queried on every run.
         */
        dataLocation?: string;
        /** Billing periods read: the current one and the ones before it (default 3, at most 36). */
        months?: number;
        /**
         * Most bytes one run may scan. A run stops before a period whose last query would
         * exceed it, and stops a running query whose scanned bytes exceed it; the earlier
         * data is kept. Default: no limit.
         */
        scanBudgetBytes?: number;
        /** Athena's price per TB scanned in USD, for the run record (default 5). */
        pricePerTbUsd?: number | string;
        poll?: {
          /** First wait before asking for the query's state, ms (default 500), doubled up to maxMs. */
          initialMs?: number;
          /** Longest wait between two polls, ms (default 5000). */
          maxMs?: number;
        };
        /** A query still running after this is stopped and fails the run, ms (default 15 minutes). */
        queryTimeoutMs?: number;
        /** When to read. Default: every 12 hours. */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
      /**
       * One endpoint URL for every AWS call, such as a proxy or a local fake AWS. Leave
       * unset for the real AWS endpoints.
       */
      endpoint?: string;
      retry?: {
        /** Attempts per call, the first included (default 5). */
        maxAttempts?: number;
        /** First backoff in milliseconds, doubled per attempt (default 500). */
        baseDelayMs?: number;
      };
      /** Timeout of one HTTP request in milliseconds (default 30000). */
      requestTimeoutMs?: number;
    };
  };
}
