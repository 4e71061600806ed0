import {
  CostExplorerClient,
  Expression,
  GetReservationCoverageCommand,
  GetReservationCoverageCommandOutput,
  GetReservationUtilizationCommand,
  GetSavingsPlansCoverageCommand,
  GetSavingsPlansUtilizationCommand,
  ReservationAggregates,
  SavingsPlansUtilizationByTime,
} from '@aws-sdk/client-cost-explorer';
import { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import {
  CommitmentReport,
  CommitmentReportReadContext,
  CommitmentReportSource,
  ReportedCommitmentMonth,
} from '@costscope/backstage-plugin-node';
import { awsErrorName, DATA_UNAVAILABLE, describeAwsError } from '../awsErrors';
import { AwsAccountConfig } from '../config';
import { COST_EXPLORER_REQUEST_USD } from '../cost/CostExplorerCostSource';
import { money, moneyDifference, moneySum } from './amounts';

/** The month of a Cost Explorer period: its start, which may be clipped to the range. */
const monthOf = (start: string | undefined) => (start ?? '').slice(0, 7);
const MONTH = /^\d{4}-\d{2}$/;

/**
 * One account's Savings Plans and reserved-instance coverage and utilization as Cost Explorer
 * computes them, per month (GetSavingsPlansCoverage and -Utilization, GetReservationCoverage
 * and -Utilization, filtered to the account like its cost source). A commitment type is
 * reported when Cost Explorer has utilization for it (the account holds such commitments) or
 * its coverage is above zero. Every request, pages included, is counted at USD 0.01.
 *
 * Savings Plans coverage is in on-demand-equivalent cost as AWS gives it. Reservation
 * coverage is in hours at AWS; in cost it is the on-demand cost of the reserved hours used
 * against that plus the on-demand cost of the hours nothing covered.
 */
export class CostExplorerCommitmentReports implements CommitmentReportSource {
  readonly id: string;
  readonly provider = 'AWS';
  readonly description: string;

  constructor(
    private readonly account: AwsAccountConfig,
    private readonly client: CostExplorerClient,
    readonly schedule?: SchedulerServiceTaskScheduleDefinition,
  ) {
    this.id = `aws-ce-commitments-${account.accountId}`;
    this.description = `AWS Cost Explorer commitment reports, account ${
      account.name ?? account.accountId
    }`;
  }

  async read(
    context: CommitmentReportReadContext,
  ): Promise<CommitmentReport[]> {
    const reports: CommitmentReport[] = [];
    const savingsPlans = await this.savingsPlans(context);
    if (savingsPlans) reports.push(savingsPlans);
    const reservations = await this.reservations(context);
    if (reservations) reports.push(reservations);
    return reports;
  }

  private get filter(): Expression {
    return {
      Dimensions: { Key: 'LINKED_ACCOUNT', Values: [this.account.accountId] },
    };
  }

  /** One billed request, its failure named after the report and the account. */
  private async send<T>(
    context: CommitmentReportReadContext,
    operation: string,
    call: () => Promise<T>,
  ): Promise<T> {
    context.apiCall(`ce:${operation}`, COST_EXPLORER_REQUEST_USD);
    try {
      return await call();
    } catch (error) {
      throw describeAwsError(
        error,
        `Cost Explorer ${operation}, account ${this.account.accountId}`,
      );
    }
  }

  /** A utilization request whose DataUnavailableException means "no commitments": undefined. */
  private async unlessUnavailable<T>(
    request: () => Promise<T>,
  ): Promise<T | undefined> {
    try {
      return await request();
    } catch (error) {
      if (awsErrorName(error) === DATA_UNAVAILABLE) return undefined;
      throw error;
    }
  }

  private async savingsPlans(
    context: CommitmentReportReadContext,
  ): Promise<CommitmentReport | undefined> {
    const TimePeriod = { Start: context.from, End: context.to };
    const months = new Map<string, ReportedCommitmentMonth>();
    let anyCovered = false;
    let token: string | undefined;
    do {
      const pageToken: string | undefined = token;
      const page = await this.send(context, 'GetSavingsPlansCoverage', () =>
        this.client.send(
          new GetSavingsPlansCoverageCommand({
            TimePeriod,
            Granularity: 'MONTHLY',
            Filter: this.filter,
            NextToken: pageToken,
          }),
          { abortSignal: context.signal },
        ),
      );
      for (const item of page.SavingsPlansCoverages ?? []) {
        const month = checkedMonth(item.TimePeriod?.Start);
        const coverage = item.Coverage ?? {};
        const coveredCost = money(
          coverage.SpendCoveredBySavingsPlans ?? '0',
          `${month} SpendCoveredBySavingsPlans`,
        );
        if (coveredCost !== '0.000000000') anyCovered = true;
        months.set(month, {
          month,
          coveredCost,
          eligibleCost: money(
            coverage.TotalCost ?? '0',
            `${month} Savings Plans TotalCost`,
          ),
        });
      }
      token = page.NextToken;
    } while (token);

    const utilization = await this.unlessUnavailable(() =>
      this.send(context, 'GetSavingsPlansUtilization', () =>
        this.client.send(
          new GetSavingsPlansUtilizationCommand({
            TimePeriod,
            Granularity: 'MONTHLY',
            Filter: this.filter,
          }),
          { abortSignal: context.signal },
        ),
      ),
    );
    for (const item of utilization?.SavingsPlansUtilizationsByTime ?? []) {
      const month = checkedMonth(item.TimePeriod?.Start);
      months.set(month, {
        ...(months.get(month) ?? {
          month,
          coveredCost: '0.000000000',
          eligibleCost: '0.000000000',
        }),
        ...savingsPlanUtilization(month, item),
      });
    }
    if (!utilization && !anyCovered) return undefined;
    return report('SavingsPlans', months);
  }

  private async reservations(
    context: CommitmentReportReadContext,
  ): Promise<CommitmentReport | undefined> {
    const TimePeriod = { Start: context.from, End: context.to };
    const used = new Map<string, ReservationAggregates>();
    let token: string | undefined;
    let any = false;
    do {
      const pageToken: string | undefined = token;
      const page = await this.unlessUnavailable(() =>
        this.send(context, 'GetReservationUtilization', () =>
          this.client.send(
            new GetReservationUtilizationCommand({
              TimePeriod,
              Granularity: 'MONTHLY',
              Filter: this.filter,
              NextPageToken: pageToken,
            }),
            { abortSignal: context.signal },
          ),
        ),
      );
      if (!page) break;
      any = true;
      for (const item of page.UtilizationsByTime ?? []) {
        if (item.Total)
          used.set(checkedMonth(item.TimePeriod?.Start), item.Total);
      }
      token = page.NextPageToken;
    } while (token);
    if (!any) return undefined;

    const months = new Map<string, ReportedCommitmentMonth>();
    token = undefined;
    do {
      const pageToken: string | undefined = token;
      const page: GetReservationCoverageCommandOutput = await this.send(
        context,
        'GetReservationCoverage',
        () =>
          this.client.send(
            new GetReservationCoverageCommand({
              TimePeriod,
              Granularity: 'MONTHLY',
              Filter: this.filter,
              NextPageToken: pageToken,
            }),
            { abortSignal: context.signal },
          ),
      );
      for (const item of page.CoveragesByTime ?? []) {
        const month = checkedMonth(item.TimePeriod?.Start);
        const onDemand = item.Total?.CoverageCost?.OnDemandCost ?? '0';
        months.set(month, reservationMonth(month, onDemand, used.get(month)));
      }
      token = page.NextPageToken;
    } while (token);
    // Months with reservations that coverage did not list still show their utilization.
    for (const [month, aggregates] of used) {
      if (!months.has(month)) {
        months.set(month, reservationMonth(month, '0', aggregates));
      }
    }
    return report('Reservations', months);
  }
}

function checkedMonth(start: string | undefined): string {
  const month = monthOf(start);
  if (!MONTH.test(month)) {
    throw new Error(
      `Cost Explorer sent a period starting '${start}', not a date`,
    );
  }
  return month;
}

function report(
  commitmentType: CommitmentReport['commitmentType'],
  months: Map<string, ReportedCommitmentMonth>,
): CommitmentReport {
  return {
    provider: 'AWS',
    commitmentType,
    // Cost Explorer answers in USD.
    currency: 'USD',
    months: [...months.values()].sort((a, b) => a.month.localeCompare(b.month)),
  };
}

function savingsPlanUtilization(
  month: string,
  item: SavingsPlansUtilizationByTime,
): Partial<ReportedCommitmentMonth> {
  const u = item.Utilization ?? {};
  return {
    usedCommitment: money(u.UsedCommitment ?? '0', `${month} UsedCommitment`),
    purchasedCommitment: money(
      u.TotalCommitment ?? '0',
      `${month} TotalCommitment`,
    ),
    unusedCommitment: money(
      u.UnusedCommitment ?? '0',
      `${month} UnusedCommitment`,
    ),
    ...(item.Savings?.NetSavings !== undefined
      ? { netSavings: money(item.Savings.NetSavings, `${month} NetSavings`) }
      : {}),
  };
}

function reservationMonth(
  month: string,
  onDemandCost: string,
  used: ReservationAggregates | undefined,
): ReportedCommitmentMonth {
  const covered = used?.OnDemandCostOfRIHoursUsed ?? '0';
  const fee = used?.TotalAmortizedFee ?? '0';
  const unused = used?.RICostForUnusedHours ?? '0';
  return {
    month,
    coveredCost: money(covered, `${month} OnDemandCostOfRIHoursUsed`),
    eligibleCost: moneySum(
      covered,
      onDemandCost,
      `${month} reservation coverage`,
    ),
    ...(used
      ? {
          purchasedCommitment: money(fee, `${month} TotalAmortizedFee`),
          unusedCommitment: money(unused, `${month} RICostForUnusedHours`),
          usedCommitment: moneyDifference(
            fee,
            unused,
            `${month} used reservations`,
          ),
          ...(used.NetRISavings !== undefined
            ? { netSavings: money(used.NetRISavings, `${month} NetRISavings`) }
            : {}),
        }
      : {}),
  };
}
