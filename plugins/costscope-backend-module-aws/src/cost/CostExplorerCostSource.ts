import {
  CostExplorerClient,
  GetCostAndUsageCommand,
} from '@aws-sdk/client-cost-explorer';
import { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import {
  CostLine,
  CostSource,
  CostSourceReadContext,
} from '@costscope/backstage-plugin-node';
import { describeAwsError } from '../awsErrors';
import { AwsAccountConfig, AwsModuleConfig } from '../config';
import { costQueries } from './costQueries';
import { nextCostWindowState, planCostWindow, utcDay } from './costWindow';
import { toCostLines } from './toCostLines';

/** Cost Explorer bills every GetCostAndUsage request, each page included. */
export const COST_EXPLORER_REQUEST_USD = '0.01';

/**
 * Daily cost of one AWS account from Cost Explorer. The first run backfills history; later
 * runs re-read only the days that can still change, so a refresh costs a few requests. The
 * run stops, and keeps the previous data, before it would exceed the request cap.
 */
export class CostExplorerCostSource implements CostSource {
  readonly id: string;
  readonly description: string;
  readonly schedule: SchedulerServiceTaskScheduleDefinition;

  constructor(
    private readonly account: AwsAccountConfig,
    private readonly config: AwsModuleConfig,
    private readonly client: CostExplorerClient,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.id = `aws-ce-${account.accountId}`;
    this.description = `AWS Cost Explorer, account ${
      account.name ?? account.accountId
    }`;
    this.schedule = config.costSchedule;
  }

  async *read(context: CostSourceReadContext): AsyncIterable<CostLine> {
    const { account, config } = this;
    const previous = await context.state.get();
    const window = planCostWindow({
      today: utcDay(this.now()),
      state: previous,
      backfillDays: config.backfillDays,
      settleDays: config.settleDays,
    });
    context.replaceDays(window);
    const queries = costQueries({
      accountId: account.accountId,
      window,
      tagKeys: config.tagKeys,
      dimension: config.dimension,
      costMetric: config.costMetric,
    });
    const cap = config.maxCostExplorerRequestsPerRun;
    context.logger.info(
      `Costscope reads AWS account ${account.accountId} from Cost Explorer, ` +
        `${window.from} to ${window.to} (${
          window.backfill ? 'backfill' : 'refresh'
        }), ` +
        `${queries.length} queries plus their extra pages, cap ${cap} requests`,
    );

    let requests = 0;
    let firstEstimatedDay: string | undefined;
    for (const query of queries) {
      let pageToken: string | undefined;
      do {
        if (requests >= cap) {
          throw new Error(
            `Cost Explorer request cap of ${cap} per run reached for account ` +
              `${account.accountId} before the read was complete; nothing was replaced. ` +
              `Raise costscope.aws.maxCostExplorerRequestsPerRun or lower backfillDays.`,
          );
        }
        requests += 1;
        context.apiCall('ce:GetCostAndUsage', COST_EXPLORER_REQUEST_USD);
        const page = await this.client
          .send(
            new GetCostAndUsageCommand({
              ...query.input,
              NextPageToken: pageToken,
            }),
            { abortSignal: context.signal },
          )
          .catch(error => {
            throw describeAwsError(
              error,
              `Cost Explorer, account ${account.accountId}`,
            );
          });
        context.fileRead(`GetCostAndUsage page ${requests}`);
        for (const result of page.ResultsByTime ?? []) {
          const day = result.TimePeriod?.Start;
          if (
            result.Estimated &&
            day &&
            (!firstEstimatedDay || day < firstEstimatedDay)
          ) {
            firstEstimatedDay = day;
          }
          yield* toCostLines(result, query, {
            accountId: account.accountId,
            dimension: config.dimension,
            costMetric: config.costMetric,
          });
        }
        pageToken = page.NextPageToken;
      } while (pageToken);
    }
    context.state.set(
      nextCostWindowState({
        window,
        previous,
        firstEstimatedDay,
        settleDays: config.settleDays,
      }),
    );
  }
}
